'use client';

import type { ReactNode } from 'react';
import { FormField } from './form-field';

/** A form's draft and what its fields need of it: the value, a change, the server's complaint. */
export type Binding<D> = {
  draft: D;
  change: (name: keyof D & string, value: string) => void;
  error: (name: string) => string;
};

type Option = { value: string | number; label: ReactNode };

/**
 * One field of a form bound to its draft: a labelled text input, or a select when `options` are
 * given, named as the server action reads it, with its error under it and announced on the
 * control. Every field of a draft-driven form is one of these.
 */
export function BoundField<D>({
  bind,
  name,
  label,
  options,
  placeholder,
  inputMode,
  list,
  disabled,
  className = 'field w-full',
}: {
  bind: Binding<D>;
  name: keyof D & string;
  label: ReactNode;
  options?: Option[];
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal';
  list?: string;
  disabled?: boolean;
  className?: string;
}) {
  const error = bind.error(name);
  const errorId = `${name}-error`;
  const value = String(bind.draft[name] ?? '');
  const common = {
    name,
    className,
    value,
    disabled,
    onChange: (event: { target: { value: string } }) => bind.change(name, event.target.value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  };
  return (
    <FormField label={label} error={error || undefined} errorId={error ? errorId : undefined}>
      {options ? (
        <select {...common}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          placeholder={placeholder}
          inputMode={inputMode}
          list={list}
          autoComplete="off"
        />
      )}
      {/* A disabled control is not submitted: its value still is. */}
      {disabled ? <input type="hidden" name={name} value={value} /> : null}
    </FormField>
  );
}
