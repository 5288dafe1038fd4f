import { useActionState, type ReactNode } from 'react';
import { CopyButton } from '@/components/copy-button';
import type { FormState } from '@/lib/action-result';

/** Pieces shared by the forms of the admin pages and the saved views. */

/** What an admin form shows: nothing yet, or its action's answer (with a secret to show once). */
export type AdminState = FormState<{ secret?: string }>;

/** An admin form's state: its action for `<form action>`, whether it is sending, field errors. */
export function useAdminForm(act: (state: AdminState, form: FormData) => Promise<AdminState>) {
  const [state, action, pending] = useActionState<AdminState, FormData>(act, null);
  const error = (name: string) => state?.fieldErrors?.[name]?.join(' ') ?? '';
  return { state, action, pending, error };
}

export function ActionMessage({ state, secretLabel }: { state: AdminState; secretLabel?: string }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={`text-xs ${state?.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
    >
      {state?.message}
      {state?.ok && state.secret ? (
        <span className="mt-1 block text-slate-900 dark:text-slate-100">
          {secretLabel ?? 'Shown once, pass it on safely'}:{' '}
          <code data-testid="generated-secret" className="break-all select-all">
            {state.secret}
          </code>
          <CopyButton text={state.secret} />
        </span>
      ) : null}
    </p>
  );
}

/** The end of a create form: its button (saying so while it sends) and the answer under it. */
export function CreateFormEnd({
  state,
  pending,
  label,
  secretLabel,
}: {
  state: AdminState;
  pending: boolean;
  label: string;
  secretLabel: string;
}) {
  return (
    <>
      <button type="submit" disabled={pending} className="button-primary mb-4">
        {pending ? 'Creating…' : label}
      </button>
      <div className="basis-full">
        <ActionMessage state={state} secretLabel={secretLabel} />
      </div>
    </>
  );
}

/** A Delete button that asks first; `children` are the form's hidden fields. */
export function ConfirmDeleteForm({
  action,
  pending,
  question,
  label,
  children,
}: {
  action: (form: FormData) => void;
  pending: boolean;
  question: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(question)) event.preventDefault();
      }}
    >
      {children}
      <button
        type="submit"
        disabled={pending}
        className="button-outline px-2 text-xs"
        aria-label={label}
      >
        Delete
      </button>
    </form>
  );
}
