import { AUTOMATION_STATUSES } from '@/lib/domain';

const STYLES: Record<string, string> = {
  detected: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  candidate: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  approved: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  implemented: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300',
  active: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  deprecated: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
};

/** Known statuses styled; anything else stored there is shown as it is, marked as unknown. */
export function StatusBadge({ status }: { status: string | null }) {
  const known = status !== null && (AUTOMATION_STATUSES as readonly string[]).includes(status);
  return (
    <span
      className={`badge ${
        known
          ? STYLES[status]
          : 'border border-dashed border-slate-400 text-slate-700 dark:text-slate-300'
      }`}
      title={known ? undefined : 'Not one of the six known automation statuses'}
    >
      {status ?? '(none)'}
    </span>
  );
}
