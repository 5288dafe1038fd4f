import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageSection } from '@/components/page-section';
import { hasRole, requirePageRole } from '@/server/auth/actor';
import { notFound } from 'next/navigation';
import { BarLineChart } from '@/components/charts/bar-line-chart';
import { ChartCard } from '@/components/charts/chart-card';
import { ReferenceRecords } from './reference-records';
import { EstimateVsActual } from '@/components/estimate-vs-actual';
import { ExportLink } from '@/components/export-link';
import { DataTable } from '@/components/data-table';
import { occurrenceColumns } from '@/components/occurrence-columns';
import { TextLink } from '@/components/text-link';
import { RangePageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { ReviewHistory } from '@/components/review/review-history';
import { ReviewPanel } from '@/components/review/review-panel';
import { RoiBadge } from '@/components/roi-badge';
import { StatList } from '@/components/stat';
import { StatusBadge } from '@/components/status-badge';
import { getReadDb } from '@/server/database';
import {
  getPattern,
  getOccurrenceBuckets,
  getPatternRangeSummary,
  getPatternSavingsBuckets,
  getRecentOccurrences,
  getSimilarityHistogram,
} from '@/db/queries/patterns';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import { getReviewHistory } from '@/db/queries/review';
import { roiRatio } from '@/lib/roi';
import { decorate } from '@/lib/charts/decorate';
import { reviewEvents } from '@/lib/charts/events';
import { getNoteEvents } from '@/db/queries/chart-events';
import { histogramChart, occurrenceChart, patternSavingsChart } from '@/lib/charts/pattern-charts';
import { formatCount, formatDateTime, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseRecordId } from '@/lib/record-id';
import type { SearchParams } from '@/lib/search-params';
import { previousPeriod, timeParamsSchema } from '@/lib/time-range';
import { checkSearchParams, pagedListSchema, pageParam, pageSizeParam } from '@/lib/url-params';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // Titles name records: the same check as the page.
  await requirePageRole('viewer');
  const id = parseRecordId((await params).id);
  const pattern = id === null ? null : await getPattern(await getReadDb(), id);
  return { title: pattern ? pattern.signature : 'Pattern not found' };
}

