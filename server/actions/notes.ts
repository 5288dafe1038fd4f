'use server';

import { compareAndSetNote } from '@/db/mutations/notes';
import { actionFailure } from '@/lib/action-result';
import { saveNoteInput, type SaveNoteResult } from '@/lib/notes';
import { notStored, roleAction } from '../action';
import { getDb } from '../database';

/** Saves a savings entry's note if nobody changed it since editing started. Editors only. */
export const saveNote = roleAction(
  'editor',
  saveNoteInput,
  async ({ id, expected, note }, actor): Promise<SaveNoteResult> => {
    let result;
    try {
      result = await compareAndSetNote(await getDb(), {
        id,
        expected,
        next: note === '' ? null : note,
        changedBy: actor.email,
      });
    } catch (error) {
      return notStored('The note', error);
    }
    if (result.status === 'saved') return { ok: true, notes: result.notes };
    if (result.status === 'not_found')
      return actionFailure('not_found', `Savings entry #${id} no longer exists.`);
    return actionFailure(
      'conflict',
      'Someone changed this note after you started editing. Their version is shown; merge and save again.',
      { current: result.current },
    );
  },
);
