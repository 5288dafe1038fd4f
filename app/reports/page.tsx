import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { FilterBar, FilterField } from '@/components/filter-bar';
import { ISO_DATE_INPUT } from '@/components/iso-date';
import { PageHeader } from '@/components/page-header';
import { TextLink } from '@/components/text-link';
import { getChannels, getReportSchedules } from '@/db/queries/alerts';
import { getReport } from '@/db/queries/report';
import { reportParams, reportPeriodOf, WEEKDAYS } from '@/lib/alerts/reports';
import { addDays } from '@/lib/time-range';
import { formatDateTime } from '@/lib/format';
import type { SearchParams } from '@/lib/search-params';
import { summarizeReport } from '@/server/alerts/reports';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { AlertsTabs } from '../alerts/alerts-tabs';
import { CreateScheduleForm, DeleteScheduleButton } from './schedule-forms';

export const metadata: Metadata = { title: 'Reports' };
export const dynamic = 'force-dynamic';

export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const raw = await searchParams;
  const parsed = reportParams.safeParse(
    Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
  );
  const params = parsed.success ? parsed.data : reportParams.parse({});
  const period = reportPeriodOf(params, new Date());
  const db = await getReadDb();
  const [report, schedules, channels] = await Promise.all([
    getReport(db, period, params.cadence),
    getReportSchedules(db),
    getChannels(db),
  ]);
  const summary = summarizeReport(report, null);
  const step = params.cadence === 'daily' ? 1 : 7;
  const href = (start: string) =>
    `/reports?cadence=${params.cadence}&start=${start}&tz=${encodeURIComponent(params.tz)}`;
  const query = `cadence=${params.cadence}&start=${period.start}&tz=${encodeURIComponent(params.tz)}`;
  return (
    <>
      <AlertsTabs current="/reports" />
      <PageHeader
        title={summary.title}
        description={`Local days ${period.start} to ${addDays(period.end, -1)} in ${params.tz} (${formatDateTime(period.from.getTime(), 'UTC')} to ${formatDateTime(period.to.getTime(), 'UTC')} UTC), beside the period before. The scheduled digests send exactly this.`}
        actions={
          <a className="button-outline" href={`/reports/download?${query}`} download>
            Download (.txt)
          </a>
        }
      />
      {!parsed.success ? (
        <p role="alert" className="mb-4 text-sm text-rose-700 dark:text-rose-400">
          Not understood, the last whole period is shown:{' '}
          {parsed.error.issues.map((i) => i.message).join('; ')}.
        </p>
      ) : null}
      <FilterBar action="/reports" keep={{}} resetHref="/reports">
        <FilterField label="Cadence">
          <select name="cadence" defaultValue={params.cadence} className="field">
            <option value="daily">daily</option>
            <option value="weekly">weekly</option>
          </select>
        </FilterField>
        <FilterField label="First day">
          <input
            {...ISO_DATE_INPUT}
            name="start"
            defaultValue={period.start}
            className="field w-32"
          />
        </FilterField>
        <FilterField label="Time zone">
          <input name="tz" defaultValue={params.tz} className="field" />
        </FilterField>
      </FilterBar>
      <nav aria-label="Periods" className="mb-4 flex gap-3 text-sm">
        <Link className="text-link" href={href(addDays(period.start, -step))}>
          ← Previous {params.cadence === 'daily' ? 'day' : 'week'}
        </Link>
        <Link className="text-link" href={href(addDays(period.start, step))}>
          Next {params.cadence === 'daily' ? 'day' : 'week'} →
        </Link>
      </nav>
      <dl className="mb-6 grid gap-3 sm:grid-cols-2 xl:grid-cols-4" data-testid="report-figures">
        {summary.figures.map((figure) => (
          <div key={figure.label} className="card" data-figure={figure.label}>
            <dt className="text-xs text-slate-600 dark:text-slate-400">{figure.label}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="report-value">
              {figure.value}
            </dd>
            <dd className="text-xs text-slate-600 dark:text-slate-400">{figure.change}</dd>
          </div>
        ))}
      </dl>
      <div className="mb-8 grid gap-4 lg:grid-cols-2">
        {summary.sections.map((section) => (
          <Card key={section.title} title={section.title} testId={`report-${section.title}`}>
            {section.lines.length === 0 ? (
              <p className="text-xs text-slate-500 dark:text-slate-400">None in this period.</p>
            ) : (
              <ul className="space-y-1 text-xs">
                {section.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )}
          </Card>
        ))}
      </div>
      <section aria-labelledby="schedules-title">
        <h2 id="schedules-title" className="mb-2 text-base font-semibold">
          Scheduled digests
        </h2>
        {hasRole(actor, 'editor') ? (
          <Card className="mb-4">
            <CreateScheduleForm channels={channels.map((c) => ({ id: c.id, name: c.name }))} />
            {channels.length === 0 ? (
              <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
                No channels yet: an admin adds them under{' '}
                <TextLink href="/admin/channels" className="underline">
                  Admin → Channels
                </TextLink>
                .
              </p>
            ) : null}
          </Card>
        ) : null}
        <DataTable
          roomy
          testId="report-schedules"
          rows={schedules}
          rowKey={(s) => s.id}
          empty="No digests scheduled."
          columns={[
            { header: 'Name', cell: (s) => s.name },
            {
              header: 'When',
              cell: (s) =>
                `${s.cadence === 'daily' ? 'Every day' : `Every ${WEEKDAYS[s.weekday - 1]}`} at ${String(s.hour).padStart(2, '0')}:00 ${s.tz}`,
            },
            {
              header: 'Next',
              className: 'whitespace-nowrap tabular-nums',
              cell: (s) => formatDateTime(s.nextRunAt, s.tz),
            },
            {
              header: 'To',
              cell: (s) => (s.channels.length === 0 ? 'no channel' : s.channels.join(', ')),
            },
            ...(hasRole(actor, 'editor')
              ? [
                  {
                    header: 'Actions',
                    cell: (s: (typeof schedules)[number]) => (
                      <DeleteScheduleButton id={s.id} name={s.name} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </section>
    </>
  );
}
