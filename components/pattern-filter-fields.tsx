import { FilterField } from '@/components/filter-bar';

/** Signature search, type and status: the filters of every list of patterns. */
export function PatternFilterFields({
  params,
  options,
  allStatusesLabel = 'All statuses',
}: {
  params: { q?: string; type: string[]; status: string[] };
  options: { types: string[]; statuses: string[] };
  allStatusesLabel?: string;
}) {
  return (
    <>
      <FilterField label="Signature contains">
        <input
          type="search"
          name="q"
          defaultValue={params.q ?? ''}
          placeholder="e.g. pytest"
          className="field w-48"
        />
      </FilterField>
      <FilterField label="Type">
        <select name="type" defaultValue={params.type[0] ?? ''} className="field">
          <option value="">All types</option>
          {options.types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField label="Status">
        <select name="status" defaultValue={params.status[0] ?? ''} className="field">
          <option value="">{allStatusesLabel}</option>
          {options.statuses.map((s) => (
            <option key={s} value={s}>
              {s || '(none)'}
            </option>
          ))}
        </select>
      </FilterField>
    </>
  );
}
