import 'server-only';
import { getBreakdown, getBreakdownOptions, type BreakdownMeasure } from '@/db/queries/breakdown';
import type { Database } from '@/db/types';
import {
  defaultDimension,
  dimensionChoices,
  dimensionLabel,
  dimensionParam,
  parseDimension,
  type BreakdownSubject,
  type Dimension,
} from '@/lib/breakdown';
import { breakdownChart, breakdownTable } from '@/lib/charts/breakdown-chart';
import { withDrill } from '@/lib/charts/drill';
import type { ChartData, Unit } from '@/lib/charts/prepare';
import { hrefWith } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import type { ResolvedRange } from '@/lib/time-range';

/** Where a bucket (and, where a filter exists for it, one group of it) is listed row by row. */
function drillHref(subject: BreakdownSubject, dimension: Dimension) {
  const filter: Partial<Record<Dimension['kind'], string>> =
    subject === 'savings'
      ? { optimization_type: 'type' }
      : { pattern_type: 'type', status: 'status' };
  const param = filter[dimension.kind];
  return (time: Record<string, string>, series?: string) => {
    const group = series?.startsWith('g:') ? series.slice(2) : undefined;
    if (series !== undefined && (!param || group === undefined)) return null;
    const changes = { ...time, ...(param && group !== undefined ? { [param]: group } : {}) };
    return subject === 'savings'
      ? `${hrefWith('/savings', {}, changes)}#log`
      : hrefWith('/patterns', {}, changes);
  };
}

export type LoadedBreakdown = {
  by: string;
  dimensionName: string;
  choices: { value: string; label: string }[];
  chart: ChartData;
  table: ReturnType<typeof breakdownTable>;
  unit: Unit;
};

/** The breakdown a page shows: the dimension `by` asks for (or the subject's default), drawn. */
export async function loadBreakdown(
  db: Database,
  range: ResolvedRange,
  current: SearchParams,
  subject: BreakdownSubject,
  measure: BreakdownMeasure,
): Promise<LoadedBreakdown> {
  const by = typeof current.by === 'string' ? current.by : undefined;
  const dimension = parseDimension(by, subject) ?? defaultDimension(subject);
  const unit: Unit = measure;
  const [options, data] = await Promise.all([
    getBreakdownOptions(db),
    getBreakdown(db, range, subject, dimension, measure),
  ]);
  const chart = breakdownChart(data, range, dimension, unit);
  return {
    by: dimensionParam(dimension),
    dimensionName: dimensionLabel(dimension),
    choices: dimensionChoices(subject, options),
    chart: withDrill(
      chart,
      range,
      drillHref(subject, dimension),
      chart.series.map((s) => s.key),
    ),
    table: breakdownTable(data, dimension),
    unit,
  };
}
