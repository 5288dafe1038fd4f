/**
 * The rollup generator. An additive rollup is declared once (declarations.ts): the source it
 * counts, its keys, its figures and how each folds. From that declaration come its table (for
 * drizzle-kit, in db/schema.ts), the statements that fold journal rows into it or fill it from
 * every raw row (runner.ts), its live view, and the columns a page reads from its stored rows,
 * from the journal and from raw rows (db/queries/rollup.ts). A counted figure added to a
 * declaration reaches all of them.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import {
  bigint,
  doublePrecision,
  integer,
  numeric,
  primaryKey,
  text,
  timestamp,
  unique,
  type ExtraConfigColumn,
  type PgColumnBuilderBase,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { ledger } from '../ledger';
import { journalTable, utc, voided } from './sql';

/** A tracking table a rollup counts, with its journal and its time column. */
export type RollupSource = {
  table: 'pattern_occurrences' | 'cost_savings_log';
  journal: 'occurrences' | 'savings';
  time: 'detected_at' | 'saved_at';
};

export type Key =
  /** A column of the source row: an agents' row id (bigint here) or text. */
  | { name: string; type: 'id' | 'text'; nullable?: boolean }
  /** The source row's time cut to the UTC hour or day; rows without a time are not counted. */
  | { name: 'bucket'; type: 'bucket'; unit: 'hour' | 'day' };

export type Figure =
  /** Added up: `of` is one source row's value (alias given), never NULL. */
  | { name: string; type: 'int' | 'float8' | 'numeric'; fold: 'sum'; of: (row: SQL) => SQL }
  /**
   * The least value (NULLs ignored). Kept exact as rows leave: where the journal removed a row of
   * a key, the key's minimum is read again from its raw rows.
   */
  | { name: string; type: 'float8'; fold: 'min'; of: (row: SQL) => SQL }
  /**
   * How many distinct values of the last key of `pairs` (a rollup keyed by this one's keys plus
   * that column) have a row: a pair born adds one, a pair gone takes one away.
   */
  | { name: string; type: 'int'; fold: 'distinct'; pairs: Rollup };

export type Rollup = {
  table: string;
  source: RollupSource;
  keys: Key[];
  figures: Figure[];
  /** Which source rows it counts (alias given), beside the dated ones of a bucketed rollup. */
  where?: (row: SQL) => SQL;
  /** The figure whose value above zero keeps a row; 'any' keeps rows where any sum is not zero. */
  present: string;
  /** A rebuild adds this finer rollup up (filled just before) instead of reading raw rows. */
  rebuildFrom?: Rollup;
  /**
   * A fold reads a key's minimum again from this finer rollup (folded just before) and the raw
   * rows it does not count, rather than from every raw row of the key.
   */
  minimumFrom?: Rollup;
  /**
   * Its live view (db/rollups/views.ts): stored rows plus the journal. `grouped` adds them up per
   * key (small all-time rollups); `untouched` reads the stored rows the journal leaves alone and
   * merges the few it touches (large ones of a single count, read in the stored order).
   */
  view?: { name: string; merge: 'grouped' | 'untouched' };
  /** Indexes beyond the key (drizzle's third argument, given the table's columns). */
  indexes?: (columns: Record<string, ExtraConfigColumn>) => PgTableExtraConfigValue[];
};

const raw = (text: string) => sql.raw(text);
const column = (alias: SQL, name: string) => sql`${alias}.${raw(name)}`;
const list = (parts: SQL[]) => sql.join(parts, sql`, `);
const names = (items: { name: string }[]) => raw(items.map((item) => item.name).join(', '));
const ordinals = (n: number) => raw(Array.from({ length: n }, (_, i) => String(i + 1)).join(', '));

export const tableOf = (rollup: Rollup) => raw(`pattern_ledger.${rollup.table}`);

const sums = (rollup: Rollup) =>
  rollup.figures.filter((f): f is Extract<Figure, { fold: 'sum' }> => f.fold === 'sum');
const minimumOf = (rollup: Rollup) =>
  rollup.figures.find((f): f is Extract<Figure, { fold: 'min' }> => f.fold === 'min');
