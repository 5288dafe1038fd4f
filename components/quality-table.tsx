import { TextLink } from '@/components/text-link';
import { DataTable } from '@/components/data-table';
import type { QualityCheck, QualityRow } from '@/db/queries/data-quality';
import { formatCount } from '@/lib/format';
import { qualityRowHref } from '@/lib/quality-links';

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
    <DataTable<{ row: QualityRow; index: number }>
      testId={`quality-rows-${check.id}`}
      rows={rows.map((row, index) => ({ row, index }))}
      rowKey={({ index }) => index}
      columns={check.columns.map((column, c) => ({
        header: column.label,
        align: column.align === 'right' ? 'right' : 'left',
        className: column.align === 'right' ? undefined : 'font-mono break-all',
        cell: ({ row }) =>
          c === 0 ? (
            <TextLink href={qualityRowHref(check.link, row, check.linkKey)}>
              {show(row[column.key], column.id)}
            </TextLink>
          ) : (
            show(row[column.key], column.id)
          ),
      }))}
    />
  );
}
