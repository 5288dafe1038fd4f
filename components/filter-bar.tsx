import type { ReactNode } from 'react';
import { FilterForm } from './filter-form';
import { FormField } from './form-field';

/**
 * A GET form for a table's filters: submitting navigates (client-side) to the same page with the
 * fields as URL parameters; `keep` carries parameters that are not fields (time range, sort, size).
 */
export function FilterBar({
  action,
  keep,
  children,
  resetHref,
}: {
  action: string;
  keep: Record<string, string | string[] | undefined>;
  children: ReactNode;
  resetHref: string;
}) {
  return (
    <FilterForm
      action={action}
      className="mb-3 flex flex-wrap items-end gap-3 text-sm"
      aria-label="Filters"
    >
      {Object.entries(keep).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v, i) => (
          <input key={`${key}-${i}`} type="hidden" name={key} value={v} />
        )),
      )}
      {children}
      <button
        type="submit"
        className="rounded-md bg-slate-900 px-3 py-1.5 text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-sky-500 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300"
      >
        Apply
      </button>
      <a href={resetHref} className="py-1.5 text-sky-700 underline dark:text-sky-400">
        Clear filters
      </a>
    </FilterForm>
  );
}

/** One filter of a FilterBar: a label over its control. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <FormField label={label} className="flex flex-col gap-0.5 text-sm [&>span]:text-xs">
      {children}
    </FormField>
  );
}

/** A text (or number) filter: its label, the URL parameter it sets, and the value it has now. */
export function TextFilter({
  label,
  name,
  value,
  placeholder,
  width = 'w-48',
  kind = 'search',
}: {
  label: string;
  name: string;
  value: string | number | undefined;
  placeholder?: string;
  width?: string;
  /** `id`: whole numbers; `amount`: any number from zero. */
  kind?: 'search' | 'id' | 'amount';
}) {
  return (
    <FilterField label={label}>
      <input
        name={name}
        defaultValue={value ?? ''}
        placeholder={placeholder}
        className={`field ${width}`}
        {...(kind === 'search'
          ? { type: 'search' }
          : kind === 'id'
            ? { inputMode: 'numeric' as const }
            : { type: 'number', step: 'any', min: '0' })}
      />
    </FilterField>
  );
}
