import Link from 'next/link';
import { StatusBadge } from '@/components/status-badge';
import { getDb } from '@/server/database';
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
  const board = await getLeaderboard(await getDb(), range, {
    ...parseLeaderboardParams({}),
    size: 10,
  });
  const time = timeOnly(current);
  const rows = board.rows.filter((r) => r.occurrences > 0);
  return (
    <section className="card">
      <div className="mb-2 flex items-baseline justify-between">
        <h2 className="text-sm font-semibold">Top patterns</h2>
        <Link href={hrefWith('/patterns', time)} className="text-xs text-link">
          Leaderboard →
        </Link>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No pattern occurred in this range; widen the range to see the busiest ones.
        </p>
      ) : (
        <table className="w-full text-xs" data-testid="top-patterns">
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 text-left font-medium">
                Pattern
              </th>
              <th scope="col" className="py-1 text-left font-medium">
                Status
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Occurrences
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                USD saved
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="max-w-56 truncate py-1 font-mono">
                  <Link href={hrefWith(`/patterns/${row.id}`, time)} className="text-link">
                    {row.signature}
                  </Link>
                </td>
                <td className="py-1">
                  <StatusBadge status={row.status} />
                </td>
                <td className="py-1 text-right tabular-nums">{formatCount(row.occurrences)}</td>
                <td className="py-1 text-right tabular-nums">{formatUsd(row.usdSaved)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