const distinctOf = (rollup: Rollup) =>
  rollup.figures.find((f): f is Extract<Figure, { fold: 'distinct' }> => f.fold === 'distinct');

const cast = (figure: Figure, value: SQL) =>
  figure.type === 'numeric' ? sql`sum(${value})` : sql`sum(${value})::${raw(figure.type)}`;

/* ---------------------------------------------------------------------------------- keys */

/** A key's value for one source row (alias given). */
export function keyOf(rollup: Rollup, key: Key, row: SQL): SQL {
  if (key.type === 'bucket')
    return utc(sql`date_trunc(${raw(`'${key.unit}'`)}, ${column(row, rollup.source.time)})`);
  return key.type === 'text' ? sql`${column(row, key.name)}::text` : column(row, key.name);
}

const keyColumns = (rollup: Rollup, row: SQL) =>
  rollup.keys.map((key) => sql`${keyOf(rollup, key, row)} AS ${raw(key.name)}`);

/** The source rows a rollup counts (alias given): dated ones where it is bucketed, and `where`. */
function counted(rollup: Rollup, row: SQL): SQL {
  const conditions = [
    ...(rollup.keys.some((key) => key.type === 'bucket')
      ? [sql`${column(row, rollup.source.time)} IS NOT NULL`]
      : []),
    ...(rollup.where ? [rollup.where(row)] : []),
  ];
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, sql` AND `);
}

/** Stored or merged row `a` and row `b` share the key (NULL keys equal, as in the unique key). */
function sameKey(rollup: Rollup, a: string, b: string): SQL {
  return sql.join(
    rollup.keys.map((key) =>
      'nullable' in key && key.nullable
        ? sql`${raw(`${a}.${key.name}`)} IS NOT DISTINCT FROM ${raw(`${b}.${key.name}`)}`
        : sql`${raw(`${a}.${key.name}`)} = ${raw(`${b}.${key.name}`)}`,
    ),
    sql` AND `,
  );
}

/** Raw source rows (alias `o`) whose key is that of row `alias`. */
function rawRowsOfKey(rollup: Rollup, alias: string): SQL {
  const time = column(sql`o`, rollup.source.time);
  const conditions = rollup.keys.map((key) => {
    const value = raw(`${alias}.${key.name}`);
    if (key.type !== 'bucket') {
      const own = keyOf(rollup, key, sql`o`);
      return key.nullable ? sql`${own} IS NOT DISTINCT FROM ${value}` : sql`${own} = ${value}`;
    }
    // The bucket's rows as one index range: to its last microsecond (the bucket of the latest
    // time a timestamp holds has no next one), an infinite time its own bucket.
    return sql`${time} BETWEEN ${value} AND CASE WHEN isfinite(${value})
      THEN ${value} + (${raw(`interval '1 ${key.unit}'`)} - interval '1 microsecond') ELSE ${value} END`;
  });
  return sql.join([...conditions, ...(rollup.where ? [rollup.where(sql`o`)] : [])], sql` AND `);
}

function rawMinimum(rollup: Rollup, alias: string): SQL {
  const minimum = minimumOf(rollup)!;
  return sql`SELECT min(${minimum.of(sql`o`)}) FROM ${raw(rollup.source.table)} o
    WHERE ${rawRowsOfKey(rollup, alias)}`;
}

/**
 * A folded key's minimum after a row left: from the finer rollup (folded just before) and the
 * raw rows it does not count, where the rollup says so; else from the key's raw rows.
 */
function foldedMinimum(rollup: Rollup, alias: string): SQL {
  const finer = rollup.minimumFrom;
  if (!finer) return rawMinimum(rollup, alias);
  const minimum = minimumOf(rollup)!;
  const sameKeys = sql.join(
    rollup.keys.map((key) => raw(`f.${key.name} = ${alias}.${key.name}`)),
    sql` AND `,
  );
  return sql`SELECT least(
      (SELECT min(f.${raw(minimum.name)}) FROM ${tableOf(finer)} f WHERE ${sameKeys}),
      (SELECT min(${minimum.of(sql`o`)}) FROM ${raw(rollup.source.table)} o
        WHERE ${rawRowsOfKey(rollup, alias)} AND NOT (${counted(finer, sql`o`)})))`;
}

