'use client';

import { useState } from 'react';
import { FormField } from '@/components/form-field';
import { ActionMessage, ConfirmDeleteForm, CreateFormEnd, useAdminForm } from '../form-parts';
import { createChannelAction, deleteChannelAction, sendTestAction } from './actions';

export function CreateChannelForm() {
  const { state, action, pending, error } = useAdminForm(createChannelAction);
  const [kind, setKind] = useState('webhook');
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Add a channel">
      <FormField label="Name" error={error('name')}>
        <input
          name="name"
          className="field"
          placeholder="e.g. #ops in Slack"
          autoComplete="off"
          aria-invalid={error('name') ? true : undefined}
        />
      </FormField>
      <FormField label="Kind" error={error('kind')}>
        <select
          name="kind"
          className="field"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
        >
          <option value="webhook">webhook</option>
          <option value="email">email</option>
        </select>
      </FormField>
      <FormField
        label={kind === 'webhook' ? 'URL (http or https)' : 'Addresses (comma-separated)'}
        error={error('target')}
        className="flex min-w-64 flex-1 flex-col gap-0.5 text-xs"
      >
        <input
          name="target"
          className="field"
          autoComplete="off"
          aria-invalid={error('target') ? true : undefined}
          placeholder={kind === 'webhook' ? 'https://hooks.example.com/…' : 'ops@example.com'}
        />
      </FormField>
      {kind === 'webhook' ? (
        <>
          <FormField label="Body" error={error('format')}>
            <select name="format" defaultValue="json" className="field">
              <option value="json">JSON, signed</option>
              <option value="slack">Slack-compatible</option>
            </select>
          </FormField>
          <FormField label="Signing secret (empty: generate one)" error={error('secret')}>
            <input name="secret" type="password" className="field" autoComplete="off" />
          </FormField>
        </>
      ) : null}
      <CreateFormEnd
        state={state}
        pending={pending}
        label="Add channel"
        secretLabel="The signing secret (shown once: give it to the receiver now)"
      />
    </form>
  );
}

export function ChannelRowActions({ id, name }: { id: number; name: string }) {
  const test = useAdminForm(sendTestAction);
  const remove = useAdminForm(deleteChannelAction);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form action={test.action}>
        <input type="hidden" name="id" value={id} />
        <button
          type="submit"
          disabled={test.pending}
          className="button-outline px-2 text-xs"
          aria-label={`Send a test to ${name}`}
        >
          {test.pending ? 'Sending…' : 'Send a test'}
        </button>
      </form>
      <ConfirmDeleteForm
        action={remove.action}
        pending={remove.pending}
        question={`Delete the channel “${name}”? Rules and reports stop sending to it.`}
        label={`Delete ${name}`}
      >
        <input type="hidden" name="id" value={id} />
      </ConfirmDeleteForm>
      <div className="basis-full">
        <ActionMessage state={test.state ?? remove.state} />
      </div>
    </div>
  );
}
