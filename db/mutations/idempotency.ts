import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type StoredResponse = {
  status: number;
  body: string;
  endpoint: string;
  requestHash: string;
};

/** How long a key's answer is remembered. */
const KEPT_FOR = sql`interval '24 hours'`;

/**
 * Claims an Idempotency-Key inside the batch's transaction. 'claimed': this request does the work.
 * Otherwise the answer an earlier request stored. A concurrent request with the same key waits on
 * the primary key until the first commits (then replays it) or rolls back (then claims it itself).
 */
export async function claimIdempotencyKey(
  tx: Database,
  claim: { apiKeyId: number; key: string; endpoint: string; requestHash: string },
): Promise<'claimed' | StoredResponse> {
  await queryRows(
    tx,
    sql`DELETE FROM pattern_ledger.api_idempotency_key
        WHERE api_key_id = ${claim.apiKeyId} AND idempotency_key = ${claim.key}
          AND created_at < now() - ${KEPT_FOR}`,
  );
  const claimed = await queryRows(
    tx,
    sql`INSERT INTO pattern_ledger.api_idempotency_key (api_key_id, idempotency_key, endpoint, request_hash)
        VALUES (${claim.apiKeyId}, ${claim.key}, ${claim.endpoint}, ${claim.requestHash})
        ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
  );
  if (claimed.length > 0) return 'claimed';
  const [stored] = await queryRows<StoredResponse>(
    tx,
    sql`SELECT response_status AS status, response_body AS body, endpoint,
          request_hash AS "requestHash"
        FROM pattern_ledger.api_idempotency_key
        WHERE api_key_id = ${claim.apiKeyId} AND idempotency_key = ${claim.key}`,
  );
  return stored!;
}

export async function storeIdempotentResponse(
  tx: Database,
  stored: { apiKeyId: number; key: string; status: number; body: string },
): Promise<void> {
  await queryRows(
    tx,
    sql`UPDATE pattern_ledger.api_idempotency_key SET response_status = ${stored.status},
          response_body = ${stored.body}
        WHERE api_key_id = ${stored.apiKeyId} AND idempotency_key = ${stored.key}`,
  );
}