/** Whether a merged row `m` still holds something. */
function present(rollup: Rollup, m: string): SQL {
  if (rollup.present !== 'any') return raw(`${m}.${rollup.present} > 0`);
  return sql`(${sql.join(
    sums(rollup).map((f) => raw(`${m}.${f.name} <> 0`)),
    sql` OR `,
  )})`;
}

/* ------------------------------------------------------------------------------- the table */

const columnBuilder = {
  id: (name: string) => bigint(name, { mode: 'number' }),
  text: (name: string) => text(name),
  bucket: (name: string) => timestamp(name),
  int: (name: string) => integer(name).default(0),
  float8: (name: string) => doublePrecision(name).default(0),
  numeric: (name: string) => numeric(name).default('0'),
};

/** A column's property name in drizzle: `similarity_sum` is `similaritySum`. */
const propertyOf = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * The rollup's table in Pattern Ledger's schema (drizzle-kit migrates it from db/schema.ts). Its
 * key is the primary key, or a unique key treating NULLs as equal where a key may be NULL. Sums
 * default to zero, so that a figure added later migrates onto a table that has rows (and the
 * attach plan fills it again: declarationsHash).
 */
export function rollupTable(rollup: Rollup) {
  const nullableKey = rollup.keys.some((key) => 'nullable' in key && key.nullable);
  const singleKey = rollup.keys.length === 1 && !nullableKey;
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const key of rollup.keys) {
    const built = columnBuilder[key.type](key.name);
    columns[propertyOf(key.name)] = singleKey
      ? built.primaryKey()
      : 'nullable' in key && key.nullable
        ? built
        : built.notNull();
  }
  for (const figure of rollup.figures)
    columns[propertyOf(figure.name)] =
      figure.fold === 'min'
        ? doublePrecision(figure.name)
        : columnBuilder[figure.type](figure.name).notNull();
  return ledger.table(rollup.table, columns, (t) => {
    const keyColumns = rollup.keys.map((key) => t[propertyOf(key.name)]!);
    const [first, ...rest] = keyColumns;
    return [
      ...(singleKey
        ? []
        : nullableKey
          ? [
              unique(`${rollup.table}_key`)
                .on(first!, ...rest)
                .nullsNotDistinct(),
            ]
          : [primaryKey({ columns: [first!, ...rest] })]),
      ...(rollup.indexes?.(t) ?? []),
    ];
  });
}

/* ---------------------------------------------------------------------------- statements */

/** Where a fold's rows come from: a journal's signed rows, or every raw row once (rebuild). */
export type Feed = {
  rows: (source: RollupSource) => SQL;
  sign: SQL;
  rebuild: boolean;
};

/** The live journal, as views and page reads see it. */
export const LIVE: Feed = {
  rows: (source) => journalTable(source.journal),
  sign: sql`j.sign`,
  rebuild: false,
};

/** Every raw row, counted once. */
export const RAW: Feed = {
  rows: (source) => raw(source.table),
  sign: sql`1`,
  rebuild: true,
};

/**
 * Per key of `pairs` the feed touches: `delta`, its change of the count, and `stored`, the count
 * stored (0 in a rebuild, or where the source was truncated): a pair exists while stored + delta
 * is above zero.
 */
export function pairChanges(pairs: Rollup, feed: Feed): SQL {
  const count = pairs.present;
  const countFigure = sums(pairs).find((f) => f.name === count)!;
  const keys = pairs.keys.map((key) => raw(`d.${key.name}`));
  const stored = feed.rebuild
    ? sql`0`
    : sql`coalesce((SELECT s.${raw(count)} FROM ${tableOf(pairs)} s WHERE ${sameKey(pairs, 's', 'd')}
        ${feed === LIVE ? sql`AND NOT ${voided(pairs.source.table)}` : sql``}), 0)`;
  return sql`SELECT ${list(keys)}, d.delta, ${stored} AS stored
    FROM (SELECT ${list(keyColumns(pairs, sql`j`))}, sum(${feed.sign} * (${countFigure.of(sql`j`)}))::int AS delta
          FROM ${feed.rows(pairs.source)} j WHERE ${counted(pairs, sql`j`)} GROUP BY ${ordinals(pairs.keys.length)}) d`;
}

