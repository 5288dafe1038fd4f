/**
 * Turns query rows into exactly what a chart draws. Every decision lives here, not in the chart
 * components: dense buckets, zero (sums, counts) or a gap (averages) for empty buckets, top-N with
 * the rest grouped, cumulative lines, labels, units and colours.
 */
import { formatDate, formatDateTime } from '../format';
import { bucketEnd, type Granularity } from '../time-range';

/** How a series' values read: `ratio` as a percentage, `decimal` as the number itself. */
export type Unit = 'count' | 'usd' | 'tokens' | 'ratio' | 'decimal';
export type Aggregation = 'sum' | 'avg';

/** One drawn series: its key in the points, how it is drawn and in which unit. */
export type SeriesSpec = {
  key: string;
  label: string;
  unit: Unit;
  color: string;
  kind: 'bar' | 'line' | 'area';
  stack?: string;
  axis?: 'left' | 'right';
  /** The axis's title when the unit alone would not say what it measures ("USD per day"). */
  axisLabel?: string;
  /** Drawn dashed: the previous period's figures. */
  dashed?: boolean;
};

/** A line drawn on the right axis (`axis: 'right'`) or the left. */
export function line(
  key: string,
  label: string,
  unit: Unit,
  color: string,
  axis: 'left' | 'right' = 'left',
): SeriesSpec {
  return { key, label, unit, color, kind: 'line', axis };
}

export type ChartPoint = { bucket: number; label: string; tooltipLabel: string } & {
  [key: string]: number | string | null;
};

export type ChartData = {
  points: ChartPoint[];
  series: SeriesSpec[];
  /** Why the chart is empty and what would fill it; null when there is something to draw. */
  empty: string | null;
};

export const CHART_COLORS = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'var(--chart-5)',
  'var(--chart-6)',
] as const;
export const OTHER_COLOR = 'var(--chart-other)';

/** Axis and tooltip labels of a bucket in the zone. */
export function bucketLabels(bucket: number, granularity: Granularity, tz: string) {
  const dateTime = formatDateTime(bucket, tz);
  const date = formatDate(bucket, tz);
  if (granularity === 'hour') return { label: dateTime.slice(5), tooltipLabel: dateTime };
  if (granularity === 'month') return { label: date.slice(0, 7), tooltipLabel: date.slice(0, 7) };
  if (granularity === 'week') return { label: date.slice(5), tooltipLabel: `week of ${date}` };
  return { label: date.slice(5), tooltipLabel: date };
}

type Field = { key: string; aggregation: Aggregation };

/** Fields summed per bucket. */
export const sums = (...keys: string[]): Field[] =>
  keys.map((key) => ({ key, aggregation: 'sum' }));

/**
 * One point per bucket with every field: rows carry only buckets that have data; a missing
 * bucket gets 0 for a sum and null (a gap) for an average.
 */
export function densify<R extends { bucket: number }>(
  buckets: readonly number[],
  rows: readonly R[],
  fields: readonly Field[],
  granularity: Granularity,
  tz: string,
): ChartPoint[] {
  const byBucket = new Map(rows.map((row) => [row.bucket, row]));
  const known = new Set(buckets);
  for (const row of rows) {
    if (!known.has(row.bucket))
      throw new Error(`row bucket ${row.bucket} is not in the bucket list`);
  }
  return buckets.map((bucket) => {
    const row = byBucket.get(bucket) as Record<string, unknown> | undefined;
    const point: ChartPoint = { bucket, ...bucketLabels(bucket, granularity, tz) };
    for (const field of fields) {
      const value = row?.[field.key];
      point[field.key] = typeof value === 'number' ? value : field.aggregation === 'sum' ? 0 : null;
    }
    return point;
  });
}

export type StackedRow = { bucket: number; series: string; value: number };

/**
 * A stacked chart: one key per series, the `topN` largest series (by total) kept in `order` and
 * the rest summed into "Other". Empty buckets are 0 in every series.
 */
