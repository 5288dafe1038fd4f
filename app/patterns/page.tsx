import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import { BreakdownSection } from '@/components/breakdown-section';
import { EmptyState } from '@/components/empty-state';
import { ListToolbar } from '@/components/list-toolbar';
import { hasPatternFilters, PatternFilterBar } from '@/components/pattern-filter-fields';
import { RangePageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { loadBreakdown } from '@/server/breakdown';
import { getReadDb } from '@/server/database';
import { LeaderboardTable } from './leaderboard-table';
import { getLeaderboard, getPatternFilterOptions, getSparklines } from '@/db/queries/patterns';
import { getLiveVersion } from '@/db/queries/live';
import { resolvePageRange } from '@/db/queries/range';
import { breakdownParamsSchema } from '@/lib/breakdown';
import { formatCount } from '@/lib/format';
import { hrefParams, hrefWith, timeOnly } from '@/lib/href';
import { leaderboardParamsSchema, parseLeaderboardParams } from '@/lib/leaderboard-params';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';

export const metadata: Metadata = { title: 'Patterns' };
export const dynamic = 'force-dynamic';

export default async function PatternsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePageRole('viewer');
  const { current, ignored } = checkSearchParams(await searchParams, [
    timeParamsSchema,
    leaderboardParamsSchema,
    breakdownParamsSchema,
  ]);
  const db = await getReadDb();
  const params = parseLeaderboardParams(current);
  const range = await resolvePageRange(db, current);
  const [board, options, breakdown] = await Promise.all([
    getLeaderboard(db, range, params),
    getPatternFilterOptions(db),
    loadBreakdown(db, range, current, 'occurrences', 'count'),
  ]);
  const sparklines = await getSparklines(
    db,
    range,
    board.rows.map((r) => r.id),
  );
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/patterns', current, changes);
  const sortHref = (sort: string, dir: 'asc' | 'desc') => href({ sort, dir, page: null });
  const patternHref = (id: number) => hrefWith(`/patterns/${id}`, timeOnly(current));
  const allTime = range.filter.from === null && range.filter.to === null;

  return (
    <>
      <RangePageHeader
        ignored={ignored}
        title="Patterns"
        range={range}
        version={await getLiveVersion(db, range)}
      />
      <ListToolbar
        exportHref={hrefWith('/api/export/patterns', current, { page: null, size: null })}
      >
        <PatternFilterBar
          action="/patterns"
          current={current}
          timed
          params={params}
          options={options}
        />
      </ListToolbar>

      {board.total === 0 ? (
        <EmptyState title="No patterns match">
          {hasPatternFilters(params)
            ? 'No learned pattern matches these filters. Clear them to see every pattern.'
            : 'No pattern has been learned yet. Patterns appear here once an agent records one in operation_patterns.'}
        </EmptyState>
      ) : (
        <LeaderboardTable
          rows={board.rows}
          tz={range.tz}
          allTime={allTime}
          sparklines={sparklines}
          patternHref={patternHref}
          sort={{ current: params.sort, dir: params.dir, hrefFor: sortHref }}
        />
      )}
      <Pagination
        list={{ ...params, total: board.total }}
        noun="patterns"
        pathname="/patterns"
        current={current}
      />
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Tokens and USD: savings attributed to the pattern (<code>cost_savings_log.pattern_id</code>)
        in the range. Occur.: rows of <code>pattern_occurrences</code>; &ldquo;stored&rdquo;: the
        counter <code>operation_patterns.occurrence_count</code> where it differs (all time), and
        its <code>last_seen</code> where no occurrence is recorded. Share: of all{' '}
        {board.totalOccurrences > 0
          ? `${formatCount(board.totalOccurrences)} occurrences in the range`
          : 'occurrences in the range (there are none)'}
        . Similarity: a percentage whatever scale it was stored in (0–1 or 0–100). Actual/mo: USD
        attributed in the range, scaled to 30 days. Est./mo: the stored estimate{' '}
        <code>potential_monthly_savings</code>.
      </p>

      <BreakdownSection
        id="breakdown"
        title="Occurrences by dimension"
        description={`Every occurrence in the range (the leaderboard's filters do not apply), per ${range.granularity}: the 6 largest groups stacked, the rest as Other. Click a bar for its rows.`}
        action="/patterns#breakdown"
        keep={hrefParams(current, 'by')}
        csvHref={hrefWith('/api/export/breakdown', timeOnly(current), {
          subject: 'occurrences',
          by: breakdown.by,
        })}
        {...breakdown}
      />
    </>
  );
}
