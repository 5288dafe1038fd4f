import { SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { cache } from 'react';
import type { Database } from './types';
import { queryRows } from './sql';

/**
 * Page reads, shared between requests while the database has not changed.
 *
 * A result is kept under the database snapshot (`pg_current_snapshot()`: the oldest running
 * transaction, the next transaction id and the ones in progress) that the request read before
 * its first query. Two equal snapshots see exactly the same committed data, and a snapshot
 * never comes back once any transaction has taken an id, so a kept result is never older than
 * what the request would have read itself. A query's text and parameters are its whole question:
 * page reads never ask the database for the time (`now()`); a moment they need, such as the end
 * of a range, is a parameter (tests/read-cache.test.ts checks the sources for it).
 *
 * Only the app's own pool is cached (`enableReadCache`); a transaction handle passed in is
 * read directly, so its uncommitted writes never reach other requests.
 */

/** Snapshots kept at once: requests still in flight when the data changes read their own. */
const MAX_SNAPSHOTS = 3;
/** Rows held in all, oldest answers forgotten first (a leaderboard page is about 200). */
const MAX_ROWS_HELD = 200_000;
/** Larger answers (long lists) are read each time rather than held. */
const MAX_ROWS = 5000;

type Rows = Record<string, unknown>[];
type Entry = { rows: Promise<Rows>; size: number };

class ReadCache {
  private snapshots = new Map<string, Map<string, Entry>>();
  private rowsHeld = 0;
  hits = 0;
  misses = 0;

  get(snapshot: string, key: string, load: () => Promise<Rows>): Promise<Rows> {
    let entries = this.snapshots.get(snapshot);
    if (!entries) {
      entries = new Map();
      this.snapshots.set(snapshot, entries);
      if (this.snapshots.size > MAX_SNAPSHOTS) this.dropSnapshot();
    }
    const kept = entries.get(key);
    if (kept) {
      this.hits += 1;
      return kept.rows;
    }
    this.misses += 1;
    const entry: Entry = { rows: load(), size: 0 };
    entries.set(key, entry);
    const forget = () => {
      if (entries.get(key) === entry) entries.delete(key);
    };
    entry.rows.then((rows) => {
      if (rows.length > MAX_ROWS) return forget();
      if (entries.get(key) !== entry) return;
      entry.size = rows.length + 1;
      this.rowsHeld += entry.size;
      this.trim();
    }, forget);
    return entry.rows;
  }

  private dropSnapshot(): void {
    const [oldest, entries] = this.snapshots.entries().next().value as [string, Map<string, Entry>];
    for (const entry of entries.values()) this.rowsHeld -= entry.size;
    this.snapshots.delete(oldest);
  }

  private trim(): void {
    for (const entries of this.snapshots.values()) {
      for (const [key, entry] of entries) {
        if (this.rowsHeld <= MAX_ROWS_HELD) return;
        this.rowsHeld -= entry.size;
        entries.delete(key);
      }
    }
  }
}

// Kept on the handle itself: Next.js bundles this module once per server layer, and each copy
// must find the cache that the shared handle was opened with.
const CACHE = Symbol.for('pattern-ledger.read-cache');
type WithCache = Database & { [CACHE]?: ReadCache };
const cacheOf = (db: Database) => (db as WithCache)[CACHE];
const dialect = new PgDialect();

/** Lets `readRows` share results on this handle (the app's pool; never a transaction). */
export function enableReadCache(db: Database): void {
  (db as WithCache)[CACHE] ??= new ReadCache();
}

/** How many reads were answered from the cache and how many went to the database. */
export function readCacheStats(db: Database): { hits: number; misses: number } | undefined {
  const readCache = cacheOf(db);
  return readCache ? { hits: readCache.hits, misses: readCache.misses } : undefined;
}

/** The snapshot this request reads under, taken once per request (React's request cache). */
const requestSnapshot = cache(async (db: Database): Promise<string> => {
  const [row] = await queryRows<{ snapshot: string }>(
    db,
    // With the server's start time: a restarted (or different) server starts a new history.
    sql`SELECT pg_current_snapshot()::text || ' ' || pg_postmaster_start_time()::text AS snapshot`,
  );
  return row?.snapshot ?? '';
});

/**
 * A query named by what it asks (a name and its arguments), built only when its answer is not
 * kept: the big span queries cost more to build than to answer from the cache. The name and
 * arguments must determine the SQL entirely.
 */
export type Question = { key: string; build: () => SQL };

export function question(name: string, args: unknown[], build: () => SQL): Question {
  return { key: `${name}\u0001${JSON.stringify(args)}`, build };
}

/** A page read: answered from the cache when the same query ran under the same snapshot. */
export async function readRows<T extends Record<string, unknown>>(
  db: Database,
  query: SQL | Question,
): Promise<T[]> {
  const readCache = cacheOf(db);
  const build = () => (query instanceof SQL ? query : query.build());
  if (!readCache) return queryRows<T>(db, build());
  const snapshot = await requestSnapshot(db);
  let key: string;
  if (!(query instanceof SQL)) key = query.key;
  else {
    const compiled = dialect.sqlToQuery(query);
    key = `${compiled.sql}\u0000${JSON.stringify(compiled.params)}`;
  }
  const rows = await readCache.get(snapshot, key, () => queryRows(db, build()));
  // A copy, so that a caller sorting its answer cannot reorder another request's.
  return rows.slice() as T[];
}
