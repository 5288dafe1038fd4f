/** Pieces shared by the admin forms (users and API keys). */

export const FIELD_CLASS =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';
export const BUTTON_CLASS =
  'rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900';
export const SMALL_BUTTON_CLASS =
  'rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/** What an admin action answers: a message, field errors, and a secret to show once. */
export type AdminState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** A generated password or API key, shown once. */
  secret?: string;
};

export function ActionMessage({ state, secretLabel }: { state: AdminState; secretLabel?: string }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={`text-xs ${state.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
    >
      {state.message}
      {state.secret ? (
        <span className="mt-1 block text-slate-900 dark:text-slate-100">
          {secretLabel ?? 'Shown once, pass it on safely'}:{' '}
          <code data-testid="generated-secret" className="break-all select-all">
            {state.secret}
          </code>
        </span>
      ) : null}
    </p>
  );
}