/**
 * The feed's change per key: the keys, each added figure's change, and where the rollup keeps a
 * minimum, `added_min` (the least value added) and `removed` (whether a row left the key).
 */
export function delta(rollup: Rollup, feed: Feed): SQL {
  const minimum = minimumOf(rollup);
  const distinct = distinctOf(rollup);
  const j = sql`j`;
  const rowFigures = rollup.figures.map((figure) =>
    figure.fold === 'sum'
      ? sql`${feed.sign} * (${figure.of(j)}) AS ${raw(figure.name)}`
      : figure.fold === 'min'
        ? sql`CASE WHEN ${feed.sign} > 0 THEN ${figure.of(j)} END AS added_min`
        : sql`0 AS ${raw(figure.name)}`,
  );
  const rows = sql`SELECT ${list([
    ...keyColumns(rollup, j),
    ...rowFigures,
    ...(minimum ? [sql`${feed.sign} < 0 AS removed`] : []),
  ])} FROM ${feed.rows(rollup.source)} j WHERE ${counted(rollup, j)}`;
  const pairRows = distinct
    ? sql` UNION ALL SELECT ${list([
        ...rollup.keys.map((key) => raw(`p.${key.name}`)),
        ...rollup.figures.map((figure) =>
          figure === distinct
            ? sql`(p.stored + p.delta > 0)::int - (p.stored > 0)::int`
            : figure.fold === 'min'
              ? sql`NULL`
              : sql`0`,
        ),
        ...(minimum ? [sql`false`] : []),
      ])} FROM (${pairChanges(distinct.pairs, feed)}) p`
    : sql``;
  const aggregates = rollup.figures.map((figure) =>
    figure.fold === 'min'
      ? sql`min(x.added_min) AS added_min, coalesce(bool_or(x.removed), false) AS removed`
      : sql`${cast(figure, raw(`x.${figure.name}`))} AS ${raw(figure.name)}`,
  );
  return sql`SELECT ${list([...rollup.keys.map((key) => raw(`x.${key.name}`)), ...aggregates])}
    FROM (${rows}${pairRows}) x GROUP BY ${ordinals(rollup.keys.length)}`;
}

/** In a rebuild, the finer rollup (filled just before) added up to this one's keys. */
function fromFiner(rollup: Rollup, finer: Rollup): SQL {
  const keys = rollup.keys.map((key) => {
    const own = finer.keys.find((k) => k.name === key.name);
    if (!own) throw new Error(`${finer.table} has no key ${key.name} to fill ${rollup.table}`);
    return key.type === 'bucket' && own.type === 'bucket' && own.unit !== key.unit
      ? sql`date_trunc(${raw(`'${key.unit}'`)}, bucket) AS bucket`
      : raw(key.name);
  });
  const figures = rollup.figures.map((figure) =>
    figure.fold === 'min'
      ? sql`min(${raw(figure.name)}) AS added_min`
      : sql`${cast(figure, raw(figure.name))} AS ${raw(figure.name)}`,
  );
  return sql`SELECT ${list([...keys, ...figures])} FROM ${tableOf(finer)} GROUP BY ${ordinals(rollup.keys.length)}`;
}

/** The rollup's rows afresh from every raw row: what it must hold when the journal is empty. */
export function freshRows(rollup: Rollup): SQL {
  const minimum = minimumOf(rollup);
  const columns = [
    ...rollup.keys.map((key) => raw(key.name)),
    ...rollup.figures.map((figure) =>
      figure === minimum ? sql`added_min AS ${raw(figure.name)}` : raw(figure.name),
    ),
  ];
  return sql`SELECT ${list(columns)} FROM (${delta(rollup, RAW)}) m WHERE ${present(rollup, 'm')}`;
}

/**
 * The statement that adds the feed to the stored rows: rows left holding nothing are deleted,
 * minimums are kept exact. A rebuild (over an emptied table) inserts the aggregated rows in key
 * order, so that the key's index grows at its end rather than everywhere at once.
 */
