import type { ReactNode } from 'react';
import { SortHeader } from './sort-header';
import { TABLE_HEAD_CLASS, TableFrame } from './table-frame';

/** One column of a DataTable: its header, how it sorts, and how it draws a row's cell. */
export type Column<Row> = {
  header: string;
  /** Names the column's cells (`data-col`) for tests and the export; numbers align right. */
  key?: string;
  /** The URL's sort key; the header then sorts by it. */
  sort?: string;
  align?: 'left' | 'right';
  /** Extra classes for every cell of the column. */
  className?: string;
  cell: (row: Row) => ReactNode;
};

export type TableSort = {
  current: string;
  dir: 'asc' | 'desc';
  hrefFor: (sort: string, dir: 'asc' | 'desc') => string;
};

/** Attributes a row carries (its id for tests and the keyboard, a highlight). */
type RowAttributes = { className?: string } & Record<`data-${string}`, string | number | undefined>;

/**
 * A table of rows drawn from a column spec: headers (sortable where a column says so), one cell
 * per column, a message when there is no row. Compact: cell spacing and alignment are set once on
 * the table rather than on each of hundreds of cells.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowAttributes,
  sort,
  empty,
  caption,
  testId,
  framed = true,
  roomy = false,
}: {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  rowAttributes?: (row: Row) => RowAttributes;
  sort?: TableSort;
  /** Said in place of the rows when there is none. */
  empty?: ReactNode;
  caption?: string;
  testId?: string;
  /** In a TableFrame (a bordered box that scrolls sideways); false inside a card. */
  framed?: boolean;
  /** Larger text and cells, for short tables of forms (admin pages). */
  roomy?: boolean;
}) {
  const table = (
    <table
      className={`w-full [&_td.num]:text-right [&_td.num]:tabular-nums ${roomy ? 'text-sm [&_td]:px-3 [&_td]:py-2' : 'text-xs [&_td]:px-2 [&_td]:py-1.5'}`}
      data-testid={testId}
    >
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={framed ? TABLE_HEAD_CLASS : 'text-slate-600 dark:text-slate-400'}>
        <tr>
          {columns.map((column) =>
            column.sort && sort ? (
              <SortHeader
                key={column.header}
                label={column.header}
                sortKey={column.sort}
                current={sort.current}
                direction={sort.dir}
                hrefFor={sort.hrefFor}
                align={column.align ?? 'left'}
              />
            ) : (
              <th
                key={column.header}
                scope="col"
                className={`${roomy ? 'px-3' : 'px-2'} py-2 font-medium ${column.align === 'right' ? 'text-right' : 'text-left'}`}
              >
                {column.header}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {rows.length === 0 && empty ? (
          <tr>
            <td
              colSpan={columns.length}
              className="px-3 py-6 text-center text-slate-600 dark:text-slate-400"
            >
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((column) => (
                <td key={column.header} data-col={column.key} className={cellClass(column)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
  // Unframed (inside a card), the table still scrolls within its card on a narrow screen.
  return framed ? (
    <TableFrame>{table}</TableFrame>
  ) : (
    <div tabIndex={0} className="overflow-x-auto [contain:inline-size]">
      {table}
    </div>
  );
}

function cellClass<Row>(column: Column<Row>): string | undefined {
  const classes = [column.align === 'right' ? 'num' : '', column.className ?? ''].join(' ').trim();
  return classes || undefined;
}

/** A right-aligned figure named `key` (its `data-col`), sortable by the same key when `sortable`. */
export function figureColumn<Row, Key extends keyof Row & string>(
  header: string,
  key: Key,
  format: (value: NonNullable<Row[Key]>) => ReactNode,
  sortable = true,
): Column<Row> {
  return {
    header,
    key,
    ...(sortable ? { sort: key } : {}),
    align: 'right',
    cell: (row) => (row[key] === null || row[key] === undefined ? '—' : format(row[key])),
  };
}
