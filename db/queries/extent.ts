import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { IMPLAUSIBLE } from '../rollups/defects';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { utcTimestamp } from './time';

export type DataExtent = { min: Date | null; max: Date | null };

/**
 * Times before this, or more than IMPLAUSIBLE.futureHours after the moment asked about, are not
 * the data's extent but defects of it (`'infinity'`, year 1, year 294276): the data-quality page
 * lists them, the "all time" axis does not stretch to them.
 */
export const EARLIEST_PLAUSIBLE = new Date('1990-01-01T00:00:00Z');

/**
 * The earliest and latest plausible time the tables hold: occurrences, savings, and the
 * patterns' own first_detected and last_seen (a database whose writer never recorded an
 * occurrence still has those). Index look-ups for the large tables.
 */
export async function getDataExtent(db: Database, at: Date): Promise<DataExtent> {
  const from = utcTimestamp(EARLIEST_PLAUSIBLE);
  const to = sql`${utcTimestamp(at)} + make_interval(hours => ${IMPLAUSIBLE.futureHours})`;
  const bound = (table: string, name: string, fn: 'min' | 'max'): SQL => {
    const column = sql.raw(name);
    return sql`(SELECT ${sql.raw(fn)}(${column})::timestamp FROM ${sql.raw(table)}
      WHERE ${column} >= ${from} AND ${column} <= ${to})`;
  };
  const [row] = await readRows<{ min: number | null; max: number | null }>(
    db,
    sql`SELECT (date_part('epoch', least(${bound('pattern_occurrences', 'detected_at', 'min')},
          ${bound('cost_savings_log', 'saved_at', 'min')}, ${bound('operation_patterns', 'first_detected', 'min')},
          ${bound('operation_patterns', 'last_seen', 'min')})) * 1000)::float8 AS min,
        (date_part('epoch', greatest(${bound('pattern_occurrences', 'detected_at', 'max')},
          ${bound('cost_savings_log', 'saved_at', 'max')}, ${bound('operation_patterns', 'first_detected', 'max')},
          ${bound('operation_patterns', 'last_seen', 'max')})) * 1000)::float8 AS max`,
  );
  return {
    min: row?.min == null ? null : new Date(row.min),
    max: row?.max == null ? null : new Date(row.max),
  };
}
