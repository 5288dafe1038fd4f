/** The charts of one pattern's page, prepared from its query rows. */
import type { ResolvedRange } from '../time-range';
import {
  CHART_COLORS,
  densify,
  emptyReason,
  line,
  sums,
  withCumulative,
  withPartialBuckets,
  type ChartData,
  type ChartPoint,
  type SeriesSpec,
} from './prepare';

type Buckets<T> = { buckets: number[]; rows: (T & { bucket: number })[] };

/** Bars with a line beside them; empty (saying `whenEmpty`) when no bar holds anything. */
function barsWithLine(
  points: ChartPoint[],
  bars: SeriesSpec,
  beside: SeriesSpec,
  whenEmpty: string,
): ChartData {
  return { points, series: [bars, beside], empty: emptyReason(points, [bars.key], whenEmpty) };
}

export function occurrenceChart(
  data: Buckets<{ count: number; avgSimilarity: number }>,
  range: Pick<ResolvedRange, 'granularity' | 'tz'> & Partial<Pick<ResolvedRange, 'from' | 'to'>>,
): ChartData {
  const points = densify(
    data.buckets,
    data.rows,
    [...sums('count'), { key: 'avgSimilarity', aggregation: 'avg' }],
    range.granularity,
    range.tz,
  );
  return withPartialBuckets(
    barsWithLine(
      points,
      { key: 'count', label: 'Occurrences', unit: 'count', color: CHART_COLORS[0], kind: 'bar' },
      line('avgSimilarity', 'Average similarity', 'ratio', CHART_COLORS[2], 'right'),
      'No occurrence of this pattern in the range. Widen the range (or choose All time) to see when it occurred.',
    ),
    range,
  );
}

export function patternSavingsChart(
  data: Buckets<{ usd: number; tokens: number }>,
  range: Pick<ResolvedRange, 'granularity' | 'tz'> & Partial<Pick<ResolvedRange, 'from' | 'to'>>,
): ChartData {
  const points = withCumulative(
    densify(data.buckets, data.rows, sums('usd', 'tokens'), range.granularity, range.tz),
    ['usd'],
    'cumulativeUsd',
  );
  return withPartialBuckets(
    barsWithLine(
      points,
      // Two scales: each axis says which one it is, so bars and line are not read as comparable.
      {
        key: 'usd',
        label: 'USD saved',
        unit: 'usd',
        color: CHART_COLORS[1],
        kind: 'bar',
        axisLabel: `USD per ${range.granularity}`,
      },
      {
        ...line('cumulativeUsd', 'Cumulative USD', 'usd', CHART_COLORS[3], 'right'),
        axisLabel: 'USD, running total',
      },
      'No savings were attributed to this pattern in the range. Entries in cost_savings_log with this pattern_id fill it.',
    ),
    range,
  );
}

/** Similarity bins of equal width as a bar chart, labelled by their percentage range. */
export function histogramChart(bins: readonly number[]): ChartData {
  const width = 100 / bins.length;
  const points: ChartPoint[] = bins.map((count, index) => {
    const low = Math.round(index * width);
    const high = Math.round((index + 1) * width);
    return {
      bucket: index,
      label: `${low}%`,
      tooltipLabel: index === bins.length - 1 ? `${low}–${high} % (inclusive)` : `${low}–${high} %`,
      count,
    };
  });
  return {
    points,
    series: [
      { key: 'count', label: 'Occurrences', unit: 'count', color: CHART_COLORS[0], kind: 'bar' },
    ],
    empty: emptyReason(
      points,
      ['count'],
      'No scored occurrence in the range, so there is no similarity to show.',
    ),
  };
}
