import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getSavingsBuckets } from '@/db/queries/savings';
import { queryRows } from '@/db/sql';
import { PREVIOUS_TOTAL, previousKey, withPrevious } from '@/lib/charts/compare';
import { bucketTimeParams } from '@/lib/charts/drill';
import { savingsByTypeChart, savingsTotalChart } from '@/lib/charts/savings-charts';
import { parseTimeParams, previousPeriod } from '@/lib/time-range';
import { describeEachDatabase } from './support/databases';
import { rangeOf } from './support/ranges';

const range = rangeOf({ range: '30d', tz: 'Europe/Berlin', granularity: 'day', compare: true });
const previous = previousPeriod(range)!;

describe('the previous period', () => {
  it('is the span of equal length just before, in the same buckets; none for all time', () => {
    expect(previous.to).toEqual(range.from);
    expect(range.from.getTime() - previous.from.getTime()).toBe(
      range.to.getTime() - range.from.getTime(),
    );
    expect(previous.granularity).toBe(range.granularity);
    expect(previousPeriod(rangeOf({ range: 'all', compare: true }))).toBeNull();
    expect(previousPeriod(rangeOf({ range: '30d' }))).toBeNull();
  });

  it('is kept in the URL as compare=previous', () => {
    expect(parseTimeParams({ compare: 'previous' }).compare).toBe(true);
    expect(parseTimeParams({ compare: 'yes' }).compare).toBeUndefined();
  });
});

describeEachDatabase('compare draws the previous period', { seed: true }, (get) => {
  it('bucket by bucket, each dashed value equal to independent SQL over its bucket', async () => {
    const { db } = get();
    const [now, before] = await Promise.all([
      getSavingsBuckets(db, range),
      getSavingsBuckets(db, previous),
    ]);
    const earlier = savingsTotalChart(before, previous);
    const chart = withPrevious(savingsTotalChart(now, range), earlier);
    const dashed = chart.series.find((s) => s.key === previousKey('usd'))!;
    expect(dashed).toMatchObject({ kind: 'line', dashed: true });
    let total = 0;
    for (const [index, point] of chart.points.entries()) {
      const facing = earlier.points[index];
      if (!facing) {
        expect(point[previousKey('usd')]).toBeNull();
        continue;
      }
      expect(point.previousLabel).toBe(facing.tooltipLabel);
      const edges = rangeOf(parseTimeParams(bucketTimeParams(facing.bucket, previous))).filter;
      const [truth] = await queryRows<{ usd: number }>(
        db,
        sql`SELECT coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 AS usd FROM cost_savings_log
          WHERE saved_at >= ${edges.from!.toISOString()}::timestamptz AT TIME ZONE 'UTC'
            AND saved_at < ${edges.to!.toISOString()}::timestamptz AT TIME ZONE 'UTC'`,
      );
      expect(point[previousKey('usd')]).toBeCloseTo(truth!.usd, 6);
      total += truth!.usd;
    }
    expect(total).toBeGreaterThan(0);

    // Stacked bars get one dashed total, the sum of the previous bucket's stack.
    const stacked = withPrevious(
      savingsByTypeChart(now, range, 'usd'),
      savingsByTypeChart(before, previous, 'usd'),
    );
    for (const [index, point] of stacked.points.entries()) {
      expect(point[PREVIOUS_TOTAL]).toBeCloseTo((earlier.points[index]?.usd as number) ?? 0, 6);
    }
  });
});