export default async function PatternPage({ params, searchParams }: Props) {
  const actor = await requirePageRole('viewer');
  const id = parseRecordId((await params).id);
  if (id === null) notFound();
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    pagedListSchema,
  ]);
  const db = await getReadDb();
  const pattern = await getPattern(db, id);
  if (!pattern) notFound();
  const range = await resolvePageRange(db, current);
  const page = pageParam.parse(current.page);
  const size = pageSizeParam.parse(current.size);
  const previous = previousPeriod(range);
  const [
    summary,
    occurrenceBuckets,
    savingsBuckets,
    histogram,
    recent,
    reviews,
    occurrencesBefore,
    savingsBefore,
    notes,
  ] = await Promise.all([
    getPatternRangeSummary(db, range, id),
    getOccurrenceBuckets(db, range, id),
    getPatternSavingsBuckets(db, range, id),
    getSimilarityHistogram(db, range, id),
    getRecentOccurrences(db, range, id, { size, offset: (page - 1) * size }),
    getReviewHistory(db, id),
    previous ? getOccurrenceBuckets(db, previous, id) : null,
    previous ? getPatternSavingsBuckets(db, previous, id) : null,
    getNoteEvents(db, range, id),
  ]);
  // Its review decisions and the notes on its savings entries, marked where they happened.
  const events = [...reviewEvents(reviews), ...notes];
  // A bucket links to this pattern's occurrences over its edges, or to its savings entries.
  const occurrences = decorate(occurrenceChart(occurrenceBuckets, range), {
    range,
    events,
    drill: (time) => `${hrefWith(`/patterns/${pattern.id}`, {}, time)}#recent`,
    previous: previous && occurrencesBefore ? occurrenceChart(occurrencesBefore, previous) : null,
  });
  const savings = decorate(patternSavingsChart(savingsBuckets, range), {
    range,
    events,
    drill: (time) => `${hrefWith('/savings', {}, { ...time, pattern: pattern.id })}#log`,
    previous: previous && savingsBefore ? patternSavingsChart(savingsBefore, previous) : null,
  });
  const similarity = histogramChart(histogram.bins);
  const workflowHref = (workflowId: string) =>
    hrefWith(`/workflows/${encodeURIComponent(workflowId)}`, timeOnly(current));
  const drift =
    pattern.storedOccurrenceCount !== null &&
    pattern.storedOccurrenceCount !== pattern.countedOccurrences;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <TextLink href={hrefWith('/patterns', timeOnly(current))}>← Patterns</TextLink>
      </nav>
      <RangePageHeader
        ignored={ignored}
        title={pattern.signature}
        range={range}
        version={await getLiveVersion(db, range)}
      />

      <section aria-label="Pattern facts" className="mb-4 card text-sm">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4">
          <Fact label="Type">{pattern.type}</Fact>
          <Fact label="Automation status">
            <StatusBadge status={pattern.status} />
          </Fact>
          <Fact label="Confidence">{formatPercent(pattern.confidence)}</Fact>
          <Fact label="Tool">{pattern.toolName ? <code>{pattern.toolName}</code> : '—'}</Fact>
          <Fact label="First detected">{formatDateTime(pattern.firstDetected, range.tz)}</Fact>
          <Fact label="Last seen (stored)">{formatDateTime(pattern.lastSeen, range.tz)}</Fact>
          <Fact label="Occurrences, all time">
            <span data-testid="counted-occurrences">{formatCount(pattern.countedOccurrences)}</span>
            {drift ? (
              <span
                className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-300"
                title="operation_patterns.occurrence_count disagrees with the rows in pattern_occurrences"
              >
                stored counter says {formatCount(pattern.storedOccurrenceCount ?? 0)}
              </span>
            ) : null}
          </Fact>
          <Fact label="Tokens: LLM → tool (avg)">
            {pattern.avgTokensWithLlm === null
              ? '—'
              : `${formatTokens(pattern.avgTokensWithLlm)} → ${formatTokens(pattern.avgTokensWithTool ?? 0)}`}
          </Fact>
          <Fact label="Reviewed">
            {pattern.reviewedBy
              ? `${pattern.reviewedBy}, ${formatDateTime(pattern.reviewedAt, range.tz)}`
              : 'Not reviewed'}
          </Fact>
          <Fact label="Review notes" className="col-span-2 md:col-span-3">
            <span className="whitespace-pre-wrap">{pattern.reviewNotes ?? '—'}</span>
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="review-heading" className="mb-4 card">
        <h2 id="review-heading" className="mb-2 text-base font-semibold">
          Review
        </h2>
        {hasRole(actor, 'editor') ? (
          <div className="mb-4">
            <ReviewPanel
              patternId={pattern.id}
              signature={pattern.signature}
              version={pattern.reviewVersion}
              currentStatus={pattern.status}
            />
          </div>
        ) : (
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
            Reviewing needs the editor role.
          </p>
        )}
        <ReviewHistory rows={reviews} tz={range.tz} />
      </section>

      <StatList
        className="mb-4 grid-cols-2 md:grid-cols-3 lg:grid-cols-6"
        stats={[
          {
            label: 'Occurrences in range',
            value: formatCount(summary.occurrences),
            testId: 'stat-occurrences',
          },
          {
            label: 'Average similarity',
            value: formatPercent(summary.avgSimilarity),
            testId: 'stat-avg-similarity',
          },
          {
            label: 'Distinct workflows',
            value: formatCount(summary.workflows),
            testId: 'stat-workflows',
          },
          {
            label: 'Savings entries',
            value: formatCount(summary.savingsEntries),
            testId: 'stat-savings-entries',
          },
          {
            label: 'Tokens saved',
            value: formatTokens(summary.tokensSaved),
            testId: 'stat-tokens',
          },
          { label: 'USD saved', value: formatUsd(summary.usdSaved), testId: 'stat-usd' },
        ]}
      />

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard
          title="Occurrences over time"
          description={`Occurrences per ${range.granularity} (bars) and their average similarity (line; a gap where there were none).`}
          empty={occurrences.empty}
        >
          <BarLineChart
            data={occurrences}
            label={`Occurrences of ${pattern.signature} per ${range.granularity}`}
          />
        </ChartCard>
        <ChartCard
          title="Similarity distribution"
          description={`Occurrences in the range by similarity score, in 5 % bins${histogram.missing ? `; ${formatCount(histogram.missing)} without a score are not shown` : ''}.`}
          empty={similarity.empty}
        >
          <BarLineChart data={similarity} label="Similarity histogram" />
        </ChartCard>
        <ChartCard
          title="Savings attributed over time"
          description={`USD saved per ${range.granularity} by entries attributed to this pattern, and the running total.`}
          empty={savings.empty}
        >
          <BarLineChart data={savings} label={`USD saved per ${range.granularity}`} />
        </ChartCard>
        <ChartCard
          title="Estimated against actual savings"
          description="The stored estimate beside what the savings log shows."
        >
          <EstimateVsActual estimated={pattern.estimatedMonthly} actual={summary.actualMonthly} />
          <p className="mt-2 text-xs" data-testid="roi-rating">
            <RoiBadge ratio={roiRatio(pattern.estimatedMonthly, summary.actualMonthly)} />
          </p>
        </ChartCard>
      </div>

      <PageSection
        id="recent"
        title="Most recent occurrences"
        action={
          <ExportLink
            href={hrefWith(`/api/export/patterns/${id}/occurrences`, timeOnly(current))}
          />
        }
      >
        <DataTable
          testId="recent-occurrences"
          rows={recent}
          rowKey={(row) => row.id}
          empty="No occurrence of this pattern in the range."
          columns={occurrenceColumns<(typeof recent)[number]>(range.tz, {
            header: 'Workflow',
            cell: (row) => (
              <TextLink href={workflowHref(row.workflowId)}>{row.workflowId}</TextLink>
            ),
          })}
        />
        <Pagination
          list={{ page: page, size: size, total: summary.occurrences }}
          noun="occurrences"
          pathname={`/patterns/${id}`}
          current={current}
        />
      </PageSection>
      <Suspense fallback={null}>
        <ReferenceRecords signature={pattern.signature} range={range} />
      </Suspense>
    </>
  );
}

function Fact({
  label,
  children,
  className,
}: {
  label: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}
