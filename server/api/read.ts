import 'server-only';
import type { Database } from '@/db/types';
import { getDb, getReadDb } from '@/server/database';
import { resolvePageRange } from '@/db/queries/range';
import type { SearchParams } from '@/lib/search-params';
import type { ResolvedRange } from '@/lib/time-range';
import type { z } from 'zod';
import { authenticateApiRequest } from './authenticate';
import { queryParams } from '../../lib/api/query-params';

/** The range as the API reports it: what was asked and the bounds used (ISO, UTC). */
export function rangeJson(range: ResolvedRange) {
  return {
    range: range.params.range,
    from: range.filter.from?.toISOString() ?? null,
    to: range.filter.to?.toISOString() ?? null,
    tz: range.tz,
  };
}

/**
 * A GET endpoint of the API (read scope). Query parameters are the pages' URL parameters, so a
 * page's address can be turned into an API call by changing its path.
 */
export async function readEndpoint(
  request: Request,
  answer: (db: Database, range: ResolvedRange, params: SearchParams) => Promise<object>,
  schemas: z.ZodObject[] = [],
): Promise<Response> {
  // The key is checked on the primary; the answer is read where pages read (a replica, if set).
  const caller = await authenticateApiRequest(await getDb(), request, 'read');
  if (caller instanceof Response) return caller;
  const params = queryParams(request, schemas);
  if (params instanceof Response) return params;
  const db = await getReadDb();
  const range = await resolvePageRange(db, params);
  return Response.json(await answer(db, range, params));
}
