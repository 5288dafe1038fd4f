import { leaderboardQuery } from '@/db/queries/patterns';
import { LEADERBOARD_COLUMNS } from '@/lib/export-columns';
import { leaderboardParamsSchema, parseLeaderboardParams } from '@/lib/leaderboard-params';
import { exportRoute } from '@/server/api/export-route';

export const dynamic = 'force-dynamic';

/** The leaderboard as CSV: the page's filters and sort, every page. */
export const GET = exportRoute({
  schemas: [leaderboardParamsSchema],
  columns: LEADERBOARD_COLUMNS,
  rows: (_db, range, current) => ({
    query: leaderboardQuery(range, parseLeaderboardParams(current), null),
    filename: 'patterns.csv',
  }),
});
