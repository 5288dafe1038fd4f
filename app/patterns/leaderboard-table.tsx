import type { ReactNode } from 'react';
import { Sparkline } from '@/components/charts/sparkline';
import { DataTable, type Column, type TableSort } from '@/components/data-table';
import { RoiBadge } from '@/components/roi-badge';
import { StatusBadge } from '@/components/status-badge';
import { TextLink } from '@/components/text-link';
import type { LeaderboardRow } from '@/db/queries/patterns';
import type { LeaderboardSort } from '@/lib/leaderboard-params';
import { formatCount, formatDateTime, formatPercent, formatTokens, formatUsd } from '@/lib/format';

const SECONDARY = 'block text-xs text-slate-500 dark:text-slate-400';

/** A number column of the leaderboard, sortable by its own key. */
function measure(
  header: string,
  key: keyof LeaderboardRow & LeaderboardSort,
  cell: (row: LeaderboardRow) => ReactNode,
): Column<LeaderboardRow> {
  return { header, key, sort: key, align: 'right', cell };
}

/** The pattern leaderboard: one row per pattern, its figures in the range, and a trend. */
export function LeaderboardTable({
  rows,
  tz,
  allTime,
  sparklines,
  patternHref,
  sort,
}: {
  rows: LeaderboardRow[];
  tz: string;
  /** All time: show the stored counters where they differ from the rows. */
  allTime: boolean;
  sparklines: Map<number, number[]>;
  patternHref: (id: number) => string;
  sort: TableSort;
}) {
  const columns: Column<LeaderboardRow>[] = [
    {
      header: '#',
      key: 'rank',
      align: 'right',
      className: 'text-slate-500 dark:text-slate-400',
      cell: (row) => row.rank,
    },
    {
      header: 'Signature',
      className: 'max-w-48 truncate font-mono',
      cell: (row) => (
        <TextLink href={patternHref(row.id)} title={row.signature}>
          {row.signature}
        </TextLink>
      ),
    },
    { header: 'Type', cell: (row) => row.type },
    { header: 'Status', cell: (row) => <StatusBadge status={row.status} /> },
    measure('Occur.', 'occurrences', (row) => (
      <>
        {formatCount(row.occurrences)}
        {allTime && row.storedCount !== null && row.storedCount !== row.occurrences ? (
          <span className={SECONDARY}>stored {formatCount(row.storedCount)}</span>
        ) : null}
      </>
    )),
    measure('Share', 'share', (row) => formatPercent(row.share)),
    measure('Avg sim.', 'avgSimilarity', (row) => formatPercent(row.avgSimilarity)),
    measure('Min sim.', 'minSimilarity', (row) => formatPercent(row.minSimilarity)),
    measure('Workflows', 'workflows', (row) => formatCount(row.workflows)),
    {
      ...measure('Last seen', 'lastSeen', (row) => (
        <>
          {formatDateTime(row.lastSeen, tz)}
          {row.lastSeen === null && row.storedLastSeen !== null ? (
            <span className={SECONDARY}>stored {formatDateTime(row.storedLastSeen, tz)}</span>
          ) : null}
        </>
      )),
      className: 'whitespace-nowrap',
    },
    measure('Tokens', 'tokensSaved', (row) => formatTokens(row.tokensSaved)),
    measure('USD', 'usdSaved', (row) => formatUsd(row.usdSaved)),
    measure('Est./mo', 'estimatedMonthly', (row) => formatUsd(row.estimatedMonthly)),
    measure('Actual/mo', 'actualMonthly', (row) => formatUsd(row.actualMonthly)),
    measure('ROI', 'roi', (row) => <RoiBadge ratio={row.roi} />),
    {
      header: 'Trend',
      cell: (row) => (
        <Sparkline
          values={sparklines.get(row.id) ?? []}
          label={`${formatCount(row.occurrences)} occurrences of ${row.signature} in the range`}
        />
      ),
    },
  ];
  return (
    <DataTable
      testId="leaderboard"
      caption={`Pattern leaderboard, sorted by ${sort.current} ${sort.dir === 'asc' ? 'ascending' : 'descending'}`}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.id}
      rowAttributes={(row) => ({
        'data-pattern-id': row.id,
        className: 'hover:bg-slate-50 dark:hover:bg-slate-800/50',
      })}
      sort={sort}
    />
  );
}
