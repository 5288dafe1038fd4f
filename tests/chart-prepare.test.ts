import { describe, expect, it } from 'vitest';
import { histogramChart, occurrenceChart, patternSavingsChart } from '@/lib/charts/pattern-charts';
import {
  axisMax,
  bucketLabels,
  densify,
  niceTicks,
  stack,
  withCumulative,
  withPartialBuckets,
} from '@/lib/charts/prepare';
import { columnsPath } from '@/components/charts/sparkline';
import type { BacktestPoint } from '@/lib/alerts/backtest';
import { firingRuns, thresholdSparkline, thresholdTicks } from '@/lib/charts/thresholds';

const day = 86_400_000;
const buckets = [0, 1, 2, 3].map((d) => Date.UTC(2026, 2, 1) + d * day);

describe('densify', () => {
  it('fills empty buckets with 0 for sums and a gap (null) for averages', () => {
    const points = densify(
      buckets,
      [{ bucket: buckets[1]!, count: 3, avg: 0.8 }],
      [
        { key: 'count', aggregation: 'sum' },
        { key: 'avg', aggregation: 'avg' },
      ],
      'day',
      'UTC',
    );
    expect(points.map((p) => [p.count, p.avg])).toEqual([
      [0, null],
      [3, 0.8],
      [0, null],
      [0, null],
    ]);
    expect(points[0]).toMatchObject({ label: '03-01', tooltipLabel: '2026-03-01' });
  });

  it('refuses a row whose bucket is not in the list, rather than dropping it', () => {
    expect(() =>
      densify(buckets, [{ bucket: 5, n: 1 }], [{ key: 'n', aggregation: 'sum' }], 'day', 'UTC'),
    ).toThrow(/not in the bucket list/);
  });
});

