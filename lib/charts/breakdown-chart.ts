/**
 * A breakdown drawn: the largest groups stacked per bucket with the rest as "Other", and the
 * table of every group's total over the range (from the rows whose bucket is null).
 */
import { missingLabel, type Dimension } from '../breakdown';
import type { ResolvedRange } from '../time-range';
import { emptyReason, stack, withPartialBuckets, type ChartData, type Unit } from './prepare';
import { OPTIMIZATION_COLORS, OPTIMIZATION_LABELS } from './savings-charts';

export type BreakdownData = {
  buckets: number[];
  rows: { bucket: number | null; group: string | null; value: number }[];
};

/** Groups drawn in the chart; the rest are summed into "Other". */
export const CHART_GROUPS = 6;
/** Groups listed in the table before "Other". */
export const TABLE_GROUPS = 20;

/** A group's series key: `g:` and its value, `none` for rows without one (null in the rows). */
export const groupKey = (group: string | null) => (group === null ? 'none' : `g:${group}`);

/** A group as people read it: optimization types by their names, as the rest of the page. */
function groupLabel(group: string | null, dimension: Dimension): string {
  if (group === null) return missingLabel(dimension);
  return dimension.kind === 'optimization_type' ? (OPTIMIZATION_LABELS[group] ?? group) : group;
}

/** Optimization types keep the colours the page's other charts give them. */
const groupColors = (dimension: Dimension): Record<string, string> =>
  dimension.kind === 'optimization_type'
    ? Object.fromEntries(
        Object.entries(OPTIMIZATION_COLORS).map(([type, color]) => [groupKey(type), color]),
      )
    : {};

type Range = Pick<ResolvedRange, 'granularity' | 'tz'> &
  Partial<Pick<ResolvedRange, 'from' | 'to'>>;

export function breakdownChart(
  data: BreakdownData,
  range: Range,
  dimension: Dimension,
  unit: Unit,
): ChartData {
  const perBucket = data.rows.filter(
    (row): row is BreakdownData['rows'][number] & { bucket: number } => row.bucket !== null,
  );
  const labels = Object.fromEntries(
    perBucket.map((row) => [groupKey(row.group), groupLabel(row.group, dimension)]),
  );
  const chart = stack(
    data.buckets,
    perBucket.map((row) => ({ bucket: row.bucket, series: groupKey(row.group), value: row.value })),
    { ...range, unit, topN: CHART_GROUPS, labels, colors: groupColors(dimension) },
  );
  return withPartialBuckets(
    {
      ...chart,
      empty: emptyReason(
        chart.points,
        chart.series.map((s) => s.key),
        'Nothing to break down in this range: widen the range or choose another dimension.',
      ),
    },
    range,
  );
}

export type BreakdownTableRow = {
  key: string;
  label: string;
  value: number;
  share: number | null;
  /** Groups summed into this row ("Other"), 1 for a group of its own. */
  groups: number;
};

/** Each group's total, largest first: the first `limit` alone, the rest as one "Other" row. */
export function breakdownTable(
  data: BreakdownData,
  dimension: Dimension,
  limit = TABLE_GROUPS,
): { rows: BreakdownTableRow[]; total: number } {
  const totals = data.rows
    .filter((row) => row.bucket === null)
    .sort((a, b) => b.value - a.value || groupKey(a.group).localeCompare(groupKey(b.group), 'en'));
  const total = totals.reduce((sum, row) => sum + row.value, 0);
  const share = (value: number) => (total !== 0 ? value / total : null);
  const rows: BreakdownTableRow[] = totals.slice(0, limit).map((row) => ({
    key: groupKey(row.group),
    label: groupLabel(row.group, dimension),
    value: row.value,
    share: share(row.value),
    groups: 1,
  }));
  const rest = totals.slice(limit);
  if (rest.length > 0) {
    const value = rest.reduce((sum, row) => sum + row.value, 0);
    rows.push({
      key: 'other',
      label: `Other (${rest.length})`,
      value,
      share: share(value),
      groups: rest.length,
    });
  }
  return { rows, total };
}
