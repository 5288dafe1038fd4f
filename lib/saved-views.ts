/**
 * Saved views: a page's URL parameters kept under a name. They are stored with the version of the
 * parameter names they were written in; when a later release renames a parameter it adds a step
 * to VIEW_PARAM_RENAMES, and views saved before it are read through that step, so they keep
 * opening the same page state.
 */
import { z } from 'zod';
import { parseRecordId, recordIdInput } from './record-id';
import { storableText, textProblem } from './text-safety';
import { DEFAULT_PRESET, PRESET_LABELS } from './time-range';

/** The version of the URL parameter names this release writes. */
export const VIEW_PARAMS_VERSION = 1;

/**
 * Step N renames the parameters of version N to those of version N + 1 (`old: new`); a step may
 * also drop a parameter (`old: null`). Empty while no parameter has been renamed.
 */
export const VIEW_PARAM_RENAMES: Record<number, Record<string, string | null>> = {};

export type ViewParams = Record<string, string | string[]>;

/** A stored view's parameters in this release's names. */
export function upgradeViewParams(
  version: number,
  params: ViewParams,
  renames: Record<number, Record<string, string | null>> = VIEW_PARAM_RENAMES,
  current: number = VIEW_PARAMS_VERSION,
): ViewParams {
  let upgraded = { ...params };
  for (let step = version; step < current; step++) {
    const names = renames[step] ?? {};
    const next: ViewParams = {};
    for (const [key, value] of Object.entries(upgraded)) {
      const renamed = key in names ? names[key] : key;
      if (renamed) next[renamed] = value;
    }
    upgraded = next;
  }
  return upgraded;
}

/** The pages a view can be saved on: the ones whose state lives in their URL. */
export const VIEW_PAGES = {
  '/': 'Overview',
  '/patterns': 'Patterns',
  '/savings': 'Savings',
  '/workflows': 'Workflows',
  '/roi': 'ROI',
} as const;
export type ViewPage = keyof typeof VIEW_PAGES;

/** The pattern a `/patterns/<id>` path shows, with an id the pattern page accepts; else null. */
function patternPageId(path: string): number | null {
  return path.startsWith('/patterns/') ? parseRecordId(path.slice('/patterns/'.length)) : null;
}

/** The page of a path a view may be saved on, or null. */
export function viewPageOf(path: string): string | null {
  if (path in VIEW_PAGES || patternPageId(path) !== null) return path;
  return null;
}

export function viewPageLabel(path: string): string {
  if (path in VIEW_PAGES) return VIEW_PAGES[path as ViewPage];
  const id = patternPageId(path);
  return id !== null ? `Pattern #${id}` : path;
}

/** Parameters never kept: paging and live refresh belong to the visit, not the view. */
const NOT_KEPT = new Set(['page', 'refresh']);

export const MAX_VIEWS_PER_PERSON = 100;
export const MAX_PINS = 8;
const MAX_QUERY = 4000;
const MAX_KEYS = 40;

/** A query string as view parameters (repeated keys as lists), or a reason it cannot be kept. */
export function viewParamsFromQuery(query: string): ViewParams | string {
  if (query.length > MAX_QUERY) return `The page's address is longer than ${MAX_QUERY} characters.`;
  const params: ViewParams = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) return `The page's parameter ${JSON.stringify(key.slice(0, 40))} ${problem}.`;
    if (NOT_KEPT.has(key)) continue;
    const held = params[key];
    params[key] = held === undefined ? value : [...(Array.isArray(held) ? held : [held]), value];
  }
  if (Object.keys(params).length > MAX_KEYS)
    return `The page has more than ${MAX_KEYS} parameters.`;
  return params;
}

export function viewHref(path: string, params: ViewParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export const viewIdInput = recordIdInput;

const viewName = storableText(
  z
    .string()
    .trim()
    .min(1, 'Give the view a name.')
    .max(80, 'A view name has at most 80 characters.'),
);
const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('false'), z.boolean()])
  .optional()
  .transform((value) => value === true || value === 'on' || value === 'true');

export const saveViewInput = z.object({
  name: viewName,
  path: z.string().max(40, 'That page cannot be saved as a view.'),
  query: z.string().max(MAX_QUERY, `The page's address is longer than ${MAX_QUERY} characters.`),
  shared: checkbox,
});

export const renameViewInput = viewIdInput.extend({ name: viewName });
export const shareViewInput = viewIdInput.extend({ shared: checkbox });

/** A view's state in a line: its range first, then its other parameters. */
export function describeViewParams(params: ViewParams): string {
  const { range, ...rest } = params;
  const preset = typeof range === 'string' && range in PRESET_LABELS ? range : DEFAULT_PRESET;
  const parts = [PRESET_LABELS[preset as keyof typeof PRESET_LABELS]];
  for (const [key, value] of Object.entries(rest))
    parts.push(`${key} ${Array.isArray(value) ? value.join(', ') : value}`);
  return parts.join(' · ');
}
