/**
 * The time range every page shares, read from and written to the URL.
 *
 * Stored timestamps have no zone and are treated as UTC. The zone chosen here only decides where
 * bucket boundaries (days, weeks, …) fall and how times are displayed.
 */
import { z } from 'zod';
import type { SearchParams } from './search-params';
import { optionalParam, withDefault } from './url-params';

export const RANGE_PRESETS = ['24h', '7d', '30d', '90d', 'all'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const GRANULARITIES = ['auto', 'hour', 'day', 'week', 'month'] as const;
export type GranularityChoice = (typeof GRANULARITIES)[number];
export type Granularity = Exclude<GranularityChoice, 'auto'>;

export const PRESET_LABELS: Record<RangePreset | 'custom', string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
  custom: 'Custom range',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRESET_SPAN: Record<Exclude<RangePreset, 'all'>, number> = {
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '90d': 90 * DAY,
};
/** A chart never gets more buckets than this; a finer choice is coarsened (and the page says so). */
export const MAX_BUCKETS = 1_500;
const APPROX_SPAN: Record<Granularity, number> = {
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30.44 * DAY,
};

export const DEFAULT_PRESET: RangePreset = '30d';

/** How often a live page looks for new data. */
export const REFRESH_CHOICES = ['off', '10s', '30s', '1m', '5m'] as const;
export type RefreshChoice = (typeof REFRESH_CHOICES)[number];
export const REFRESH_SECONDS: Record<Exclude<RefreshChoice, 'off'>, number> = {
  '10s': 10,
  '30s': 30,
  '1m': 60,
  '5m': 300,
};

export type TimeParams = {
  range: RangePreset | 'custom';
  /** Wall time in `tz`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`; only for a custom range. */
  from?: string;
  to?: string;
  tz: string;
  granularity: GranularityChoice;
  /** Live refresh of a page; the API ignores it. */
  refresh?: RefreshChoice;
  /** Draw the previous period on time charts. */
  compare?: boolean;
};

export type ResolvedRange = {
  params: TimeParams;
  /** Bounds for SQL filters; null = unbounded ("all time" does not filter at all). */
  filter: { from: Date | null; to: Date | null };
  /** Concrete bounds for charts and rates; "all time" uses the extent of the data. */
  from: Date;
  to: Date;
  granularity: Granularity;
  /** Set when the chosen granularity was too fine for the range and a coarser one is shown. */
  coarsenedFrom?: Granularity;
  tz: string;
};

/** A date, or a date and a time, with an offset only where the zone's clock shows a time twice. */
const wallTime = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})([+-]\d{2}:\d{2})?)?$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Custom ranges lie within these years: wider ones are no range a person means. */
export const WALL_YEARS = { first: 1970, last: 2200 } as const;

function isValidWallTime(value: string): boolean {
  const m = wallTime.exec(value);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', offset = '+00:00'] = m;
  if (+offset.slice(1, 3) > 14 || +offset.slice(4, 6) > 59) return false;
  if (+y! < WALL_YEARS.first || +y! > WALL_YEARS.last) return false;
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi));
  return (
    date.getUTCFullYear() === +y! &&
    date.getUTCMonth() === +mo! - 1 &&
    date.getUTCDate() === +d! &&
    +h < 24 &&
    +mi < 60
  );
}

const wallTimeParam = optionalParam(
  z
    .string()
    .refine(
      isValidWallTime,
      `must be a date (YYYY-MM-DD, or YYYY-MM-DDTHH:mm, optionally with an offset such as +01:00) from ${WALL_YEARS.first} to ${WALL_YEARS.last}`,
    ),
);

