import 'server-only';
import { sql } from 'drizzle-orm';
import type { ApiKeyScope } from '../schema';
import type { Database } from '../types';
import { readRows } from '../read-cache';

export type ApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

const epochMs = (column: string) => sql.raw(`(date_part('epoch', ${column}) * 1000)::float8`);

/** Every key, live ones first, newest first; never the digest. */
export async function getApiKeys(db: Database): Promise<ApiKeyRow[]> {
  return readRows<ApiKeyRow>(
    db,
    sql`SELECT id, name, prefix, scope, created_by AS "createdBy",
          ${epochMs('created_at')} AS "createdAt", ${epochMs('last_used_at')} AS "lastUsedAt",
          ${epochMs('revoked_at')} AS "revokedAt"
        FROM pattern_ledger.api_key ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`,
  );
}
