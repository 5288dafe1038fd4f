import { csvResponse } from '@/db/csv-export';
import { handleRoute } from '@/server/api/handle-route';
import { requireRouteRole } from '@/server/auth/actor';
import { getDb } from '@/server/database';
import { resolvePageRange } from '@/db/queries/range';
import { savingsLogQuery } from '@/db/queries/savings';
import { SAVINGS_COLUMNS } from '@/lib/export-columns';
import { parseSavingsParams, savingsParamsSchema } from '@/lib/savings-params';
import { queryParams } from '@/lib/api/query-params';

export const dynamic = 'force-dynamic';

/** The savings log as CSV: the page's filters and sort, every page. */
export const GET = handleRoute(async (request: Request) => {
  const actor = await requireRouteRole('viewer');
  if (actor instanceof Response) return actor;
  const current = queryParams(request, [savingsParamsSchema]);
  if (current instanceof Response) return current;
  const db = await getDb();
  const range = await resolvePageRange(db, current);
  return csvResponse(
    db,
    savingsLogQuery(range, parseSavingsParams(current), null),
    SAVINGS_COLUMNS,
    'savings.csv',
  );
});
