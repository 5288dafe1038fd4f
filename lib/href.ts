import type { SearchParams } from './search-params';

export type ParamChanges = Record<string, string | number | readonly string[] | null | undefined>;

/** `pathname?query` from the current parameters with some changed (null or '' removes one). */
export function hrefWith(
  pathname: string,
  current: SearchParams,
  changes: ParamChanges = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(current)) {
    if (key in changes || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** The URL keys of the shared time controls, carried across pages. */
export const TIME_KEYS = [
  'range',
  'from',
  'to',
  'tz',
  'granularity',
  'refresh',
  'compare',
] as const;

export function timeOnly(current: SearchParams): SearchParams {
  return Object.fromEntries(
    TIME_KEYS.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]),
  );
}

/** The current parameters without some (the ones a form sets itself). */
export function hrefParams(current: SearchParams, ...without: string[]): SearchParams {
  return Object.fromEntries(Object.entries(current).filter(([key]) => !without.includes(key)));
}
