/**
 * zod pieces for URL parameters. Anything unknown or malformed falls back to a default, and
 * `checkSearchParams` says which parameters were set aside so that pages can say so and leave them
 * out of their links and forms.
 */
import { z } from 'zod';
import { storableText } from './text-safety';
import type { SearchParams } from './search-params';

/** The first of repeated values; an empty value (an empty form field) counts as absent. */
const first = (value: unknown) => {
  const single = Array.isArray(value) ? (value[0] as unknown) : value;
  return single === '' ? undefined : single;
};

/** A URL parameter that was set aside, with the value given and why. */
export type IgnoredParam = { name: string; value: string; reason: string };

/**
 * Where the fallbacks below report while `checkSearchParams` parses one field. Parsing is
 * synchronous, so no other request can see it set.
 */
let reportTo: ((reason: string) => void) | null = null;

type Issue = {
  code?: string;
  origin?: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
};

/** An issue said plainly: zod's enum message lists every choice, which is no help on a page. */
function reason(issue: Issue | undefined): string {
  if (!issue) return 'is not understood';
  if (issue.code === 'invalid_value') return 'is not one of the allowed values';
  if (issue.code === 'invalid_type') return 'is not a valid value';
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? `is longer than ${String(issue.maximum)} characters`
      : `is larger than ${String(issue.maximum)}`;
  if (issue.code === 'too_small') return `is smaller than ${String(issue.minimum)}`;
  return issue.message;
}

function fallback(context: { error: { issues: Issue[] } }): undefined {
  reportTo?.(reason(context.error.issues[0]));
  return undefined;
}

export function withDefault<T extends z.ZodType>(schema: T, value: z.infer<T>) {
  return z.preprocess(first, schema.optional().catch(fallback)).transform((v) => v ?? value);
}

export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess(first, schema.optional().catch(fallback));
}

/** A repeated or comma-separated parameter as a list of non-empty strings (at most 50). */
export const listParam = z
  .preprocess(
    (value) =>
      (Array.isArray(value) ? value : typeof value === 'string' ? [value] : [])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean)
        .slice(0, 50),
    z.array(storableText(z.string().max(200, 'a value is longer than 200 characters'))),
  )
  .catch((context) => {
    reportTo?.(reason(context.error.issues[0]));
    return [];
  });

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const pageParam = withDefault(
  z.coerce.number('must be a number').int('must be a whole number').min(1).max(100_000),
  1,
).meta({ description: 'Page number, 1 by default' });
export const pageSizeParam = withDefault(
  z.coerce
    .number()
    .refine(
      (n) => (PAGE_SIZES as readonly number[]).includes(n),
      `must be one of ${PAGE_SIZES.join(', ')}`,
    ),
  25,
).meta({ description: 'Rows per page, 25 by default', enum: [...PAGE_SIZES] });
export const directionParam = withDefault(z.enum(['asc', 'desc']), 'desc').meta({
  description: 'Sort direction, desc by default',
});
export const searchParam = optionalParam(storableText(z.string().trim().max(200))).meta({
  description: 'Signature contains (literal text)',
});

const shown = (value: unknown) => {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  // What the page repeats back: printable, and short.
  return text.replace(/[\u0000-\u001f\u007f\uD800-\uDFFF]/g, '\uFFFD').slice(0, 60);
};

/**
 * The URL's parameters with those a page's schemas set aside removed, and the ones removed with
 * their reasons. Pages build their links and forms from `current`, so a bad value is not carried
 * on.
 */
export function checkSearchParams(
  raw: SearchParams,
  schemas: z.ZodObject[],
): { current: SearchParams; ignored: IgnoredParam[] } {
  const ignored: IgnoredParam[] = [];
  for (const schema of schemas) {
    for (const [name, field] of Object.entries(schema.shape)) {
      const value = raw[name];
      if (value === undefined || ignored.some((p) => p.name === name)) continue;
      let reason: string | null = null;
      reportTo = (why) => (reason ??= why);
      try {
        (field as z.ZodType).safeParse(value);
      } finally {
        reportTo = null;
      }
      if (reason !== null) ignored.push({ name, value: shown(value), reason });
    }
  }
  const current = Object.fromEntries(
    Object.entries(raw).filter(([name]) => !ignored.some((p) => p.name === name)),
  );
  return { current, ignored };
}

/** The page and page size of a plain paged list. */
export const pagedListSchema = z.object({ page: pageParam, size: pageSizeParam });
