import type { ReactNode } from 'react';
import { Sparkline } from '@/components/charts/sparkline';
import { DataTable, figureColumn, type Column, type TableSort } from '@/components/data-table';
import { RoiBadge } from '@/components/roi-badge';
import { StatusBadge } from '@/components/status-badge';
import { TextLink } from '@/components/text-link';
import type { LeaderboardRow } from '@/db/queries/patterns';
import type { LeaderboardSort } from '@/lib/leaderboard-params';
import { formatCount, formatDateTime, formatPercent, formatTokens, formatUsd } from '@/lib/format';

const SECONDARY = 'block text-xs text-slate-500 dark:text-slate-400';

/** A figure of the leaderboard, sortable by its own key. */
const figure = <Key extends keyof LeaderboardRow & LeaderboardSort>(
  header: string,
  key: Key,
  format: (value: NonNullable<LeaderboardRow[Key]>) => ReactNode,
) => figureColumn<LeaderboardRow, Key>(header, key, format);

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
    {
      ...figure('Occur.', 'occurrences', formatCount),
      cell: (row) => (
        <>
          {formatCount(row.occurrences)}
          {allTime && row.storedCount !== null && row.storedCount !== row.occurrences ? (
            <span className={SECONDARY}>stored {formatCount(row.storedCount)}</span>
          ) : null}
        </>
      ),
    },
    figure('Share', 'share', formatPercent),
    figure('Avg sim.', 'avgSimilarity', formatPercent),
    figure('Min sim.', 'minSimilarity', formatPercent),
    figure('Workflows', 'workflows', formatCount),
    {
      ...figure('Last seen', 'lastSeen', (at) => formatDateTime(at, tz)),
      className: 'whitespace-nowrap',
      cell: (row) => (
        <>
          {formatDateTime(row.lastSeen, tz)}
          {row.lastSeen === null && row.storedLastSeen !== null ? (
            <span className={SECONDARY}>stored {formatDateTime(row.storedLastSeen, tz)}</span>
          ) : null}
        </>
      ),
    },
    figure('Tokens', 'tokensSaved', formatTokens),
    figure('USD', 'usdSaved', formatUsd),
    figure('Est./mo', 'estimatedMonthly', formatUsd),
    figure('Actual/mo', 'actualMonthly', formatUsd),
    // A pattern without an estimate has no ratio: the badge says so, rather than a dash.
    {
      ...figure('ROI', 'roi', (ratio) => <RoiBadge ratio={ratio} />),
      cell: (row) => <RoiBadge ratio={row.roi} />,
    },
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
