import type { Metadata } from 'next';
import { hasRole, requirePageRole } from '@/lib/auth/actor';
import Link from 'next/link';
import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { ExportLink } from '@/components/export-link';
import { FilterBar, FilterField, filterFieldClass } from '@/components/filter-bar';
import { LinkToggle } from '@/components/link-toggle';
import { NoteEditor } from '@/components/notes/note-editor';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { RangeNote } from '@/components/range-note';
import { SortHeader } from '@/components/sort-header';
import { Stat } from '@/components/stat';
import { TimeRangeControl } from '@/components/time-range-control';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/db/client';
import { resolvePageRange } from '@/db/queries/range';
import {
  getSavingsBuckets,
  getSavingsByType,
  getSavingsLog,
  getTopSavers,
} from '@/db/queries/savings';
import { OPTIMIZATION_TYPES } from '@/db/schema';
import {
  baselineActualChart,
  cumulativeChart,
  OPTIMIZATION_COLORS,
  OPTIMIZATION_LABELS,
  savingsByTypeChart,
} from '@/lib/charts/savings-charts';
import { formatCount, formatDateTime, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseSavingsParams } from '@/lib/savings-params';
import type { SearchParams } from '@/lib/time-range';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { savingsParamsSchema } from '@/lib/savings-params';

export const metadata: Metadata = { title: 'Savings' };
export const dynamic = 'force-dynamic';

const cell = 'px-2 py-1.5';
const num = `${cell} text-right tabular-nums`;

