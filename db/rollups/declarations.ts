/**
 * Every additive rollup, declared once (the generator is define.ts). Similarities are 0–1 ratios
 * (a value above 1 is a percentage; NaN and infinities count as unscored); money is NUMERIC,
 * added exactly. The order is the folding order: an all-time rollup with a distinct count folds
 * before the pairs it compares with.
 *
 * Three rollups are recounted rather than added, each in its own file: workflows.ts (a
 * workflow's figures from its raw rows), defects.ts (row-local data-quality checks) and
 * characteristics.ts (occurrences by matched characteristic, per hour).
 */
import { sql, type SQL } from 'drizzle-orm';
import { index } from 'drizzle-orm/pg-core';
import type { Figure, Key, Rollup, RollupSource } from './define';
import { money, ratio } from './sql';

const OCCURRENCES: RollupSource = {
  table: 'pattern_occurrences',
  journal: 'occurrences',
  time: 'detected_at',
};
const SAVINGS: RollupSource = { table: 'cost_savings_log', journal: 'savings', time: 'saved_at' };

const similarity = (row: SQL) => ratio(sql`${row}.similarity_score`);

const PATTERN: Key = { name: 'pattern_id', type: 'id' };
const hour: Key = { name: 'bucket', type: 'bucket', unit: 'hour' };
const day: Key = { name: 'bucket', type: 'bucket', unit: 'day' };

/* ------------------------------------------------------------------------------ occurrences */

const OCCURRENCE_FIGURES: Figure[] = [
  { name: 'occurrences', type: 'int', fold: 'sum', of: () => sql`1` },
  /** Occurrences with a finite similarity. */
  {
    name: 'scored',
    type: 'int',
    fold: 'sum',
    of: (row) => sql`(${similarity(row)} IS NOT NULL)::int`,
  },
  {
    name: 'similarity_sum',
    type: 'float8',
    fold: 'sum',
    of: (row) => sql`coalesce(${similarity(row)}, 0)`,
  },
];
const SIMILARITY_MIN: Figure = {
  name: 'similarity_min',
  type: 'float8',
  fold: 'min',
  of: similarity,
};

/** Occurrences per pattern and UTC hour or day. */
const occurrencesPer = (bucket: Key, table: string, rebuildFrom?: Rollup): Rollup => ({
  table,
  source: OCCURRENCES,
  keys: [PATTERN, bucket],
  figures: [...OCCURRENCE_FIGURES, SIMILARITY_MIN],
  present: 'occurrences',
  rebuildFrom,
  // The migration widens it with INCLUDE (every figure), so a range of buckets is index-only.
  indexes: (t) => [index(`idx_${table}_bucket`).on(t.bucket!)],
});

export const OCCURRENCE_HOURLY = occurrencesPer(hour, 'occurrence_rollup_hourly');
export const OCCURRENCE_DAILY = occurrencesPer(day, 'occurrence_rollup_daily', OCCURRENCE_HOURLY);

/** The same figures over every pattern, for charts and totals of the whole system. */
const occurrencesOfAll = (bucket: Key, table: string, rebuildFrom: Rollup): Rollup => ({
  table,
  source: OCCURRENCES,
  keys: [bucket],
  figures: OCCURRENCE_FIGURES,
  present: 'occurrences',
  rebuildFrom,
});

export const OCCURRENCE_ALL_HOURLY = occurrencesOfAll(
  hour,
  'occurrence_all_rollup_hourly',
  OCCURRENCE_HOURLY,
);
export const OCCURRENCE_ALL_DAILY = occurrencesOfAll(
  day,
  'occurrence_all_rollup_daily',
  OCCURRENCE_DAILY,
);

/** Occurrences per (pattern, workflow), all time: distinct workflows and duplicate matches. */
export const PATTERN_WORKFLOWS: Rollup = {
  table: 'pattern_workflow_rollup',
  source: OCCURRENCES,
  keys: [PATTERN, { name: 'workflow_id', type: 'text' }],
  figures: [OCCURRENCE_FIGURES[0]!],
  present: 'occurrences',
  view: { name: 'live_pattern_workflows', merge: 'untouched' },
  indexes: (t) => [
    index('idx_pattern_workflow_rollup_repeated')
      .on(t.occurrences!.desc(), t.patternId!, t.workflowId!)
      .where(sql`${t.occurrences!} > 1`),
  ],
};

/** All time per pattern, undated occurrences included. */
export const OCCURRENCE_TOTALS: Rollup = {
  table: 'occurrence_rollup_total',
  source: OCCURRENCES,
  keys: [PATTERN],
  figures: [
    ...OCCURRENCE_FIGURES,
    {
      name: 'undated',
      type: 'int',
      fold: 'sum',
      of: (row) => sql`(${row}.detected_at IS NULL)::int`,
    },
    SIMILARITY_MIN,
    /** Distinct workflows (rows of pattern_workflow_rollup). */
    { name: 'workflows', type: 'int', fold: 'distinct', pairs: PATTERN_WORKFLOWS },
  ],
  present: 'occurrences',
  minimumFrom: OCCURRENCE_DAILY,
  view: { name: 'live_occurrence_totals', merge: 'grouped' },
};

