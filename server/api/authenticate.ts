import 'server-only';
import type { Database } from '@/db/types';
import { settings } from '@/server/settings';
import { lookUpApiKey, type ApiCaller } from '@/db/mutations/api-keys';
import type { ApiKeyScope } from '@/db/schema';
import { bearerKey, hashApiKey } from '../../lib/api/keys';
import { RateLimiter } from './rate-limit';
import { apiError } from '../../lib/api/responses';

const app = globalThis as {
  __patternLedgerRateLimiter?: RateLimiter;
  __patternLedgerCaptureLimiter?: RateLimiter;
};
const limiter = (app.__patternLedgerRateLimiter ??= new RateLimiter(() => settings().apiRateLimit));
// Hooks come one per tool call, many a second from a busy team: counted apart, with their own limit.
const captureLimiter = (app.__patternLedgerCaptureLimiter ??= new RateLimiter(
  () => settings().captureRateLimit,
));

/** The scopes that may call an endpoint needing `needed`: a capture key only captures. */
const ALLOWED: Record<ApiKeyScope, readonly ApiKeyScope[]> = {
  read: ['read', 'write'],
  write: ['write'],
  capture: ['capture', 'write'],
};

const REFUSED: Record<ApiKeyScope, string> = {
  read: 'This API key may only capture events; reading needs a key with the read or write scope.',
  write: 'Writing needs a key with the write scope.',
  capture: 'Capturing needs a key with the capture (or write) scope.',
};

/**
 * A capture key looked up at most once a second per process: hooks come one per tool call, and
 * the lookup was a third of a hook's database work. A key revoked stops capturing within that
 * second; every other scope is looked up at each request.
 */
const CAPTURE_KEY_SECONDS = 1;
const capturing = new Map<string, { caller: ApiCaller | null; until: number }>();

async function capturingKey(db: Database, keyHash: string): Promise<ApiCaller | null> {
  const now = Date.now();
  const known = capturing.get(keyHash);
  if (known && known.until > now) return known.caller;
  const caller = await lookUpApiKey(db, keyHash);
  if (capturing.size > 1000) capturing.clear();
  // Only keys that exist are remembered: a guessed key is looked up every time.
  if (caller) capturing.set(keyHash, { caller, until: now + CAPTURE_KEY_SECONDS * 1000 });
  return caller;
}

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
  const caller =
    needed === 'capture' ? await capturingKey(db, keyHash) : await lookUpApiKey(db, keyHash);
  if (!caller) return apiError(401, 'The API key is not valid or was revoked.', unauthorized);
  const decision = (needed === 'capture' ? captureLimiter : limiter).take(keyHash);
  if (!decision.allowed) {
    return apiError(429, 'Too many requests for this API key; retry later.', {
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    });
  }
  if (!ALLOWED[needed].includes(caller.scope)) return apiError(403, REFUSED[needed]);
  return caller;
}
