/** Saved views a person can open: their own and everyone's shared ones, and their pins. */
import { sql } from 'drizzle-orm';
import { upgradeViewParams, type ViewParams } from '@/lib/saved-views';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type SavedView = {
  id: number;
  name: string;
  page: string;
  /** In this release's parameter names. */
  params: ViewParams;
  shared: boolean;
  mine: boolean;
  ownerName: string;
  pinned: boolean;
  updatedAt: number;
};

type Row = Omit<SavedView, 'params'> & { params: ViewParams; paramsVersion: number };

const columns = (userId: string) => sql`v.id::int AS id, v.name, v.page, v.params,
  v.params_version AS "paramsVersion", v.shared, v.owner_id = ${userId} AS mine,
  coalesce(u.name, u.email) AS "ownerName", p.view_id IS NOT NULL AS pinned,
  (date_part('epoch', v.updated_at) * 1000)::float8 AS "updatedAt"`;

const upgraded = (rows: Row[]): SavedView[] =>
  rows.map(({ paramsVersion, params, ...view }) => ({
    ...view,
    params: upgradeViewParams(paramsVersion, params),
  }));

export async function listViews(db: Database, userId: string): Promise<SavedView[]> {
  return upgraded(
    await queryRows<Row>(
      db,
      sql`SELECT ${columns(userId)} FROM pattern_ledger.saved_view v
        JOIN pattern_ledger.auth_user u ON u.id = v.owner_id
        LEFT JOIN pattern_ledger.saved_view_pin p ON p.view_id = v.id AND p.user_id = ${userId}
        WHERE v.owner_id = ${userId} OR v.shared
        ORDER BY (v.owner_id = ${userId}) DESC, lower(v.name), v.id`,
    ),
  );
}

/** The person's pins in their order (only views they can still see). */
export async function pinnedViews(db: Database, userId: string): Promise<SavedView[]> {
  return upgraded(
    await queryRows<Row>(
      db,
      sql`SELECT ${columns(userId)} FROM pattern_ledger.saved_view_pin p
        JOIN pattern_ledger.saved_view v ON v.id = p.view_id
        JOIN pattern_ledger.auth_user u ON u.id = v.owner_id
        WHERE p.user_id = ${userId} AND (v.owner_id = ${userId} OR v.shared)
        ORDER BY p.position, v.id`,
    ),
  );
}
