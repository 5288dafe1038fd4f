import 'server-only';
import { sql } from 'drizzle-orm';
import type { AutomationStatus, ReviewAction } from '@/db/schema';
import type { Database } from '../types';
import { reviewVersion } from '../queries/review-version';
import { queryRows } from '../sql';

export type ReviewWrite =
  | { status: 'saved'; automationStatus: string | null; version: string }
  | {
      status: 'conflict';
      current: { status: string | null; version: string; reviewedBy: string | null };
    }
  | { status: 'not_found' };

/**
 * Applies a review if the pattern's review state is still `expectedVersion`: sets the status (or
 * keeps it, for a comment), reviewed_by/at and review_notes, and records the history row, all in
 * one statement. A concurrent review from the same state waits for the row lock, finds the
 * version changed and does nothing.
 */
export async function applyReview(
  db: Database,
  review: {
    patternId: number;
    action: ReviewAction;
    nextStatus: AutomationStatus | null;
    note: string;
    expectedVersion: string;
    reviewedBy: string;
  },
): Promise<ReviewWrite> {
  const note = review.note === '' ? null : review.note;
  const saved = await queryRows<{ status: string | null; version: string }>(
    db,
    sql`WITH locked AS (
          SELECT id, automation_status::text AS previous FROM operation_patterns op
          WHERE id = ${review.patternId}::bigint AND ${reviewVersion(sql`op`)} = ${review.expectedVersion}
          FOR UPDATE
        ), updated AS (
          UPDATE operation_patterns op SET
            automation_status = coalesce(${review.nextStatus}::text, op.automation_status),
            reviewed_by = ${review.reviewedBy},
            reviewed_at = now() AT TIME ZONE 'UTC',
            review_notes = coalesce(${note}::text, op.review_notes),
            updated_at = now() AT TIME ZONE 'UTC'
          FROM locked WHERE op.id = locked.id
          RETURNING op.id, locked.previous, op.automation_status::text AS status,
            ${reviewVersion(sql`op`)} AS version
        ), recorded AS (
          INSERT INTO pattern_ledger.review_history
            (pattern_id, action, previous_status, new_status, note, reviewed_by, reviewed_at)
          SELECT id, ${review.action}, previous, status, ${note}::text, ${review.reviewedBy},
            now() AT TIME ZONE 'UTC'
          FROM updated RETURNING id
        )
        SELECT status, version FROM updated`,
  );
  if (saved[0]) {
    return { status: 'saved', automationStatus: saved[0].status, version: saved[0].version };
  }
  // A new statement sees what a competing review committed.
  const [current] = await queryRows<{
    status: string | null;
    version: string;
    reviewedBy: string | null;
  }>(
    db,
    sql`SELECT automation_status::text AS status, ${reviewVersion(sql`op`)} AS version,
          reviewed_by::text AS "reviewedBy"
        FROM operation_patterns op WHERE id = ${review.patternId}::bigint`,
  );
  return current ? { status: 'conflict', current } : { status: 'not_found' };
}
