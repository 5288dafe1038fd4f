import type { Metadata } from 'next';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { BreakdownSection } from '@/components/breakdown-section';
import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { LinkToggle } from '@/components/link-toggle';
import { RangePageHeader } from '@/components/page-header';
import { StatList } from '@/components/stat';
import { loadBreakdown } from '@/server/breakdown';
import { getReadDb } from '@/server/database';
import { SavingsLog } from './savings-log';
import { TopList } from './top-list';
import { TypeBreakdown } from './type-breakdown';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import {
  getSavingsBuckets,
  getSavingsByType,
  getSavingsLog,
  getTopSavers,
} from '@/db/queries/savings';
import {
  baselineActualChart,
  cumulativeChart,
  savingsByTypeChart,
} from '@/lib/charts/savings-charts';
import { decorate } from '@/lib/charts/decorate';
import { getNoteEvents } from '@/db/queries/chart-events';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { formatCount, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { breakdownParamsSchema } from '@/lib/breakdown';
import { hrefParams, hrefWith, timeOnly } from '@/lib/href';
import { parseSavingsParams, savingsParamsSchema } from '@/lib/savings-params';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { previousPeriod, timeParamsSchema } from '@/lib/time-range';

export const metadata: Metadata = { title: 'Savings' };
export const dynamic = 'force-dynamic';

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
    breakdownParamsSchema,
  ]);
  const db = await getReadDb();
  const params = parseSavingsParams(current);
  const range = await resolvePageRange(db, current);
  const previous = previousPeriod(range);
  const [byType, buckets, top, log, previousBuckets, breakdown, notes] = await Promise.all([
    getSavingsByType(db, range),
    getSavingsBuckets(db, range),
    getTopSavers(db, range),
    getSavingsLog(db, range, params),
    previous ? getSavingsBuckets(db, previous) : null,
    loadBreakdown(db, range, current, 'savings', params.metric),
    getNoteEvents(db, range),
  ]);
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/savings', current, changes);
  const time = timeOnly(current);
  // Each bucket links to its entries in the log below; a segment to its optimization type's.
  const drill = (bucketTime: Record<string, string>, type?: string) =>
    `${hrefWith('/savings', {}, { ...bucketTime, metric: current.metric, type })}#log`;
  const decoration = { range, drill, events: notes };
  const stacked = decorate(savingsByTypeChart(buckets, range, params.metric), {
    ...decoration,
    segments: OPTIMIZATION_TYPES,
    previous:
      previous && previousBuckets
        ? savingsByTypeChart(previousBuckets, previous, params.metric)
        : null,
  });
  const cumulative = decorate(cumulativeChart(buckets, range), {
    ...decoration,
    previous: previous && previousBuckets ? cumulativeChart(previousBuckets, previous) : null,
  });
  const baseline = decorate(baselineActualChart(buckets, range), {
    ...decoration,
    previous: previous && previousBuckets ? baselineActualChart(previousBuckets, previous) : null,
  });
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
  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="Savings"
        range={range}
        version={await getLiveVersion(db, range)}
      />
      <StatList
        className="mb-4 grid-cols-2 md:grid-cols-5"
        stats={[
          { label: 'USD saved', value: formatUsd(total.usd), testId: 'stat-usd' },
          { label: 'Tokens saved', value: formatTokens(total.tokens), testId: 'stat-tokens' },
          { label: 'Savings entries', value: formatCount(total.entries), testId: 'stat-entries' },
          {
            label: 'Baseline tokens',
            value: formatTokens(total.baseline),
            testId: 'stat-baseline',
          },
          {
            label: 'Token reduction',
            value: formatPercent(total.baseline > 0 ? 1 - total.actual / total.baseline : null),
            hint: '1 − actual ÷ baseline',
            testId: 'stat-reduction',
          },
        ]}
      />

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="lg:col-span-2">
          <ChartCard
            title={`${params.metric === 'usd' ? 'USD' : 'Tokens'} saved by optimization type`}
            description={`Per ${range.granularity}, stacked by optimization type; hover for exact values and the total, click a bar for its entries.`}
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
        <TypeBreakdown byType={byType} total={{ type: 'total', ...total }} />
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

      <BreakdownSection
        id="breakdown"
        title={`${params.metric === 'usd' ? 'USD' : 'Tokens'} saved by dimension`}
        description={`Every savings entry in the range (the log's filters do not apply), per ${range.granularity}: the 6 largest groups stacked, the rest as Other. Click a bar for its entries.`}
        action="/savings#breakdown"
        keep={hrefParams(current, 'by')}
        csvHref={hrefWith('/api/export/breakdown', timeOnly(current), {
          subject: 'savings',
          metric: current.metric,
          by: breakdown.by,
        })}
        {...breakdown}
      />

      <SavingsLog current={current} params={params} log={log} tz={range.tz} canEdit={canEdit} />
    </>
  );
}
