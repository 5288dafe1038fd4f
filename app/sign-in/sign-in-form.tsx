'use client';

import { useActionState } from 'react';
import { FormField } from '@/components/form-field';
import type { FormState } from '@/lib/action-result';
import { signIn } from './actions';

const FIELDS = [
  ['email', 'Email', 'email', 'username'],
  ['password', 'Password', 'password', 'current-password'],
] as const;

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signIn, null);
  return (
    <form action={action} className="space-y-4" aria-describedby="sign-in-error">
      <input type="hidden" name="next" value={next} />
      {FIELDS.map(([name, label, type, autoComplete]) => (
        <FormField
          key={name}
          label={label}
          className="flex flex-col gap-1 text-sm [&>span:first-child]:font-medium"
          error={state?.fieldErrors?.[name]?.join(' ')}
          errorId={`${name}-error`}
        >
          <input
            name={name}
            type={type}
            autoComplete={autoComplete}
            required
            // The email comes back after a failed attempt; the password never does.
            defaultValue={name === 'email' ? state?.values?.email : undefined}
            className="field w-full"
            aria-invalid={state?.fieldErrors?.[name] ? true : undefined}
            aria-describedby={`${name}-error`}
          />
        </FormField>
      ))}
      <p
        id="sign-in-error"
        role="alert"
        aria-live="assertive"
        className="text-sm text-rose-700 dark:text-rose-400"
      >
        {state?.message}
      </p>
      <button type="submit" disabled={pending} className="button-primary w-full py-2">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
