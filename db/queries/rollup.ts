/**
 * Reading occurrences and savings over time from the live rollups (db/rollups/README.md).
 *
 * A span of time is read as whole UTC days from the daily rollups, whole UTC hours around them
 * from the hourly rollups, and raw rows for the rest: under an hour at each end, or all of a span
 * that holds no whole hour. Bucket boundaries of any zone (+05:30, +05:45, daylight-saving days)
 * fall wherever they fall and the raw rows fill up to them, so every zone gets exact figures and
 * no UTC bucket is ever re-cut.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { figureColumns, figureOf, tableOf } from '../rollups/define';
import {
  OCCURRENCE_ALL_DAILY,
  OCCURRENCE_ALL_HOURLY,
  OCCURRENCE_DAILY,
  OCCURRENCE_HOURLY,
  SAVINGS_DAILY,
  SAVINGS_HOURLY,
  SAVINGS_TYPE_DAILY,
  SAVINGS_TYPE_HOURLY,
} from '../rollups/declarations';
import { journalTable, voided } from '../rollups/sql';
import { liveOccurrenceTotals, liveSavingsTotals } from '../rollups/views';
import {
  characteristicRowsInHours,
  characteristicRowsRaw,
  staleHours,
} from '../rollups/characteristics';
import { bucketListQuery, utcTimestamp } from './time';

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
export function mergeRanges(
  pieces: { from: number; to: number }[],
): { from: number; to: number }[] {
  const merged: { from: number; to: number }[] = [];
  for (const piece of [...pieces].sort((x, y) => x.from - y.from)) {
    const last = merged.at(-1);
    if (last && last.to >= piece.from) last.to = Math.max(last.to, piece.to);
    else merged.push({ from: piece.from, to: piece.to });
  }
  return merged;
}

const timestampAt = (ms: number) => utcTimestamp(new Date(ms));

const between = (column: SQL, range: { from: number; to: number }) =>
  sql`${column} >= ${timestampAt(range.from)} AND ${column} < ${timestampAt(range.to)}`;

/** `column` within any of the ranges (FALSE for none); bounds are literal values, planned exactly. */
function withinRanges(column: SQL, pieces: { from: number; to: number }[]): SQL {
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

/** The key of the span holding `column` (a row's time), for spans in any order. */
export function spanKeyOf(spans: Span[], column: SQL): SQL {
  return spanKey(sortedSpans(spans), column);
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
 * piece (the usual case at "now"), the hour's live rollup (stored row and journal rows) holds
 * exactly the piece's rows and is read instead of them; otherwise the raw rows are. One index
 * probe decides, in the same statement (so the same snapshot) as the rows it chooses between.
 */
function trailingHour(piece: Span, source: RowSource): { raw: SQL; rollup: RollupRead } {
  const hourStart = floorTo(piece.from, HOUR);
  const time = sql.raw(`x.${source.timeColumn}`);
  const outside = sql`EXISTS (SELECT 1 FROM ${sql.raw(source.table)} x
    WHERE (${time} >= ${timestampAt(hourStart)} AND ${time} < ${timestampAt(piece.from)})
       OR (${time} >= ${timestampAt(piece.to)} AND ${time} < ${timestampAt(hourStart + HOUR)}))`;
  return {
    raw: source.rawRows(sql`${between(source.rawTime, piece)} AND ${outside}`),
    rollup: {
      level: 'hourly',
      ranges: [{ from: hourStart, to: hourStart + HOUR }],
      key: () => sql`${piece.key}::float8`,
      when: sql`NOT ${outside}`,
    },
  };
}

/** Rollup buckets read for a span: whole days or hours, with the key each is reported under. */
type RollupRead = {
  level: 'daily' | 'hourly';
  ranges: { from: number; to: number }[];
  key: (time: SQL) => SQL;
  /** A further condition on the whole read (the trailing hour's). */
  when?: SQL;
};

/** Where one kind of figure lives: its raw table, its rollups and its journal. */
type RowSource = {
  table: 'pattern_occurrences' | 'cost_savings_log';
  timeColumn: 'detected_at' | 'saved_at';
  /** The time column as `rawRows` names it (with its alias). */
  rawTime: SQL;
  /** Stored rows of the hourly or daily rollup (alias `r`) that meet `condition`, under `key`. */
  rollupRows: (level: 'daily' | 'hourly', key: SQL, condition: SQL) => SQL;
  /** Journal rows not yet folded (alias `j`, time column `j.<timeColumn>`) meeting `condition`. */
  journalRows: (key: (time: SQL) => SQL, condition: SQL) => SQL;
  /** Raw rows that meet `condition`, in the rollup rows' columns. */
  rawRows: (condition: SQL) => SQL;
  /**
   * Rows that mend minimums over the rollup reads (occurrences): a stored minimum may be a row
   * that has since left, so patterns with a removed row not yet folded take theirs from raw rows.
   */
  minimums?: (reads: RollupRead[]) => SQL;
  /** Common table expressions the rows refer to, computed once per statement. */
  prelude?: SQL;
};

const readCondition = (read: RollupRead, within: SQL) =>
  read.when ? sql`${within} AND ${read.when}` : within;

/** `time` within any of the reads' ranges (and conditions). */
function withinReads(reads: RollupRead[], time: SQL): SQL {
  const conditions = reads
    .filter((read) => read.ranges.length > 0)
    .map((read) => readCondition(read, withinRanges(time, read.ranges)));
  return conditions.length === 0 ? sql`FALSE` : sql`(${sql.join(conditions, sql` OR `)})`;
}

/** The stored rows and the journal rows of rollup reads. */
function liveRollupRows(reads: RollupRead[], source: RowSource): SQL {
  const parts: SQL[] = [];
  for (const read of reads) {
    if (read.ranges.length === 0) continue;
    for (const range of read.ranges) {
      parts.push(
        source.rollupRows(
          read.level,
          read.key(sql`r.bucket`),
          readCondition(read, between(sql`r.bucket`, range)),
        ),
      );
    }
    const time = sql.raw(`j.${source.timeColumn}`);
    parts.push(source.journalRows(read.key, readCondition(read, withinRanges(time, read.ranges))));
  }
  if (source.minimums && parts.length > 0) parts.push(source.minimums(reads));
  return parts.length === 0
    ? sql`(${source.rawRows(sql`FALSE`)})`
    : sql`(${sql.join(
        parts.map((part) => sql`(${part})`),
        sql` UNION ALL `,
      )})`;
}

/** The spans read from a source: days, hours, raw edges, and the trailing hour (see above). */
function piecesFrom(sorted: Span[], source: RowSource): SQL {
  const { day, hour, raw } = splitSpans(sorted);
  const key = (time: SQL) => spanKey(sorted, time);
  const tail = trailingPiece(sorted, raw);
  const trailing = tail ? trailingHour(tail, source) : undefined;
  const reads: RollupRead[] = [
    { level: 'daily', ranges: mergeRanges(day), key },
    { level: 'hourly', ranges: mergeRanges(hour), key },
    ...(trailing ? [trailing.rollup] : []),
  ];
  const rows = perRange(
    raw.filter((piece) => piece !== tail),
    (within) => source.rawRows(within(source.rawTime)),
  );
  const tailRows = trailing ? sql`(${trailing.raw})` : sql`(${source.rawRows(sql`FALSE`)})`;
  const all = sql`${liveRollupRows(reads, source)} UNION ALL ${rows} UNION ALL ${tailRows}`;
  return source.prelude ? sql`(WITH ${source.prelude} ${all})` : sql`(${all})`;
}

/**
 * Occurrences in the spans: rows `(key, pattern_id, occurrences, scored, similarity_sum,
 * similarity_min)`, several per key and pattern (sum them; minimum of minimums). `patterns`
 * restricts them (column `pattern_id`). With `grain: 'all'` the rollups over every pattern are
 * read (far fewer rows) and pattern_id is null on their rows: for figures of the whole system.
 * `similarity_min` is NULL unless asked for (`minimum`): keeping it exact costs the statement a
 * few more reads.
 */
export function occurrencePieces(
  spans: Span[],
  patterns: (column: SQL) => SQL = () => sql`TRUE`,
  grain: 'pattern' | 'all' = 'pattern',
  { minimum = false }: { minimum?: boolean } = {},
): SQL {
  const sorted = sortedSpans(spans);
  const notVoided = sql`NOT ${voided('pattern_occurrences')}`;
  // Patterns with a removed row not yet folded (anywhere: a few too many at worst): their stored
  // minimums may be rows that have left. Found once per statement.
  const removedIn = () => sql`(SELECT pattern_id FROM removed_patterns)`;
  const whole = grain === 'all';
  const withMinimum = minimum && !whole;
  const rollupOf = (level: 'daily' | 'hourly') =>
    whole
      ? level === 'daily'
        ? OCCURRENCE_ALL_DAILY
        : OCCURRENCE_ALL_HOURLY
      : level === 'daily'
        ? OCCURRENCE_DAILY
        : OCCURRENCE_HOURLY;
  const similarity = figureOf(OCCURRENCE_HOURLY, 'similarity_min');
  const journal = journalTable('occurrences');
  return piecesFrom(sorted, {
    table: 'pattern_occurrences',
    timeColumn: 'detected_at',
    rawTime: sql`o.detected_at`,
    prelude: withMinimum
      ? sql`removed_patterns AS (SELECT DISTINCT j.pattern_id FROM ${journal} j WHERE j.sign < 0)`
      : undefined,
    rollupRows: (level, key, condition) =>
      sql`SELECT ${key} AS key, ${whole ? sql`NULL::bigint` : sql`r.pattern_id`} AS pattern_id,
          ${figureColumns(rollupOf(level), 'stored', sql`r`)},
          ${withMinimum ? sql`CASE WHEN r.pattern_id IN ${removedIn()} THEN NULL ELSE r.similarity_min END` : sql`NULL::float8`} AS similarity_min
        FROM ${tableOf(rollupOf(level))} r
        WHERE ${condition} AND ${notVoided} AND ${whole ? sql`TRUE` : patterns(sql`r.pattern_id`)}`,
    // A row added and then removed again leaves both in the journal: for patterns with a removed
    // row, the raw rows alone give the minimum.
    journalRows: (key, condition) =>
      sql`SELECT ${key(sql`j.detected_at`)} AS key, ${whole ? sql`NULL::bigint` : sql`j.pattern_id`} AS pattern_id,
          ${figureColumns(OCCURRENCE_HOURLY, 'journal', sql`j`)},
          ${
            withMinimum
              ? sql`CASE WHEN j.sign > 0 AND j.pattern_id NOT IN ${removedIn()} THEN ${similarity(sql`j`)} END`
              : sql`NULL::float8`
          } AS similarity_min
        FROM ${journal} j WHERE ${condition} AND ${whole ? sql`TRUE` : patterns(sql`j.pattern_id`)}`,
    rawRows: (condition) =>
      sql`SELECT ${spanKey(sorted, sql`o.detected_at`)} AS key, o.pattern_id,
          ${figureColumns(OCCURRENCE_HOURLY, 'raw', sql`o`)},
          ${withMinimum ? similarity(sql`o`) : sql`NULL::float8`} AS similarity_min
        FROM pattern_occurrences o WHERE ${condition} AND ${patterns(sql`o.pattern_id`)}`,
    minimums: !withMinimum
      ? undefined
      : (reads) =>
          sql`SELECT ${spanKey(sorted, sql`o.detected_at`)} AS key, o.pattern_id,
              ${figureColumns(OCCURRENCE_HOURLY, 'none', sql`o`)}, ${similarity(sql`o`)} AS similarity_min
            FROM pattern_occurrences o
            WHERE o.pattern_id IN ${removedIn()} AND ${withinReads(reads, sql`o.detected_at`)}
              AND ${patterns(sql`o.pattern_id`)}`,
  });
}

/**
 * Occurrences in the spans by the value of one top-level key of matched_characteristics: rows
 * `(key, value, n)`, one per span key and value, value NULL for occurrences without the key (or
 * without a JSON object): the spans' totals less the rows that have it, in the same statement.
 */
export function characteristicPieces(spans: Span[], key: string): SQL {
  const sorted = sortedSpans(spans);
  const { day, hour, raw } = splitSpans(sorted);
  const covered = mergeRanges([...day, ...hour]);
  const rows = sql`${characteristicRowsInHours(key, (time) => withinRanges(time, covered))}
    UNION ALL ${perRange(raw, (within) => characteristicRowsRaw(key, within(sql`o.detected_at`)))}`;
  const totals = occurrencePieces(sorted, undefined, 'all');
  return sql`(WITH stale_hours AS ${staleHours},
      v AS (SELECT ${spanKey(sorted, sql`x.time`)} AS key, x.value, x.n
        FROM (${rows}) x WHERE x.value IS NOT NULL)
    SELECT key, value, sum(n)::int AS n FROM (
      SELECT key, value, n FROM v
      UNION ALL SELECT key, NULL::text, -n FROM v
      UNION ALL SELECT key, NULL::text, occurrences FROM ${totals} t
    ) a GROUP BY 1, 2 HAVING sum(n) <> 0)`;
}

/**
 * How many patterns occurred within the spans, one index probe per pattern and level: a stored
 * bucket, a journal row or a raw edge row. A pattern with a removed row not yet folded may have
 * lost its last one in the spans, and is asked of its raw rows instead.
 */
export function activePatternCount(spans: Span[]): SQL {
  const sorted = sortedSpans(spans);
  const { day, hour, raw } = splitSpans(sorted);
  const occurred = (table: string, column: string, pieces: Span[]) =>
    pieces.length === 0
      ? sql`FALSE`
      : sql`EXISTS (SELECT 1 FROM ${sql.raw(table)} r
          WHERE r.pattern_id = t.pattern_id AND ${withinRanges(sql.raw(`r.${column}`), pieces)})`;
  const covered = [...day, ...hour];
  return sql`(SELECT count(*)::int FROM ${liveOccurrenceTotals()} t
    WHERE CASE WHEN t.pattern_id IN (SELECT j.pattern_id FROM ${journalTable('occurrences')} j WHERE j.sign < 0)
      THEN ${occurred('pattern_occurrences', 'detected_at', sorted)}
      ELSE (NOT ${voided('pattern_occurrences')} AND (${occurred(`pattern_ledger.${OCCURRENCE_DAILY.table}`, 'bucket', day)}
          OR ${occurred(`pattern_ledger.${OCCURRENCE_HOURLY.table}`, 'bucket', hour)}))
        OR ${
          covered.length === 0
            ? sql`FALSE`
            : sql`EXISTS (SELECT 1 FROM ${journalTable('occurrences')} j
          WHERE j.pattern_id = t.pattern_id AND ${withinRanges(sql`j.detected_at`, covered)})`
        }
        OR ${occurred('pattern_occurrences', 'detected_at', raw)} END)`;
}

/**
 * Savings in the spans: rows `(key, pattern_id, optimization_type, entries, tokens_saved,
 * cost_saved_usd, baseline_tokens, actual_tokens)`, several per key, pattern and type (sum them;
 * money NUMERIC). `where` restricts them (columns `pattern_id`, `optimization_type`). With
 * `grain: 'type'` the rollups per type alone are read (far fewer rows) and pattern_id is null on
 * their rows: for figures over every pattern.
 */
export function savingsPieces(
  spans: Span[],
  where: (table: SQL) => SQL = () => sql`TRUE`,
  grain: 'pattern' | 'type' = 'pattern',
): SQL {
  const sorted = sortedSpans(spans);
  const byType = grain === 'type';
  const rollupOf = (level: 'daily' | 'hourly') =>
    byType
      ? level === 'daily'
        ? SAVINGS_TYPE_DAILY
        : SAVINGS_TYPE_HOURLY
      : level === 'daily'
        ? SAVINGS_DAILY
        : SAVINGS_HOURLY;
  const notVoided = sql`NOT ${voided('cost_savings_log')}`;
  return piecesFrom(sorted, {
    table: 'cost_savings_log',
    timeColumn: 'saved_at',
    rawTime: sql`c.saved_at`,
    rollupRows: (level, key, condition) =>
      sql`SELECT ${key} AS key, ${byType ? sql`NULL::bigint` : sql`r.pattern_id`} AS pattern_id,
          r.optimization_type, ${figureColumns(rollupOf(level), 'stored', sql`r`)}
        FROM ${tableOf(rollupOf(level))} r
        WHERE ${condition} AND ${notVoided} AND ${where(sql`r`)}`,
    journalRows: (key, condition) =>
      sql`SELECT ${key(sql`j.saved_at`)} AS key, ${byType ? sql`NULL::bigint` : sql`j.pattern_id`} AS pattern_id,
          j.optimization_type::text AS optimization_type, ${figureColumns(SAVINGS_HOURLY, 'journal', sql`j`)}
        FROM ${journalTable('savings')} j WHERE ${condition} AND ${where(sql`j`)}`,
    rawRows: (condition) =>
      sql`SELECT ${spanKey(sorted, sql`c.saved_at`)} AS key, c.pattern_id,
          c.optimization_type::text AS optimization_type, ${figureColumns(SAVINGS_HOURLY, 'raw', sql`c`)}
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
  const rows = await readRows<{ bucket: number }>(
    db,
    question('buckets', [range.from, range.to, range.granularity, range.tz], () =>
      bucketListQuery(range),
    ),
  );
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
    : sql`(SELECT pattern_id, entries, tokens_saved, cost_saved_usd
          FROM ${liveSavingsTotals((t) => sql`${t}.pattern_id IS NOT NULL`)} t)`;
  return sql`(SELECT pattern_id, sum(entries)::int AS entries, sum(tokens_saved)::float8 AS tokens,
      sum(cost_saved_usd)::float8 AS usd
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
