'use client';

import { useActionState } from 'react';
import { changeRole, createAccount, setDisabled, type AdminState } from './actions';

const field =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';
const button =
  'rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900';

function Message({ state }: { state: AdminState }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={`text-xs ${state.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
    >
      {state.message}
      {state.password ? (
        <span className="mt-1 block text-slate-900 dark:text-slate-100">
          Password (shown once, pass it on safely):{' '}
          <code data-testid="generated-password">{state.password}</code>
        </span>
      ) : null}
    </p>
  );
}

export function CreateUserForm() {
  const [state, action, pending] = useActionState<AdminState, FormData>(createAccount, {});
  const error = (name: string) => state.fieldErrors?.[name]?.join(' ');
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Create an account">
      {(
        [
          ['email', 'Email', 'email'],
          ['name', 'Name', 'text'],
          ['password', 'Password (empty: generate)', 'password'],
        ] as const
      ).map(([name, label, type]) => (
        <label key={name} className="flex flex-col gap-0.5 text-xs">
          <span className="text-slate-600 dark:text-slate-400">{label}</span>
          <input
            name={name}
            type={type}
            className={field}
            aria-invalid={error(name) ? true : undefined}
            autoComplete="off"
          />
          <span className="text-rose-700 dark:text-rose-400">{error(name)}</span>
        </label>
      ))}
      <label className="flex flex-col gap-0.5 text-xs">
        <span className="text-slate-600 dark:text-slate-400">Role</span>
        <select name="role" defaultValue="viewer" className={field}>
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
        <span />
      </label>
      <button type="submit" disabled={pending} className={`${button} mb-4`}>
        {pending ? 'Creating…' : 'Create account'}
      </button>
      <div className="basis-full">
        <Message state={state} />
      </div>
    </form>
  );
}

export function RoleForm({ userId, role, email }: { userId: string; role: string; email: string }) {
  const [state, action, pending] = useActionState<AdminState, FormData>(changeRole, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} className={field} aria-label={`Role of ${email}`}>
        <option value="viewer">viewer</option>
        <option value="editor">editor</option>
        <option value="admin">admin</option>
      </select>
      <button type="submit" disabled={pending} className={button}>
        Save
      </button>
      <Message state={state} />
    </form>
  );
}

export function DisableForm({
  userId,
  disabled,
  email,
}: {
  userId: string;
  disabled: boolean;
  email: string;
}) {
  const [state, action, pending] = useActionState<AdminState, FormData>(setDisabled, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? 'false' : 'true'} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`${disabled ? 'Enable' : 'Disable'} ${email}`}
        className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {disabled ? 'Enable' : 'Disable'}
      </button>
      <Message state={state} />
    </form>
  );
}
