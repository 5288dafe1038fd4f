import type { Column } from '@/components/data-table';
import { MatchedCharacteristics } from '@/components/matched-characteristics';
import { formatDateTime, formatPercent } from '@/lib/format';

type OccurrenceRow = {
  detectedAt: number | null;
  similarity: number | null;
  matchedCharacteristics: string | null;
};

/**
 * The columns of a table of occurrences: when, `subject` (the workflow on a pattern's page, the
 * pattern on a workflow's), how similar, and what matched.
 */
export function occurrenceColumns<Row extends OccurrenceRow>(
  tz: string,
  subject: Column<Row>,
): Column<Row>[] {
  return [
    {
      header: 'Detected',
      className: 'whitespace-nowrap tabular-nums',
      cell: (row) => formatDateTime(row.detectedAt, tz),
    },
    { className: 'font-mono whitespace-nowrap', ...subject },
    { header: 'Similarity', align: 'right', cell: (row) => formatPercent(row.similarity) },
    {
      header: 'Matched characteristics',
      cell: (row) => <MatchedCharacteristics raw={row.matchedCharacteristics} />,
    },
  ];
}
