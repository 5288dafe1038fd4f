'use client';

import { FormField } from '@/components/form-field';
import { ActionMessage, CreateFormEnd, useAdminForm } from '../form-parts';
import { createKey, revokeKey } from './actions';

export function CreateKeyForm() {
  const { state, action, pending, error } = useAdminForm(createKey);
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Create an API key">
      <FormField label="Name" error={error('name')}>
        <input
          name="name"
          className="field"
          placeholder="e.g. adw-runner on ci-3"
          aria-invalid={error('name') ? true : undefined}
          autoComplete="off"
        />
      </FormField>
      <FormField label="Scope" error={error('scope')}>
        <select name="scope" defaultValue="write" className="field">
          <option value="write">write (ingest and read)</option>
          <option value="read">read only</option>
          <option value="capture">capture (hooks and telemetry only)</option>
        </select>
      </FormField>
      <CreateFormEnd
        state={state}
        pending={pending}
        label="Create key"
        secretLabel="The key (shown once: copy it now, only its hash is kept)"
      />
    </form>
  );
}

export function RevokeKeyForm({ id, name }: { id: number; name: string }) {
  const { state, action, pending } = useAdminForm(revokeKey);
  return (
    <form
      action={action}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (!window.confirm(`Revoke the key “${name}”? Programs using it stop working.`)) {
          event.preventDefault();
        }
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="button-outline px-2 text-xs"
      >
        Revoke
      </button>
      <ActionMessage state={state} />
    </form>
  );
}
