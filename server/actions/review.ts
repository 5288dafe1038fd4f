'use server';

import { revalidatePath } from 'next/cache';
import { applyReview } from '@/db/mutations/review';
import { actionFailure } from '@/lib/action-result';
import { reviewInput, targetStatus, type ReviewResult } from '@/lib/review';
import { notStored, roleAction } from '../action';
import { getDb } from '../database';

/** Reviews a pattern if nobody reviewed it since the reviewer looked. Editors and admins only. */
export const submitReview = roleAction(
  'editor',
  reviewInput,
  async (review, actor): Promise<ReviewResult> => {
    let result;
    try {
      result = await applyReview(await getDb(), {
        patternId: review.patternId,
        action: review.action,
        nextStatus: targetStatus(review),
        note: review.note,
        expectedVersion: review.expectedVersion,
        reviewedBy: actor.email,
      });
    } catch (error) {
      return notStored('The review', error);
    }
    if (result.status === 'not_found') {
      return actionFailure('not_found', `Pattern #${review.patternId} no longer exists.`);
    }
    if (result.status === 'conflict') {
      return actionFailure(
        'conflict',
        `Someone reviewed this pattern after you opened it (now ${result.current.status ?? 'no status'}, by ${result.current.reviewedBy ?? 'unknown'}). Look again and review anew.`,
        { current: result.current },
      );
    }
    revalidatePath('/review');
    revalidatePath(`/patterns/${review.patternId}`);
    return { ok: true, status: result.automationStatus, version: result.version };
  },
);
