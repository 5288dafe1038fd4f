import Link from 'next/link';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import type { QualityCheck, QualityRow } from '@/db/queries/data-quality';
import { formatCount } from '@/lib/format';
import { qualityRowHref } from '@/lib/quality-links';

const cell = 'px-3 py-1.5';

function show(value: QualityRow[string] | undefined, isId = false): string {
  if (value === null || value === undefined) return '(null)';
  if (typeof value === 'number') return isId ? String(value) : formatCount(value);
  return String(value) === '' ? '(none)' : String(value);
}

/** A check's rows; the first column links to the record the row is about. */
export function QualityTable({
  check,
  rows,
}: {
  check: Pick<QualityCheck, 'id' | 'columns' | 'link' | 'linkKey'>;
  rows: QualityRow[];
}) {
  return (
    <TableFrame>
      <table className="w-full text-xs" data-testid={`quality-rows-${check.id}`}>
        <thead className={TABLE_HEAD_CLASS}>
          <tr>
            {check.columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                className={`${cell} font-medium ${column.align === 'right' ? 'text-right' : 'text-left'}`}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row, i) => (
            <tr key={i}>
              {check.columns.map((column, c) => (
                <td
                  key={column.key}
                  className={`${cell} ${column.align === 'right' ? 'text-right tabular-nums' : 'font-mono break-all'}`}
                >
                  {c === 0 ? (
                    <Link
                      href={qualityRowHref(check.link, row, check.linkKey)}
                      className="text-link"
                    >
                      {show(row[column.key], column.id)}
                    </Link>
                  ) : (
                    show(row[column.key], column.id)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
