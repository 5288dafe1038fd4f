import { workflowListQuery } from '@/db/queries/workflows';
import { WORKFLOW_COLUMNS } from '@/lib/export-columns';
import { parseWorkflowParams, workflowParamsSchema } from '@/lib/workflow-params';
import { exportRoute } from '@/server/api/export-route';

export const dynamic = 'force-dynamic';

/** The workflows list as CSV: the page's filters and sort, every page. */
export const GET = exportRoute({
  schemas: [workflowParamsSchema],
  columns: WORKFLOW_COLUMNS,
  rows: (_db, range, current) => ({
    query: workflowListQuery(range, parseWorkflowParams(current), null),
    filename: 'workflows.csv',
  }),
});
