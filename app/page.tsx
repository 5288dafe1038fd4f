import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import { Suspense } from 'react';
import { RangePageHeader } from '@/components/page-header';
import { ChartSkeleton, ListSkeleton, StatsSkeleton } from '@/components/skeletons';
import { getReadDb } from '@/server/database';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import type { SearchParams } from '@/lib/search-params';
import { ActivityCharts } from './_overview/activity-charts';
import { KpiCards } from './_overview/kpi-cards';
import { NoOccurrences } from './_overview/no-occurrences';
import { PinnedViews } from './_overview/pinned-views';
import { RecentNotes } from './_overview/recent-notes';
import { TopPatterns } from './_overview/top-patterns';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';

// The root layout's title template does not apply to its own segment's page.
export const metadata: Metadata = { title: { absolute: 'Overview · Pattern Ledger' } };
export const dynamic = 'force-dynamic';

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [timeParamsSchema]);
  const range = await resolvePageRange(await getReadDb(), current);
  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="Overview"
        range={range}
        version={await getLiveVersion(await getReadDb(), range)}
      />
      <Suspense fallback={null}>
        <NoOccurrences />
      </Suspense>
      <Suspense fallback={<StatsSkeleton count={6} />}>
        <KpiCards range={range} />
      </Suspense>
      <Suspense fallback={null}>
        <PinnedViews userId={actor.id} />
      </Suspense>
      <div className="mt-4">
        <Suspense
          fallback={
            <div className="grid gap-4 lg:grid-cols-2">
              <ChartSkeleton />
              <ChartSkeleton />
            </div>
          }
        >
          <ActivityCharts range={range} />
        </Suspense>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Suspense fallback={<ListSkeleton />}>
          <TopPatterns range={range} current={current} />
        </Suspense>
        <Suspense fallback={<ListSkeleton />}>
          <RecentNotes range={range} current={current} />
        </Suspense>
      </div>
    </>
  );
}
