/** The Capture page's chart: tool calls per bucket, the six busiest tools stacked, the rest as Other. */
import type { ResolvedRange } from '../time-range';
import { emptyReason, stack, withPartialBuckets, type ChartData } from './prepare';

export type ToolActivity = {
  buckets: number[];
  rows: { bucket: number | null; group: string | null; value: number }[];
};

export function toolActivityChart(
  data: ToolActivity,
  range: Pick<ResolvedRange, 'granularity' | 'tz' | 'from' | 'to'>,
): ChartData {
  const rows = data.rows.flatMap((row) =>
    row.bucket === null || row.group === null
      ? []
      : [{ bucket: row.bucket, series: `t:${row.group}`, value: row.value }],
  );
  const labels = Object.fromEntries(rows.map((row) => [row.series, row.series.slice(2)]));
  const chart = stack(data.buckets, rows, { ...range, unit: 'count', topN: 6, labels });
  return withPartialBuckets(
    {
      ...chart,
      empty: emptyReason(
        chart.points,
        chart.series.map((s) => s.key),
        'No tool call was captured in this range: connect a source (below) or widen the range.',
      ),
    },
    range,
  );
}
