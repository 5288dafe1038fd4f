import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type NoteWrite =
  | { status: 'saved'; notes: string | null }
  | { status: 'conflict'; current: string | null }
  | { status: 'not_found' };

/**
 * Sets a savings entry's note only if it still is `expected` (NULL and '' both mean "no note"),
 * and records the change in the same statement. A concurrent save from the same starting text
 * waits for the row lock, re-checks the condition against the new note, and changes nothing.
 */
export async function compareAndSetNote(
  db: Database,
  change: { id: number; expected: string | null; next: string | null; changedBy: string | null },
): Promise<NoteWrite> {
  const updated = await queryRows<{ notes: string | null }>(
    db,
    sql`WITH updated AS (
        UPDATE cost_savings_log SET notes = ${change.next}
        WHERE id = ${change.id} AND coalesce(notes, '') = ${change.expected ?? ''}
        RETURNING id, notes
      ), recorded AS (
        INSERT INTO pattern_ledger.note_history (savings_id, previous_notes, new_notes, changed_by)
        SELECT id, ${change.expected || null}::text, notes, ${change.changedBy}::text FROM updated
        WHERE notes IS DISTINCT FROM ${change.expected || null}::text
        RETURNING id
      )
      SELECT notes FROM updated`,
  );
  if (updated[0]) return { status: 'saved', notes: updated[0].notes };
  // A new statement sees what the competing save committed.
  const [current] = await queryRows<{ notes: string | null }>(
    db,
    sql`SELECT notes FROM cost_savings_log WHERE id = ${change.id}`,
  );
  return current ? { status: 'conflict', current: current.notes } : { status: 'not_found' };
}
