/**
 * What PostgreSQL refuses in text whatever the column: the NUL character (22021) and UTF-16 halves
 * without their other half, which cannot be encoded as UTF-8 (22P05 in JSON, 22021 in text).
 * Checked before any value reaches the database, so that input is refused with a reason (400)
 * rather than by the database (500).
 */
import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL would refuse this text, or null when it would not. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value))
    return 'must be valid Unicode (it holds half of a surrogate pair)';
  return null;
}

/** Nesting deeper than this is refused: nothing real needs it, and walking it costs the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a JSON value would be refused (too deeply nested, or a key or string PostgreSQL cannot
 * hold), with the path to the first offending place; null when it is fine. Walks without
 * recursion, so no depth of input can overflow the stack.
 */
export function jsonProblem(value: unknown): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return `${path || 'the value'} ${problem}`;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return `nests deeper than ${MAX_JSON_DEPTH} levels${path ? ` (at ${path})` : ''}`;
    const entries = Array.isArray(current)
      ? current.map((item, i): [string, unknown] => [`[${i}]`, item])
      : Object.entries(current).map(([key, item]): [string, unknown] => {
          return [`.${key}`, item];
        });
    if (!Array.isArray(current)) {
      for (const key of Object.keys(current)) {
        const problem = textProblem(key);
        if (problem) return `${path || 'the value'} has a key which ${problem}`;
      }
    }
    for (const [step, item] of entries)
      stack.push({ value: item, depth: depth + 1, path: `${path}${step}` });
  }
  return null;
}

/** A zod string PostgreSQL can store and compare with: no NUL, no half of a surrogate pair. */
export const storableText = (schema: z.ZodString = z.string()) =>
  schema.superRefine((value, context) => {
    const problem = textProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
