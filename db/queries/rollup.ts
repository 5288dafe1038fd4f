/**
 * Reading occurrences and savings from the rollups of migrations 0006–0007.
 *
 * A span of time is read as whole UTC days from the daily rollups, whole UTC hours around them
 * from the hourly rollups, and raw rows for the rest: under an hour at each end, or all of a span
 * that holds no whole hour. Bucket boundaries of any zone (+05:30, +05:45, daylight-saving days)
 * fall wherever they fall and the raw rows fill up to them, so every zone gets exact figures and
 * no UTC bucket is ever re-cut.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../client';
import { readRows } from '../read-cache';
import { bucketListQuery } from './time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A span [from, to) in epoch ms, reported under `key` (a bucket start, a slot, or 0). */
export type Span = { key: number; from: number; to: number };
export type SpanPieces = { day: Span[]; hour: Span[]; raw: Span[] };

const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;
const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;

/** Cuts spans into whole UTC days, whole UTC hours and raw edges. */
export function splitSpans(spans: Span[]): SpanPieces {
  const pieces: SpanPieces = { day: [], hour: [], raw: [] };
  const push = (level: keyof SpanPieces, key: number, from: number, to: number) => {
    if (from < to) pieces[level].push({ key, from, to });
  };
  for (const { key, from, to } of spans) {
    const firstHour = ceilTo(from, HOUR);
    const lastHour = floorTo(to, HOUR);
    if (firstHour >= lastHour) {
      // No whole hour inside: raw rows, cut at the hour boundary it may cross.
      const boundary = Math.min(Math.max(firstHour, from), to);
      push('raw', key, from, boundary);
      push('raw', key, boundary, to);
      continue;
    }
    push('raw', key, from, firstHour);
    push('raw', key, lastHour, to);
    const firstDay = ceilTo(firstHour, DAY);
    const lastDay = floorTo(lastHour, DAY);
    if (firstDay >= lastDay) {
      push('hour', key, firstHour, lastHour);
      continue;
    }
    push('hour', key, firstHour, firstDay);
    push('day', key, firstDay, lastDay);
    push('hour', key, lastDay, lastHour);
  }
  return pieces;
}

/** Consecutive bucket starts, clipped to [from, to), as spans keyed by their bucket start. */
export function bucketSpans(buckets: number[], from: Date, to: Date): Span[] {
  return buckets.map((start, i) => ({
    key: start,
    from: Math.max(start, from.getTime()),
    to: Math.min(buckets[i + 1] ?? Infinity, to.getTime()),
  }));
}

/** Touching pieces joined into one range each, so that each level is read in a few index ranges. */
export function mergeRanges(pieces: Span[]): { from: number; to: number }[] {
  const merged: { from: number; to: number }[] = [];
  for (const piece of [...pieces].sort((x, y) => x.from - y.from)) {
    const last = merged.at(-1);
    if (last && last.to >= piece.from) last.to = Math.max(last.to, piece.to);
    else merged.push({ from: piece.from, to: piece.to });
  }
  return merged;
}

const utcTimestamp = (ms: number) => sql`${new Date(ms).toISOString().replace('Z', '')}::timestamp`;

const between = (column: SQL, range: { from: number; to: number }) =>
  sql`${column} >= ${utcTimestamp(range.from)} AND ${column} < ${utcTimestamp(range.to)}`;

/** `column` within any of the ranges (FALSE for none); bounds are literal values, planned exactly. */
function withinRanges(column: SQL, pieces: Span[]): SQL {
  const ranges = mergeRanges(pieces);
  if (ranges.length === 0) return sql`FALSE`;
  return sql`(${sql.join(
    ranges.map((range) => sql`(${between(column, range)})`),
    sql` OR `,
  )})`;
}

/**
 * One SELECT per merged range of the pieces, UNION ALL: each reads its own index range (a single
 * scan over OR-ed ranges would read everything between them). `select` gets the range condition.
 */
function perRange(pieces: Span[], select: (within: (column: SQL) => SQL) => SQL): SQL {
  const ranges = mergeRanges(pieces);
  if (ranges.length === 0) return sql`(${select(() => sql`FALSE`)})`;
  return sql`(${sql.join(
    ranges.map((range) => sql`(${select((column) => between(column, range))})`),
    sql` UNION ALL `,
  )})`;
}

/**
 * The key of the span holding `column`: every piece lies inside one span, so the start of a rollup
 * bucket (or a raw row's time) finds its span among the spans' starts.
 */
function spanKey(spans: Span[], column: SQL): SQL {
  if (spans.length === 1) return sql`${spans[0]!.key}::float8`;
  const array = (values: number[]) => `{${values.join(',')}}`;
  return sql`(${array(spans.map((s) => s.key))}::float8[])[width_bucket((date_part('epoch', ${column}) * 1000)::float8, ${array(spans.map((s) => s.from))}::float8[])]`;
}

function sortedSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((x, y) => x.from - y.from);
  sorted.forEach((span, i) => {
    if (i > 0 && span.from < sorted[i - 1]!.to) throw new Error('spans overlap');
  });
  return sorted;
}

