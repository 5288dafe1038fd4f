'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import type { FormState } from '@/lib/action-result';
import { saveViewAction } from '@/server/actions/views';
import { FormField } from './form-field';

/**
 * "Save view": keeps this page's state (its path and every URL parameter: range, zone, filters,
 * sort, breakdown) under a name, private or shared; listed on /views.
 */
export function SaveView() {
  const pathname = usePathname();
  const search = useSearchParams();
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<FormState<{ id?: number }>, FormData>(
    saveViewAction,
    null,
  );
  const nameRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const formId = useId();
  useEffect(() => {
    if (open) nameRef.current?.focus();
  }, [open]);
  const nameError = state?.fieldErrors?.name?.join(' ');
  return (
    <div className="relative">
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        aria-controls={formId}
        onClick={() => setOpen((o) => !o)}
        className="button-outline px-2 text-xs"
      >
        Save view
      </button>
      {open ? (
        <form
          id={formId}
          action={action}
          aria-label="Save this view"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setOpen(false);
              toggleRef.current?.focus();
            }
          }}
          className="absolute right-0 z-20 mt-1 flex w-72 flex-col gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <input type="hidden" name="path" value={pathname} />
          <input type="hidden" name="query" value={search.toString()} />
          <FormField label="Name" error={nameError} errorId={`${formId}-name-error`}>
            <input
              ref={nameRef}
              name="name"
              required
              maxLength={80}
              autoComplete="off"
              defaultValue={state?.values?.name}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={`${formId}-name-error`}
              className="field"
            />
          </FormField>
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" name="shared" />
            Share with everyone
          </label>
          <div className="flex items-center justify-between gap-2">
            <a href="/views" className="text-xs text-sky-700 underline dark:text-sky-400">
              All views
            </a>
            <button type="submit" disabled={pending} className="button-primary px-3 text-xs">
              {pending ? 'Saving…' : 'Save'}
            </button>
          </div>
          <p
            role="status"
            aria-live="polite"
            className={`text-xs ${state?.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
          >
            {state?.ok || !state?.fieldErrors ? state?.message : null}
          </p>
        </form>
      ) : null}
    </div>
  );
}
