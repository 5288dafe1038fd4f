import { DataTable } from '@/components/data-table';
import { TextLink } from '@/components/text-link';
import { cachedTrackingCatalog } from '@/db/catalog';
import { getRoiSummaries, type RoiSummaryRow } from '@/db/queries/reference';
import { getReadDb } from '@/server/database';
import { columnLabel, referenceValue } from '@/lib/reference';

/**
 * The reference system's own ROI tracking (pattern_roi_summary), beside Pattern Ledger's
 * estimate-against-actual: each of its rows as stored, linked to the pattern it names. Nothing
 * when the database has no such table.
 */
export async function ReferenceRoiSummary({
  patternHref,
}: {
  patternHref: (id: number) => string;
}) {
  const db = await getReadDb();
  const summaries = await getRoiSummaries(db, await cachedTrackingCatalog(db));
  if (!summaries) return null;
  return (
    <section className="mt-6" aria-labelledby="reference-roi-heading">
      <h2 id="reference-roi-heading" className="mb-1 text-base font-semibold">
        The reference system&apos;s ROI tracking
      </h2>
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
        <code>pattern_roi_summary</code> as the reference system keeps it (its executions&apos;
        measured time and cost), beside the figures above. Its pattern ids are approval ids; those
        that are a signature link to the pattern.
      </p>
      <DataTable
        testId="reference-roi"
        rows={summaries.rows}
        rowKey={(row) => row.pattern}
        empty="pattern_roi_summary has no rows."
        columns={[
          {
            header: 'Pattern',
            className: 'font-mono text-xs',
            cell: (row: RoiSummaryRow) =>
              row.patternId === null ? (
                row.pattern
              ) : (
                <TextLink href={patternHref(row.patternId)}>{row.pattern}</TextLink>
              ),
          },
          ...summaries.columns.map((column, index) => ({
            header: columnLabel(column),
            align: 'right' as const,
            cell: (row: RoiSummaryRow) => referenceValue(column, row.figures[index]?.value ?? null),
          })),
        ]}
      />
    </section>
  );
}