/** The raw piece that ends the last span (the "now" edge of a recent range), if any. */
function trailingPiece(sorted: Span[], raw: Span[]): Span | undefined {
  const last = sorted.at(-1);
  return raw.find((piece) => last !== undefined && piece.key === last.key && piece.to === last.to);
}

/**
 * The trailing raw piece lies inside one UTC hour. When no row of that hour falls outside the
 * piece (the usual case at "now"), the hour's rollup row holds exactly the piece's rows and is read
 * instead of them; otherwise the raw rows are. One index probe decides, in the same snapshot as the
 * rows and rollups (which the triggers write in the same transaction), so the figure stays exact.
 */
function trailingHourRows(piece: Span, source: RowSource): SQL {
  const hourStart = floorTo(piece.from, HOUR);
  const time = sql.raw(`x.${source.timeColumn}`);
  const outside = sql`EXISTS (SELECT 1 FROM ${sql.raw(source.table)} x
    WHERE (${time} >= ${utcTimestamp(hourStart)} AND ${time} < ${utcTimestamp(piece.from)})
       OR (${time} >= ${utcTimestamp(piece.to)} AND ${time} < ${utcTimestamp(hourStart + HOUR)}))`;
  return sql`(${source.rawRows(sql`${between(source.rawTime, piece)} AND ${outside}`)})
    UNION ALL (${source.rollupRows('hourly', sql`${piece.key}::float8`, sql`r.bucket = ${utcTimestamp(hourStart)} AND NOT ${outside}`)})`;
}

/** Where one kind of figure lives: its raw table and how to select its rollup and raw rows. */
type RowSource = {
  table: 'pattern_occurrences' | 'cost_savings_log';
  timeColumn: 'detected_at' | 'saved_at';
  /** The time column as `rawRows` names it (with its alias). */
  rawTime: SQL;
  /** Rows of the hourly or daily rollup (alias `r`) that meet `condition`, reported under `key`. */
  rollupRows: (level: 'daily' | 'hourly', key: SQL, condition: SQL) => SQL;
  /** Raw rows that meet `condition`, in the rollup rows' columns. */
  rawRows: (condition: SQL) => SQL;
};

/** The spans read from a source: days, hours, raw edges, and the trailing hour (see above). */
function piecesFrom(sorted: Span[], source: RowSource): SQL {
  const { day, hour, raw } = splitSpans(sorted);
  const rollup = (level: 'daily' | 'hourly', pieces: Span[]) =>
    perRange(pieces, (within) =>
      source.rollupRows(level, spanKey(sorted, sql`r.bucket`), within(sql`r.bucket`)),
    );
  const tail = trailingPiece(sorted, raw);
  const rows = perRange(
    raw.filter((piece) => piece !== tail),
    (within) => source.rawRows(within(source.rawTime)),
  );
  const tailRows = tail ? trailingHourRows(tail, source) : sql`(${source.rawRows(sql`FALSE`)})`;
  return sql`(${rollup('daily', day)} UNION ALL ${rollup('hourly', hour)} UNION ALL ${rows} UNION ALL ${tailRows})`;
}

/**
 * Occurrences in the spans: rows `(key, pattern_id, n, scored, sim_sum, sim_min)`, several per
 * key and pattern (sum them; minimum of minimums). `patterns` restricts them (column `pattern_id`).
 * With `grain: 'all'` the rollups over every pattern are read (far fewer rows) and pattern_id is
 * null on their rows: for figures of the whole system.
 */
export function occurrencePieces(
  spans: Span[],
  patterns: (column: SQL) => SQL = () => sql`TRUE`,
  grain: 'pattern' | 'all' = 'pattern',
): SQL {
  const sorted = sortedSpans(spans);
  const columns = sql`r.occurrences AS n, r.scored, r.similarity_sum AS sim_sum, r.similarity_min AS sim_min`;
  return piecesFrom(sorted, {
    table: 'pattern_occurrences',
    timeColumn: 'detected_at',
    rawTime: sql`o.detected_at`,
    rollupRows: (level, key, condition) =>
      grain === 'all'
        ? sql`SELECT ${key} AS key, NULL::int AS pattern_id, ${columns}
          FROM ${sql.raw(`occurrence_all_rollup_${level}`)} r WHERE ${condition}`
        : sql`SELECT ${key} AS key, r.pattern_id, ${columns}
          FROM ${sql.raw(`occurrence_rollup_${level}`)} r WHERE ${condition} AND ${patterns(sql`r.pattern_id`)}`,
    rawRows: (condition) =>
      sql`SELECT ${spanKey(sorted, sql`o.detected_at`)} AS key, o.pattern_id, 1 AS n,
          (o.similarity_score IS NOT NULL)::int AS scored, coalesce(pattern_ledger_ratio(o.similarity_score), 0) AS sim_sum,
          pattern_ledger_ratio(o.similarity_score) AS sim_min
        FROM pattern_occurrences o WHERE ${condition} AND ${patterns(sql`o.pattern_id`)}`,
  });
}