export function foldStatement(rollup: Rollup, feed: Feed): SQL {
  const table = tableOf(rollup);
  const minimum = minimumOf(rollup);
  const columns = names([...rollup.keys, ...rollup.figures]);
  if (feed.rebuild) {
    const source = rollup.rebuildFrom ? fromFiner(rollup, rollup.rebuildFrom) : delta(rollup, feed);
    const fresh = list([
      ...rollup.keys.map((key) => raw(key.name)),
      ...rollup.figures.map((figure) =>
        figure === minimum ? sql`added_min AS ${raw(figure.name)}` : raw(figure.name),
      ),
    ]);
    return sql`INSERT INTO ${table} (${columns})
      SELECT ${fresh} FROM (${source}) m WHERE ${present(rollup, 'm')}
      ORDER BY ${names(rollup.keys)}`;
  }
  const merged = list([
    ...rollup.keys.map((key) => raw(`d.${key.name}`)),
    ...rollup.figures.map((figure) =>
      figure === minimum
        ? sql`CASE WHEN d.removed THEN (${foldedMinimum(rollup, 'd')})
            ELSE least(s.${raw(figure.name)}, d.added_min) END AS ${raw(figure.name)}`
        : sql`coalesce(s.${raw(figure.name)}, 0) + d.${raw(figure.name)} AS ${raw(figure.name)}`,
    ),
  ]);
  const updates = raw(
    rollup.figures.map((figure) => `${figure.name} = excluded.${figure.name}`).join(', '),
  );
  return sql`WITH d AS (${delta(rollup, feed)}),
    m AS (SELECT ${merged} FROM d LEFT JOIN ${table} s ON ${sameKey(rollup, 's', 'd')}),
    gone AS (DELETE FROM ${table} s USING m WHERE NOT (${present(rollup, 'm')}) AND ${sameKey(rollup, 's', 'm')})
    INSERT INTO ${table} (${columns})
    SELECT ${columns} FROM m WHERE ${present(rollup, 'm')}
    ON CONFLICT (${names(rollup.keys)}) DO UPDATE SET ${updates}`;
}

/* ----------------------------------------------------------------------------- live reads */

/** Stored rows (alias `s`) the live journal leaves alone: `FROM … WHERE …`, to add conditions to. */
export function untouchedStored(rollup: Rollup): SQL {
  const j = sql`j`;
  const touches = sql.join(
    rollup.keys.map((key) => {
      const own = keyOf(rollup, key, j);
      const stored = raw(`s.${key.name}`);
      return 'nullable' in key && key.nullable
        ? sql`${own} IS NOT DISTINCT FROM ${stored}`
        : sql`${own} = ${stored}`;
    }),
    sql` AND `,
  );
  return sql`FROM ${tableOf(rollup)} s
  WHERE NOT ${voided(rollup.source.table)}
    AND NOT EXISTS (SELECT 1 FROM ${journalTable(rollup.source.journal)} j WHERE ${touches})`;
}

