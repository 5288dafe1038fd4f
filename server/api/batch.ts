import 'server-only';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '@/db/types';
import { cachedTrackingCatalog, ingestLimits } from '@/db/catalog';
import { settings } from '@/server/settings';
import { databaseErrorInfo } from '@/db/errors';
import { claimIdempotencyKey, storeIdempotentResponse } from '@/db/mutations/idempotency';
import { authenticateApiRequest } from './authenticate';
import { readJsonBody } from '../../lib/api/body';
import { jsonProblem } from '@/lib/text-safety';
import { batchIssues, type BatchIssue, type IngestLimits } from '../../lib/api/ingest-schemas';
import { apiError, batchRejected } from '../../lib/api/responses';

/** `.occurrences[3].matched_characteristics.a …` → item 3, field matched_characteristics. */
function issueAt(problem: string): BatchIssue {
  const match = /^\.(\w+)\[(\d+)\]\.(\w+)(\S*) (.*)$/.exec(problem);
  if (!match) return { item: null, field: null, message: problem };
  return {
    item: Number(match[2]),
    field: match[3]!,
    message: `${match[4] ? `at ${match[4]}: ` : ''}${match[5]}`,
  };
}

class BatchRejected extends Error {
  constructor(readonly issues: BatchIssue[]) {
    super('batch rejected');
  }
}

/** Deadlocks and serialization failures are retried; the batch is all-or-nothing each time. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

function sqlState(error: unknown): string | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * One ingestion request: key (write scope), body, validation of every item, then the write and
 * the Idempotency-Key record in one transaction. Any refusal writes nothing.
 */
export async function runBatch<S extends z.ZodType>(options: {
  db: Database;
  request: Request;
  endpoint: string;
  /** The batch schema for the agents' columns as they are (their types and lengths). */
  schema: (limits: IngestLimits) => S;
  write: (tx: Database, batch: z.infer<S>) => Promise<{ issues: BatchIssue[] } | object>;
}): Promise<Response> {
  const { db, request } = options;
  const caller = await authenticateApiRequest(db, request, 'write');
  if (caller instanceof Response) return caller;
  const idempotencyKey = request.headers.get('idempotency-key');
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return apiError(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }
  const body = await readJsonBody(request, settings().apiMaxBodyBytes);
  if (body instanceof Response) return body;
  // Before any schema walks it: nesting that would exhaust the stack, text the database refuses.
  const unstorable = jsonProblem(body.value);
  if (unstorable) return batchRejected([issueAt(unstorable)]);
  const schema = options.schema(ingestLimits(await cachedTrackingCatalog(db)));
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) return batchRejected(batchIssues(parsed.error));
  const requestHash = createHash('sha256').update(body.text).digest('hex');

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        if (idempotencyKey !== null) {
          const claim = await claimIdempotencyKey(tx, {
            apiKeyId: caller.keyId,
            key: idempotencyKey,
            endpoint: options.endpoint,
            requestHash,
          });
          if (claim !== 'claimed') {
            if (claim.endpoint !== options.endpoint || claim.requestHash !== requestHash) {
              return apiError(
                422,
                'This Idempotency-Key was used for a different request; use a new key per batch.',
              );
            }
            return new Response(claim.body, {
              status: claim.status,
              headers: { 'content-type': 'application/json', 'Idempotent-Replayed': 'true' },
            });
          }
        }
        const result = await options.write(tx, parsed.data);
        if ('issues' in result) throw new BatchRejected(result.issues);
        const text = JSON.stringify(result);
        if (idempotencyKey !== null) {
          await storeIdempotentResponse(tx, {
            apiKeyId: caller.keyId,
            key: idempotencyKey,
            status: 201,
            body: text,
          });
        }
        return new Response(text, { status: 201, headers: { 'content-type': 'application/json' } });
      });
    } catch (error) {
      if (error instanceof BatchRejected) return batchRejected(error.issues);
      const state = sqlState(error) ?? '';
      if (attempt < ATTEMPTS && RETRYABLE.has(state)) continue;
      // A value the checks above let through but a column refuses (data exceptions, class 22):
      // the request's fault, refused whole with PostgreSQL's reason.
      if (state.startsWith('22')) {
        return batchRejected([
          {
            item: null,
            field: null,
            message: `the database refused a value: ${databaseErrorInfo(error).message}`,
          },
        ]);
      }
      throw error;
    }
  }
}
