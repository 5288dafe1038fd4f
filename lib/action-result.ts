import { z } from 'zod';

/** A server action's answer to input that failed validation: every message, by field. */
export function invalidInput(error: z.ZodError) {
  const fieldErrors = z.flattenError(error).fieldErrors as Record<string, string[]>;
  return {
    ok: false as const,
    kind: 'invalid' as const,
    message: Object.values(fieldErrors).flat().join(' ') || 'The request was malformed.',
    fieldErrors,
  };
}
