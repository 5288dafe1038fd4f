/**
 * Drill-through: each bucket of a time chart links to the rows behind it, filtered to the
 * bucket's exact edges in the page's zone (cut to the range where the range cuts the bucket).
 */
import { bucketEnd, instantToWallTime, type ResolvedRange } from '../time-range';
import type { ChartData, ChartPoint } from './prepare';

type DrillRange = Pick<ResolvedRange, 'granularity' | 'tz' | 'filter'>;

/** The custom-range URL parameters that select exactly one bucket's rows. */
export function bucketTimeParams(bucket: number, range: DrillRange): Record<string, string> {
  const start = Math.max(bucket, range.filter.from?.getTime() ?? -Infinity);
  const end = Math.min(
    bucketEnd(bucket, range.granularity, range.tz),
    range.filter.to?.getTime() ?? Infinity,
  );
  const params: Record<string, string> = {
    range: 'custom',
    from: instantToWallTime(start, range.tz),
    to: instantToWallTime(end, range.tz, true),
  };
  if (range.tz !== 'UTC') params.tz = range.tz;
  return params;
}

/** The key of a stacked series' own link in a point (`href:<series>`). */
export function segmentHrefKey(series: string): string {
  return `href:${series}`;
}

/**
 * Adds the links: `href` for the whole bucket and, for each series `segment` names, a link to
 * that segment's rows alone. `hrefFor` gets the bucket's time parameters and the series key.
 */
export function withDrill(
  data: ChartData,
  range: DrillRange,
  hrefFor: (time: Record<string, string>, series?: string) => string | null,
  segments: readonly string[] = [],
): ChartData {
  const points = data.points.map((point) => {
    const time = bucketTimeParams(point.bucket, range);
    const linked: ChartPoint = { ...point, href: hrefFor(time) };
    for (const series of segments) linked[segmentHrefKey(series)] = hrefFor(time, series);
    return linked;
  });
  return { ...data, points };
}
