import { z } from 'zod';
import type { ActionResult } from './action-result';
import { AUTOMATION_STATUSES, type AutomationStatus, type ReviewAction } from './domain';
import { normalizeNote } from './notes';
import { storableText } from './text-safety';

export const REVIEW_NOTE_MAX_LENGTH = 2_000;

/**
 * What each review action does to automation_status. Reject writes `deprecated`: the column's
 * CHECK knows no "rejected", and a rejected pattern is one that should not be automated.
 */
export const REVIEW_TARGET: Record<Exclude<ReviewAction, 'set_status'>, AutomationStatus | null> = {
  approve: 'approved',
  reject: 'deprecated',
  comment: null,
};

/** Statuses that mean a decision was taken; every other value (known or not) awaits review. */
export const DECIDED_STATUSES = ['approved', 'implemented', 'active', 'deprecated'] as const;

export const reviewInput = z
  .object({
    patternId: z
      .number({ error: 'The pattern id must be a number.' })
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER),
    action: z.enum(['approve', 'reject', 'comment', 'set_status'], {
      error: 'Choose approve, reject, comment or set status.',
    }),
    status: z
      .enum(AUTOMATION_STATUSES, {
        error: `The status must be one of ${AUTOMATION_STATUSES.join(', ')}.`,
      })
      .optional(),
    note: z
      .string({ error: 'The note must be text.' })
      .transform(normalizeNote)
      .pipe(
        storableText(z.string()).max(
          REVIEW_NOTE_MAX_LENGTH,
          `A review note can be at most ${REVIEW_NOTE_MAX_LENGTH.toLocaleString('en-US')} characters.`,
        ),
      ),
    /** The review state seen when the reviewer started: the review applies only if it is still so. */
    expectedVersion: z
      .string({ error: 'The review version is missing.' })
      .max(200)
      .pipe(storableText()),
  })
  .superRefine((input, context) => {
    if (input.action === 'reject' && input.note === '') {
      context.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'Say why the pattern is rejected.',
      });
    }
    if (input.action === 'comment' && input.note === '') {
      context.addIssue({ code: 'custom', path: ['note'], message: 'Write the comment.' });
    }
    if (input.action === 'set_status' && input.status === undefined) {
      context.addIssue({ code: 'custom', path: ['status'], message: 'Choose the new status.' });
    }
  });

export type ReviewInput = z.input<typeof reviewInput>;

/** The status a valid review leaves behind; null: unchanged. */
export function targetStatus(input: z.output<typeof reviewInput>): AutomationStatus | null {
  return input.action === 'set_status' ? (input.status ?? null) : REVIEW_TARGET[input.action];
}

/** What a review answers; with a conflict, `current` is the review state as it is now. */
export type ReviewResult = ActionResult<
  { status: string | null; version: string },
  { status: string | null; version: string; reviewedBy: string | null }
>;
