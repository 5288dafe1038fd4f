/**
 * SQL pieces for time ranges and buckets. Stored timestamps have no zone and hold UTC; a bucket is
 * the start of a day (hour, week, month) on the wall clock of the chosen zone, so +05:30 and
 * daylight-saving days get their own exact boundaries.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Granularity, ResolvedRange } from '@/lib/time-range';

/**
 * A UTC instant as PostgreSQL writes a zone-less timestamp: `2026-03-01 10:00:00.000`, years past
 * 9999 without the `+` JavaScript puts there, years before 1 as `… BC`.
 */
export function timestampText(date: Date): string {
  const iso = date.toISOString();
  const match = /^([+-]?)(\d+)-(.*)T(.*)Z$/.exec(iso);
  if (!match) return iso;
  const [, sign, year, rest, time] = match;
  const y = Number(`${sign}${year}`);
  return y >= 1
    ? `${String(y).padStart(4, '0')}-${rest} ${time}`
    : `${String(1 - y).padStart(4, '0')}-${rest} ${time} BC`;
}

/** A UTC instant as a zone-less timestamp literal, comparable with the stored columns. */
export function utcTimestamp(date: Date): SQL {
  return sql`${timestampText(date)}::timestamp`;
}

/** `column` within the range's filter bounds (no condition for "all time"). */
export function inRange(column: SQL, filter: ResolvedRange['filter']): SQL {
  const parts: SQL[] = [];
  if (filter.from) parts.push(sql`${column} >= ${utcTimestamp(filter.from)}`);
  if (filter.to) parts.push(sql`${column} < ${utcTimestamp(filter.to)}`);
  return parts.length > 0 ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

const field = (granularity: Granularity) => sql.raw(`'${granularity}'`);

/**
 * Every bucket the range touches, oldest first, by sampling the range densely enough (every 15
 * minutes for hours, every hour otherwise, plus its last instant) and bucketing each sample with
 * the zone's wall clock, so a +05:30 day starts at 18:30 UTC.
 */
export function bucketListQuery(
  range: Pick<ResolvedRange, 'from' | 'to' | 'granularity' | 'tz'>,
): SQL {
  const step = range.granularity === 'hour' ? '15 minutes' : '1 hour';
  const from = sql`${range.from.toISOString()}::timestamptz`;
  const last = sql`${range.to.toISOString()}::timestamptz - interval '1 microsecond'`;
  return sql`SELECT DISTINCT (date_part('epoch', date_trunc(${field(range.granularity)}, s AT TIME ZONE ${range.tz}) AT TIME ZONE ${range.tz}) * 1000)::float8 AS bucket
    FROM (SELECT generate_series(${from}, ${last}, ${step}::interval) AS s UNION ALL SELECT ${last}) samples
    ORDER BY 1`;
}

/**
 * A similarity or confidence score as a 0–1 ratio, by the one rule `pattern_ledger.ratio` states
 * (migrations/0001_value_functions.sql): the report's scale is 0–1, the real writer stores 0–100,
 * databases mix both, so a value above 1 is a percentage; a non-finite value is no score.
 */
export function scoreRatio(column: SQL): SQL {
  return sql`pattern_ledger.ratio(${column})`;
}