export default async function SavingsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const canEdit = hasRole(actor, 'editor');
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    savingsParamsSchema,
  ]);
  const db = await getDb();
  const params = parseSavingsParams(current);
  const range = await resolvePageRange(db, current);
  const [byType, buckets, top, log] = await Promise.all([
    getSavingsByType(db, range),
    getSavingsBuckets(db, range),
    getTopSavers(db, range),
    getSavingsLog(db, range, params),
  ]);
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/savings', current, changes);
  const time = timeOnly(current);
  const stacked = savingsByTypeChart(buckets, range, params.metric);
  const cumulative = cumulativeChart(buckets, range);
  const baseline = baselineActualChart(buckets, range);
  const total = byType.reduce(
    (sum, t) => ({
      entries: sum.entries + t.entries,
      usd: sum.usd + t.usd,
      tokens: sum.tokens + t.tokens,
      baseline: sum.baseline + t.baseline,
      actual: sum.actual + t.actual,
    }),
    { entries: 0, usd: 0, tokens: 0, baseline: 0, actual: 0 },
  );
  const typeRows = OPTIMIZATION_TYPES.map(
    (type) =>
      byType.find((t) => t.type === type) ?? {
        type,
        entries: 0,
        usd: 0,
        tokens: 0,
        baseline: 0,
        actual: 0,
      },
  );
  const header = (label: string, key: string) => (
    <SortHeader
      label={label}
      sortKey={key}
      current={params.sort}
      direction={params.dir}
      hrefFor={(sort, dir) => href({ sort, dir, page: null })}
    />
  );

  return (
    <>
      <PageHeader
        ignored={ignored}
        title="Savings"
        description={<RangeNote range={range} />}
        actions={<TimeRangeControl value={range.params} shownGranularity={range.granularity} />}
      />
      <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="USD saved" value={formatUsd(total.usd)} testId="stat-usd" />
        <Stat label="Tokens saved" value={formatTokens(total.tokens)} testId="stat-tokens" />
        <Stat label="Savings entries" value={formatCount(total.entries)} testId="stat-entries" />
        <Stat label="Baseline tokens" value={formatTokens(total.baseline)} testId="stat-baseline" />
        <Stat
          label="Token reduction"
          value={formatPercent(total.baseline > 0 ? 1 - total.actual / total.baseline : null)}
          hint="1 − actual ÷ baseline"
          testId="stat-reduction"
        />
      </dl>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="lg:col-span-2">
          <ChartCard
            title={`${params.metric === 'usd' ? 'USD' : 'Tokens'} saved by optimization type`}
            description={`Per ${range.granularity}, stacked by optimization type; hover for exact values and the total.`}
            empty={stacked.empty}
            actions={
              <LinkToggle
                label="Measure"
                options={[
                  { label: 'USD', href: href({ metric: null }), active: params.metric === 'usd' },
                  {
                    label: 'Tokens',
                    href: href({ metric: 'tokens' }),
                    active: params.metric === 'tokens',
                  },
                ]}
              />
            }
          >
            <BarLineChart
              data={stacked}
              height={300}
              label={`Savings per ${range.granularity} by optimization type`}
            />
          </ChartCard>
        </div>
        <ChartCard
          title="Cumulative savings"
          description="USD saved since the start of the range."
          empty={cumulative.empty}
        >
          <BarLineChart data={cumulative} label="Cumulative USD saved" />
        </ChartCard>
        <ChartCard
          title="Baseline against actual tokens"
          description={`Tokens the work would have used without the optimization (baseline) and what it used, per ${range.granularity}.`}
          empty={baseline.empty}
        >
          <BarLineChart data={baseline} label="Baseline and actual tokens" />
        </ChartCard>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-2 text-sm font-semibold">By optimization type</h2>
          <table className="w-full text-xs" data-testid="type-breakdown">
            <thead className="text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 text-left font-medium">
                  Type
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Entries
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  USD
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Share
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Tokens
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {typeRows.map((t) => (
                <tr key={t.type} data-type={t.type}>
                  <td className="py-1">
                    <span
                      className="mr-1.5 inline-block h-2 w-2 rounded-sm"
                      style={{ background: OPTIMIZATION_COLORS[t.type] }}
                      aria-hidden
                    />
                    {OPTIMIZATION_LABELS[t.type]}
                  </td>
                  <td className="py-1 text-right tabular-nums" data-col="entries">
                    {formatCount(t.entries)}
                  </td>
                  <td className="py-1 text-right tabular-nums" data-col="usd">
                    {formatUsd(t.usd)}
                  </td>
                  <td className="py-1 text-right tabular-nums" data-col="share">
                    {formatPercent(total.usd > 0 ? t.usd / total.usd : null)}
                  </td>
                  <td className="py-1 text-right tabular-nums" data-col="tokens">
                    {formatTokens(t.tokens)}
                  </td>
                </tr>
              ))}
              <tr className="font-medium">
                <td className="py-1">Total</td>
                <td className="py-1 text-right tabular-nums">{formatCount(total.entries)}</td>
                <td className="py-1 text-right tabular-nums">{formatUsd(total.usd)}</td>
                <td className="py-1 text-right tabular-nums">{total.usd > 0 ? '100.0 %' : '—'}</td>
                <td className="py-1 text-right tabular-nums">{formatTokens(total.tokens)}</td>
              </tr>
            </tbody>
          </table>
        </section>
        <TopList
          title="Top workflows"
          empty="No workflow saved anything in this range."
          rows={top.workflows.map((w) => ({
            key: w.workflowId,
            label: w.workflowId,
            href: hrefWith(`/workflows/${encodeURIComponent(w.workflowId)}`, time),
            note: w.known ? undefined : 'no history row',
            usd: w.usd,
            tokens: w.tokens,
          }))}
        />
        <TopList
          title="Top patterns"
          empty="No savings were attributed to a pattern in this range."
          rows={top.patterns.map((p) => ({
            key: String(p.patternId),
            label: p.signature ?? `pattern #${p.patternId}`,
            href: hrefWith(`/patterns/${p.patternId}`, time),
            usd: p.usd,
            tokens: p.tokens,
          }))}
        />
      </div>

      <section className="mt-6" aria-labelledby="log-heading">
        <div className="flex items-baseline justify-between gap-2">
          <h2 id="log-heading" className="mb-2 text-base font-semibold">
            Savings log
          </h2>
          <ExportLink
            href={hrefWith('/api/export/savings', current, {
              page: null,
              size: null,
              metric: null,
            })}
          />
        </div>
        <FilterBar
          action="/savings"
          resetHref={hrefWith('/savings', time)}
          keep={{
            ...time,
            sort: current.sort,
            dir: current.dir,
            size: current.size,
            metric: current.metric,
          }}
        >
          <FilterField label="Type">
            <select name="type" defaultValue={params.type[0] ?? ''} className={filterFieldClass}>
              <option value="">All types</option>
              {OPTIMIZATION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {OPTIMIZATION_LABELS[t]}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label="Pattern id">
            <input
              name="pattern"
              inputMode="numeric"
              defaultValue={params.pattern ?? ''}
              className={`${filterFieldClass} w-24`}
            />
          </FilterField>
          <FilterField label="Workflow id">
            <input
              name="workflow"
              defaultValue={params.workflow ?? ''}
              className={`${filterFieldClass} w-40`}
            />
          </FilterField>
          <FilterField label="Notes">
            <select name="notes" defaultValue={params.notes ?? ''} className={filterFieldClass}>
              <option value="">Any</option>
              <option value="with">Has notes</option>
              <option value="without">No notes</option>
            </select>
          </FilterField>
          <FilterField label="USD from">
            <input
              name="usdMin"
              type="number"
              step="any"
              min="0"
              defaultValue={params.usdMin ?? ''}
              className={`${filterFieldClass} w-24`}
            />
          </FilterField>
          <FilterField label="USD to">
            <input
              name="usdMax"
              type="number"
              step="any"
              min="0"
              defaultValue={params.usdMax ?? ''}
              className={`${filterFieldClass} w-24`}
            />
          </FilterField>
        </FilterBar>
        <TableFrame>
          <table className="w-full text-xs" data-testid="savings-log">
            <thead className={TABLE_HEAD_CLASS}>
              <tr>
                {header('Time', 'savedAt')}
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Type
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Workflow
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Pattern
                </th>
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Tool call
                </th>
                {header('Baseline', 'baseline')}
                {header('Actual', 'actual')}
                {header('Saved tokens', 'tokensSaved')}
                {header('USD', 'usd')}
                <th scope="col" className={`${cell} text-left font-medium`}>
                  Notes
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {log.rows.length === 0 ? (
                <tr>
                  <td
                    colSpan={10}
                    className="px-3 py-6 text-center text-slate-600 dark:text-slate-400"
                  >
                    No savings entry matches. Clear the filters or widen the time range.
                  </td>
                </tr>
              ) : (
                log.rows.map((row) => (
                  <tr key={row.id} data-entry-id={row.id} className="align-top">
                    <td className={`${cell} whitespace-nowrap tabular-nums`}>
                      <Link
                        href={hrefWith(`/savings/${row.id}`, time)}
                        className="text-sky-700 hover:underline dark:text-sky-400"
                        title={`Savings entry #${row.id}`}
                      >
                        {formatDateTime(row.savedAt, range.tz)}
                      </Link>
                    </td>
                    <td className={`${cell} whitespace-nowrap`}>
                      {OPTIMIZATION_LABELS[row.type] ?? row.type}
                    </td>
                    <td className={`${cell} max-w-36 truncate font-mono`} title={row.workflowId}>
                      <Link
                        href={hrefWith(`/workflows/${encodeURIComponent(row.workflowId)}`, time)}
                        className="text-sky-700 hover:underline dark:text-sky-400"
                      >
                        {row.workflowId}
                      </Link>
                    </td>
                    <td className={`${cell} max-w-40 truncate font-mono`}>
                      {row.patternId === null ? (
                        <span className="text-slate-500 dark:text-slate-400">—</span>
                      ) : (
                        <Link
                          href={hrefWith(`/patterns/${row.patternId}`, time)}
                          className="text-sky-700 hover:underline dark:text-sky-400"
                          title={row.signature ?? undefined}
                        >
                          {row.signature ?? `#${row.patternId}`}
                        </Link>
                      )}
                    </td>
                    <td
                      className={`${cell} max-w-28 truncate font-mono`}
                      title={row.toolCallId ?? undefined}
                    >
                      {row.toolCallId ?? (
                        <span className="text-slate-500 dark:text-slate-400">—</span>
                      )}
                      {row.toolCallId && !row.toolCallKnown ? (
                        <span
                          className="ml-1 text-amber-700 dark:text-amber-400"
                          title="No tool_calls row has this id"
                        >
                          ?
                        </span>
                      ) : null}
                    </td>
                    <td className={num} data-col="baseline">
                      {row.baseline === null ? '—' : formatTokens(row.baseline)}
                    </td>
                    <td className={num} data-col="actual">
                      {row.actual === null ? '—' : formatTokens(row.actual)}
                    </td>
                    <td className={num} data-col="tokensSaved">
                      {row.tokensSaved === null ? '—' : formatTokens(row.tokensSaved)}
                    </td>
                    <td className={num} data-col="usd">
                      {row.usd === null ? '—' : formatUsd(row.usd)}
                    </td>
                    <td className={`${cell} min-w-64 max-w-96`}>
                      <NoteEditor id={row.id} initial={row.notes} canEdit={canEdit} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </TableFrame>
        <Pagination
          page={params.page}
          size={params.size}
          total={log.total}
          noun="entries"
          pathname="/savings"
          current={current}
        />
      </section>
    </>
  );
}

function TopList({
  title,
  rows,
  empty,
}: {
  title: string;
  empty: string;
  rows: { key: string; label: string; href: string; note?: string; usd: number; tokens: number }[];
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ol className="space-y-1 text-xs" data-testid={title.toLowerCase().replace(' ', '-')}>
          {rows.map((row) => (
            <li key={row.key} className="flex items-baseline justify-between gap-2">
              <span className="min-w-0 truncate">
                <Link
                  href={row.href}
                  className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                  title={row.label}
                >
                  {row.label}
                </Link>
                {row.note ? (
                  <span className="ml-1 text-slate-500 dark:text-slate-400">({row.note})</span>
                ) : null}
              </span>
              <span className="shrink-0 tabular-nums" title={`${formatTokens(row.tokens)} tokens`}>
                {formatUsd(row.usd)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