export function stack(
  buckets: readonly number[],
  rows: readonly StackedRow[],
  options: {
    granularity: Granularity;
    tz: string;
    unit: Unit;
    order?: readonly string[];
    labels?: Readonly<Record<string, string>>;
    colors?: Readonly<Record<string, string>>;
    topN?: number;
  },
): ChartData {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.series, (totals.get(row.series) ?? 0) + row.value);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const topN = options.topN ?? Number.POSITIVE_INFINITY;
  const kept = new Set(ranked.slice(0, topN).map(([name]) => name));
  const grouped = ranked.length > kept.size;
  const names = options.order
    ? [
        ...options.order.filter((n) => kept.has(n)),
        ...[...kept].filter((n) => !options.order?.includes(n)),
      ]
    : ranked.slice(0, topN).map(([name]) => name);
  const OTHER = '__other';
  const keyOf = (name: string) => (kept.has(name) ? name : OTHER);
  const collapsed = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const entry = collapsed.get(String(row.bucket)) ?? {};
    entry[keyOf(row.series)] = (entry[keyOf(row.series)] ?? 0) + row.value;
    collapsed.set(String(row.bucket), entry);
  }
  const keys = [...names, ...(grouped ? [OTHER] : [])];
  const flat = [...collapsed.entries()].map(([bucket, values]) => ({
    bucket: Number(bucket),
    ...values,
  }));
  const points = densify(buckets, flat, sums(...keys), options.granularity, options.tz);
  const series: SeriesSpec[] = keys.map((key, index) => ({
    key,
    label: key === OTHER ? `Other (${ranked.length - kept.size})` : (options.labels?.[key] ?? key),
    unit: options.unit,
    color:
      key === OTHER
        ? OTHER_COLOR
        : (options.colors?.[key] ?? CHART_COLORS[index % CHART_COLORS.length] ?? OTHER_COLOR),
    kind: 'bar',
    stack: 'total',
  }));
  return { points, series, empty: null };
}

/** Adds a running total of `key` as `${key}Cumulative`. */
export function withCumulative(
  points: readonly ChartPoint[],
  keys: readonly string[],
  target: string,
): ChartPoint[] {
  let running = 0;
  return points.map((point) => {
    for (const key of keys) running += typeof point[key] === 'number' ? point[key] : 0;
    return { ...point, [target]: running };
  });
}

/** The message an empty chart shows, or null when some value is drawn. */
export function emptyReason(
  points: readonly ChartPoint[],
  keys: readonly string[],
  reason: string,
): string | null {
  const drawn = points.some((p) => keys.some((k) => typeof p[k] === 'number' && p[k] !== 0));
  return drawn ? null : reason;
}

/**
 * Round ("nice") ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten,
 * about `count` of them (0 / 500 / 1K / 1.5K, not quarters of the maximum). Whole steps only when
 * `whole` (counts).
 */
export function niceTicks(max: number, count = 5, whole = false): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const usable = whole ? Math.max(1, Math.ceil(step)) : step;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + usable; tick += usable) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max) break;
  }
  return ticks;
}

/** The highest value an axis must show: stacked bars summed per point, other series alone. */
export function axisMax(points: readonly ChartPoint[], series: readonly SeriesSpec[]): number {
  let max = 0;
  for (const point of points) {
    const stacks = new Map<string, number>();
    for (const s of series) {
      const value = typeof point[s.key] === 'number' ? (point[s.key] as number) : 0;
      if (s.stack) stacks.set(s.stack, (stacks.get(s.stack) ?? 0) + Math.max(0, value));
      else max = Math.max(max, value);
    }
    for (const total of stacks.values()) max = Math.max(max, total);
  }
  return max;
}

type PartialRange = { granularity: Granularity; tz: string; from?: Date; to?: Date };

/**
 * Marks the first and last buckets the range covers only in part (`partial: 1`, and said in the
 * tooltip), so a short edge bucket is not read as a fall: the drawing fades them.
 */
export function withPartialBuckets(data: ChartData, range: PartialRange): ChartData {
  const { from, to } = range;
  if (!from || !to || data.points.length === 0) return data;
  const last = data.points.length - 1;
  const points = data.points.map((point, index) => {
    const cutAtStart = index === 0 && point.bucket < from.getTime();
    const cutAtEnd =
      index === last && bucketEnd(point.bucket, range.granularity, range.tz) > to.getTime();
    if (!cutAtStart && !cutAtEnd) return point;
    return {
      ...point,
      partial: 1,
      tooltipLabel: `${point.tooltipLabel} (partial: the range covers only part of it)`,
    };
  });
  return { ...data, points };
}
