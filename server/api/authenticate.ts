import 'server-only';
import type { Database } from '@/db/types';
import { settings } from '@/server/settings';
import { lookUpApiKey, type ApiCaller } from '@/db/mutations/api-keys';
import type { ApiKeyScope } from '@/db/schema';
import { bearerKey, hashApiKey } from '../../lib/api/keys';
import { RateLimiter } from './rate-limit';
import { apiError } from '../../lib/api/responses';

const app = globalThis as { __patternLedgerRateLimiter?: RateLimiter };
const limiter = (app.__patternLedgerRateLimiter ??= new RateLimiter(() => settings().apiRateLimit));

/**
 * The API key behind this request, or the answer to send instead: 401 without a live key, 429
 * when the key has used its requests for this minute, 403 when its scope is too small.
 */
export async function authenticateApiRequest(
  db: Database,
  request: Request,
  needed: ApiKeyScope,
): Promise<ApiCaller | Response> {
  const key = bearerKey(request.headers.get('authorization'));
  const unauthorized = { headers: { 'WWW-Authenticate': 'Bearer realm="pattern-ledger"' } };
  if (!key) return apiError(401, 'Send an API key: Authorization: Bearer <key>.', unauthorized);
  const keyHash = hashApiKey(key);
  const caller = await lookUpApiKey(db, keyHash);
  if (!caller) return apiError(401, 'The API key is not valid or was revoked.', unauthorized);
  const decision = limiter.take(keyHash);
  if (!decision.allowed) {
    return apiError(429, 'Too many requests for this API key; retry later.', {
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    });
  }
  if (needed === 'write' && caller.scope !== 'write') {
    return apiError(403, 'This API key may only read; writing needs a key with the write scope.');
  }
  return caller;
}
