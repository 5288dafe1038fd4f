import type { FormState } from '@/lib/action-result';

/** A form action's answer under the form: green when it worked, rose when it did not. */
export function FormMessage({ state, className = '' }: { state: FormState; className?: string }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={`text-xs ${state?.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'} ${className}`}
    >
      {state?.message}
    </p>
  );
}
