import Link from 'next/link';
import { getKpis } from '@/db/queries/overview';
import { getPatternRangeSummary } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { pinnedViews, type SavedView } from '@/db/queries/views';
import type { Database } from '@/db/types';
import { formatCount, formatUsd } from '@/lib/format';
import { describeViewParams, viewHref, viewPageLabel } from '@/lib/saved-views';
import { getDb } from '@/server/database';

/** A view's headline figures over its own range, read now: a pattern's, or the whole system's. */
async function headline(db: Database, view: SavedView) {
  const range = await resolvePageRange(db, view.params);
  const pattern = /^\/patterns\/(\d+)$/.exec(view.page);
  if (pattern) {
    const summary = await getPatternRangeSummary(db, range, Number(pattern[1]));
    return { occurrences: summary.occurrences, usd: summary.usdSaved };
  }
  const kpis = await getKpis(db, range);
  return { occurrences: kpis.current.occurrences, usd: kpis.current.usd };
}

/** The person's pinned views (up to eight), each with its live figures; nothing when none. */
export async function PinnedViews({ userId }: { userId: string }) {
  const db = await getDb();
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
            <p className="mt-2 flex gap-4 text-sm tabular-nums">
              <span data-testid="pin-occurrences">
                {formatCount(figures[i]!.occurrences)}{' '}
                <span className="text-xs text-slate-500 dark:text-slate-400">occurrences</span>
              </span>
              <span data-testid="pin-usd">
                {formatUsd(figures[i]!.usd)}{' '}
                <span className="text-xs text-slate-500 dark:text-slate-400">saved</span>
              </span>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
