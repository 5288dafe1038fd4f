/** The charts of the savings page, prepared from its query rows. */
import { OPTIMIZATION_TYPES } from '../domain';
import type { ResolvedRange } from '../time-range';
import {
  CHART_COLORS,
  densify,
  emptyReason,
  line,
  stack,
  sums,
  withCumulative,
  withPartialBuckets,
  type ChartData,
} from './prepare';

export const OPTIMIZATION_LABELS: Record<string, string> = {
  pattern_offload: 'Pattern offload',
  tool_call: 'Tool call',
  input_split: 'Input split',
  inverted_flow: 'Inverted flow',
};
export const OPTIMIZATION_COLORS: Record<string, string> = {
  pattern_offload: CHART_COLORS[1],
  tool_call: CHART_COLORS[0],
  input_split: CHART_COLORS[2],
  inverted_flow: CHART_COLORS[3],
};

/** Savings of one optimization type in one bucket (db/queries/savings.ts reads them). */
export type SavingsBucketRow = {
  bucket: number;
  type: string;
  usd: number;
  tokens: number;
  baseline: number;
  actual: number;
};

type Rows = { buckets: number[]; rows: SavingsBucketRow[] };
type Range = Pick<ResolvedRange, 'granularity' | 'tz'> &
  Partial<Pick<ResolvedRange, 'from' | 'to'>>;

const EMPTY =
  'No savings were logged in this range. Entries in cost_savings_log fill this chart; widen the range to see older ones.';

/** Saved per bucket, stacked by optimization type, in USD or tokens. */
export function savingsByTypeChart(data: Rows, range: Range, metric: 'usd' | 'tokens'): ChartData {
  const chart = stack(
    data.buckets,
    data.rows.map((r) => ({ bucket: r.bucket, series: r.type, value: r[metric] })),
    {
      ...range,
      unit: metric,
      order: OPTIMIZATION_TYPES,
      labels: OPTIMIZATION_LABELS,
      colors: OPTIMIZATION_COLORS,
    },
  );
  return withPartialBuckets(
    {
      ...chart,
      empty: emptyReason(
        chart.points,
        chart.series.map((s) => s.key),
        EMPTY,
      ),
    },
    range,
  );
}

function totals(data: Rows, range: Range) {
  const byBucket = new Map<
    number,
    { bucket: number; usd: number; baseline: number; actual: number }
  >();
  for (const row of data.rows) {
    const entry = byBucket.get(row.bucket) ?? {
      bucket: row.bucket,
      usd: 0,
      baseline: 0,
      actual: 0,
    };
    entry.usd += row.usd;
    entry.baseline += row.baseline;
    entry.actual += row.actual;
    byBucket.set(row.bucket, entry);
  }
  return densify(
    data.buckets,
    [...byBucket.values()],
    sums('usd', 'baseline', 'actual'),
    range.granularity,
    range.tz,
  );
}

/** The running total of USD saved since the start of the range. */
export function cumulativeChart(data: Rows, range: Range): ChartData {
  const points = withCumulative(totals(data, range), ['usd'], 'cumulative');
  return {
    points,
    series: [line('cumulative', 'USD saved since the start of the range', 'usd', CHART_COLORS[1])],
    empty: emptyReason(points, ['usd'], EMPTY),
  };
}

/** What the work would have cost in tokens (baseline) against what it did cost (actual). */
export function baselineActualChart(data: Rows, range: Range): ChartData {
  const points = totals(data, range);
  return withPartialBuckets(
    {
      points,
      series: [
        line('baseline', 'Baseline tokens', 'tokens', 'var(--chart-other)'),
        line('actual', 'Actual tokens', 'tokens', CHART_COLORS[0]),
      ],
      empty: emptyReason(points, ['baseline', 'actual'], EMPTY),
    },
    range,
  );
}

/** USD saved per bucket, all types together. */
export function savingsTotalChart(data: Rows, range: Range): ChartData {
  const points = totals(data, range);
  return withPartialBuckets(
    {
      points,
      series: [
        { key: 'usd', label: 'USD saved', unit: 'usd', color: CHART_COLORS[1], kind: 'bar' },
      ],
      empty: emptyReason(points, ['usd'], EMPTY),
    },
    range,
  );
}
