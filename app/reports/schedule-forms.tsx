'use client';

import { useActionState, useState } from 'react';
import { FormField } from '@/components/form-field';
import { FormMessage } from '@/components/form-message';
import type { FormState } from '@/lib/action-result';
import { WEEKDAYS } from '@/lib/alerts/reports';
import { createSchedule, deleteSchedule } from '../alerts/actions';

type Act = (state: FormState, form: FormData) => Promise<FormState>;

export function CreateScheduleForm({ channels }: { channels: { id: number; name: string }[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(createSchedule as Act, null);
  const [cadence, setCadence] = useState('weekly');
  const error = (name: string) => state?.fieldErrors?.[name]?.join(' ') ?? '';
  const zone =
    typeof Intl === 'undefined' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Schedule a digest">
      <FormField label="Name" error={error('name')}>
        <input name="name" className="field" placeholder="e.g. Monday figures" autoComplete="off" />
      </FormField>
      <FormField label="Cadence" error={error('cadence')}>
        <select
          name="cadence"
          className="field"
          value={cadence}
          onChange={(e) => setCadence(e.target.value)}
        >
          <option value="daily">daily</option>
          <option value="weekly">weekly</option>
        </select>
      </FormField>
      {cadence === 'weekly' ? (
        <FormField label="On" error={error('weekday')}>
          <select name="weekday" className="field" defaultValue="1">
            {WEEKDAYS.map((day, i) => (
              <option key={day} value={i + 1}>
                {day}
              </option>
            ))}
          </select>
        </FormField>
      ) : null}
      <FormField label="At (local hour)" error={error('hour')}>
        <select name="hour" className="field" defaultValue="8">
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, '0')}:00
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Time zone" error={error('tz')}>
        <input name="tz" className="field" defaultValue={zone} autoComplete="off" />
      </FormField>
      <fieldset className="text-xs">
        <legend className="text-slate-600 dark:text-slate-400">Send to</legend>
        <div className="flex flex-wrap gap-x-3">
          {channels.map((c) => (
            <label key={c.id} className="inline-flex items-center gap-1">
              <input type="checkbox" name="channelIds" value={c.id} /> {c.name}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className="button-primary">
        {pending ? 'Scheduling…' : 'Schedule'}
      </button>
      <FormMessage state={state} className="basis-full" />
    </form>
  );
}

export function DeleteScheduleButton({ id, name }: { id: number; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteSchedule as Act, null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(`Delete the schedule “${name}”?`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        className="button-outline px-2 text-xs"
        aria-label={`Delete ${name}`}
      >
        Delete
      </button>
      <FormMessage state={state} className="basis-full" />
    </form>
  );
}
