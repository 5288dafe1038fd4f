import { getKpis } from '@/db/queries/overview';
import { handleRoute } from '@/server/api/handle-route';
import { rangeJson, readEndpoint } from '@/server/api/read';

export const dynamic = 'force-dynamic';

/** The overview's figures for the range, and for the period of equal length before it. */
export const GET = handleRoute(async (request: Request) =>
  readEndpoint(request, async (db, range) => ({
    ...rangeJson(range),
    ...(await getKpis(db, range)),
  })),
);
