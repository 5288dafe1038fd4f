/**
 * Occurrences per UTC hour by each top-level key of `matched_characteristics` and its value.
 *
 * The journals copy no JSON (an agent's write stays as cheap as before), so this rollup is not
 * added to row by row: a fold counts every hour its journal rows touch afresh from the raw rows,
 * in its own snapshot, and a read takes the hours that unfolded journal rows touch from the raw
 * rows too. Either way each hour is counted from rows as they are, exactly once.
 */
import { sql, type SQL } from 'drizzle-orm';
import { index, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { ledger } from '../ledger';
import { journalTable, utc, voided } from './sql';

/**
 * Per UTC hour, each top-level key of `matched_characteristics` and its value (strings as they
 * are, numbers and list lengths in bins: pattern_ledger.characteristic_value). Occurrences
 * without the key are the hour's total minus these rows.
 */
export const characteristicRollupHourly = ledger.table(
  'characteristic_rollup_hourly',
  {
    key: text('key').notNull(),
    bucket: timestamp('bucket').notNull(),
    value: text('value').notNull(),
    occurrences: integer('occurrences').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.bucket, t.value] }),
    index('idx_characteristic_rollup_hourly_bucket').on(t.bucket),
  ],
);

/** The source columns a fold reads from the journal (the JSON itself is read from raw rows). */
export const CHARACTERISTIC_COLUMNS_READ = { occurrences: ['detected_at'] };

const ROLLUP = sql.raw('pattern_ledger.characteristic_rollup_hourly');

/** `(key, value)` for each top-level key of one occurrence (alias `o`). */
export const characteristicsOf = (alias: SQL) =>
  sql`(SELECT left(e.key, 200) AS key, pattern_ledger.characteristic_value(e.value) AS value
    FROM jsonb_each(pattern_ledger.json_object_of(${alias}.matched_characteristics)) e)`;

/** `characteristic_value` of one key of an occurrence (alias `o`), NULL where it has none. */
export const characteristicValue = (alias: SQL, key: string) =>
  sql`pattern_ledger.characteristic_value(pattern_ledger.json_object_of(${alias}.matched_characteristics) -> ${key})`;

const hourOf = (time: SQL) => utc(sql`date_trunc('hour', ${time})`);

/** The rollup rows of the raw occurrences (alias `o`) that `from` reads and `where` keeps. */
function countedFrom(from: SQL, where: SQL): SQL {
  return sql`INSERT INTO ${ROLLUP} (key, bucket, value, occurrences)
    SELECT c.key, ${hourOf(sql`o.detected_at`)}, c.value, count(*)::int
    FROM ${from} CROSS JOIN LATERAL ${characteristicsOf(sql`o`)} c
    WHERE ${where} GROUP BY 1, 2, 3`;
}

/**
 * UTC hours that journal rows (alias `j`, in `journal`) touch: `hour` and its end `hour_end` (the
 * last hour a timestamp holds, in the year 294276, ends at infinity: one more hour is out of range).
 */
const touchedHours = (journal: SQL) =>
  sql`(SELECT hour, CASE WHEN hour >= '294276-12-31 23:00:00'::timestamp THEN 'infinity'::timestamp
        ELSE hour + interval '1 hour' END AS hour_end
    FROM (SELECT DISTINCT ${hourOf(sql`j.detected_at`)} AS hour FROM ${journal} j
      WHERE j.detected_at IS NOT NULL AND isfinite(j.detected_at)) t)`;

/**
 * The fold's statements. `journal` is the staged journal of this fold, or null for a rebuild:
 * the whole rollup counted from every raw row (it was emptied before).
 */
export function characteristicFold(journal: SQL | null): SQL[] {
  if (!journal)
    return [
      countedFrom(
        sql`pattern_occurrences o`,
        sql`o.detected_at IS NOT NULL AND isfinite(o.detected_at)`,
      ),
    ];
  // Each hour's raw rows by an index range: joined, not tested per raw row (EXISTS read them all).
  return [
    sql`DELETE FROM ${ROLLUP} r WHERE r.bucket IN (SELECT hour FROM ${touchedHours(journal)} h)`,
    countedFrom(
      sql`${touchedHours(journal)} h JOIN pattern_occurrences o
        ON o.detected_at >= h.hour AND o.detected_at < h.hour_end`,
      sql`TRUE`,
    ),
  ];
}

/** Hours whose stored rows the journal has made stale (column `hour`): read from raw rows. */
export const staleHours = touchedHours(journalTable('occurrences'));

/**
 * Occurrences that have `key`, by its value, within whole hours (`within` a condition on a time
 * column): rows `(time, value, n)`, `time` the stored hour or the raw row's time. Stored hours come
 * from the rollup unless the journal has touched them (CTE `stale_hours`, of `staleHours`); those
 * come from the raw rows, as do all of them after a TRUNCATE not yet folded.
 */
export function characteristicRowsInHours(key: string, within: (time: SQL) => SQL): SQL {
  const raw = (from: SQL, where: SQL) =>
    sql`SELECT o.detected_at AS time, ${characteristicValue(sql`o`, key)} AS value, 1 AS n
      FROM ${from} WHERE ${within(sql`o.detected_at`)} AND ${where}`;
  return sql`SELECT r.bucket AS time, r.value, r.occurrences AS n FROM ${ROLLUP} r
      WHERE r.key = ${key} AND ${within(sql`r.bucket`)} AND NOT ${voided('pattern_occurrences')}
        AND r.bucket NOT IN (SELECT hour FROM stale_hours)
    UNION ALL
    ${raw(
      sql`stale_hours h JOIN pattern_occurrences o
        ON o.detected_at >= h.hour AND o.detected_at < h.hour_end`,
      sql`NOT ${voided('pattern_occurrences')}`,
    )}
    UNION ALL
    ${raw(sql`pattern_occurrences o`, voided('pattern_occurrences'))}`;
}

/** Raw occurrences that have `key`, by its value, meeting `where` (rows `(time, value, n)`). */
export function characteristicRowsRaw(key: string, where: SQL): SQL {
  return sql`SELECT o.detected_at AS time, ${characteristicValue(sql`o`, key)} AS value, 1 AS n
    FROM pattern_occurrences o WHERE ${where}`;
}
