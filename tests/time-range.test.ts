import { describe, expect, it } from 'vitest';
import {
  parseTimeParams,
  rangeDays,
  resolveTimeRange,
  timeSearchParams,
  wallTimeToInstant,
  zoneOffset,
} from '@/lib/time-range';

const now = new Date('2026-03-02T12:00:00Z');

describe('parseTimeParams', () => {
  it('falls back to defaults for anything unknown or malformed', () => {
    expect(
      parseTimeParams({ range: 'forever', tz: 'Mars/Olympus', granularity: 'decade' }),
    ).toEqual({
      range: '30d',
      tz: 'UTC',
      granularity: 'auto',
    });
    // A custom range without a valid start is no custom range.
    expect(parseTimeParams({ range: 'custom', from: '2026-02-30' }).range).toBe('30d');
    expect(parseTimeParams({ range: ['7d', '24h'], tz: 'Asia/Kolkata' })).toMatchObject({
      range: '7d',
      tz: 'Asia/Kolkata',
    });
  });

  it('round-trips through URL parameters, leaving defaults out', () => {
    const params = parseTimeParams({
      range: 'custom',
      from: '2026-01-01',
      to: '2026-01-31',
      tz: 'Asia/Kolkata',
      granularity: 'week',
    });
    expect(timeSearchParams(params)).toEqual({
      range: 'custom',
      from: '2026-01-01',
      to: '2026-01-31',
      tz: 'Asia/Kolkata',
      granularity: 'week',
    });
    expect(timeSearchParams(parseTimeParams({}))).toEqual({});
  });
});

describe('zones', () => {
  it('knows half-hour and daylight-saving offsets', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    expect(zoneOffset(Date.UTC(2026, 0, 1), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(zoneOffset(Date.UTC(2026, 6, 1), 'America/New_York')).toBe(-4 * 3_600_000);
  });

  it('turns wall times into instants, also on daylight-saving days', () => {
    expect(wallTimeToInstant('2026-01-01', 'Asia/Kolkata').toISOString()).toBe(
      '2025-12-31T18:30:00.000Z',
    );
    expect(wallTimeToInstant('2026-03-08', 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(wallTimeToInstant('2026-03-09', 'America/New_York').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    expect(wallTimeToInstant('2026-03-08T12:30', 'UTC').toISOString()).toBe(
      '2026-03-08T12:30:00.000Z',
    );
  });
});

describe('resolveTimeRange', () => {
  it('ends presets now and picks a granularity by length', () => {
    const day = resolveTimeRange({ range: '24h', tz: 'UTC', granularity: 'auto' }, now);
    expect(day).toMatchObject({ granularity: 'hour', filter: { to: now } });
    expect(day.from.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(
      resolveTimeRange({ range: '30d', tz: 'UTC', granularity: 'auto' }, now).granularity,
    ).toBe('day');
    expect(
      resolveTimeRange({ range: 'all', tz: 'UTC', granularity: 'auto' }, now, {
        min: new Date('2025-11-01T00:00:00Z'),
        max: now,
      }).granularity,
    ).toBe('week');
  });

  it('does not filter "all time" and spans the data', () => {
    const all = resolveTimeRange({ range: 'all', tz: 'UTC', granularity: 'auto' }, now, {
      min: new Date('2025-11-01T00:00:00Z'),
      max: now,
    });
    expect(all.filter).toEqual({ from: null, to: null });
    expect(all.from.toISOString()).toBe('2025-11-01T00:00:00.000Z');
    expect(all.to.getTime()).toBeGreaterThan(now.getTime());
  });

  it('reads a custom end date as inclusive, in the chosen zone', () => {
    const range = resolveTimeRange(
      {
        range: 'custom',
        from: '2026-02-01',
        to: '2026-02-14',
        tz: 'Asia/Kolkata',
        granularity: 'auto',
      },
      now,
    );
    expect(range.from.toISOString()).toBe('2026-01-31T18:30:00.000Z');
    expect(range.to.toISOString()).toBe('2026-02-14T18:30:00.000Z');
    expect(rangeDays(range)).toBe(14);
  });

  it('coarsens a granularity that would draw too many buckets, and says so', () => {
    const range = resolveTimeRange({ range: 'all', tz: 'UTC', granularity: 'hour' }, now, {
      min: new Date('2025-01-01T00:00:00Z'),
      max: now,
    });
    expect(range.granularity).toBe('day');
    expect(range.coarsenedFrom).toBe('hour');
  });
});