describe('stack', () => {
  it('keeps the top N series in the given order and groups the rest as Other', () => {
    const rows = [
      { bucket: buckets[0]!, series: 'a', value: 5 },
      { bucket: buckets[0]!, series: 'b', value: 1 },
      { bucket: buckets[1]!, series: 'c', value: 2 },
      { bucket: buckets[2]!, series: 'd', value: 1 },
    ];
    const chart = stack(buckets, rows, {
      granularity: 'day',
      tz: 'UTC',
      unit: 'usd',
      topN: 2,
      order: ['c', 'a', 'b', 'd'],
    });
    expect(chart.series.map((s) => s.key)).toEqual(['c', 'a', '__other']);
    expect(chart.series[2]!.label).toBe('Other (2)');
    expect(chart.points.map((p) => [p.c, p.a, p.__other])).toEqual([
      [0, 5, 1],
      [2, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    const total = chart.points.reduce(
      (sum, p) => sum + (p.a as number) + (p.c as number) + (p.__other as number),
      0,
    );
    expect(total).toBe(9);
  });
});

describe('chart builders', () => {
  it('adds a running total', () => {
    const points = withCumulative(
      densify(
        buckets,
        [
          { bucket: buckets[1]!, usd: 2 },
          { bucket: buckets[3]!, usd: 1.5 },
        ],
        [{ key: 'usd', aggregation: 'sum' }],
        'day',
        'UTC',
      ),
      ['usd'],
      'total',
    );
    expect(points.map((p) => p.total)).toEqual([0, 2, 2, 3.5]);
  });

  it('explains an empty chart instead of drawing zeros', () => {
    const chart = occurrenceChart({ buckets, rows: [] }, { granularity: 'day', tz: 'UTC' });
    expect(chart.points).toHaveLength(4);
    expect(chart.empty).toMatch(/No occurrence/);
    expect(
      patternSavingsChart(
        { buckets, rows: [{ bucket: buckets[0]!, usd: 1, tokens: 10 }] },
        { granularity: 'day', tz: 'UTC' },
      ).empty,
    ).toBeNull();
    expect(histogramChart([0, 0]).empty).toMatch(/No scored occurrence/);
  });

  it('labels buckets in the zone', () => {
    // 18:30 UTC is midnight in Kolkata.
    expect(bucketLabels(Date.UTC(2026, 0, 31, 18, 30), 'day', 'Asia/Kolkata').tooltipLabel).toBe(
      '2026-02-01',
    );
    expect(bucketLabels(Date.UTC(2026, 0, 31, 18, 30), 'week', 'Asia/Kolkata').tooltipLabel).toBe(
      'week of 2026-02-01',
    );
    expect(bucketLabels(Date.UTC(2026, 0, 31, 18, 30), 'hour', 'UTC').tooltipLabel).toBe(
      '2026-01-31 18:30',
    );
  });
});

describe('sparkline columns', () => {
  it('draws one column per non-zero slice, the largest at full height, zero as an empty slot', () => {
    const path = columnsPath([0, 2, 4, 0]);
    const columns = path.match(/M[^M]+/g) ?? [];
    expect(columns).toEqual(['M16.5 24v-11h15v11z', 'M32.5 24v-22h15v22z']);
    expect(columnsPath([0, 0])).toBe('');
    expect(columnsPath([])).toBe('');
  });

  it('keeps a tiny value visible', () => {
    expect(columnsPath([1000, 1])).toContain('v-1.5');
  });
});

describe('axis ticks', () => {
  it('are round steps from zero to just above the highest value', () => {
    expect(niceTicks(2600)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(2400)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0.0751)).toEqual([0, 0.02, 0.04, 0.06, 0.08]);
    expect(niceTicks(3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('reach stacked bars summed, and lines alone', () => {
    const points = [
      { bucket: 0, label: 'a', tooltipLabel: 'a', x: 3, y: 4, z: 5 },
      { bucket: 1, label: 'b', tooltipLabel: 'b', x: 1, y: null, z: 9 },
    ];
    const series = [
      { key: 'x', label: 'x', unit: 'count', color: '', kind: 'bar', stack: 's' },
      { key: 'y', label: 'y', unit: 'count', color: '', kind: 'bar', stack: 's' },
      { key: 'z', label: 'z', unit: 'count', color: '', kind: 'line' },
    ] as const;
    expect(axisMax(points, series)).toBe(9);
    expect(axisMax(points, series.slice(0, 2))).toBe(7);
  });
});

describe('partial buckets', () => {
  const day = 86_400_000;
  const start = Date.UTC(2026, 2, 1);
  const data = {
    points: [0, 1, 2].map((i) => ({
      bucket: start + i * day,
      label: `d${i}`,
      tooltipLabel: `day ${i}`,
      usd: 5,
    })),
    series: [{ key: 'usd', label: 'USD', unit: 'usd', color: '', kind: 'bar' }] as const,
    empty: null,
  };

  it('marks the first and last buckets the range covers only in part, and says so', () => {
    const cut = withPartialBuckets(
      { ...data, series: [...data.series] },
      {
        granularity: 'day',
        tz: 'UTC',
        from: new Date(start + 9 * 3_600_000),
        to: new Date(start + 2.5 * day),
      },
    );
    expect(cut.points.map((p) => p.partial ?? 0)).toEqual([1, 0, 1]);
    expect(cut.points[0]!.tooltipLabel).toMatch(/partial/);
    expect(cut.points[1]!.tooltipLabel).toBe('day 1');
  });

  it('leaves whole buckets alone', () => {
    const whole = withPartialBuckets(
      { ...data, series: [...data.series] },
      { granularity: 'day', tz: 'UTC', from: new Date(start), to: new Date(start + 3 * day) },
    );
    expect(whole.points.every((p) => p.partial === undefined)).toBe(true);
  });

  it('marks a day that still has an hour to go, late in the evening', () => {
    const lateToday = withPartialBuckets(
      { ...data, series: [...data.series] },
      {
        granularity: 'day',
        tz: 'UTC',
        from: new Date(start),
        to: new Date(start + 3 * day - 3_600_000),
      },
    );
    expect(lateToday.points.map((p) => p.partial ?? 0)).toEqual([0, 0, 1]);
  });

  it("ends a bucket at the zone's next midnight, across a 25-hour daylight-saving day", () => {
    // 2026-11-01 in New York runs from 04:00 UTC to 05:00 UTC the next day.
    const dstDay = Date.UTC(2026, 10, 1, 4);
    const oneDay = {
      ...data,
      series: [...data.series],
      points: [{ bucket: dstDay, label: 'd', tooltipLabel: 'Nov 1', usd: 5 }],
    };
    const range = { granularity: 'day' as const, tz: 'America/New_York', from: new Date(dstDay) };
    const whole = withPartialBuckets(oneDay, { ...range, to: new Date(dstDay + 25 * 3_600_000) });
    expect(whole.points[0]!.partial).toBeUndefined();
    const cut = withPartialBuckets(oneDay, { ...range, to: new Date(dstDay + 24 * 3_600_000) });
    expect(cut.points[0]!.partial).toBe(1);
  });
});

describe('thresholds', () => {
  const at = (i: number) => Date.UTC(2026, 2, 1) + i * 3_600_000;
  const points = (
    values: (number | null)[],
    states: ('ok' | 'warning' | 'critical')[],
  ): BacktestPoint[] => values.map((value, i) => ({ at: at(i), value, state: states[i]! }));

  it('joins consecutive firing points into runs that take the worst state', () => {
    const runs = firingRuns(
      points([1, 5, 9, 1, 6, 1], ['ok', 'warning', 'critical', 'ok', 'warning', 'ok']),
    );
    expect(runs).toEqual([
      { from: at(1), to: at(2), state: 'critical' },
      { from: at(4), to: at(4), state: 'warning' },
    ]);
  });

  it('holds zero, every value and a threshold below zero on round ticks', () => {
    const ticks = thresholdTicks(points([3, 7, null], ['ok', 'ok', 'ok']), [-4, null]);
    expect(ticks[0]).toBeLessThanOrEqual(-4);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(7);
    expect(ticks).toContain(0);
    const steps = new Set(ticks.slice(1).map((t, i) => Number((t - ticks[i]!).toPrecision(6))));
    expect(steps.size).toBe(1);
  });

  it('draws the sparkline with gaps for missing values and the thresholds on its scale', () => {
    const paths = thresholdSparkline(
      points([0, 10, null, 10], ['ok', 'ok', 'ok', 'ok']),
      { warning: 10, critical: null },
      30,
      20,
    )!;
    // Two pieces: the gap at the third point starts a new one.
    expect(paths.line.match(/M/g)).toHaveLength(2);
    expect(paths.line).toBe('M0 18L10 2M30 2');
    expect(paths.warning).toBe('M0 2H30');
    expect(paths.critical).toBeNull();
    expect(thresholdSparkline(points([null], ['ok']), { warning: 1, critical: 2 }, 30, 20)).toBe(
      null,
    );
  });
});
