import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { queryRows } from '../sql';

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string | null;
  disabled: boolean;
  createdAt: number;
  lastSeen: number | null;
};

export async function getUsers(db: Database): Promise<UserRow[]> {
  return readRows<UserRow>(
    db,
    sql`SELECT u.id, u.email, u.name, u.role, coalesce(u.banned, false) AS disabled,
        (date_part('epoch', u.created_at) * 1000)::float8 AS "createdAt",
        (SELECT (date_part('epoch', max(s.updated_at)) * 1000)::float8 FROM pattern_ledger.auth_session s WHERE s.user_id = u.id) AS "lastSeen"
      FROM pattern_ledger.auth_user u ORDER BY u.created_at, u.email`,
  );
}

/** How many accounts exist (read uncached: the demo's first start asks before creating one). */
export async function countAccounts(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM pattern_ledger.auth_user`,
  );
  return row?.n ?? 0;
}
