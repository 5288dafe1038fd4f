import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertStateBadge } from '@/components/alerts/alert-state-badge';
import { ThresholdSparkline } from '@/components/charts/threshold-sparkline';
import { DataTable } from '@/components/data-table';
import { PageHeader } from '@/components/page-header';
import { TextLink } from '@/components/text-link';
import { readMetricSeries } from '@/db/alerts/metrics';
import { getAlertRules } from '@/db/queries/alerts';
import { endOfCurrentMinute } from '@/db/queries/range';
import { backtestPoints } from '@/lib/alerts/backtest';
import { valueUnit } from '@/lib/alerts/metrics';
import { describeRule } from '@/lib/alerts/rules';
import { formatDateTime } from '@/lib/format';
import { parseTimeParams } from '@/lib/time-range';
import type { SearchParams } from '@/lib/search-params';
import { hasRole } from '@/server/auth/actor';
import { requirePageRole } from '@/server/auth/actor';
import { getReadDb } from '@/server/database';
import { AlertsTabs } from './alerts-tabs';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

const SPARK_HOURS = 48;

const value = (v: number | null) =>
  v === null ? 'no data' : v.toLocaleString('en-US', { maximumFractionDigits: 3 });

export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const { tz } = parseTimeParams(await searchParams);
  const db = await getReadDb();
  const rules = await getAlertRules(db);
  const to = endOfCurrentMinute();
  const from = new Date(to.getTime() - SPARK_HOURS * 3_600_000);
  const sparks = await Promise.all(
    rules.map(async (rule) => backtestPoints(await readMetricSeries(db, rule, from, to), rule)),
  );
  const firing = rules.filter((r) => r.state !== 'ok').length;
  const now = to.getTime();
  return (
    <>
      <AlertsTabs current="/alerts" />
      <PageHeader
        title="Alerts"
        description={`${rules.length} rule${rules.length === 1 ? '' : 's'}, ${firing} firing. Each rule reads its metric over a rolling window every 1 to 60 minutes and notifies its channels once when it starts firing and once when it resolves. Times in ${tz}.`}
        actions={
          hasRole(actor, 'editor') ? (
            <Link href="/alerts/new" className="button-primary">
              New rule
            </Link>
          ) : null
        }
      />
      <DataTable
        roomy
        testId="alert-rules"
        rows={rules.map((rule, i) => ({ rule, spark: sparks[i]! }))}
        rowKey={({ rule }) => rule.id}
        rowAttributes={({ rule }) => ({ 'data-rule': rule.name, 'data-state': rule.state })}
        empty={
          <>
            No rules yet.{' '}
            {hasRole(actor, 'editor') ? (
              <TextLink href="/alerts/new">Create the first</TextLink>
            ) : null}
          </>
        }
        columns={[
          {
            header: 'Rule',
            cell: ({ rule }) => (
              <>
                <TextLink href={`/alerts/${rule.id}`}>{rule.name}</TextLink>
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  {describeRule(rule)}
                </span>
              </>
            ),
          },
          {
            header: 'State',
            key: 'state',
            cell: ({ rule }) => (
              <AlertStateBadge
                state={rule.state}
                muted={rule.muted}
                snoozed={rule.snoozedUntil !== null && rule.snoozedUntil > now}
              />
            ),
          },
          {
            header: 'Last value',
            key: 'value',
            align: 'right',
            className: 'tabular-nums whitespace-nowrap',
            cell: ({ rule }) => (
              <>
                {value(rule.lastValue)}{' '}
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {valueUnit(rule)}
                </span>
              </>
            ),
          },
          {
            header: `Last ${SPARK_HOURS} h`,
            cell: ({ rule, spark }) => (
              <ThresholdSparkline
                points={spark}
                warning={rule.warningThreshold}
                critical={rule.criticalThreshold}
                label={`${rule.name} over the last ${SPARK_HOURS} hours, with its thresholds`}
              />
            ),
          },
          {
            header: 'Last evaluated',
            className: 'whitespace-nowrap tabular-nums',
            cell: ({ rule }) =>
              rule.lastEvaluatedAt === null ? 'not yet' : formatDateTime(rule.lastEvaluatedAt, tz),
          },
          {
            header: 'Deliveries',
            cell: ({ rule }) =>
              rule.failedDeliveries > 0 ? (
                <span className="text-rose-700 dark:text-rose-400">
                  {rule.failedDeliveries} failing
                </span>
              ) : rule.channelIds.length === 0 ? (
                <span className="text-slate-500 dark:text-slate-400">no channel</span>
              ) : (
                `${rule.channelIds.length} channel${rule.channelIds.length === 1 ? '' : 's'}`
              ),
          },
        ]}
      />
    </>
  );
}
