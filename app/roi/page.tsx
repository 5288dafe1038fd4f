import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ReferenceRoiSummary } from './reference-summary';
import { TextLink } from '@/components/text-link';
import { EmptyState } from '@/components/empty-state';
import { RangePageHeader } from '@/components/page-header';
import { RoiBadge } from '@/components/roi-badge';
import { StatusBadge } from '@/components/status-badge';
import { DataTable, figureColumn } from '@/components/data-table';
import { getReadDb } from '@/server/database';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import { getRoiOverview, type RoiRow } from '@/db/queries/roi';
import { requirePageRole } from '@/server/auth/actor';
import { formatCount, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { ROI_LABELS, ROI_RULES, type RoiRating } from '@/lib/roi';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';

export const metadata: Metadata = { title: 'ROI' };
export const dynamic = 'force-dynamic';

const RATINGS: RoiRating[] = ['exceeds', 'on-track', 'below', 'far-short', 'no-estimate'];

function RoiTable({
  rows,
  testId,
  patternHref,
}: {
  rows: RoiRow[];
  testId: string;
  patternHref: (id: number) => string;
}) {
  return (
    <DataTable
      roomy
      testId={testId}
      rows={rows}
      rowKey={(row) => row.id}
      rowAttributes={(row) => ({ 'data-pattern-id': row.id })}
      columns={[
        {
          header: 'Pattern',
          className: 'font-mono text-xs',
          cell: (row) => <TextLink href={patternHref(row.id)}>{row.signature}</TextLink>,
        },
        { header: 'Status', cell: (row) => <StatusBadge status={row.status} /> },
        {
          ...figureColumn<RoiRow, 'estimatedMonthly'>(
            'Estimated / month',
            'estimatedMonthly',
            formatUsd,
            false,
          ),
          key: 'estimated',
        },
        {
          ...figureColumn<RoiRow, 'actualMonthly'>(
            'Actual / month',
            'actualMonthly',
            formatUsd,
            false,
          ),
          key: 'actual',
        },
        {
          header: 'Actual ÷ estimate',
          align: 'right',
          cell: (row) => <RoiBadge ratio={row.ratio} />,
        },
      ]}
    />
  );
}

export default async function RoiPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const db = await getReadDb();
  const range = await resolvePageRange(db, current);
  const roi = await getRoiOverview(db, range);
  const patternHref = (id: number) => hrefWith(`/patterns/${id}`, timeOnly(current));
  const byRating = new Map(roi.byRating.map((row) => [row.rating, row]));

  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="ROI"
        range={range}
        version={await getLiveVersion(db, range)}
        lead={
          <>
            Each pattern&apos;s estimated monthly savings (<code>potential_monthly_savings</code>)
            against its actual rate: the USD attributed to it in the range, scaled to 30 days.
          </>
        }
      />
      <section aria-label="Patterns by rating" className="mb-6">
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
          {RATINGS.map((rating) => {
            const row = byRating.get(rating);
            return (
              <div key={rating} className="card p-3" data-rating={rating}>
                <dt className="text-xs text-slate-600 dark:text-slate-400">
                  {ROI_LABELS[rating]}
                  <span className="block">({ROI_RULES[rating]})</span>
                </dt>
                <dd
                  className="mt-1 text-xl font-semibold tabular-nums"
                  data-testid={`rating-${rating}`}
                >
                  {formatCount(row?.patterns ?? 0)}
                </dd>
                <dd className="text-xs text-slate-600 tabular-nums dark:text-slate-400">
                  {formatUsd(row?.actualMonthly ?? 0)} of {formatUsd(row?.estimatedMonthly ?? 0)} /
                  month
                </dd>
              </div>
            );
          })}
        </dl>
      </section>
      <div className="grid gap-6 xl:grid-cols-2">
        <section>
          <h2 className="mb-2 text-base font-semibold">Top performers</h2>
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
            Highest actual-to-estimate ratio among patterns with an estimate and savings in the
            range.
          </p>
          {roi.top.length === 0 ? (
            <EmptyState title="No pattern has both an estimate and savings in this range" />
          ) : (
            <RoiTable rows={roi.top} testId="roi-top" patternHref={patternHref} />
          )}
        </section>
        <section>
          <h2 className="mb-2 text-base font-semibold">Far short of the estimate</h2>
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
            Actual under {ROI_RULES['far-short'].replace('under ', '')} of the estimate, the largest
            monthly gap first: estimates to revisit, or automation that is not being used.
          </p>
          {roi.shortfalls.length === 0 ? (
            <EmptyState title="No pattern falls far short in this range" />
          ) : (
            <RoiTable rows={roi.shortfalls} testId="roi-shortfalls" patternHref={patternHref} />
          )}
        </section>
      </div>
      <Suspense fallback={null}>
        <ReferenceRoiSummary patternHref={patternHref} />
      </Suspense>
    </>
  );
}
