import type { ReactNode } from 'react';

/**
 * A labelled form control with the message of what is wrong with it under it (when `error` is
 * given; give the control `aria-invalid` and `aria-describedby={errorId}`). Every form and filter
 * bar lays its fields out with this.
 */
export function FormField({
  label,
  children,
  error,
  errorId,
  className = 'flex flex-col gap-0.5 text-xs',
}: {
  label: ReactNode;
  children: ReactNode;
  error?: string;
  errorId?: string;
  className?: string;
}) {
  return (
    <label className={className}>
      <span className="text-slate-600 dark:text-slate-400">{label}</span>
      {children}
      {error === undefined && errorId === undefined ? null : (
        <span id={errorId} className="text-xs text-rose-700 dark:text-rose-400">
          {error}
        </span>
      )}
    </label>
  );
}