/** How many patterns occurred within the spans: one index probe per pattern and level. */
export function activePatternCount(spans: Span[]): SQL {
  const { day, hour, raw } = splitSpans(sortedSpans(spans));
  const occurred = (table: string, column: string, pieces: Span[]) =>
    pieces.length === 0
      ? sql`FALSE`
      : sql`EXISTS (SELECT 1 FROM ${sql.raw(table)} r
          WHERE r.pattern_id = t.pattern_id AND ${withinRanges(sql.raw(`r.${column}`), pieces)})`;
  return sql`(SELECT count(*)::int FROM occurrence_rollup_total t
    WHERE ${occurred('occurrence_rollup_daily', 'bucket', day)}
      OR ${occurred('occurrence_rollup_hourly', 'bucket', hour)}
      OR ${occurred('pattern_occurrences', 'detected_at', raw)})`;
}

/**
 * Savings in the spans: rows `(key, pattern_id, type, entries, tokens, usd, baseline, actual)`,
 * several per key, pattern and type (sum them). `where` restricts them (columns `pattern_id`,
 * `optimization_type`). With `grain: 'type'` the rollups per type alone are read (far fewer rows)
 * and pattern_id is null on their rows: for figures over every pattern.
 */
export function savingsPieces(
  spans: Span[],
  where: (table: SQL) => SQL = () => sql`TRUE`,
  grain: 'pattern' | 'type' = 'pattern',
): SQL {
  const sorted = sortedSpans(spans);
  const columns = sql`r.optimization_type AS type, r.entries, r.tokens_saved::float8 AS tokens,
    r.cost_saved_usd AS usd, r.baseline_tokens::float8 AS baseline, r.actual_tokens::float8 AS actual`;
  return piecesFrom(sorted, {
    table: 'cost_savings_log',
    timeColumn: 'saved_at',
    rawTime: sql`c.saved_at`,
    rollupRows: (level, key, condition) =>
      grain === 'type'
        ? sql`SELECT ${key} AS key, NULL::int AS pattern_id, ${columns}
          FROM ${sql.raw(`savings_type_rollup_${level}`)} r WHERE ${condition} AND ${where(sql`r`)}`
        : sql`SELECT ${key} AS key, r.pattern_id, ${columns}
          FROM ${sql.raw(`savings_rollup_${level}`)} r WHERE ${condition} AND ${where(sql`r`)}`,
    rawRows: (condition) =>
      sql`SELECT ${spanKey(sorted, sql`c.saved_at`)} AS key, c.pattern_id, c.optimization_type::text AS type,
          1 AS entries, coalesce(c.tokens_saved, 0)::float8 AS tokens, coalesce(c.cost_saved_usd::float8, 0) AS usd,
          coalesce(c.baseline_tokens, 0)::float8 AS baseline, coalesce(c.actual_tokens, 0)::float8 AS actual
        FROM cost_savings_log c WHERE ${condition} AND ${where(sql`c`)}`,
  });
}

// Open ends of a filter reach past any stored time.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-01-01T00:00:00Z');

/** The pieces of a filter's bounds (one span keyed 0); null for "all time" (read the totals). */
export function filterSpans(filter: { from: Date | null; to: Date | null }): Span[] | null {
  if (!filter.from && !filter.to) return null;
  return [{ key: 0, from: filter.from?.getTime() ?? EARLIEST, to: filter.to?.getTime() ?? LATEST }];
}

/** The range's chart buckets (starts, epoch ms) and their spans clipped to the range. */
export async function getBucketSpans(
  db: Database,
  range: ResolvedRange,
): Promise<{ buckets: number[]; spans: Span[] }> {
  const rows = await readRows<{ bucket: number }>(db, bucketListQuery(range));
  const buckets = rows.map((r) => r.bucket);
  return { buckets, spans: bucketSpans(buckets, range.from, range.to) };
}

/**
 * Savings per pattern within a filter: rows `(pattern_id, entries, tokens, usd)`, one per pattern
 * that has any (entries without a pattern left out).
 */
export function savingsPerPattern(filter: { from: Date | null; to: Date | null }): SQL {
  const spans = filterSpans(filter);
  const pieces = spans
    ? savingsPieces(spans, (t) => sql`${t}.pattern_id IS NOT NULL`)
    : sql`(SELECT pattern_id, entries, tokens_saved::float8 AS tokens, cost_saved_usd AS usd
          FROM savings_rollup_total WHERE pattern_id IS NOT NULL)`;
  return sql`(SELECT pattern_id, sum(entries)::int AS entries, sum(tokens)::float8 AS tokens, sum(usd)::float8 AS usd
    FROM ${pieces} pieces GROUP BY pattern_id)`;
}

/**
 * A pattern's latest occurrence time, read from the top of its (pattern, newest first) index;
 * `max()` would not use that index's NULLS LAST order.
 */
export function lastSeenOf(patternId: SQL): SQL {
  return sql`(SELECT po.detected_at FROM pattern_occurrences po
    WHERE po.pattern_id = ${patternId} AND po.detected_at IS NOT NULL
    ORDER BY po.detected_at DESC NULLS LAST, po.id DESC LIMIT 1)`;
}
