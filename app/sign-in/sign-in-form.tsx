'use client';

import { useActionState } from 'react';
import type { FormState } from '@/lib/action-result';
import { signIn } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signIn, null);
  return (
    <form action={action} className="space-y-4" aria-describedby="sign-in-error">
      <input type="hidden" name="next" value={next} />
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.values?.email}
          className="field"
          aria-invalid={state?.fieldErrors?.email ? true : undefined}
          aria-describedby="email-error"
        />
        <span id="email-error" className="mt-1 block text-xs text-rose-700 dark:text-rose-400">
          {state?.fieldErrors?.email?.join(' ')}
        </span>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="field"
          aria-invalid={state?.fieldErrors?.password ? true : undefined}
          aria-describedby="password-error"
        />
        <span id="password-error" className="mt-1 block text-xs text-rose-700 dark:text-rose-400">
          {state?.fieldErrors?.password?.join(' ')}
        </span>
      </label>
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
