import { z } from 'zod';
import type { ActionResult } from './action-result';
import { storableText } from './text-safety';

export const NOTE_MAX_LENGTH = 2_000;

/** Trimmed, with Windows line breaks made plain; empty means "no note". */
export function normalizeNote(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

export const saveNoteInput = z.object({
  id: z.number({ error: 'The entry id must be a number.' }).int().min(1).max(2_147_483_647),
  /** The note as it was when editing started: the save only applies if it is still so. */
  expected: z
    .string({ error: 'The original note must be text or null.' })
    .max(1_000_000)
    .pipe(storableText())
    .nullable(),
  note: z
    .string({ error: 'The note must be text.' })
    .transform(normalizeNote)
    .pipe(
      storableText(z.string()).max(
        NOTE_MAX_LENGTH,
        `A note can be at most ${NOTE_MAX_LENGTH.toLocaleString('en-US')} characters.`,
      ),
    ),
});

export type SaveNoteInput = z.input<typeof saveNoteInput>;

/** What saving a note answers; with a conflict, `current` is the note as it is now. */
export type SaveNoteResult = ActionResult<{ notes: string | null }, string | null>;