export const timeParamsSchema = z.object({
  range: withDefault(z.enum([...RANGE_PRESETS, 'custom']), DEFAULT_PRESET).meta({
    description: `Time range; ${DEFAULT_PRESET} by default`,
  }),
  from: wallTimeParam.meta({
    description: 'Custom range start, wall time in tz (2026-03-01 or 2026-03-01T09:00)',
  }),
  to: wallTimeParam.meta({ description: 'Custom range end, wall time in tz' }),
  tz: withDefault(z.string().refine(isValidTimeZone, 'is not a known time zone'), 'UTC').meta({
    description: 'IANA time zone for wall times; UTC by default',
  }),
  granularity: withDefault(z.enum(GRANULARITIES), 'auto').meta({
    description: 'Bucket size of time series; auto by default',
  }),
  refresh: withDefault(z.enum(REFRESH_CHOICES), 'off').meta({
    description: "A page's live refresh; the API ignores it",
  }),
  compare: optionalParam(z.enum(['previous'])).meta({
    description: "Draw the previous period on a page's time charts; the API ignores it",
  }),
});

/** Reads the time parameters; anything unknown or malformed falls back to its default. */
export function parseTimeParams(searchParams: SearchParams): TimeParams {
  const parsed = timeParamsSchema.parse(searchParams);
  const params: TimeParams = {
    range: parsed.range,
    tz: parsed.tz,
    granularity: parsed.granularity,
    ...(parsed.refresh !== 'off' ? { refresh: parsed.refresh } : {}),
    ...(parsed.compare ? { compare: true } : {}),
  };
  if (parsed.range === 'custom') {
    if (!parsed.from) return { ...params, range: DEFAULT_PRESET };
    params.from = parsed.from;
    if (parsed.to) params.to = parsed.to;
  }
  return params;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function zoneFormat(tz: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Zone names are case-insensitive, so the spellings are many: keep the map small.
    if (zoneFormats.size >= 1_000) zoneFormats.clear();
    zoneFormats.set(tz, format);
  }
  return format;
}

/** The offset of `tz` from UTC at `instant`, in milliseconds (+05:30 → 19,800,000). */
export function zoneOffset(instant: number, tz: string): number {
  const parts = zoneFormat(tz).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock in `tz` shows the given time (the later one in a gap). */
export function wallTimeToInstant(value: string, tz: string): Date {
  const m = wallTime.exec(value);
  if (!m) throw new Error(`not a wall time: ${value}`);
  const [, y, mo, d, h = '0', mi = '0', offset] = m;
  const guess = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi);
  if (offset) {
    const sign = offset.startsWith('-') ? -1 : 1;
    return new Date(guess - sign * (+offset.slice(1, 3) * HOUR + +offset.slice(4, 6) * 60_000));
  }
  const firstTry = guess - zoneOffset(guess, tz);
  const secondTry = guess - zoneOffset(firstTry, tz);
  return new Date(secondTry);
}

/**
 * The wall time in `tz` that names `instant` in a URL, `YYYY-MM-DDTHH:mm`; `YYYY-MM-DD` at a
 * local midnight (for an end: the day before, as a date alone means "through that day"). It
 * carries its offset when the clock shows that time twice (the hour repeated in autumn).
 */
export function instantToWallTime(instant: number, tz: string, end = false): string {
  const offset = zoneOffset(instant, tz);
  const local = new Date(instant + offset).toISOString();
  if (
    local.slice(11, 16) === '00:00' &&
    wallTimeToInstant(local.slice(0, 10), tz).getTime() === instant
  ) {
    if (!end) return local.slice(0, 10);
    return new Date(instant + offset - DAY).toISOString().slice(0, 10);
  }
  const minute = local.slice(0, 16);
  if (wallTimeToInstant(minute, tz).getTime() === instant) return minute;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minute}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Where a bucket starting at `start` ends on the zone's calendar: an hour later, or the next
 * local midnight a day, a week or a month on (a daylight-saving day is 23 or 25 hours long).
 */
export function bucketEnd(start: number, granularity: Granularity, tz: string): number {
  if (granularity === 'hour') return start + HOUR;
  const local = new Date(start + zoneOffset(start, tz));
  if (granularity === 'month') local.setUTCMonth(local.getUTCMonth() + 1);
  else local.setUTCDate(local.getUTCDate() + (granularity === 'week' ? 7 : 1));
  return wallTimeToInstant(local.toISOString().slice(0, 10), tz).getTime();
}

function granularityFor(spanMs: number): Granularity {
  if (spanMs <= 3 * DAY) return 'hour';
  if (spanMs <= 93 * DAY) return 'day';
  if (spanMs <= 2 * 366 * DAY) return 'week';
  return 'month';
}

