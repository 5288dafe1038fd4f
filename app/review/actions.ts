'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { applyReview } from '@/db/mutations/review';
import { invalidInput } from '@/lib/action-result';
import { checkRole } from '@/lib/auth/actor';
import { reviewInput, targetStatus, type ReviewResult } from '@/lib/review';

/** Reviews a pattern if nobody reviewed it since the reviewer looked. Editors and admins only. */
export async function submitReview(input: unknown): Promise<ReviewResult> {
  const caller = await checkRole('editor');
  if ('refused' in caller) return { ok: false, kind: 'forbidden', message: caller.refused };
  const parsed = reviewInput.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const review = parsed.data;
  let result;
  try {
    result = await applyReview(await getDb(), {
      patternId: review.patternId,
      action: review.action,
      nextStatus: targetStatus(review),
      note: review.note,
      expectedVersion: review.expectedVersion,
      reviewedBy: caller.actor.email,
    });
  } catch (error) {
    console.error('[pattern-ledger] a review failed:', error);
    return {
      ok: false,
      kind: 'error',
      message: 'The review could not be saved: the database did not accept it. Try again.',
    };
  }
  if (result.status === 'not_found') {
    return {
      ok: false,
      kind: 'not_found',
      message: `Pattern #${review.patternId} no longer exists.`,
    };
  }
  if (result.status === 'conflict') {
    return {
      ok: false,
      kind: 'conflict',
      message: `Someone reviewed this pattern after you opened it (now ${result.current.status ?? 'no status'}, by ${result.current.reviewedBy ?? 'unknown'}). Look again and review anew.`,
      current: result.current,
    };
  }
  revalidatePath('/review');
  revalidatePath(`/patterns/${review.patternId}`);
  return { ok: true, status: result.automationStatus, version: result.version };
}
