/**
 * The previous period on a time chart: its figures as dashed lines over the current buckets,
 * aligned bucket by bucket (the first bucket beside the first), both values in the tooltip.
 */
import type { ChartData, ChartPoint, SeriesSpec } from './prepare';

export const PREVIOUS_TOTAL = 'previous:total';
export const previousKey = (key: string) => `previous:${key}`;

const valueOf = (point: ChartPoint | undefined, key: string) =>
  typeof point?.[key] === 'number' ? point[key] : null;

/**
 * Adds the previous period to `current`: one dashed line for the total of stacked bars, and a
 * dashed twin of each other series. `previousLabel` on each point names the bucket it faces.
 */
export function withPrevious(current: ChartData, previous: ChartData | null): ChartData {
  if (!previous) return current;
  const stacked = current.series.filter((s) => s.stack);
  const lines: { spec: SeriesSpec; value: (point: ChartPoint | undefined) => number | null }[] = [];
  if (stacked.length > 0) {
    lines.push({
      spec: {
        key: PREVIOUS_TOTAL,
        label: 'Total, previous period',
        unit: stacked[0]!.unit,
        color: 'var(--chart-axis)',
        kind: 'line',
        axis: stacked[0]!.axis,
        dashed: true,
      },
      value: (point) =>
        point ? stacked.reduce((sum, s) => sum + (valueOf(point, s.key) ?? 0), 0) : null,
    });
  }
  for (const s of current.series.filter((spec) => !spec.stack)) {
    lines.push({
      spec: {
        ...s,
        key: previousKey(s.key),
        label: `${s.label}, previous period`,
        kind: 'line',
        dashed: true,
      },
      value: (point) => valueOf(point, s.key),
    });
  }
  const points = current.points.map((point, index) => {
    const before = previous.points[index];
    const added: ChartPoint = { ...point, previousLabel: before?.tooltipLabel ?? null };
    for (const line of lines) added[line.spec.key] = line.value(before);
    return added;
  });
  return { ...current, points, series: [...current.series, ...lines.map((l) => l.spec)] };
}
