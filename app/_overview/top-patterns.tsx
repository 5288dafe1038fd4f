import { Card } from '@/components/card';
import { DataTable } from '@/components/data-table';
import { TextLink } from '@/components/text-link';
import { StatusBadge } from '@/components/status-badge';
import { getReadDb } from '@/server/database';
import { getLeaderboard } from '@/db/queries/patterns';
import { formatCount, formatUsd } from '@/lib/format';
import { hrefWith, timeOnly } from '@/lib/href';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import type { SearchParams } from '@/lib/search-params';
import type { ResolvedRange } from '@/lib/time-range';

export async function TopPatterns({
  range,
  current,
}: {
  range: ResolvedRange;
  current: SearchParams;
}) {
  const board = await getLeaderboard(await getReadDb(), range, {
    ...parseLeaderboardParams({}),
    size: 10,
  });
  const time = timeOnly(current);
  const rows = board.rows.filter((r) => r.occurrences > 0);
  return (
    <Card
      title="Top patterns"
      action={
        <TextLink href={hrefWith('/patterns', time)} className="text-xs">
          Leaderboard →
        </TextLink>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No pattern occurred in this range; widen the range to see the busiest ones.
        </p>
      ) : (
        <DataTable
          framed={false}
          testId="top-patterns"
          rows={rows}
          rowKey={(row) => row.id}
          columns={[
            {
              header: 'Pattern',
              className: 'max-w-56 truncate font-mono',
              cell: (row) => (
                <TextLink href={hrefWith(`/patterns/${row.id}`, time)}>{row.signature}</TextLink>
              ),
            },
            { header: 'Status', cell: (row) => <StatusBadge status={row.status} /> },
            { header: 'Occurrences', align: 'right', cell: (row) => formatCount(row.occurrences) },
            { header: 'USD saved', align: 'right', cell: (row) => formatUsd(row.usdSaved) },
          ]}
        />
      )}
    </Card>
  );
}
