import Link from 'next/link';
import { getKpis } from '@/db/queries/overview';
import { getLeaderboard, getPatternRangeSummary } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { countSavings } from '@/db/queries/savings';
import { pinnedViews, type SavedView } from '@/db/queries/views';
import type { Database } from '@/db/types';
import { formatCount, formatUsd } from '@/lib/format';
import { TIME_KEYS } from '@/lib/href';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseSavingsParams } from '@/lib/savings-params';
import { describeViewParams, viewHref, viewPageLabel } from '@/lib/saved-views';
import { getReadDb } from '@/server/database';

type Figure = { value: string; label: string; testId: string };

/**
 * A view's headline figures over its own range, read now, with the filters its page applies: a
 * savings view's matching entries, a pattern's own figures, the patterns a leaderboard lists;
 * the whole system's for the other pages (said so when the view has filters of its own).
 */
async function headline(db: Database, view: SavedView): Promise<Figure[]> {
  const range = await resolvePageRange(db, view.params);
  const pattern = /^\/patterns\/(\d+)$/.exec(view.page);
  if (pattern) {
    const summary = await getPatternRangeSummary(db, range, Number(pattern[1]));
    return [
      { value: formatCount(summary.occurrences), label: 'occurrences', testId: 'pin-occurrences' },
      { value: formatUsd(summary.usdSaved), label: 'saved', testId: 'pin-usd' },
    ];
  }
  if (view.page === '/savings') {
    const totals = await countSavings(db, range, parseSavingsParams(view.params));
    return [
      { value: formatCount(totals.total), label: 'entries', testId: 'pin-entries' },
      { value: formatUsd(totals.usd), label: 'saved', testId: 'pin-usd' },
    ];
  }
  if (view.page === '/patterns') {
    const board = await getLeaderboard(db, range, parseLeaderboardParams(view.params));
    return [
      { value: formatCount(board.total), label: 'patterns', testId: 'pin-patterns' },
      {
        value: formatCount(board.totalOccurrences),
        label: 'occurrences of all patterns',
        testId: 'pin-occurrences',
      },
    ];
  }
  const kpis = await getKpis(db, range);
  const system = Object.keys(view.params).some(
    (key) => !(TIME_KEYS as readonly string[]).includes(key),
  );
  return [
    {
      value: formatCount(kpis.current.occurrences),
      label: system ? 'occurrences in all' : 'occurrences',
      testId: 'pin-occurrences',
    },
    {
      value: formatUsd(kpis.current.usd),
      label: system ? 'saved in all' : 'saved',
      testId: 'pin-usd',
    },
  ];
}

/** The person's pinned views (up to eight), each with its live figures; nothing when none. */
export async function PinnedViews({ userId }: { userId: string }) {
  const db = await getReadDb();
  const views = await pinnedViews(db, userId);
  if (views.length === 0) return null;
  const figures = await Promise.all(views.map((view) => headline(db, view)));
  return (
    <section className="mt-4" aria-labelledby="pinned-heading">
      <div className="mb-2 flex items-baseline justify-between">
        <h2 id="pinned-heading" className="text-sm font-semibold">
          Pinned views
        </h2>
        <Link href="/views" className="text-xs text-sky-700 underline dark:text-sky-400">
          Manage views
        </Link>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="pinned-views">
        {views.map((view, i) => (
          <li key={view.id} className="card p-3" data-view={view.name}>
            <Link
              href={viewHref(view.page, view.params)}
              className="font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
            >
              {view.name}
            </Link>
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">
              {viewPageLabel(view.page)} · {describeViewParams(view.params)}
            </p>
            <p className="mt-2 flex flex-wrap gap-x-4 text-sm tabular-nums">
              {figures[i]!.map((figure) => (
                <span key={figure.testId} data-testid={figure.testId}>
                  {figure.value}{' '}
                  <span className="text-xs text-slate-500 dark:text-slate-400">{figure.label}</span>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
