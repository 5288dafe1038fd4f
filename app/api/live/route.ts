import { getDataVersion } from '@/db/queries/live';
import { requireRouteRole } from '@/server/auth/actor';
import { handleRoute } from '@/server/api/handle-route';
import { getReadDb } from '@/server/database';

export const dynamic = 'force-dynamic';

/** The data's version (viewers and up), which a live page polls to reload only on a change. */
export const GET = handleRoute(async () => {
  const actor = await requireRouteRole('viewer');
  if (actor instanceof Response) return actor;
  return Response.json(
    { version: await getDataVersion(await getReadDb()) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
});
