import 'server-only';
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { csvResponse } from '@/db/csv-export';
import { resolvePageRange } from '@/db/queries/range';
import type { Database } from '@/db/types';
import { queryParams } from '@/lib/api/query-params';
import type { CsvColumn } from '@/lib/csv';
import type { SearchParams } from '@/lib/search-params';
import type { ResolvedRange } from '@/lib/time-range';
import { requireRouteRole } from '../auth/actor';
import { getReadDb } from '../database';
import { handleRoute } from './handle-route';

type ExportRows = { query: SQL; filename: string };
type RouteContext = { params: Promise<Record<string, string>> };

/**
 * A CSV export route (viewers and up): the page's URL parameters (checked against `schemas`, a
 * bad one answers 400), its time range, and every row of `rows`' query, streamed. `rows` may
 * answer a Response instead (a 404 for a record that does not exist).
 */
export function exportRoute<Row extends Record<string, unknown>>(spec: {
  schemas?: z.ZodObject[];
  columns: readonly CsvColumn<Row>[];
  rows: (
    db: Database,
    range: ResolvedRange,
    current: SearchParams,
    routeParams: Record<string, string>,
  ) => ExportRows | Response | Promise<ExportRows | Response>;
}) {
  return handleRoute(async (request: Request, context?: RouteContext) => {
    const actor = await requireRouteRole('viewer');
    if (actor instanceof Response) return actor;
    const current = queryParams(request, spec.schemas);
    if (current instanceof Response) return current;
    const db = await getReadDb();
    const range = await resolvePageRange(db, current);
    const rows = await spec.rows(db, range, current, (await context?.params) ?? {});
    if (rows instanceof Response) return rows;
    return csvResponse(db, rows.query, spec.columns, rows.filename);
  });
}
