import { FilterBar, FilterField, TextFilter } from '@/components/filter-bar';
import { hrefWith, timeOnly } from '@/lib/href';
import type { SearchParams } from '@/lib/search-params';

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
      <TextFilter label="Signature contains" name="q" value={params.q} placeholder="e.g. pytest" />
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

type PatternFilterProps = Parameters<typeof PatternFilterFields>[0];

/**
 * The filter bar of a list of patterns at `action`: it keeps the sort and page size (and the
 * time range where the list has one) and resets to the unfiltered list.
 */
export function PatternFilterBar({
  action,
  current,
  timed,
  ...fields
}: PatternFilterProps & { action: string; current: SearchParams; timed: boolean }) {
  const time = timed ? timeOnly(current) : {};
  return (
    <FilterBar
      action={action}
      resetHref={hrefWith(action, time)}
      keep={{ ...time, sort: current.sort, dir: current.dir, size: current.size }}
    >
      <PatternFilterFields {...fields} />
    </FilterBar>
  );
}

/** Whether any of the pattern filters is set. */
export function hasPatternFilters(params: PatternFilterProps['params']): boolean {
  return Boolean(params.q || params.type.length || params.status.length);
}
