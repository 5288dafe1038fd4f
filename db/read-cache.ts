import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { cache } from 'react';
import type { Database } from './client';
import { queryRows } from './sql';

/**
 * Page reads, shared between requests while the database has not changed.
 *
 * A result is kept under the database snapshot (`pg_current_snapshot()`: the oldest running
 * transaction, the next transaction id and the ones in progress) that the request read before
 * its first query. Two equal snapshots see exactly the same committed data, and a snapshot
 * never comes back once any transaction has taken an id, so a kept result is never older than
 * what the request would have read itself. Results are also kept only within one wall-clock
 * second, which bounds what `now()` in a query (and the range ending "now") can drift.
 *
 * Only the app's own pool is cached (`enableReadCache`); a transaction handle passed in is
 * read directly, so its uncommitted writes never reach other requests.
 */

/** Generations (snapshot and second) kept at once: requests in flight across a change. */
const MAX_GENERATIONS = 3;
const MAX_ENTRIES_PER_GENERATION = 2000;
/** Larger answers (long lists) are read each time rather than held in memory. */
const MAX_ROWS = 5000;

type Rows = Record<string, unknown>[];

class ReadCache {
  private generations = new Map<string, Map<string, Promise<Rows>>>();
  hits = 0;
  misses = 0;

  get(generation: string, key: string, load: () => Promise<Rows>): Promise<Rows> {
    let entries = this.generations.get(generation);
    if (!entries) {
      entries = new Map();
      this.generations.set(generation, entries);
      if (this.generations.size > MAX_GENERATIONS) {
        this.generations.delete(this.generations.keys().next().value as string);
      }
    }
    const kept = entries.get(key);
    if (kept) {
      this.hits += 1;
      return kept;
    }
    this.misses += 1;
    const loading = load();
    entries.set(key, loading);
    if (entries.size > MAX_ENTRIES_PER_GENERATION) {
      entries.delete(entries.keys().next().value as string);
    }
    const forget = () => {
      if (entries.get(key) === loading) entries.delete(key);
    };
    loading.then((rows) => rows.length > MAX_ROWS && forget(), forget);
    return loading;
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
const requestGeneration = cache(async (db: Database): Promise<string> => {
  const [row] = await queryRows<{ snapshot: string }>(
    db,
    sql`SELECT pg_current_snapshot()::text AS snapshot`,
  );
  return `${row?.snapshot}@${Math.floor(Date.now() / 1000)}`;
});

/** A page read: answered from the cache when the same query ran under the same snapshot. */
export async function readRows<T extends Record<string, unknown>>(
  db: Database,
  query: SQL,
): Promise<T[]> {
  const readCache = cacheOf(db);
  if (!readCache) return queryRows<T>(db, query);
  const generation = await requestGeneration(db);
  const compiled = dialect.sqlToQuery(query);
  const key = `${compiled.sql}\u0000${JSON.stringify(compiled.params)}`;
  const rows = await readCache.get(generation, key, () => queryRows(db, query));
  // A copy, so that a caller sorting its answer cannot reorder another request's.
  return rows.slice() as T[];
}
