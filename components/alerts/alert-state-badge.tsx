import type { AlertState } from '@/lib/alerts/metrics';

const STYLES: Record<AlertState, string> = {
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  warning: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300',
  critical: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
};

/** A rule's state, and whether its notifications are held. */
export function AlertStateBadge({
  state,
  muted = false,
  snoozed = false,
}: {
  state: AlertState;
  muted?: boolean;
  snoozed?: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="alert-state">
      <span className={`badge ${STYLES[state]}`} data-state={state}>
        {state === 'ok' ? 'OK' : state}
      </span>
      {muted ? (
        <span className="badge bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          muted
        </span>
      ) : null}
      {snoozed ? (
        <span className="badge bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          snoozed
        </span>
      ) : null}
    </span>
  );
}
