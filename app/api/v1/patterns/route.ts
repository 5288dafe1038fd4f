import { getLeaderboard } from '@/db/queries/patterns';
import { handleRoute } from '@/server/api/handle-route';
import { rangeJson, readEndpoint } from '@/server/api/read';
import { leaderboardParamsSchema, parseLeaderboardParams } from '@/lib/leaderboard-params';

export const dynamic = 'force-dynamic';

/** The leaderboard: the /patterns page's filters, sort, paging and time range (read scope). */
export const GET = handleRoute(async (request: Request) =>
  readEndpoint(
    request,
    async (db, range, params) => {
      const options = parseLeaderboardParams(params);
      const board = await getLeaderboard(db, range, options);
      return {
        ...rangeJson(range),
        page: options.page,
        size: options.size,
        total: board.total,
        total_occurrences: board.totalOccurrences,
        patterns: board.rows.map((row) => ({
          ...row,
          lastSeen: row.lastSeen === null ? null : new Date(row.lastSeen).toISOString(),
        })),
      };
    },
    [leaderboardParamsSchema],
  ),
);
