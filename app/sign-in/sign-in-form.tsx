'use client';

import { useActionState } from 'react';
import { FormField } from '@/components/form-field';
import type { FormState } from '@/lib/action-result';
import { signIn } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signIn, null);
  return (
    <form action={action} className="space-y-4" aria-describedby="sign-in-error">
      <input type="hidden" name="next" value={next} />
      <FormField
        label="Email"
        className="flex flex-col gap-1 text-sm [&>span:first-child]:font-medium"
        error={state?.fieldErrors?.email?.join(' ')}
        errorId="email-error"
      >
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.values?.email}
          className="field w-full"
          aria-invalid={state?.fieldErrors?.email ? true : undefined}
          aria-describedby="email-error"
        />
      </FormField>
      <FormField
        label="Password"
        className="flex flex-col gap-1 text-sm [&>span:first-child]:font-medium"
        error={state?.fieldErrors?.password?.join(' ')}
        errorId="password-error"
      >
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="field w-full"
          aria-invalid={state?.fieldErrors?.password ? true : undefined}
          aria-describedby="password-error"
        />
      </FormField>
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
