import 'server-only';
import { sql } from 'drizzle-orm';
import type { ApiKeyScope } from '@/db/schema';
import { generateApiKey } from '@/lib/api/keys';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type CreatedApiKey = { id: number; key: string; prefix: string };

/** Stores a new key's digest; the key itself is returned once and never stored. */
export async function createApiKey(
  db: Database,
  input: { name: string; scope: ApiKeyScope; createdBy: string },
): Promise<CreatedApiKey> {
  const { key, prefix, hash } = generateApiKey();
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by)
        VALUES (${input.name}, ${prefix}, ${hash}, ${input.scope}, ${input.createdBy})
        RETURNING id`,
  );
  return { id: row!.id, key, prefix };
}

/** Revokes a key for good; false when there is no such key or it was already revoked. */
export async function revokeApiKey(db: Database, id: number, revokedBy: string): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`UPDATE pattern_ledger.api_key SET revoked_at = now(), revoked_by = ${revokedBy}
        WHERE id = ${id}::bigint AND revoked_at IS NULL RETURNING id`,
  );
  return rows.length > 0;
}

export type ApiCaller = { keyId: number; name: string; scope: ApiKeyScope };

/**
 * The live key with this digest, or null; records its use (at most once a minute, so that a busy
 * agent does not turn every read into a write).
 */
export async function lookUpApiKey(db: Database, keyHash: string): Promise<ApiCaller | null> {
  const [row] = await queryRows<{ id: number; name: string; scope: ApiKeyScope }>(
    db,
    sql`WITH found AS (
          SELECT id, name, scope, last_used_at FROM pattern_ledger.api_key
          WHERE key_hash = ${keyHash} AND revoked_at IS NULL
        ), touched AS (
          UPDATE pattern_ledger.api_key SET last_used_at = now() FROM found
          WHERE pattern_ledger.api_key.id = found.id
            AND (found.last_used_at IS NULL OR found.last_used_at < now() - interval '1 minute')
        )
        SELECT id, name, scope FROM found`,
  );
  return row ? { keyId: row.id, name: row.name, scope: row.scope } : null;
}
