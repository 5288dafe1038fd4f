import { getPattern, occurrencesQuery } from '@/db/queries/patterns';
import { OCCURRENCE_COLUMNS } from '@/lib/export-columns';
import { parseRecordId } from '@/lib/record-id';
import { exportRoute } from '@/server/api/export-route';

export const dynamic = 'force-dynamic';

/** One pattern's occurrences in the range as CSV, newest first. */
export const GET = exportRoute({
  columns: OCCURRENCE_COLUMNS,
  rows: async (db, range, _current, params) => {
    const id = parseRecordId(params.id ?? '');
    if (id === null || !(await getPattern(db, id))) {
      return Response.json({ error: 'No pattern has this id.' }, { status: 404 });
    }
    return { query: occurrencesQuery(range, id, null), filename: `pattern-${id}-occurrences.csv` };
  },
});