/**
 * Per pattern, how many similarity scores look like ratios (in (0, 1]) and how many like
 * percentages (above 1): the data-quality scale reading.
 */
export const SIMILARITY_SCALES: Rollup = {
  table: 'similarity_scale_rollup',
  source: OCCURRENCES,
  keys: [PATTERN],
  figures: [
    {
      name: 'ratio_rows',
      type: 'int',
      fold: 'sum',
      of: (row) => sql`(${row}.similarity_score > 0 AND ${row}.similarity_score <= 1)::int`,
    },
    {
      name: 'percent_rows',
      type: 'int',
      fold: 'sum',
      of: (row) =>
        sql`(${row}.similarity_score > 1 AND pattern_ledger.finite(${row}.similarity_score))::int`,
    },
  ],
  where: (row) => sql`${row}.similarity_score > 0`,
  present: 'any',
  view: { name: 'live_similarity_scales', merge: 'grouped' },
};

/* ---------------------------------------------------------------------------------- savings */

const tokens = (column: string): Figure => ({
  name: column,
  type: 'numeric',
  fold: 'sum',
  of: (row) => sql`coalesce(${row}.${sql.raw(column)}, 0)::numeric`,
});

const SAVINGS_FIGURES: Figure[] = [
  { name: 'entries', type: 'int', fold: 'sum', of: () => sql`1` },
  tokens('tokens_saved'),
  {
    name: 'cost_saved_usd',
    type: 'numeric',
    fold: 'sum',
    of: (row) => sql`coalesce(${money(sql`${row}.cost_saved_usd`)}, 0)`,
  },
  tokens('baseline_tokens'),
  tokens('actual_tokens'),
];

const TYPE: Key = { name: 'optimization_type', type: 'text' };
/** Null for savings that name no pattern. */
const SAVINGS_PATTERN: Key = { name: 'pattern_id', type: 'id', nullable: true };

/** Savings per UTC hour or day, type and pattern. */
const savingsPer = (bucket: Key, table: string, rebuildFrom?: Rollup): Rollup => ({
  table,
  source: SAVINGS,
  keys: [bucket, TYPE, SAVINGS_PATTERN],
  figures: SAVINGS_FIGURES,
  present: 'entries',
  rebuildFrom,
  indexes: (t) => [
    // Widened with INCLUDE by the migration, as the occurrence rollups' bucket indexes.
    index(`idx_${table}_bucket`).on(t.bucket!),
    index(`idx_${table}_pattern`).on(t.patternId!, t.bucket!),
  ],
});

export const SAVINGS_HOURLY = savingsPer(hour, 'savings_rollup_hourly');
export const SAVINGS_DAILY = savingsPer(day, 'savings_rollup_daily', SAVINGS_HOURLY);

/** The same figures per type alone, for charts and totals over every pattern. */
const savingsOfType = (bucket: Key, table: string, rebuildFrom: Rollup): Rollup => ({
  table,
  source: SAVINGS,
  keys: [bucket, TYPE],
  figures: SAVINGS_FIGURES,
  present: 'entries',
  rebuildFrom,
});

export const SAVINGS_TYPE_HOURLY = savingsOfType(
  hour,
  'savings_type_rollup_hourly',
  SAVINGS_HOURLY,
);
export const SAVINGS_TYPE_DAILY = savingsOfType(day, 'savings_type_rollup_daily', SAVINGS_DAILY);

/** All time per (type, pattern), undated entries included. */
export const SAVINGS_TOTALS: Rollup = {
  table: 'savings_rollup_total',
  source: SAVINGS,
  keys: [TYPE, SAVINGS_PATTERN],
  figures: [
    ...SAVINGS_FIGURES,
    { name: 'undated', type: 'int', fold: 'sum', of: (row) => sql`(${row}.saved_at IS NULL)::int` },
  ],
  present: 'entries',
  view: { name: 'live_savings_totals', merge: 'grouped' },
};

/** Every additive rollup, in folding order. */
export const ROLLUPS: Rollup[] = [
  OCCURRENCE_HOURLY,
  OCCURRENCE_ALL_HOURLY,
  OCCURRENCE_DAILY,
  OCCURRENCE_ALL_DAILY,
  OCCURRENCE_TOTALS,
  PATTERN_WORKFLOWS,
  SIMILARITY_SCALES,
  SAVINGS_HOURLY,
  SAVINGS_TYPE_HOURLY,
  SAVINGS_DAILY,
  SAVINGS_TYPE_DAILY,
  SAVINGS_TOTALS,
];
