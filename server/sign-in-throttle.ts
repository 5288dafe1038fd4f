import 'server-only';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RateLimiterDrizzle, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '@/db/types';
import { signInLimit } from '@/db/schema';
// Set by the server from the connection, never by the client.
import { CLIENT_HEADER } from '@/lib/client-address.mjs';

/**
 * Failed sign-ins slow down whoever guesses, never the account's owner alone:
 * - per client address and account: five free tries, then a wait that doubles with each further
 *   failure (1 s, 2 s, … up to 15 minutes), until a sign-in from there succeeds;
 * - per account from browsers that never signed in to it: the same after twenty failures, so
 *   guesses spread over many addresses slow down too, while the owner's browser (it holds a
 *   device cookie from an earlier sign-in) is exempt;
 * - per client address: at most 100 failures a day, whatever the accounts.
 * Counts live in the database (pattern_ledger.sign_in_limit), shared by every app process, kept by
 * rate-limiter-flexible (its atomic Drizzle store: an upsert per count).
 */

const DAY_S = 24 * 3600;
const MAX_WAIT_S = 15 * 60;
export const FREE_TRIES = { pair: 5, account: 20 } as const;
export const ADDRESS_FAILURES_PER_DAY = 100;

/** The wait after `failures` consecutive failures when `free` were allowed without one. */
export function waitSeconds(failures: number, free: number): number {
  return failures <= free ? 0 : Math.min(2 ** (failures - free - 1), MAX_WAIT_S);
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);
const accountKey = (email: string) => digest(email.trim().toLowerCase());

type Limiters = {
  failures: RateLimiterDrizzle;
  waits: RateLimiterDrizzle;
  address: RateLimiterDrizzle;
};

const byDatabase = new WeakMap<Database, Limiters>();

function limitersOf(db: Database): Limiters {
  let limiters = byDatabase.get(db);
  if (!limiters) {
    const store = { storeClient: db, schema: signInLimit };
    limiters = {
      // Consecutive failures, counted for a day; never blocks by itself.
      failures: new RateLimiterDrizzle({
        ...store,
        keyPrefix: 'fail',
        points: Number.MAX_SAFE_INTEGER,
        duration: DAY_S,
      }),
      // A key is made to wait by blocking it here for the wait's length.
      waits: new RateLimiterDrizzle({ ...store, keyPrefix: 'wait', points: 1, duration: 1 }),
      address: new RateLimiterDrizzle({
        ...store,
        keyPrefix: 'addr',
        points: ADDRESS_FAILURES_PER_DAY,
        duration: DAY_S,
      }),
    };
    byDatabase.set(db, limiters);
  }
  return limiters;
}

export type Attempt = {
  email: string;
  /** The client's address (lib/client-address.mjs), 'unknown' without one. */
  address: string;
  /** Whether the browser holds a device cookie for this account (an earlier sign-in). */
  knownDevice: boolean;
};

const keysOf = (attempt: Attempt) => {
  const account = accountKey(attempt.email);
  return {
    pair: `${account}:${attempt.address}`,
    account: attempt.knownDevice ? null : account,
    address: attempt.address,
  };
};

const blockedFor = (res: RateLimiterRes | null, points: number) =>
  res !== null && res.consumedPoints > points ? res.msBeforeNext : 0;

/** How long this attempt must wait before it is tried (0: it may go ahead). */
export async function signInWait(db: Database, attempt: Attempt): Promise<number> {
  const { waits, address } = limitersOf(db);
  const keys = keysOf(attempt);
  const [pair, account, addressCount] = await Promise.all([
    waits.get(`pair:${keys.pair}`),
    keys.account === null ? null : waits.get(`account:${keys.account}`),
    address.get(keys.address),
  ]);
  return Math.max(
    blockedFor(pair, 1),
    blockedFor(account, 1),
    blockedFor(addressCount, ADDRESS_FAILURES_PER_DAY - 1),
  );
}

/** Counts a failed attempt and sets the waits it has earned. */
export async function signInFailed(db: Database, attempt: Attempt): Promise<void> {
  const { failures, waits, address } = limitersOf(db);
  const keys = keysOf(attempt);
  const counted = async (key: string, free: number) => {
    const res = await failures.penalty(key, 1);
    const wait = waitSeconds(res.consumedPoints, free);
    if (wait > 0) await waits.block(key, wait);
  };
  await Promise.all([
    counted(`pair:${keys.pair}`, FREE_TRIES.pair),
    keys.account === null ? null : counted(`account:${keys.account}`, FREE_TRIES.account),
    address.penalty(keys.address, 1),
  ]);
}

/** A success from here clears the counts of this account from this address. */
export async function signInSucceeded(db: Database, attempt: Attempt): Promise<void> {
  const { failures, waits } = limitersOf(db);
  const keys = keysOf(attempt);
  await Promise.all([
    failures.delete(`pair:${keys.pair}`),
    waits.delete(`pair:${keys.pair}`),
    failures.delete(`account:${accountKey(attempt.email)}`),
    waits.delete(`account:${accountKey(attempt.email)}`),
  ]);
}

/* --------------------------------------------------------------------------- device cookie */

export const DEVICE_COOKIE = 'pattern_ledger_device';

/** The device cookie's value for an account: its digest, signed with the session secret. */
export function deviceToken(email: string, secret: string): string {
  const account = accountKey(email);
  const mac = createHmac('sha256', secret).update(`device:${account}`).digest('base64url');
  return `${account}.${mac}`;
}

/**
 * The attempt a request makes to sign in as `email`: the client address the server worked out,
 * and whether the request's cookies hold this account's device token.
 */
export function attemptFrom(email: string, requestHeaders: Headers, secret: string): Attempt {
  const device = (requestHeaders.get('cookie') ?? '')
    .split(/;\s*/)
    .find((pair) => pair.startsWith(`${DEVICE_COOKIE}=`))
    ?.slice(DEVICE_COOKIE.length + 1);
  return {
    email,
    address: requestHeaders.get(CLIENT_HEADER) ?? 'unknown',
    knownDevice: isDeviceOf(device, email, secret),
  };
}

/** What a person is told while an attempt must wait. */
export function waitMessage(waitMs: number): string {
  return `Too many failed sign-ins for this account from here. Wait ${Math.ceil(waitMs / 1000)} s and try again.`;
}

export function isDeviceOf(token: string | undefined, email: string, secret: string): boolean {
  if (!token) return false;
  const expected = Buffer.from(deviceToken(email, secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
