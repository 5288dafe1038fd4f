import { csvResponse } from '@/db/csv-export';
import { handleRoute } from '@/server/api/handle-route';
import { requireRouteRole } from '@/server/auth/actor';
import { getDb } from '@/server/database';
import { resolvePageRange } from '@/db/queries/range';
import { workflowListQuery } from '@/db/queries/workflows';
import { WORKFLOW_COLUMNS } from '@/lib/export-columns';
import { queryParams } from '@/lib/api/query-params';
import { parseWorkflowParams, workflowParamsSchema } from '@/lib/workflow-params';

export const dynamic = 'force-dynamic';

/** The workflows list as CSV: the page's filters and sort, every page. */
export const GET = handleRoute(async (request: Request) => {
  const actor = await requireRouteRole('viewer');
  if (actor instanceof Response) return actor;
  const current = queryParams(request, [workflowParamsSchema]);
  if (current instanceof Response) return current;
  const db = await getDb();
  const range = await resolvePageRange(db, current);
  return csvResponse(
    db,
    workflowListQuery(range, parseWorkflowParams(current), null),
    WORKFLOW_COLUMNS,
    'workflows.csv',
  );
});
