/** zod pieces for URL parameters: anything unknown or malformed falls back to a default. */
import { z } from 'zod';

/** The first of repeated values; an empty value (an empty form field) counts as absent. */
const first = (value: unknown) => {
  const single = Array.isArray(value) ? (value[0] as unknown) : value;
  return single === '' ? undefined : single;
};

export function withDefault<T extends z.ZodType>(schema: T, value: z.infer<T>) {
  return z.preprocess(first, schema.optional().catch(undefined)).transform((v) => v ?? value);
}

export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess(first, schema.optional().catch(undefined));
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
    z.array(z.string().max(200)),
  )
  .catch([]);

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const pageParam = withDefault(z.coerce.number().int().min(1).max(100_000), 1);
export const pageSizeParam = withDefault(
  z.coerce.number().refine((n) => (PAGE_SIZES as readonly number[]).includes(n)),
  25,
);
export const directionParam = withDefault(z.enum(['asc', 'desc']), 'desc');
export const searchParam = optionalParam(z.string().trim().max(200));
