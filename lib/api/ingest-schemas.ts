/**
 * What the ingestion endpoints accept. Field names are the tables' column names. These schemas
 * are also the source of the OpenAPI document's request bodies.
 */
import { z } from 'zod';
import { OPTIMIZATION_TYPES } from '@/lib/domain';

export const MAX_BATCH_ITEMS = 1000;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const time = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T10:00:00Z',
  })
  .optional()
  .describe('When it happened (ISO 8601 with Z or an offset); now when absent. Stored in UTC.');
const tokens = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2_000_000_000);

export const occurrenceItem = z.strictObject({
  pattern_signature: text(255)
    .regex(/^\S+$/, 'must not contain spaces')
    .describe('e.g. test:pytest:backend; a new signature creates the pattern'),
  pattern_type: text(100)
    .optional()
    .describe('For a new pattern; the part of the signature before the first colon when absent'),
  workflow_id: text(255),
  similarity_score: z
    .number()
    .min(0, 'must be between 0 and 100')
    .max(100, 'must be between 0 and 100')
    .describe('Stored as sent: use the scale your database already holds (0–1 or 0–100)'),
  matched_characteristics: z.json().optional().describe('Any JSON; stored as JSON text'),
  detected_at: time,
});

export const occurrenceBatch = z.strictObject({
  occurrences: z
    .array(occurrenceItem)
    .min(1, 'must hold at least one occurrence')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} occurrences`),
});
export type OccurrenceItem = z.infer<typeof occurrenceItem>;

export const savingsItem = z
  .strictObject({
    optimization_type: z.enum(OPTIMIZATION_TYPES, {
      error: `must be one of ${OPTIMIZATION_TYPES.join(', ')}`,
    }),
    workflow_id: text(255),
    tool_call_id: text(255).optional(),
    pattern_id: z.number().int().positive().optional(),
    pattern_signature: text(255).optional().describe('Instead of pattern_id'),
    baseline_tokens: tokens,
    actual_tokens: tokens,
    tokens_saved: tokens
      .optional()
      .describe('baseline_tokens − actual_tokens; derived when absent'),
    cost_saved_usd: z.number().min(0, 'must not be negative').max(1_000_000),
    notes: z.string().max(10_000).optional(),
    saved_at: time,
  })
  .superRefine((item, context) => {
    if (item.pattern_id !== undefined && item.pattern_signature !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['pattern_signature'],
        message: 'give pattern_id or pattern_signature, not both',
      });
    }
    if (item.actual_tokens > item.baseline_tokens) {
      context.addIssue({
        code: 'custom',
        path: ['actual_tokens'],
        message: 'must not exceed baseline_tokens',
      });
    } else if (
      item.tokens_saved !== undefined &&
      item.tokens_saved !== item.baseline_tokens - item.actual_tokens
    ) {
      context.addIssue({
        code: 'custom',
        path: ['tokens_saved'],
        message: `must equal baseline_tokens − actual_tokens (${item.baseline_tokens - item.actual_tokens})`,
      });
    }
  });

export const savingsBatch = z.strictObject({
  savings: z
    .array(savingsItem)
    .min(1, 'must hold at least one entry')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} entries`),
});
export type SavingsItem = z.infer<typeof savingsItem>;

/** One reason a batch was refused: which item (null: the batch itself) and field. */
export type BatchIssue = { item: number | null; field: string | null; message: string };

/** Every problem of a failed parse, by item and field. */
export function batchIssues(error: z.ZodError): BatchIssue[] {
  return error.issues.map((issue) => {
    const [list, index, ...field] = issue.path;
    const isItem = typeof index === 'number' && typeof list === 'string';
    const rest = isItem ? field : issue.path;
    return {
      item: isItem ? index : null,
      field: rest.length ? rest.join('.') : null,
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown field(s): ${issue.keys.join(', ')}`
          : issue.message,
    };
  });
}
