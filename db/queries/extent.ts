import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { readRows } from '../read-cache';

export type DataExtent = { min: Date | null; max: Date | null };

/** The earliest and latest stored time over occurrences and savings (index-only look-ups). */
export async function getDataExtent(db: Database): Promise<DataExtent> {
  const [row] = await readRows<{ min: number | null; max: number | null }>(
    db,
    sql`SELECT (date_part('epoch', least(
          (SELECT min(detected_at) FROM pattern_occurrences), (SELECT min(saved_at) FROM cost_savings_log))) * 1000)::float8 AS min,
        (date_part('epoch', greatest(
          (SELECT max(detected_at) FROM pattern_occurrences), (SELECT max(saved_at) FROM cost_savings_log))) * 1000)::float8 AS max`,
  );
  return {
    min: row?.min == null ? null : new Date(row.min),
    max: row?.max == null ? null : new Date(row.max),
  };
}
