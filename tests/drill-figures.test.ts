import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { getOccurrenceBuckets, getPatternRangeSummary } from '@/db/queries/patterns';
import { getSavingsBuckets, getSavingsLog } from '@/db/queries/savings';
import { queryRows } from '@/db/sql';
import { bucketTimeParams } from '@/lib/charts/drill';
import { occurrenceChart } from '@/lib/charts/pattern-charts';
import { savingsByTypeChart } from '@/lib/charts/savings-charts';
import { OPTIMIZATION_TYPES } from '@/lib/domain';
import { parseSavingsParams } from '@/lib/savings-params';
import { parseTimeParams } from '@/lib/time-range';
import { describeEachDatabase } from './support/databases';
import { rangeOf } from './support/ranges';

// A zone with daylight saving, cut by the range at both ends (12:00 UTC is not its midnight).
const range = rangeOf({ range: '30d', tz: 'America/New_York', granularity: 'day' });
const drilled = (bucket: number) => rangeOf(parseTimeParams(bucketTimeParams(bucket, range)));
const at = (instant: Date) => instant.toISOString();

describeEachDatabase('drill-through reaches exactly the rows of a bar', { seed: true }, (get) => {
  it("each day's occurrence bar equals the pattern's occurrences over the link's range", async () => {
    const { db } = get();
    const [top] = await queryRows<{ id: number }>(
      db,
      sql`SELECT pattern_id AS id FROM pattern_occurrences GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const chart = occurrenceChart(await getOccurrenceBuckets(db, range, top!.id), range);
    expect(chart.points.length).toBeGreaterThanOrEqual(30);
    let seen = 0;
    for (const point of chart.points) {
      const edges = drilled(point.bucket);
      const summary = await getPatternRangeSummary(db, edges, top!.id);
      const [truth] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM pattern_occurrences WHERE pattern_id = ${top!.id}
          AND detected_at >= ${at(edges.filter.from!)}::timestamptz AT TIME ZONE 'UTC'
          AND detected_at < ${at(edges.filter.to!)}::timestamptz AT TIME ZONE 'UTC'`,
      );
      expect(summary.occurrences).toBe(truth!.n);
      expect(point.count).toBe(truth!.n);
      seen += truth!.n;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("each savings segment equals its type's log entries over the link's range", async () => {
    const { db } = get();
    const chart = savingsByTypeChart(await getSavingsBuckets(db, range), range, 'usd');
    let segments = 0;
    for (const point of chart.points) {
      const edges = drilled(point.bucket);
      for (const type of OPTIMIZATION_TYPES) {
        const log = await getSavingsLog(db, edges, parseSavingsParams({ type }));
        const [truth] = await queryRows<{ n: number; usd: number }>(
          db,
          sql`SELECT count(*)::int AS n, coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 AS usd
            FROM cost_savings_log WHERE optimization_type = ${type}
            AND saved_at >= ${at(edges.filter.from!)}::timestamptz AT TIME ZONE 'UTC'
            AND saved_at < ${at(edges.filter.to!)}::timestamptz AT TIME ZONE 'UTC'`,
        );
        expect(log.total).toBe(truth!.n);
        expect(log.usd).toBeCloseTo(truth!.usd, 6);
        expect((point[type] as number | undefined) ?? 0).toBeCloseTo(truth!.usd, 6);
        if (truth!.n > 0) segments += 1;
      }
    }
    expect(segments).toBeGreaterThan(0);
  });
});
