import type { SQL } from 'drizzle-orm';
import type { Database } from './types';
import { classifyDatabaseError } from './errors';

/**
 * Runs raw SQL and returns its rows. postgres.js answers with an array and PGlite with
 * `{ rows }`; callers see one shape. Cast numeric results in SQL (`::float8`, `::int`) so both
 * drivers return JavaScript numbers. A lost connection becomes a DatabaseUnavailableError.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Database,
  query: SQL,
): Promise<T[]> {
  let result: unknown;
  try {
    result = await db.execute(query);
  } catch (error) {
    throw classifyDatabaseError(error) ?? error;
  }
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
