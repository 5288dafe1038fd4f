/** The charts of one pattern's page, prepared from its query rows. */
import type { ResolvedRange } from '../time-range';
import {
  CHART_COLORS,
  densify,
  emptyReason,
  sums,
  withCumulative,
  type ChartData,
  type ChartPoint,
} from './prepare';

type Buckets<T> = { buckets: number[]; rows: (T & { bucket: number })[] };

export function occurrenceChart(
  data: Buckets<{ count: number; avgSimilarity: number }>,
  range: Pick<ResolvedRange, 'granularity' | 'tz'>,
): ChartData {
  const points = densify(
    data.buckets,
    data.rows,
    [...sums('count'), { key: 'avgSimilarity', aggregation: 'avg' }],
    range.granularity,
    range.tz,
  );
  return {
    points,
    series: [
      { key: 'count', label: 'Occurrences', unit: 'count', color: CHART_COLORS[0], kind: 'bar' },
      {
        key: 'avgSimilarity',
        label: 'Average similarity',
        unit: 'ratio',
        color: CHART_COLORS[2],
        kind: 'line',
        axis: 'right',
      },
    ],
    empty: emptyReason(
      points,
      ['count'],
      'No occurrence of this pattern in the range. Widen the range (or choose All time) to see when it occurred.',
    ),
  };
}

export function patternSavingsChart(
  data: Buckets<{ usd: number; tokens: number }>,
  range: Pick<ResolvedRange, 'granularity' | 'tz'>,
): ChartData {
  const points = withCumulative(
    densify(data.buckets, data.rows, sums('usd', 'tokens'), range.granularity, range.tz),
    ['usd'],
    'cumulativeUsd',
  );
  return {
    points,
    series: [
      { key: 'usd', label: 'USD saved', unit: 'usd', color: CHART_COLORS[1], kind: 'bar' },
      {
        key: 'cumulativeUsd',
        label: 'Cumulative USD',
        unit: 'usd',
        color: CHART_COLORS[3],
        kind: 'line',
        axis: 'right',
      },
    ],
    empty: emptyReason(
      points,
      ['usd'],
      'No savings were attributed to this pattern in the range. Entries in cost_savings_log with this pattern_id fill it.',
    ),
  };
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
