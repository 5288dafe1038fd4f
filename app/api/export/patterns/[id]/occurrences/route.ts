import { csvResponse } from '@/db/csv-export';
import { handleRoute } from '@/server/api/handle-route';
import { requireRouteRole } from '@/server/auth/actor';
import { getDb } from '@/server/database';
import { getPattern, occurrencesQuery } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { OCCURRENCE_COLUMNS } from '@/lib/export-columns';
import { parseRecordId } from '@/lib/record-id';
import { queryParams } from '@/lib/api/query-params';

export const dynamic = 'force-dynamic';

/** One pattern's occurrences in the range as CSV, newest first. */
export const GET = handleRoute(
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const actor = await requireRouteRole('viewer');
    if (actor instanceof Response) return actor;
    const current = queryParams(request);
    if (current instanceof Response) return current;
    const id = parseRecordId((await params).id);
    const db = await getDb();
    if (id === null || !(await getPattern(db, id))) {
      return Response.json({ error: 'No pattern has this id.' }, { status: 404 });
    }
    const range = await resolvePageRange(db, current);
    return csvResponse(
      db,
      occurrencesQuery(range, id, null),
      OCCURRENCE_COLUMNS,
      `pattern-${id}-occurrences.csv`,
    );
  },
);
