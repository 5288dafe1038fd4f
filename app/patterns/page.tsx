import type { Metadata } from 'next';
import { requirePageRole } from '@/server/auth/actor';
import Link from 'next/link';
import { Sparkline } from '@/components/charts/sparkline';
import { EmptyState } from '@/components/empty-state';
import { ExportLink } from '@/components/export-link';
import { FilterBar } from '@/components/filter-bar';
import { PatternFilterFields } from '@/components/pattern-filter-fields';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { RangeNote } from '@/components/range-note';
import { RoiBadge } from '@/components/roi-badge';
import { SortHeader } from '@/components/sort-header';
import { StatusBadge } from '@/components/status-badge';
import { TimeRangeControl } from '@/components/time-range-control';
import { TABLE_HEAD_CLASS, TableFrame } from '@/components/table-frame';
import { getDb } from '@/server/database';
import { getLeaderboard, getPatternFilterOptions, getSparklines } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { formatCount, formatDateTime, formatPercent, formatTokens, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import type { SearchParams } from '@/lib/search-params';
import { checkSearchParams } from '@/lib/url-params';
import { timeParamsSchema } from '@/lib/time-range';
import { leaderboardParamsSchema } from '@/lib/leaderboard-params';

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
  ]);
  const db = await getDb();
  const params = parseLeaderboardParams(current);
  const range = await resolvePageRange(db, current);
  const [board, options] = await Promise.all([
    getLeaderboard(db, range, params),
    getPatternFilterOptions(db),
  ]);
  const sparklines = await getSparklines(
    db,
    range,
    board.rows.map((r) => r.id),
  );
  const href = (changes: Record<string, string | number | null>) =>
    hrefWith('/patterns', current, changes);
  const sortHref = (sort: string, dir: 'asc' | 'desc') => href({ sort, dir, page: null });
  const header = (label: string, key: string) => (
    <SortHeader
      label={label}
      sortKey={key}
      current={params.sort}
      direction={params.dir}
      hrefFor={sortHref}
    />
  );
  const patternHref = (id: number) => hrefWith(`/patterns/${id}`, timeOnly(current));
  const allTime = range.filter.from === null && range.filter.to === null;

  return (
    <>
      <PageHeader
        ignored={ignored}
        title="Patterns"
        description={<RangeNote range={range} />}
        actions={<TimeRangeControl value={range.params} shownGranularity={range.granularity} />}
      />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <FilterBar
          action="/patterns"
          resetHref={hrefWith('/patterns', timeOnly(current))}
          keep={{ ...timeOnly(current), sort: current.sort, dir: current.dir, size: current.size }}
        >
          <PatternFilterFields params={params} options={options} />
        </FilterBar>
        <ExportLink href={hrefWith('/api/export/patterns', current, { page: null, size: null })} />
      </div>

      {board.total === 0 ? (
        <EmptyState title="No patterns match">
          {params.q || params.type.length || params.status.length
            ? 'No learned pattern matches these filters. Clear them to see every pattern.'
            : 'No pattern has been learned yet. Patterns appear here once an agent records one in operation_patterns.'}
        </EmptyState>
      ) : (
        <TableFrame>
          <table
            // Cell spacing and number alignment once for the table, not on each of 400 cells.
            className="w-full text-xs [&_td]:px-1.5 [&_td]:py-1.5 [&_td[data-col]]:text-right [&_td[data-col]]:tabular-nums"
            data-testid="leaderboard"
          >
            <caption className="sr-only">
              Pattern leaderboard, sorted by {params.sort}{' '}
              {params.dir === 'asc' ? 'ascending' : 'descending'}
            </caption>
            <thead className={TABLE_HEAD_CLASS}>
              <tr>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  #
                </th>
                <th scope="col" className="px-2 py-2 text-left font-medium">
                  Signature
                </th>
                <th scope="col" className="px-2 py-2 text-left font-medium">
                  Type
                </th>
                <th scope="col" className="px-2 py-2 text-left font-medium">
                  Status
                </th>
                {header('Occur.', 'occurrences')}
                {header('Share', 'share')}
                {header('Avg sim.', 'avgSimilarity')}
                {header('Min sim.', 'minSimilarity')}
                {header('Workflows', 'workflows')}
                {header('Last seen', 'lastSeen')}
                {header('Tokens', 'tokensSaved')}
                {header('USD', 'usdSaved')}
                {header('Est./mo', 'estimatedMonthly')}
                {header('Actual/mo', 'actualMonthly')}
                {header('ROI', 'roi')}
                <th scope="col" className="px-2 py-2 text-left font-medium">
                  Trend
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {board.rows.map((row) => (
                <tr
                  key={row.id}
                  data-pattern-id={row.id}
                  className="hover:bg-slate-50 dark:hover:bg-slate-800/50"
                >
                  <td data-col="rank" className="text-slate-500 dark:text-slate-400">
                    {row.rank}
                  </td>
                  <td className="max-w-48 truncate font-mono">
                    <Link href={patternHref(row.id)} className="text-link" title={row.signature}>
                      {row.signature}
                    </Link>
                  </td>
                  <td>{row.type}</td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  <td data-col="occurrences">
                    {formatCount(row.occurrences)}
                    {allTime && row.storedCount !== null && row.storedCount !== row.occurrences ? (
                      <span className="block text-xs text-slate-500 dark:text-slate-400">
                        stored {formatCount(row.storedCount)}
                      </span>
                    ) : null}
                  </td>
                  <td data-col="share">{formatPercent(row.share)}</td>
                  <td data-col="avgSimilarity">{formatPercent(row.avgSimilarity)}</td>
                  <td data-col="minSimilarity">{formatPercent(row.minSimilarity)}</td>
                  <td data-col="workflows">{formatCount(row.workflows)}</td>
                  <td className="whitespace-nowrap" data-col="lastSeen">
                    {formatDateTime(row.lastSeen, range.tz)}
                    {row.lastSeen === null && row.storedLastSeen !== null ? (
                      <span className="block text-xs text-slate-500 dark:text-slate-400">
                        stored {formatDateTime(row.storedLastSeen, range.tz)}
                      </span>
                    ) : null}
                  </td>
                  <td data-col="tokensSaved">{formatTokens(row.tokensSaved)}</td>
                  <td data-col="usdSaved">{formatUsd(row.usdSaved)}</td>
                  <td data-col="estimatedMonthly">{formatUsd(row.estimatedMonthly)}</td>
                  <td data-col="actualMonthly">{formatUsd(row.actualMonthly)}</td>
                  <td data-col="roi">
                    <RoiBadge ratio={row.roi} />
                  </td>
                  <td>
                    <Sparkline
                      values={sparklines.get(row.id) ?? []}
                      label={`${formatCount(row.occurrences)} occurrences of ${row.signature} in the range`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <Pagination
        page={params.page}
        size={params.size}
        total={board.total}
        noun="patterns"
        pathname="/patterns"
        current={current}
      />
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Tokens and USD: savings attributed to the pattern (<code>cost_savings_log.pattern_id</code>)
        in the range. Occur.: rows of <code>pattern_occurrences</code>; &ldquo;stored&rdquo;: the
        counter <code>operation_patterns.occurrence_count</code> where it differs (all time), and
        its <code>last_seen</code> where no occurrence is recorded. Share: of all{' '}
        {formatCount(board.totalOccurrences)} occurrences in the range. Similarity: a percentage
        whatever scale it was stored in (0–1 or 0–100). Actual/mo: USD attributed in the range,
        scaled to 30 days. Est./mo: the stored estimate <code>potential_monthly_savings</code>.
      </p>
    </>
  );
}