/** The live definition of a rollup with a view (see `Rollup.view`). */
export function liveDefinition(rollup: Rollup): SQL {
  if (rollup.view?.merge === 'untouched') {
    if (rollup.figures.length !== 1) throw new Error(`${rollup.table}: one count to merge`);
    const count = raw(rollup.present);
    const keys = names(rollup.keys);
    return sql`SELECT ${list(rollup.keys.map((key) => raw(`s.${key.name}`)))}, s.${count} ${untouchedStored(rollup)}
    UNION ALL
    SELECT ${keys}, stored + delta FROM (${pairChanges(rollup, LIVE)}) p WHERE stored + delta > 0`;
  }
  const minimum = minimumOf(rollup);
  const distinct = distinctOf(rollup);
  const j = sql`j`;
  const removed = minimum ? [sql`false AS removed`] : [];
  const stored = sql`SELECT ${list([
    ...rollup.keys.map((key) => raw(`t.${key.name}`)),
    ...rollup.figures.map((figure) => raw(`t.${figure.name}`)),
    ...removed,
  ])} FROM ${tableOf(rollup)} t WHERE NOT ${voided(rollup.source.table)}`;
  const journal = sql`SELECT ${list([
    ...rollup.keys.map((key) => keyOf(rollup, key, j)),
    ...rollup.figures.map((figure) =>
      figure.fold === 'sum'
        ? sql`j.sign * (${figure.of(j)})`
        : figure.fold === 'min'
          ? sql`CASE WHEN j.sign > 0 THEN ${figure.of(j)} END`
          : sql`0`,
    ),
    ...(minimum ? [sql`j.sign < 0`] : []),
  ])} FROM ${journalTable(rollup.source.journal)} j WHERE ${counted(rollup, j)}`;
  const pairs = distinct
    ? sql` UNION ALL SELECT ${list([
        ...rollup.keys.map((key) => raw(`p.${key.name}`)),
        ...rollup.figures.map((figure) =>
          figure === distinct
            ? sql`(p.stored + p.delta > 0)::int - (p.stored > 0)::int`
            : figure.fold === 'min'
              ? sql`NULL`
              : sql`0`,
        ),
        ...(minimum ? [sql`false`] : []),
      ])} FROM (${pairChanges(distinct.pairs, LIVE)}) p`
    : sql``;
  const aggregates = rollup.figures.map((figure) =>
    figure.fold === 'min'
      ? sql`CASE WHEN bool_or(x.removed) THEN (${rawMinimum(rollup, 'x')})
        ELSE min(x.${raw(figure.name)}) END AS ${raw(figure.name)}`
      : sql`${cast(figure, raw(`x.${figure.name}`))} AS ${raw(figure.name)}`,
  );
  const kept =
    rollup.present === 'any'
      ? sql.join(
          sums(rollup).map((f) => raw(`sum(x.${f.name}) <> 0`)),
          sql` OR `,
        )
      : raw(`sum(x.${rollup.present}) > 0`);
  return sql`SELECT ${list([...rollup.keys.map((key) => raw(`x.${key.name}`)), ...aggregates])}
    FROM (${stored} UNION ALL ${journal}${pairs}) x
    GROUP BY ${names(rollup.keys.map((key) => ({ name: `x.${key.name}` })))} HAVING ${kept}`;
}

/**
 * A rollup's sums as a page reads them, under their own names: from its stored rows, from journal
 * rows (signed), from raw rows, or none (zeros, beside rows that carry only a minimum).
 */
export function figureColumns(
  rollup: Rollup,
  side: 'stored' | 'journal' | 'raw' | 'none',
  alias: SQL,
): SQL {
  return list(
    sums(rollup).map((figure) => {
      const value =
        side === 'stored'
          ? column(alias, figure.name)
          : side === 'journal'
            ? sql`${alias}.sign * (${figure.of(alias)})`
            : side === 'raw'
              ? figure.of(alias)
              : sql`0::${raw(figure.type)}`;
      return sql`${value} AS ${raw(figure.name)}`;
    }),
  );
}

/** The figure a rollup keeps as a minimum, if any (pages keep it exact themselves). */
export const minimumFigure = minimumOf;

/** One source row's value of a declared figure (alias given), as the rollup counts it. */
export function figureOf(rollup: Rollup, name: string): (row: SQL) => SQL {
  const figure = rollup.figures.find((f) => f.name === name);
  if (!figure || figure.fold === 'distinct')
    throw new Error(`${rollup.table} has no figure ${name} of one row`);
  return figure.of;
}

/**
 * What the rollups count, as a short fingerprint: it changes when a declaration adds, drops or
 * redefines a figure or key, so that rollups filled under another declaration are filled again.
 */
export function declarationFingerprint(rollups: Rollup[]): string {
  const dialect = new PgDialect();
  const text = rollups
    .map((rollup) => {
      const { sql: statement, params } = dialect.sqlToQuery(freshRows(rollup));
      return `${rollup.table}\n${statement}\n${JSON.stringify(params)}`;
    })
    .join('\n\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/* ---------------------------------------------------------------------------- the journal */

/**
 * The source columns a rollup reads from a journal row (so the journal must copy them): every
 * `j.<column>` its statements name for a journal row `j`.
 */
export function columnsRead(rollup: Rollup): string[] {
  const { sql: text } = new PgDialect().sqlToQuery(delta(rollup, LIVE));
  const columns = new Set<string>();
  for (const match of text.matchAll(/\bj\.([a-z_]+)/g))
    if (match[1] !== 'sign') columns.add(match[1]!);
  return [...columns];
}
