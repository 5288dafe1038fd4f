import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import { FilterBar, FilterField, TextFilter } from '@/components/filter-bar';
import { RangePageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { getReadDb } from '@/server/database';
import { WorkflowTable } from './workflow-table';
import { ListToolbar } from '@/components/list-toolbar';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import { getWorkflows } from '@/db/queries/workflows';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { parseWorkflowParams, workflowParamsSchema } from '@/lib/workflow-params';

export const metadata: Metadata = { title: 'Workflows' };
export const dynamic = 'force-dynamic';

export default async function WorkflowsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    workflowParamsSchema,
  ]);
  const db = await getReadDb();
  const params = parseWorkflowParams(current);
  const range = await resolvePageRange(db, current);
  const list = await getWorkflows(db, range, params);
  const time = timeOnly(current);
  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="Workflows"
        range={range}
        version={await getLiveVersion(db, range)}
      />
      <ListToolbar
        exportHref={hrefWith('/api/export/workflows', current, { page: null, size: null })}
      >
        <FilterBar
          action="/workflows"
          resetHref={hrefWith('/workflows', time)}
          keep={{ ...time, sort: current.sort, dir: current.dir, size: current.size }}
        >
          <TextFilter
            label="Workflow id contains"
            name="q"
            value={params.q}
            placeholder="e.g. adw-3f"
          />
          <FilterField label="History row">
            <select name="history" defaultValue={params.history} className="field">
              <option value="any">Any</option>
              <option value="with">In workflow_history</option>
              <option value="without">Not in workflow_history</option>
            </select>
          </FilterField>
        </FilterBar>
      </ListToolbar>
      <WorkflowTable
        rows={list.rows}
        tz={range.tz}
        time={time}
        sort={{
          current: params.sort,
          dir: params.dir,
          hrefFor: (sort, dir) => hrefWith('/workflows', current, { sort, dir, page: null }),
        }}
        empty={
          params.q || params.history !== 'any'
            ? 'No workflow matches these filters. Clear them to see every workflow in the range.'
            : 'No workflow recorded an occurrence or a saving in this range. Widen the range to see older ones.'
        }
      />
      <Pagination
        list={{ ...params, total: list.total }}
        noun="workflows"
        pathname="/workflows"
        current={current}
      />
    </>
  );
}
