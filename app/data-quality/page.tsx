import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { QualityTable } from '@/components/quality-table';
import { getReadDb } from '@/server/database';
import { getQualitySummary, getScaleReadings, QUALITY_CHECKS } from '@/db/queries/data-quality';
import { requirePageRole } from '@/server/auth/actor';
import { formatCount } from '@/lib/format';

export const metadata: Metadata = { title: 'Data quality' };
export const dynamic = 'force-dynamic';

export default async function DataQualityPage() {
  await requirePageRole('viewer');
  const db = await getReadDb();
  const [summary, scales] = await Promise.all([getQualitySummary(db), getScaleReadings(db)]);
  const byId = new Map(summary.map((s) => [s.id, s]));
  const failing = summary.filter((s) => s.count > 0).length;

  return (
    <>
      <PageHeader
        title="Data quality"
        description={`The tracking tables as they are, all time: ${failing} of ${QUALITY_CHECKS.length} checks find something. Each check links to the rows behind it.`}
      />
      <section aria-labelledby="scales-heading" className="mb-6 card">
        <h2 id="scales-heading" className="text-base font-semibold">
          Score scales
        </h2>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          Similarity and confidence are stored on 0–1 or 0–100 depending on the writer. Every page
          reads a value above 1 as a percentage and one up to 1 as a ratio, and shows both as
          percentages.
        </p>
        <dl className="mt-3 grid gap-3 md:grid-cols-2">
          {scales.map((reading) => (
            <div key={reading.column} data-testid={`scale-${reading.column}`}>
              <dt className="font-mono text-xs">{reading.column}</dt>
              <dd className="text-sm">
                <span className="font-semibold" data-testid="detected-scale">
                  {reading.scale}
                </span>{' '}
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  ({formatCount(reading.ratioRows)} values in (0, 1],{' '}
                  {formatCount(reading.percentRows)} above 1)
                </span>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <div className="space-y-4">
        {QUALITY_CHECKS.map((check) => {
          const result = byId.get(check.id);
          const count = result?.count ?? 0;
          return (
            <section
              key={check.id}
              aria-labelledby={`${check.id}-heading`}
              data-check={check.id}
              className="card"
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id={`${check.id}-heading`} className="text-sm font-semibold">
                  {check.title}
                </h2>
                <span
                  data-testid="check-count"
                  className={`rounded px-2 py-0.5 text-xs font-semibold tabular-nums ${
                    count > 0
                      ? 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300'
                      : 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300'
                  }`}
                >
                  {count > 0 ? `${formatCount(count)} ${check.unit}` : 'none found'}
                </span>
              </div>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{check.explain}</p>
              {result && result.examples.length > 0 ? (
                <div className="mt-3">
                  <QualityTable check={check} rows={result.examples} />
                  <Link
                    href={`/data-quality/${check.id}`}
                    className="mt-2 inline-block text-xs text-sky-700 underline dark:text-sky-400"
                  >
                    All rows of this check
                  </Link>
                </div>
              ) : null}
            </section>
          );
        })}
      </div>
    </>
  );
}
