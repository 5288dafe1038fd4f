import { savingsLogQuery } from '@/db/queries/savings';
import { SAVINGS_COLUMNS } from '@/lib/export-columns';
import { parseSavingsParams, savingsParamsSchema } from '@/lib/savings-params';
import { exportRoute } from '@/server/api/export-route';

export const dynamic = 'force-dynamic';

/** The savings log as CSV: the page's filters and sort, every page. */
export const GET = exportRoute({
  schemas: [savingsParamsSchema],
  columns: SAVINGS_COLUMNS,
  rows: (_db, range, current) => ({
    query: savingsLogQuery(range, parseSavingsParams(current), null),
    filename: 'savings.csv',
  }),
});
