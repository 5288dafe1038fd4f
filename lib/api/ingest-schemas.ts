/**
 * What the ingestion endpoints accept. Field names are the tables' column names. These schemas
 * are also the source of the OpenAPI document's request bodies.
 */
import { z } from 'zod';
import { numberLimit, numberProblem, type NumberLimit } from '@/lib/column-limits';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { MAX_JSON_DEPTH, storableText } from '@/lib/text-safety';

export const MAX_BATCH_ITEMS = 1000;

/** What the agents' columns hold on this database (db/catalog.ts reads it from their types). */
export type IngestLimits = {
  similarity: NumberLimit;
  money: NumberLimit;
  patternId: NumberLimit;
  tokens: NumberLimit;
  text: { signature: number; patternType: number; workflowId: number; toolCallId: number };
};

/** The migration-004 report's columns: REAL similarity and money, INTEGER ids and tokens. */
export const REPORT_LIMITS: IngestLimits = {
  similarity: numberLimit('real'),
  money: numberLimit('real'),
  patternId: numberLimit('integer'),
  tokens: numberLimit('integer'),
  text: { signature: 255, patternType: 100, workflowId: 255, toolCallId: 255 },
};

/** Times outside these are implausible for a record: refused rather than stored. */
export const EARLIEST_TIME = '1990-01-01T00:00:00Z';
const FUTURE_MS = 24 * 3_600_000;

const text = (max: number) => storableText(z.string().trim().min(1, 'must not be empty').max(max));

/** A number the column can hold (REAL underflows below 1.2e-38; NUMERIC(10,4) stops at 999,999.9999). */
const fitting = (schema: z.ZodNumber, limit: NumberLimit) =>
  schema.superRefine((value, context) => {
    const problem = numberProblem(value, limit);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const time = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T10:00:00Z',
  })
  .superRefine((value, context) => {
    const at = Date.parse(value);
    // An unreadable time is reported by the format check already.
    if (Number.isNaN(at)) return;
    if (at < Date.parse(EARLIEST_TIME) || at > Date.now() + FUTURE_MS)
      context.addIssue({
        code: 'custom',
        message: `must lie between ${EARLIEST_TIME.slice(0, 10)} and a day from now (in UTC)`,
      });
  })
  .optional()
  .describe('When it happened (ISO 8601 with Z or an offset); now when absent. Stored in UTC.');

export function ingestionSchemas(limits: IngestLimits) {
  const tokens = fitting(
    z.number().int('must be a whole number').min(0, 'must not be negative').max(2_000_000_000),
    limits.tokens,
  );
  const occurrenceItem = z.strictObject({
    pattern_signature: text(limits.text.signature)
      .regex(/^\S+$/, 'must not contain spaces')
      .describe('e.g. test:pytest:backend; a new signature creates the pattern'),
    pattern_type: text(limits.text.patternType)
      .optional()
      .describe('For a new pattern; the part of the signature before the first colon when absent'),
    workflow_id: text(limits.text.workflowId),
    similarity_score: fitting(
      z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
      limits.similarity,
    ).describe('Stored as sent: use the scale your database already holds (0–1 or 0–100)'),
    matched_characteristics: z
      .json()
      .optional()
      .describe(`Any JSON (nested at most ${MAX_JSON_DEPTH} levels); stored as JSON text`),
    detected_at: time,
  });

  const occurrenceBatch = z.strictObject({
    occurrences: z
      .array(occurrenceItem)
      .min(1, 'must hold at least one occurrence')
      .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} occurrences`),
  });

  const savingsItem = z
    .strictObject({
      optimization_type: z.enum(OPTIMIZATION_TYPES, {
        error: `must be one of ${OPTIMIZATION_TYPES.join(', ')}`,
      }),
      workflow_id: text(limits.text.workflowId),
      tool_call_id: text(limits.text.toolCallId).optional(),
      pattern_id: fitting(z.number().int().positive(), limits.patternId).optional(),
      pattern_signature: text(limits.text.signature).optional().describe('Instead of pattern_id'),
      baseline_tokens: tokens,
      actual_tokens: tokens,
      tokens_saved: tokens
        .optional()
        .describe('baseline_tokens − actual_tokens; derived when absent'),
      cost_saved_usd: fitting(
        z.number().min(0, 'must not be negative').max(1_000_000),
        limits.money,
      ),
      notes: storableText(z.string().max(10_000)).optional(),
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

  const savingsBatch = z.strictObject({
    savings: z
      .array(savingsItem)
      .min(1, 'must hold at least one entry')
      .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} entries`),
  });
  return { occurrenceItem, occurrenceBatch, savingsItem, savingsBatch };
}

/** The schemas for the report's columns: the OpenAPI document describes these. */
export const { occurrenceBatch, savingsBatch } = ingestionSchemas(REPORT_LIMITS);
type Schemas = ReturnType<typeof ingestionSchemas>;
export type OccurrenceItem = z.infer<Schemas['occurrenceItem']>;
export type SavingsItem = z.infer<Schemas['savingsItem']>;

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
