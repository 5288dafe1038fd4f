/**
 * The `breakdown` section: a 30-day breakdown as the patterns and savings pages ask for it (median
 * of 7 runs after one warm-up, database time through the app's query), by a matched_characteristics
 * key (target ≤ 300 ms p50), beside the same answer counted from the raw rows, and by the other
 * dimensions.
 */
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { breakdownQuery } from '../db/queries/breakdown';
import { getBucketSpans } from '../db/queries/rollup';
import { queryRows } from '../db/sql';
import type { Database } from '../db/types';
import { parseDimension, type BreakdownSubject } from '../lib/breakdown';
import { resolveTimeRange } from '../lib/time-range';

async function medianMs(db: Database, query: SQL, runs = 7): Promise<number> {
  await queryRows(db, query);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await queryRows(db, query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

export async function breakdownCost(url: string) {
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  const db = handle.db;
  const [latest] = await queryRows<{ at: number | null }>(
    db,
    sql`SELECT (date_part('epoch', max(detected_at)) * 1000)::float8 AS at FROM pattern_occurrences`,
  );
  const now = new Date(Math.min(latest?.at ?? Date.now(), Date.now()));
  const rows: Record<string, unknown>[] = [];
  try {
    for (const tz of ['UTC', 'America/New_York']) {
      const range = resolveTimeRange({ range: '30d', tz, granularity: 'auto' }, now, {
        min: new Date('2000-01-01'),
        max: now,
      });
      const { spans } = await getBucketSpans(db, range);
      const cases: [BreakdownSubject, string][] = [
        ['occurrences', 'mc.complexity'],
        ['occurrences', 'mc.input_length'],
        ['occurrences', 'pattern_type'],
        ['occurrences', 'model'],
        ['savings', 'optimization_type'],
        ['savings', 'status'],
        ['savings', 'model'],
      ];
      for (const [subject, by] of cases) {
        const dimension = parseDimension(by, subject)!;
        const measure = subject === 'savings' ? 'usd' : 'count';
        const row: Record<string, unknown> = {
          tz,
          subject,
          by,
          ms: await medianMs(db, breakdownQuery(spans, range, subject, dimension, measure)),
        };
        if (dimension.kind === 'characteristic') {
          // The same figures counted from the raw rows, per UTC day: what the rollup saves.
          const raw = await medianMs(
            db,
            sql`SELECT date_trunc('day', o.detected_at), pattern_ledger.characteristic_value(
                pattern_ledger.json_object_of(o.matched_characteristics) -> ${dimension.key}), count(*)
              FROM pattern_occurrences o
              WHERE o.detected_at >= ${range.from.toISOString()}::timestamptz AT TIME ZONE 'UTC'
                AND o.detected_at < ${range.to.toISOString()}::timestamptz AT TIME ZONE 'UTC'
              GROUP BY 1, 2`,
            3,
          );
          row.rawMs = raw;
          row.speedup = Math.round((raw / (row.ms as number)) * 10) / 10;
        }
        rows.push(row);
      }
    }
  } finally {
    await handle.close();
  }
  return rows;
}
