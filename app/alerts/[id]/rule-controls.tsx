'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { FormMessage } from '@/components/form-message';
import type { FormState } from '@/lib/action-result';
import { deleteRule, silenceRule } from '../actions';

type Act = (state: FormState, form: FormData) => Promise<FormState>;

/** Mute, unmute, snooze for some hours, end the snooze. */
export function SilenceControls({
  id,
  muted,
  snoozed,
}: {
  id: number;
  muted: boolean;
  snoozed: boolean;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(silenceRule as Act, null);
  return (
    <div className="flex flex-wrap items-end gap-3">
      <form action={action}>
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="mode" value={muted ? 'unmute' : 'mute'} />
        <button type="submit" disabled={pending} className="button-outline">
          {muted ? 'Unmute' : 'Mute'}
        </button>
      </form>
      <form action={action} className="flex items-end gap-2">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="mode" value={snoozed ? 'unsnooze' : 'snooze'} />
        {snoozed ? null : (
          <label className="flex flex-col gap-0.5 text-xs">
            <span className="text-slate-600 dark:text-slate-400">Snooze for</span>
            <select name="hours" defaultValue="4" className="field">
              <option value="1">1 hour</option>
              <option value="4">4 hours</option>
              <option value="24">1 day</option>
              <option value="168">1 week</option>
            </select>
          </label>
        )}
        <button type="submit" disabled={pending} className="button-outline">
          {snoozed ? 'End snooze' : 'Snooze'}
        </button>
      </form>
      <FormMessage state={state} />
    </div>
  );
}

export function DeleteRuleButton({ id, name }: { id: number; name: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<FormState, FormData>(deleteRule as Act, null);
  useEffect(() => {
    if (state?.ok) router.push('/alerts');
  }, [state, router]);
  return (
    <form
      action={action}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (!window.confirm(`Delete the rule “${name}” and its history?`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className="button-outline">
        Delete rule
      </button>
      <FormMessage state={state} />
    </form>
  );
}
