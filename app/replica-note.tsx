import { getReadTarget } from '@/server/database';

/** A replica more than this far behind is said so on the page it serves. */
const LAG_SHOWN_SECONDS = 5;

/** Says when this page was read from a replica that lags the primary (nothing otherwise). */
export async function ReplicaNote() {
  // The page itself says when the database is away; this note never stands in its way.
  const target = await getReadTarget().catch(() => null);
  if (!target) return null;
  if (target.source !== 'replica' || (target.lagSeconds ?? 0) <= LAG_SHOWN_SECONDS) return null;
  const seconds = Math.round(target.lagSeconds!);
  return (
    <p
      role="status"
      data-testid="replica-lag"
      className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      Read from a replica {seconds.toLocaleString('en-US')} s behind the primary: changes made since
      then are not shown yet.
    </p>
  );
}
