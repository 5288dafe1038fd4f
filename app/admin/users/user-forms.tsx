'use client';

import { FormField } from '@/components/form-field';
import { ActionMessage, CreateFormEnd, useAdminForm } from '../form-parts';
import { changeRole, createAccount, setDisabled } from './actions';

export function CreateUserForm() {
  const { state, action, pending, error } = useAdminForm(createAccount);
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Create an account">
      {(
        [
          ['email', 'Email', 'email'],
          ['name', 'Name', 'text'],
          ['password', 'Password (empty: generate)', 'password'],
        ] as const
      ).map(([name, label, type]) => (
        <FormField key={name} label={label} error={error(name)}>
          <input
            name={name}
            type={type}
            className="field"
            aria-invalid={error(name) ? true : undefined}
            autoComplete="off"
          />
        </FormField>
      ))}
      <FormField label="Role" error="">
        <select name="role" defaultValue="viewer" className="field">
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
      </FormField>
      <CreateFormEnd
        state={state}
        pending={pending}
        label="Create account"
        secretLabel="Password (shown once, pass it on safely)"
      />
    </form>
  );
}

export function RoleForm({ userId, role, email }: { userId: string; role: string; email: string }) {
  const { state, action, pending } = useAdminForm(changeRole);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} className="field" aria-label={`Role of ${email}`}>
        <option value="viewer">viewer</option>
        <option value="editor">editor</option>
        <option value="admin">admin</option>
      </select>
      <button type="submit" disabled={pending} className="button-primary">
        Save
      </button>
      <ActionMessage state={state} />
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
  const { state, action, pending } = useAdminForm(setDisabled);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? 'false' : 'true'} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`${disabled ? 'Enable' : 'Disable'} ${email}`}
        className="button-outline px-2 text-xs"
      >
        {disabled ? 'Enable' : 'Disable'}
      </button>
      <ActionMessage state={state} />
    </form>
  );
}
