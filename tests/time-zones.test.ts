import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { bucketListQuery, inRange } from '@/db/queries/time';
import { queryRows } from '@/db/sql';
import { resolveTimeRange, type Granularity } from '@/lib/time-range';
import { describeEachDatabase } from './support/databases';

/** A stored timestamp's bucket in the zone, row by row: the independent reference for the pages. */
function bucketOf(column: SQL, granularity: Granularity, tz: string): SQL {
  return sql`(date_part('epoch', date_trunc(${sql.raw(`'${granularity}'`)}, (${column} AT TIME ZONE 'UTC') AT TIME ZONE ${tz}) AT TIME ZONE ${tz}) * 1000)::float8`;
}

const ZONES = [
  'UTC',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
];

describeEachDatabase('buckets in time zones', { seed: false }, (get) => {
  beforeAll(async () => {
    const { db } = get();
    await db.execute(
      sql`INSERT INTO operation_patterns (id, pattern_signature, pattern_type) VALUES (1, 'tz:test', 'tz')`,
    );
    // A row every 7 minutes across the US spring change (2026-03-08) and the European and
    // Lord Howe autumn changes (2026-10-25, 2026-04-05), so every local day boundary is crossed.
    for (const [from, to] of [
      ['2026-03-05', '2026-03-11'],
      ['2026-04-03', '2026-04-07'],
      ['2026-10-23', '2026-10-27'],
    ]) {
      await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, detected_at)
        SELECT 1, 'adw-tz', t FROM generate_series(${from}::timestamp, ${to}::timestamp, interval '7 minutes') t`);
    }
  });

  for (const tz of ZONES) {
    for (const granularity of ['hour', 'day', 'week'] as Granularity[]) {
      it(`${granularity} totals in ${tz} equal raw rows bucketed with AT TIME ZONE`, async () => {
        const { db } = get();
        for (const [from, to] of [
          ['2026-03-06', '2026-03-10'],
          ['2026-04-04', '2026-04-06'],
          ['2026-10-24', '2026-10-26'],
        ] as const) {
          const range = resolveTimeRange(
            { range: 'custom', from, to, tz, granularity },
            new Date('2026-11-01'),
          );
          const buckets = (await queryRows<{ bucket: number }>(db, bucketListQuery(range))).map(
            (b) => b.bucket,
          );
          const rows = await queryRows<{ bucket: number; n: number }>(
            db,
            sql`SELECT ${bucketOf(sql`detected_at`, range.granularity, tz)} AS bucket, count(*)::int AS n
                FROM pattern_occurrences WHERE ${inRange(sql`detected_at`, range.filter)} GROUP BY 1 ORDER BY 1`,
          );
          // Independent: local wall time of each row, truncated, compared as text.
          const truth = await queryRows<{ local: string; n: number }>(
            db,
            sql`SELECT to_char(date_trunc(${granularity}, (detected_at AT TIME ZONE 'UTC') AT TIME ZONE ${tz}), 'YYYY-MM-DD HH24:MI') AS local, count(*)::int AS n
                FROM pattern_occurrences
                WHERE (detected_at AT TIME ZONE 'UTC') >= (${from}::timestamp AT TIME ZONE ${tz})
                  AND (detected_at AT TIME ZONE 'UTC') < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})
                GROUP BY 1 ORDER BY 1`,
          );
          const total = truth.reduce((sum, t) => sum + t.n, 0);
          expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(total);
          expect(rows.map((r) => r.n)).toEqual(truth.map((t) => t.n));
          // Every row bucket is in the bucket list, and the list has no duplicate.
          const listed = new Set(buckets);
          expect(listed.size).toBe(buckets.length);
          for (const row of rows) expect(listed.has(row.bucket)).toBe(true);
          if (granularity === 'day') expect(buckets).toHaveLength(truth.length);
        }
      });
    }
  }
});
