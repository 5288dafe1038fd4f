import 'server-only';
import {
  parseTimeParams,
  resolveTimeRange,
  type ResolvedRange,
  type SearchParams,
} from '@/lib/time-range';
import type { Database } from '../client';
import { getDataExtent } from './extent';

/**
 * The page's time range from its URL; "all time" asks the database for the extent of the data.
 * A range that ends now ends at the end of the current second, so that the requests of one
 * second ask the same questions (and share the read cache).
 */
export async function resolvePageRange(
  db: Database,
  searchParams: SearchParams,
  now: Date = new Date(Math.ceil(Date.now() / 1000) * 1000),
): Promise<ResolvedRange> {
  const params = parseTimeParams(searchParams);
  const extent = params.range === 'all' ? await getDataExtent(db) : undefined;
  return resolveTimeRange(params, now, extent);
}
