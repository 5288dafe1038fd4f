import type { SQL } from 'drizzle-orm';
import type { Database } from './types';
import { classifyDatabaseError, DATABASE_UNAVAILABLE } from './errors';
import { readFallbackOf } from './read-fallback';

/**
 * Runs raw SQL and returns its rows. postgres.js answers with an array and PGlite with
 * `{ rows }`; callers see one shape. Cast numeric results in SQL (`::float8`, `::int`) so both
 * drivers return JavaScript numbers. A lost connection becomes a DatabaseUnavailableError, or,
 * on a replica's read handle (db/read-fallback.ts), the same query on the primary.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Database,
  query: SQL,
): Promise<T[]> {
  let result: unknown;
  try {
    result = await db.execute(query);
  } catch (error) {
    const classified = classifyDatabaseError(error);
    const fallback = readFallbackOf(db);
    if (fallback && classified?.digest === DATABASE_UNAVAILABLE) {
      fallback.unavailable(classified.message);
      return queryRows<T>(fallback.primary, query);
    }
    throw classified ?? error;
  }
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
