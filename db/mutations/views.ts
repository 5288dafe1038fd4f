/**
 * Writes of saved views and their pins (pattern_ledger.saved_view, saved_view_pin). A person
 * changes only their own views; they pin their own and shared ones. Each write is one statement
 * or one transaction.
 */
import { sql } from 'drizzle-orm';
import { MAX_PINS, MAX_VIEWS_PER_PERSON, type ViewParams } from '@/lib/saved-views';
import type { Database } from '../types';
import { databaseErrorInfo } from '../errors';
import { queryRows } from '../sql';

const UNIQUE_VIOLATION = '23505';

export type ViewWrite =
  { status: 'ok'; id: number } | { status: 'duplicate' | 'limit' | 'not_found' };

/** Serialises one person's view and pin writes (their limits are counted, then written). */
const lockPerson = (tx: Database, userId: string) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`saved_view:${userId}`}))`);

/** The row a single-statement write returned, or not found when it matched none. */
const written = (row: { id: number } | undefined): ViewWrite =>
  row ? { status: 'ok', id: row.id } : { status: 'not_found' };

async function unlessDuplicate(write: () => Promise<ViewWrite>): Promise<ViewWrite> {
  try {
    return await write();
  } catch (error) {
    if (databaseErrorInfo(error).code === UNIQUE_VIOLATION) return { status: 'duplicate' };
    throw error;
  }
}

export function insertView(
  db: Database,
  view: {
    ownerId: string;
    name: string;
    page: string;
    paramsVersion: number;
    params: ViewParams;
    shared: boolean;
  },
): Promise<ViewWrite> {
  return unlessDuplicate(() =>
    db.transaction(async (tx) => {
      await lockPerson(tx, view.ownerId);
      const [count] = await queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM pattern_ledger.saved_view WHERE owner_id = ${view.ownerId}`,
      );
      if ((count?.n ?? 0) >= MAX_VIEWS_PER_PERSON) return { status: 'limit' } as const;
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`INSERT INTO pattern_ledger.saved_view (owner_id, name, page, params_version, params, shared)
          VALUES (${view.ownerId}, ${view.name}, ${view.page}, ${view.paramsVersion},
            ${JSON.stringify(view.params)}::jsonb, ${view.shared})
          RETURNING id::int AS id`,
      );
      return { status: 'ok', id: row!.id } as const;
    }),
  );
}

export function renameView(
  db: Database,
  ownerId: string,
  id: number,
  name: string,
): Promise<ViewWrite> {
  return unlessDuplicate(async () => {
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`UPDATE pattern_ledger.saved_view SET name = ${name}, updated_at = now()
        WHERE id = ${id} AND owner_id = ${ownerId} RETURNING id::int AS id`,
    );
    return written(row);
  });
}

/** Shares a view or makes it private again (other people's pins of it go with it). */
export async function setViewShared(
  db: Database,
  ownerId: string,
  id: number,
  shared: boolean,
): Promise<ViewWrite> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`WITH view AS (
        UPDATE pattern_ledger.saved_view SET shared = ${shared}, updated_at = now()
        WHERE id = ${id} AND owner_id = ${ownerId} RETURNING id, owner_id),
      unpinned AS (
        DELETE FROM pattern_ledger.saved_view_pin p USING view v
        WHERE NOT ${shared} AND p.view_id = v.id AND p.user_id <> v.owner_id)
      SELECT id::int AS id FROM view`,
  );
  return written(row);
}

export async function deleteView(db: Database, ownerId: string, id: number): Promise<ViewWrite> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.saved_view WHERE id = ${id} AND owner_id = ${ownerId}
      RETURNING id::int AS id`,
  );
  return written(row);
}

/** Pins a view the person can see (theirs, or shared) at the end of their pins. */
export function pinView(db: Database, userId: string, id: number): Promise<ViewWrite> {
  return db.transaction(async (tx) => {
    await lockPerson(tx, userId);
    const [state] = await queryRows<{ visible: boolean; pinned: boolean; pins: number }>(
      tx,
      sql`SELECT EXISTS (SELECT 1 FROM pattern_ledger.saved_view
            WHERE id = ${id} AND (owner_id = ${userId} OR shared)) AS visible,
          EXISTS (SELECT 1 FROM pattern_ledger.saved_view_pin
            WHERE user_id = ${userId} AND view_id = ${id}) AS pinned,
          (SELECT count(*)::int FROM pattern_ledger.saved_view_pin WHERE user_id = ${userId}) AS pins`,
    );
    if (!state?.visible) return { status: 'not_found' } as const;
    if (state.pinned) return { status: 'ok', id } as const;
    if (state.pins >= MAX_PINS) return { status: 'limit' } as const;
    await tx.execute(
      sql`INSERT INTO pattern_ledger.saved_view_pin (user_id, view_id, position)
        SELECT ${userId}, ${id}, coalesce(max(position), 0) + 1
        FROM pattern_ledger.saved_view_pin WHERE user_id = ${userId}`,
    );
    return { status: 'ok', id } as const;
  });
}

export async function unpinView(db: Database, userId: string, id: number): Promise<ViewWrite> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.saved_view_pin WHERE user_id = ${userId} AND view_id = ${id}
      RETURNING view_id::int AS id`,
  );
  return written(row);
}
