'use server';

import { getDb } from '@/db/client';
import { compareAndSetNote } from '@/db/mutations/notes';
import { invalidInput } from '@/lib/action-result';
import { checkRole } from '@/lib/auth/actor';
import { saveNoteInput, type SaveNoteResult } from '@/lib/notes';

/** Saves a savings entry's note if nobody changed it since editing started. Editors only. */
export async function saveNote(input: unknown): Promise<SaveNoteResult> {
  const caller = await checkRole('editor');
  if ('refused' in caller) return { ok: false, kind: 'forbidden', message: caller.refused };
  const { actor } = caller;
  const parsed = saveNoteInput.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { id, expected, note } = parsed.data;
  try {
    const result = await compareAndSetNote(await getDb(), {
      id,
      expected,
      next: note === '' ? null : note,
      changedBy: actor.email,
    });
    if (result.status === 'saved') return { ok: true, notes: result.notes };
    if (result.status === 'not_found')
      return { ok: false, kind: 'not_found', message: `Savings entry #${id} no longer exists.` };
    return {
      ok: false,
      kind: 'conflict',
      message:
        'Someone changed this note after you started editing. Their version is shown; merge and save again.',
      current: result.current,
    };
  } catch (error) {
    console.error('[pattern-ledger] saving a note failed:', error);
    return {
      ok: false,
      kind: 'error',
      message: 'The note could not be saved: the database did not accept it. Try again.',
    };
  }
}
