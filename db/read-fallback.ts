import type { Database } from './types';

const FALLBACK = Symbol.for('pattern-ledger.read-fallback');
export type ReadFallback = { primary: Database; unavailable: (reason: string) => void };
type WithFallback = Database & { [FALLBACK]?: ReadFallback };

/**
 * `replica`, read through a handle whose queries that cannot reach it are run on `primary`
 * instead (`queryRows` does), after telling `unavailable` why: a replica that has just stopped
 * costs a page nothing, and the caller stops sending reads to it. Shares the replica's pool and
 * read cache.
 */
export function readingFromPrimaryWhenUnreachable(
  replica: Database,
  primary: Database,
  unavailable: (reason: string) => void,
): Database {
  const handle = Object.create(replica) as WithFallback;
  handle[FALLBACK] = { primary, unavailable };
  return handle;
}

export function readFallbackOf(db: Database): ReadFallback | undefined {
  return (db as WithFallback)[FALLBACK];
}
