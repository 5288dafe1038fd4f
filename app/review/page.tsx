import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';
import { hasPatternFilters, PatternFilterBar } from '@/components/pattern-filter-fields';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { ReviewQueue, type QueueHeader } from '@/components/review/review-queue';
import { getReadDb } from '@/server/database';
import { getQueueStatuses, getReviewQueue } from '@/db/queries/review';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseReviewParams, type ReviewSort } from '@/lib/review-params';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { reviewParamsSchema } from '@/lib/review-params';

export const metadata: Metadata = { title: 'Review' };
export const dynamic = 'force-dynamic';

const COLUMNS: { label: string; sort: ReviewSort | null; align: 'left' | 'right' }[] = [
  { label: '#', sort: null, align: 'right' },
  { label: 'Signature', sort: null, align: 'left' },
  { label: 'Type', sort: null, align: 'left' },
  { label: 'Status', sort: null, align: 'left' },
  { label: 'Occurrences', sort: 'occurrences', align: 'right' },
  { label: 'Est. / month', sort: 'estimatedMonthly', align: 'right' },
  { label: 'Confidence', sort: 'confidence', align: 'right' },
  { label: 'Priority', sort: 'priority', align: 'right' },
];

export default async function ReviewPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    reviewParamsSchema,
  ]);
  const db = await getReadDb();
  const params = parseReviewParams(current);
  const [queue, options] = await Promise.all([getReviewQueue(db, params), getQueueStatuses(db)]);
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/review', current, changes);
  const headers: QueueHeader[] = COLUMNS.map((column) => ({
    label: column.label,
    align: column.align,
    sort: column.sort
      ? {
          active: params.sort === column.sort,
          direction: params.dir,
          href: href({
            sort: column.sort,
            dir: params.sort === column.sort && params.dir === 'desc' ? 'asc' : 'desc',
            page: null,
          }),
        }
      : null,
  }));
  const patternHrefs = Object.fromEntries(
    queue.rows.map((row) => [row.id, hrefWith(`/patterns/${row.id}`, timeOnly(current))]),
  );

  return (
    <>
      <PageHeader
        ignored={ignored}
        title="Review"
        description="Patterns awaiting a decision (any status but approved, implemented, active or deprecated), highest priority first. Priority = occurrences (all time, counted) × estimated monthly savings × confidence."
      />
      <PatternFilterBar
        action="/review"
        current={current}
        timed={false}
        params={params}
        options={options}
        allStatusesLabel="All awaiting"
      />
      {queue.total === 0 ? (
        <EmptyState title="Nothing awaits review">
          {hasPatternFilters(params)
            ? 'No pattern awaiting review matches these filters.'
            : 'Every pattern has a decision. New patterns appear here when agents detect them.'}
        </EmptyState>
      ) : (
        <>
          <ReviewQueue
            rows={queue.rows}
            headers={headers}
            offset={(params.page - 1) * params.size}
            canReview={hasRole(actor, 'editor')}
            patternHrefs={patternHrefs}
          />
          <Pagination
            list={{ ...params, total: queue.total }}
            noun="patterns"
            pathname="/review"
            current={current}
          />
        </>
      )}
    </>
  );
}
