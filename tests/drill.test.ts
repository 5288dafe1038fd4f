import { describe, expect, it } from 'vitest';
import { previousKey } from '../lib/charts/compare';
import { decorate } from '../lib/charts/decorate';
import { bucketTimeParams, withDrill } from '../lib/charts/drill';
import {
  instantToWallTime,
  parseTimeParams,
  resolveTimeRange,
  wallTimeToInstant,
  type Granularity,
} from '../lib/time-range';

const HOUR = 3_600_000;
const utcDay = (granularity: Granularity = 'day', tz = 'UTC') => ({
  granularity,
  tz,
  filter: { from: null, to: null },
});

/** The bounds a page resolves from a drill link's parameters. */
function resolved(params: Record<string, string>) {
  const range = resolveTimeRange(parseTimeParams(params), new Date(Date.UTC(2027, 0, 1)));
  return [range.filter.from!.getTime(), range.filter.to!.getTime()];
}

describe('drill-through links', () => {
  it('select a whole day as that date alone', () => {
    const day = Date.UTC(2026, 11, 3);
    expect(bucketTimeParams(day, utcDay())).toEqual({
      range: 'custom',
      from: '2026-12-03',
      to: '2026-12-03',
    });
    expect(resolved(bucketTimeParams(day, utcDay()))).toEqual([day, day + 24 * HOUR]);
  });

  it('cut an edge bucket to the range, to the minute', () => {
    const day = Date.UTC(2026, 11, 3);
    const range = {
      ...utcDay(),
      filter: { from: new Date(day + 2 * HOUR + 23 * 60_000), to: new Date(day + 22 * HOUR) },
    };
    const params = bucketTimeParams(day, range);
    expect(params).toMatchObject({ from: '2026-12-03T02:23', to: '2026-12-03T22:00' });
    expect(resolved(params)).toEqual([range.filter.from.getTime(), range.filter.to.getTime()]);
  });

  it("follow the zone's calendar across a 25-hour day", () => {
    const nyDay = Date.UTC(2026, 10, 1, 4); // 2026-11-01 00:00 in New York (EDT)
    const params = bucketTimeParams(nyDay, utcDay('day', 'America/New_York'));
    expect(params).toEqual({
      range: 'custom',
      from: '2026-11-01',
      to: '2026-11-01',
      tz: 'America/New_York',
    });
    expect(resolved(params)).toEqual([nyDay, nyDay + 25 * HOUR]);
  });

  it('name the repeated autumn hour with its offset, and resolve it exactly', () => {
    const tz = 'America/New_York';
    const firstOne = Date.UTC(2026, 10, 1, 5); // 01:00 EDT
    const secondOne = Date.UTC(2026, 10, 1, 6); // 01:00 EST
    expect(instantToWallTime(firstOne, tz)).toBe('2026-11-01T01:00');
    expect(instantToWallTime(secondOne, tz)).toBe('2026-11-01T01:00-05:00');
    for (const bucket of [firstOne, secondOne]) {
      expect(resolved(bucketTimeParams(bucket, utcDay('hour', tz)))).toEqual([
        bucket,
        bucket + HOUR,
      ]);
    }
  });

  it('round-trip every hour of a year in a zone with a half-hour offset and DST', () => {
    const tz = 'Australia/Adelaide';
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += HOUR) {
      expect(wallTimeToInstant(instantToWallTime(t, tz), tz).getTime()).toBe(t);
    }
  });

  it('refuse an offset no zone has', () => {
    expect(parseTimeParams({ range: 'custom', from: '2026-11-01T01:00+15:00' }).range).toBe('30d');
    expect(parseTimeParams({ range: 'custom', from: '2026-11-01T01:00+05:30' }).from).toBe(
      '2026-11-01T01:00+05:30',
    );
  });

  it('link each point, and each named segment to its own rows', () => {
    const day = Date.UTC(2026, 11, 3);
    const data = withDrill(
      {
        points: [{ bucket: day, label: 'd', tooltipLabel: 'd', a: 1, b: 2 }],
        series: [],
        empty: null,
      },
      utcDay(),
      (time, series) => `/x?from=${time.from}${series ? `&s=${series}` : ''}`,
      ['a'],
    );
    expect(data.points[0]).toMatchObject({
      href: '/x?from=2026-12-03',
      'href:a': '/x?from=2026-12-03&s=a',
    });
    expect(data.points[0]!['href:b']).toBeUndefined();
  });

  it('decorate a chart: every bucket linked, its events marked, the previous period dashed beside it', () => {
    const day = Date.UTC(2026, 11, 3);
    const DAY = 24 * HOUR;
    const chart = (first: number, values: number[]) => ({
      points: values.map((a, i) => ({
        bucket: first + i * DAY,
        label: `${i}`,
        tooltipLabel: `${i}`,
        a,
      })),
      series: [
        { key: 'a', label: 'A', unit: 'count' as const, color: 'red', kind: 'line' as const },
      ],
      empty: null,
    });
    const range = resolveTimeRange(
      parseTimeParams({ range: 'custom', from: '2026-12-03', to: '2026-12-04' }),
      new Date(Date.UTC(2027, 0, 1)),
    );
    const data = decorate(chart(day, [5, 7]), {
      range: { ...range, granularity: 'day' },
      drill: (time) => `/x?from=${time.from}`,
      events: [{ at: day + DAY + HOUR, kind: 'note', text: 'a note' }],
      previous: chart(day - 2 * DAY, [1, 2]),
    });
    expect(data.points.map((p) => p.href)).toEqual(['/x?from=2026-12-03', '/x?from=2026-12-04']);
    expect(data.points.map((p) => p.events ?? 0)).toEqual([0, 1]);
    expect(data.points.map((p) => p[previousKey('a')])).toEqual([1, 2]);
    expect(data.series.map((s) => s.key)).toEqual(['a', previousKey('a')]);
  });
});
