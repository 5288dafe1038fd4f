import 'server-only';
import type { SearchParams } from '@/lib/search-params';
import { parseTimeParams, resolveTimeRange, type ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { getDataExtent } from './extent';

const MINUTE = 60_000;

/**
 * "Now" for page reads: the end of the current minute. Pages show times to the minute, and the
 * requests of one minute then ask the same questions, so they share answers in the read cache
 * until the data changes.
 */
export function endOfCurrentMinute(): Date {
  return new Date(Math.ceil(Date.now() / MINUTE) * MINUTE);
}

/**
 * The page's time range from its URL; "all time" asks the database for the extent of the data.
 * A range that ends now ends at the end of the current minute (`endOfCurrentMinute`).
 */
export async function resolvePageRange(
  db: Database,
  searchParams: SearchParams,
  now: Date = endOfCurrentMinute(),
): Promise<ResolvedRange> {
  const params = parseTimeParams(searchParams);
  const extent = params.range === 'all' ? await getDataExtent(db, now) : undefined;
  return resolveTimeRange(params, now, extent);
}
