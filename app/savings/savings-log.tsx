import { PageSection } from '@/components/page-section';
import { DataTable, type Column } from '@/components/data-table';
import { ExportLink } from '@/components/export-link';
import { FilterBar, FilterField, TextFilter } from '@/components/filter-bar';
import { DASH, savingsColumns } from '@/components/savings-columns';
import { Pagination } from '@/components/pagination';
import { TextLink } from '@/components/text-link';
import type { SavingsEntry, SavingsTotals } from '@/db/queries/savings';
import { OPTIMIZATION_LABELS } from '@/lib/charts/savings-charts';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SavingsParams } from '@/lib/savings-params';
import type { SearchParams } from '@/lib/search-params';
import { formatCount, formatTokens, formatUsd } from '@/lib/format';

function logColumns(tz: string, time: SearchParams, canEdit: boolean): Column<SavingsEntry>[] {
  return savingsColumns<SavingsEntry>({
    tz,
    time,
    canEdit,
    sortable: true,
    afterType: [
      {
        header: 'Workflow',
        className: 'max-w-36 truncate font-mono',
        cell: (row) => (
          <TextLink
            href={hrefWith(`/workflows/${encodeURIComponent(row.workflowId)}`, time)}
            title={row.workflowId}
          >
            {row.workflowId}
          </TextLink>
        ),
      },
    ],
    afterPattern: [
      {
        header: 'Tool call',
        className: 'max-w-28 truncate font-mono',
        cell: (row) => (
          <span title={row.toolCallId ?? undefined}>
            {row.toolCallId ?? DASH}
            {row.toolCallId && !row.toolCallKnown ? (
              <span
                className="ml-1 text-amber-700 dark:text-amber-400"
                title="No tool_calls row has this id"
              >
                ?
              </span>
            ) : null}
          </span>
        ),
      },
    ],
  });
}

/** The savings log: its filters, export, sortable table (notes editable by editors) and pager. */
export function SavingsLog({
  current,
  params,
  log,
  tz,
  canEdit,
}: {
  current: SearchParams;
  params: SavingsParams;
  log: { rows: SavingsEntry[] } & SavingsTotals;
  tz: string;
  canEdit: boolean;
}) {
  const time = timeOnly(current);
  return (
    <PageSection
      id="log"
      title="Savings log"
      action={
        <ExportLink
          href={hrefWith('/api/export/savings', current, { page: null, size: null, metric: null })}
        />
      }
    >
      <FilterBar
        action="/savings"
        resetHref={hrefWith('/savings', time)}
        keep={{
          ...time,
          sort: current.sort,
          dir: current.dir,
          size: current.size,
          metric: current.metric,
        }}
      >
        <FilterField label="Type">
          <select name="type" defaultValue={params.type[0] ?? ''} className="field">
            <option value="">All types</option>
            {OPTIMIZATION_TYPES.map((t) => (
              <option key={t} value={t}>
                {OPTIMIZATION_LABELS[t]}
              </option>
            ))}
          </select>
        </FilterField>
        <TextFilter
          label="Pattern id"
          name="pattern"
          value={params.pattern}
          kind="id"
          width="w-24"
        />
        <TextFilter label="Workflow id" name="workflow" value={params.workflow} width="w-40" />
        <FilterField label="Notes">
          <select name="notes" defaultValue={params.notes ?? ''} className="field">
            <option value="">Any</option>
            <option value="with">Has notes</option>
            <option value="without">No notes</option>
          </select>
        </FilterField>
        <TextFilter
          label="USD from"
          name="usdMin"
          value={params.usdMin}
          kind="amount"
          width="w-24"
        />
        <TextFilter label="USD to" name="usdMax" value={params.usdMax} kind="amount" width="w-24" />
      </FilterBar>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="log-totals">
        {log.total === 0
          ? 'No entry matches.'
          : `${formatCount(log.total)} ${log.total === 1 ? 'entry matches' : 'entries match'}; together they saved ${formatUsd(log.usd)} and ${formatTokens(log.tokens)} tokens.`}
      </p>
      <DataTable
        testId="savings-log"
        columns={logColumns(tz, time, canEdit)}
        rows={log.rows}
        rowKey={(row) => row.id}
        rowAttributes={(row) => ({ 'data-entry-id': row.id, className: 'align-top' })}
        sort={{
          current: params.sort,
          dir: params.dir,
          hrefFor: (sort, dir) => hrefWith('/savings', current, { sort, dir, page: null }),
        }}
        empty="No savings entry matches. Clear the filters or widen the time range."
      />
      <Pagination
        list={{ ...params, total: log.total }}
        noun="entries"
        pathname="/savings"
        current={current}
      />
    </PageSection>
  );
}
