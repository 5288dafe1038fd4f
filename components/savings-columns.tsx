import type { ReactNode } from 'react';
import { figureColumn, type Column } from '@/components/data-table';
import { NoteEditor } from '@/components/notes/note-editor';
import { TextLink } from '@/components/text-link';
import type { SavingsEntry } from '@/db/queries/savings';
import { OPTIMIZATION_LABELS } from '@/lib/charts/savings-charts';
import { formatDateTime, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';

/** What every savings table shows of an entry. */
type EntryRow = Pick<
  SavingsEntry,
  'id' | 'savedAt' | 'type' | 'patternId' | 'signature' | 'baseline' | 'actual' | 'tokensSaved'
> &
  Pick<SavingsEntry, 'usd' | 'notes'>;

export const DASH: ReactNode = <span className="text-slate-500 dark:text-slate-400">—</span>;

/**
 * The columns of a table of savings entries (the savings log, a workflow's savings): time (a link
 * to the entry), type, pattern, the token and USD figures, and the note (editable by editors).
 * `afterType` and `afterPattern` add a table's own columns; `sortable` makes the figures sort.
 */
export function savingsColumns<Row extends EntryRow>({
  tz,
  time,
  canEdit,
  sortable = false,
  afterType = [],
  afterPattern = [],
}: {
  tz: string;
  time: SearchParams;
  canEdit: boolean;
  sortable?: boolean;
  afterType?: Column<Row>[];
  afterPattern?: Column<Row>[];
}): Column<Row>[] {
  return [
    {
      header: 'Time',
      ...(sortable ? { sort: 'savedAt' } : {}),
      className: 'whitespace-nowrap tabular-nums',
      cell: (row) => (
        <TextLink href={hrefWith(`/savings/${row.id}`, time)} title={`Savings entry #${row.id}`}>
          {formatDateTime(row.savedAt, tz)}
        </TextLink>
      ),
    },
    {
      header: 'Type',
      key: 'type',
      className: 'whitespace-nowrap',
      cell: (row) => OPTIMIZATION_LABELS[row.type] ?? row.type,
    },
    ...afterType,
    {
      header: 'Pattern',
      className: 'max-w-40 truncate font-mono',
      cell: (row) =>
        row.patternId === null ? (
          DASH
        ) : (
          <TextLink
            href={hrefWith(`/patterns/${row.patternId}`, time)}
            title={row.signature ?? undefined}
          >
            {row.signature ?? `#${row.patternId}`}
          </TextLink>
        ),
    },
    ...afterPattern,
    figureColumn<Row, 'baseline'>('Baseline', 'baseline', formatTokens, sortable),
    figureColumn<Row, 'actual'>('Actual', 'actual', formatTokens, sortable),
    figureColumn<Row, 'tokensSaved'>('Saved tokens', 'tokensSaved', formatTokens, sortable),
    figureColumn<Row, 'usd'>('USD', 'usd', formatUsd, sortable),
    {
      header: 'Notes',
      className: 'min-w-64 max-w-96',
      cell: (row) => <NoteEditor id={row.id} initial={row.notes} canEdit={canEdit} />,
    },
  ];
}
