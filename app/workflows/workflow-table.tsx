import { DataTable, figureColumn, type Column, type TableSort } from '@/components/data-table';
import { TextLink } from '@/components/text-link';
import type { WorkflowRow } from '@/db/queries/workflows';
import { formatCount, formatDateTime, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';

/** Workflows with their activity in the range; ids link to each workflow's page. */
export function WorkflowTable({
  rows,
  tz,
  time,
  sort,
  empty,
}: {
  rows: WorkflowRow[];
  tz: string;
  time: SearchParams;
  sort: TableSort;
  empty: string;
}) {
  const columns: Column<WorkflowRow>[] = [
    {
      header: 'Workflow',
      className: 'max-w-64 truncate font-mono',
      cell: (row) => (
        <span title={row.workflowId}>
          <TextLink href={hrefWith(`/workflows/${encodeURIComponent(row.workflowId)}`, time)}>
            {row.workflowId}
          </TextLink>
          {row.adwId && row.adwId !== row.workflowId ? (
            <span className="ml-1 text-slate-500 dark:text-slate-400">({row.adwId})</span>
          ) : null}
        </span>
      ),
    },
    {
      header: 'Status',
      cell: (row) =>
        row.adwId ? (
          (row.status ?? '—')
        ) : (
          <span className="text-amber-700 dark:text-amber-400">no history row</span>
        ),
    },
    { header: 'Template', cell: (row) => row.template ?? '—' },
    { header: 'Issue', align: 'right', cell: (row) => row.issueNumber ?? '—' },
    figureColumn('Occurrences', 'occurrences', formatCount),
    figureColumn('Patterns', 'patterns', formatCount),
    figureColumn('Savings entries', 'entries', formatCount),
    figureColumn('Tokens saved', 'tokens', formatTokens),
    figureColumn('USD saved', 'usd', formatUsd),
    {
      header: 'Last activity',
      sort: 'lastActivity',
      align: 'right',
      className: 'whitespace-nowrap',
      cell: (row) => formatDateTime(row.lastActivity, tz),
    },
  ];
  return (
    <DataTable
      testId="workflows"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.workflowId}
      rowAttributes={(row) => ({ 'data-workflow-id': row.workflowId })}
      sort={sort}
      empty={empty}
    />
  );
}
