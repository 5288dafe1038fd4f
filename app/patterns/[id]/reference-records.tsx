import { BarLineChart } from '@/components/charts/bar-line-chart';
import { Card } from '@/components/card';
import { cachedTrackingCatalog } from '@/db/catalog';
import { getPatternReference, type ReferenceFigures } from '@/db/queries/reference';
import { confidenceChart } from '@/lib/charts/reference-charts';
import { formatCount, formatDateTime, formatUsd } from '@/lib/format';
import { columnLabel, referenceValue } from '@/lib/reference';
import type { ResolvedRange } from '@/lib/time-range';
import { getReadDb } from '@/server/database';

function Figures({ figures }: { figures: ReferenceFigures }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
      {figures.map(({ column, value }) => (
        <div key={column}>
          <dt className="text-xs text-slate-600 dark:text-slate-400">{columnLabel(column)}</dt>
          <dd className="tabular-nums">{referenceValue(column, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * What the reference system itself measured of the pattern (its ROI tracking and confidence
 * adjustments), beside Pattern Ledger's figures; nothing when the database has none of it.
 */
export async function ReferenceRecords({
  signature,
  range,
}: {
  signature: string;
  range: ResolvedRange;
}) {
  const db = await getReadDb();
  const reference = await getPatternReference(
    db,
    await cachedTrackingCatalog(db),
    signature,
    range,
  );
  if (reference.summary === null && reference.executions === null && reference.confidence === null)
    return null;
  const runs = reference.executions;
  return (
    <section aria-labelledby="reference-heading" className="mt-6" data-testid="reference-records">
      <h2 id="reference-heading" className="mb-2 text-base font-semibold">
        The reference system&apos;s own records
      </h2>
      <div className="grid gap-4 xl:grid-cols-2">
        {reference.summary !== null ? (
          <Card title="ROI summary (pattern_roi_summary)" className="min-w-0">
            {reference.summary.length > 0 ? (
              <Figures figures={reference.summary} />
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">No row for this pattern.</p>
            )}
          </Card>
        ) : null}
        {runs ? (
          <Card title="Executions in the range (pattern_executions)" className="min-w-0">
            <p className="text-sm" data-testid="reference-executions">
              {formatCount(runs.executions)} executions
              {runs.successes !== null ? `, ${formatCount(runs.successes)} successful` : ''}
              {runs.actualCost !== null && runs.estimatedCost !== null
                ? `; cost ${formatUsd(runs.actualCost)} against ${formatUsd(runs.estimatedCost)} estimated`
                : ''}
              {runs.actualSeconds !== null && runs.estimatedSeconds !== null
                ? `; ${formatCount(Math.round(runs.actualSeconds))} s against ${formatCount(Math.round(runs.estimatedSeconds))} s estimated`
                : ''}
              {runs.lastAt !== null ? `; last ${formatDateTime(runs.lastAt, range.tz)}` : ''}.
            </p>
          </Card>
        ) : null}
        {reference.confidence !== null ? (
          <Card title="Confidence (pattern_confidence_history)" className="min-w-0 xl:col-span-2">
            <BarLineChart
              data={confidenceChart(reference.confidence, range.tz)}
              height={180}
              label="The pattern's confidence after each adjustment"
            />
          </Card>
        ) : null}
      </div>
    </section>
  );
}
