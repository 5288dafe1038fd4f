import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { FilterBar, FilterField } from '@/components/filter-bar';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { RangeNote } from '@/components/range-note';
import { SortHeader } from '@/components/sort-header';
import { TimeRangeControl } from '@/components/time-range-control';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/server/database';
import { resolvePageRange } from '@/db/queries/range';
import { getWorkflows } from '@/db/queries/workflows';
import { formatCount, formatDateTime, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';
import { parseWorkflowParams } from '@/lib/workflow-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { workflowParamsSchema } from '@/lib/workflow-params';

export const metadata: Metadata = { title: 'Workflows' };
export const dynamic = 'force-dynamic';

const cell = 'px-2 py-1.5';

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
  const db = await getDb();
  const params = parseWorkflowParams(current);
  const range = await resolvePageRange(db, current);
  const list = await getWorkflows(db, range, params);
  const time = timeOnly(current);
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/workflows', current, changes);
  const header = (label: string, key: string) => (
    <SortHeader
      label={label}
      sortKey={key}
      current={params.sort}
      direction={params.dir}
      hrefFor={(sort, dir) => href({ sort, dir, page: null })}
    />
  );
  return (
    <>
      <PageHeader
        ignored={ignored}
        title="Workflows"
        description={<RangeNote range={range} />}
        actions={<TimeRangeControl value={range.params} shownGranularity={range.granularity} />}
      />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <FilterBar
          action="/workflows"
          resetHref={hrefWith('/workflows', time)}
          keep={{ ...time, sort: current.sort, dir: current.dir, size: current.size }}
        >
          <FilterField label="Workflow id contains">
            <input
              type="search"
              name="q"
              defaultValue={params.q ?? ''}
              placeholder="e.g. adw-3f"
              className="field w-48"
            />
          </FilterField>
          <FilterField label="History row">
            <select name="history" defaultValue={params.history} className="field">
              <option value="any">Any</option>
              <option value="with">In workflow_history</option>
              <option value="without">Not in workflow_history</option>
            </select>
          </FilterField>
        </FilterBar>
        <ExportLink href={hrefWith('/api/export/workflows', current, { page: null, size: null })} />
      </div>
      <TableFrame>
        <table className="w-full text-xs" data-testid="workflows">
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Workflow
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Status
              </th>
              <th scope="col" className={`${cell} text-left font-medium`}>
                Template
              </th>
              <th scope="col" className={`${cell} text-right font-medium`}>
                Issue
              </th>
              {header('Occurrences', 'occurrences')}
              {header('Patterns', 'patterns')}
              {header('Savings entries', 'entries')}
              {header('Tokens saved', 'tokens')}
              {header('USD saved', 'usd')}
              {header('Last activity', 'lastActivity')}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {list.rows.length === 0 ? (
              <tr>
                <td
                  colSpan={10}
                  className="px-3 py-6 text-center text-slate-600 dark:text-slate-400"
                >
                  {params.q || params.history !== 'any'
                    ? 'No workflow matches these filters. Clear them to see every workflow in the range.'
                    : 'No workflow recorded an occurrence or a saving in this range. Widen the range to see older ones.'}
                </td>
              </tr>
            ) : (
              list.rows.map((row) => (
                <tr key={row.workflowId} data-workflow-id={row.workflowId}>
                  <td className={`${cell} max-w-64 truncate font-mono`} title={row.workflowId}>
                    <Link
                      href={hrefWith(`/workflows/${encodeURIComponent(row.workflowId)}`, time)}
                      className="text-link"
                    >
                      {row.workflowId}
                    </Link>
                    {row.adwId && row.adwId !== row.workflowId ? (
                      <span className="ml-1 text-slate-500 dark:text-slate-400">({row.adwId})</span>
                    ) : null}
                  </td>
                  <td className={cell}>
                    {row.adwId ? (
                      (row.status ?? '—')
                    ) : (
                      <span className="text-amber-700 dark:text-amber-400">no history row</span>
                    )}
                  </td>
                  <td className={cell}>{row.template ?? '—'}</td>
                  <td className={`${cell} text-right tabular-nums`}>{row.issueNumber ?? '—'}</td>
                  <td className={`${cell} text-right tabular-nums`} data-col="occurrences">
                    {formatCount(row.occurrences)}
                  </td>
                  <td className={`${cell} text-right tabular-nums`} data-col="patterns">
                    {formatCount(row.patterns)}
                  </td>
                  <td className={`${cell} text-right tabular-nums`} data-col="entries">
                    {formatCount(row.entries)}
                  </td>
                  <td className={`${cell} text-right tabular-nums`} data-col="tokens">
                    {formatTokens(row.tokens)}
                  </td>
                  <td className={`${cell} text-right tabular-nums`} data-col="usd">
                    {formatUsd(row.usd)}
                  </td>
                  <td className={`${cell} text-right whitespace-nowrap tabular-nums`}>
                    {formatDateTime(row.lastActivity, range.tz)}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableFrame>
      <Pagination
        page={params.page}
        size={params.size}
        total={list.total}
        noun="workflows"
        pathname="/workflows"
        current={current}
      />
    </>
  );
}
