import { csvResponse } from '@/db/csv-export';
import { handleRoute } from '@/server/api/handle-route';
import { requireRouteRole } from '@/server/auth/actor';
import { getDb } from '@/server/database';
import { leaderboardQuery } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { LEADERBOARD_COLUMNS } from '@/lib/export-columns';
import { parseLeaderboardParams, leaderboardParamsSchema } from '@/lib/leaderboard-params';
import { queryParams } from '@/lib/api/query-params';

export const dynamic = 'force-dynamic';

/** The leaderboard as CSV: the page's filters and sort, every page. */
export const GET = handleRoute(async (request: Request) => {
  const actor = await requireRouteRole('viewer');
  if (actor instanceof Response) return actor;
  const current = queryParams(request, [leaderboardParamsSchema]);
  if (current instanceof Response) return current;
  const db = await getDb();
  const range = await resolvePageRange(db, current);
  return csvResponse(
    db,
    leaderboardQuery(range, parseLeaderboardParams(current), null),
    LEADERBOARD_COLUMNS,
    'patterns.csv',
  );
});