const ORDER: Granularity[] = ['hour', 'day', 'week', 'month'];

/**
 * Turns the parameters into concrete bounds. `extent` is the earliest and latest stored time,
 * used for "all time".
 */
export function resolveTimeRange(
  params: TimeParams,
  now: Date,
  extent: { min: Date | null; max: Date | null } = { min: null, max: null },
): ResolvedRange {
  let filter: ResolvedRange['filter'];
  let from: Date;
  let to: Date;
  if (params.range === 'custom' && params.from) {
    from = wallTimeToInstant(params.from, params.tz);
    if (params.to) {
      const end = wallTimeToInstant(params.to, params.tz);
      // A date alone means "through the end of that day".
      to = params.to.includes('T') ? end : wallTimeToInstant(nextDay(params.to), params.tz);
    } else {
      to = now;
    }
    if (to.getTime() <= from.getTime()) to = new Date(from.getTime() + DAY);
    filter = { from, to };
  } else if (params.range === 'all' || params.range === 'custom') {
    to = new Date(Math.max(now.getTime(), (extent.max?.getTime() ?? 0) + 1000));
    from = extent.min ?? new Date(to.getTime() - PRESET_SPAN['30d']);
    filter = { from: null, to: null };
  } else {
    to = now;
    from = new Date(now.getTime() - PRESET_SPAN[params.range]);
    filter = { from, to };
  }
  const span = to.getTime() - from.getTime();
  const wanted = params.granularity === 'auto' ? granularityFor(span) : params.granularity;
  let granularity = wanted;
  while (span / APPROX_SPAN[granularity] > MAX_BUCKETS && granularity !== 'month') {
    granularity = ORDER[ORDER.indexOf(granularity) + 1] as Granularity;
  }
  return {
    params,
    filter,
    from,
    to,
    granularity,
    tz: params.tz,
    ...(granularity !== wanted ? { coarsenedFrom: wanted } : {}),
  };
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

/** The URL parameters for a time selection, leaving out defaults so links stay short. */
export function timeSearchParams(params: TimeParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (params.range !== DEFAULT_PRESET) out.range = params.range;
  if (params.range === 'custom') {
    if (params.from) out.from = params.from;
    if (params.to) out.to = params.to;
  }
  if (params.tz !== 'UTC') out.tz = params.tz;
  if (params.granularity !== 'auto') out.granularity = params.granularity;
  if (params.refresh && params.refresh !== 'off') out.refresh = params.refresh;
  if (params.compare) out.compare = 'previous';
  return out;
}

/**
 * The period of equal length just before the range, in the same buckets, for comparison; null
 * for "all time", which has none, and when the page does not compare.
 */
export function previousPeriod(range: ResolvedRange): ResolvedRange | null {
  if (!range.params.compare || range.filter.from === null) return null;
  const span = range.to.getTime() - range.from.getTime();
  const from = new Date(range.from.getTime() - span);
  return { ...range, from, to: range.from, filter: { from, to: range.from } };
}

/** How long the range is, in days (for monthly rates). */
export function rangeDays(range: Pick<ResolvedRange, 'from' | 'to'>): number {
  return (range.to.getTime() - range.from.getTime()) / DAY;
}

/* The calendar of local days (reports, schedules). */

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date (YYYY-MM-DD) in `tz` at `instant`. */
export function localDate(instant: Date, tz: string): string {
  const shifted = new Date(instant.getTime() + zoneOffset(instant.getTime(), tz));
  return `${shifted.getUTCFullYear()}-${twoDigits(shifted.getUTCMonth() + 1)}-${twoDigits(shifted.getUTCDate())}`;
}

/** A wall-clock date `days` later (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${moved.getUTCFullYear()}-${twoDigits(moved.getUTCMonth() + 1)}-${twoDigits(moved.getUTCDate())}`;
}

/** ISO weekday of a wall-clock date (1 = Monday … 7 = Sunday). */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y!, m! - 1, d)).getUTCDay() + 6) % 7) + 1;
}
