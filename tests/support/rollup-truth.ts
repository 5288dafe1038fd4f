/**
 * The truth the rollups are held to: every rollup's stored rows, its live rows (stored plus the
 * journals not yet folded) and the same figures computed afresh from the raw rows, whatever the
 * columns' types; and the page reads over random spans against raw sums.
 */
import { sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '@/db/types';
import { characteristicPieces, occurrencePieces, savingsPieces } from '@/db/queries/rollup';
import { foldChanges, pendingChanges } from '@/db/rollups/runner';
import { occurrenceDefects, savingsDefects } from '@/db/rollups/defects';
import {
  liveDefects,
  liveOccurrenceTotals,
  livePatternWorkflows,
  liveRepeatedPairs,
  liveSavingsTotals,
  liveSimilarityScales,
  liveWorkflows,
} from '@/db/rollups/views';
import { freshRows, liveDefinition, tableOf } from '@/db/rollups/define';
import { ROLLUPS as DECLARED_ROLLUPS } from '@/db/rollups/declarations';
import { queryRows } from '@/db/sql';

export type Random = {
  next: () => number;
  int: (below: number) => number;
  pick: <T>(items: readonly T[]) => T;
};

/** A small deterministic generator, so that a failure can be replayed from its seed. */
export function generator(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const BASE = Date.parse('2026-03-01T00:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

const ratio = (column: string) => `pattern_ledger.ratio(${column})`;
const r9 = (expression: string) => `round((${expression})::numeric, 9)`;
/** Money as the decimal the column shows (REAL 0.0035 is 0.0035), NaN and infinities left out. */
export const usd = (column: string) =>
  `CASE WHEN ${column}::text IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE ${column}::text::numeric END`;
const sim = ratio('similarity_score');
const hour = (column: string) => `date_trunc('hour', ${column})::timestamp`;
const day = (column: string) => `date_trunc('day', ${column})::timestamp`;

type Rollup = { table: string; stored: SQL | null; live: SQL | null; fresh: SQL };

const everyWorkflow = `(SELECT workflow_id::text AS workflow_id FROM pattern_occurrences
  UNION SELECT workflow_id::text FROM cost_savings_log)`;
const workflowFresh = `SELECT w.workflow_id, coalesce(o.n, 0), coalesce(o.patterns, 0), o.first_detected, o.last_detected,
    coalesce(s.entries, 0), coalesce(s.tokens, 0), ${r9('coalesce(s.usd, 0)')}, s.first_saved, s.last_saved,
    (coalesce(o.undated, 0) + coalesce(s.undated, 0))::int,
    least(o.first_detected, s.first_saved), greatest(o.last_detected, s.last_saved),
    EXISTS (SELECT 1 FROM workflow_history h WHERE h.adw_id::text = w.workflow_id)
      OR coalesce((SELECT true FROM information_schema.columns WHERE table_name = 'workflow_history' AND column_name = 'workflow_id'), false)
        AND EXISTS (SELECT 1 FROM workflow_history h WHERE to_jsonb(h) ->> 'workflow_id' = w.workflow_id)
  FROM ${everyWorkflow} w
  LEFT JOIN (SELECT workflow_id::text AS workflow_id, count(*)::int AS n, count(DISTINCT pattern_id)::int AS patterns,
      count(*) FILTER (WHERE detected_at IS NULL) AS undated, min(detected_at)::timestamp AS first_detected,
      max(detected_at)::timestamp AS last_detected
    FROM pattern_occurrences GROUP BY 1) o USING (workflow_id)
  LEFT JOIN (SELECT workflow_id::text AS workflow_id, count(*)::int AS entries, coalesce(sum(tokens_saved::numeric), 0) AS tokens,
      sum(${usd('cost_saved_usd')}) AS usd, count(*) FILTER (WHERE saved_at IS NULL) AS undated,
      min(saved_at)::timestamp AS first_saved, max(saved_at)::timestamp AS last_saved
    FROM cost_savings_log GROUP BY 1) s USING (workflow_id)`;

const savingsSums = `count(*)::int, coalesce(sum(tokens_saved::numeric), 0), ${r9(`coalesce(sum(${usd('cost_saved_usd')}), 0)`)},
  coalesce(sum(baseline_tokens::numeric), 0), coalesce(sum(actual_tokens::numeric), 0)`;
const storedSavings = `entries, tokens_saved, ${r9('cost_saved_usd')}, baseline_tokens, actual_tokens`;

/** Each rollup: its stored rows, its live rows (stored plus journals), the same from raw rows now. */
const ROLLUPS: Rollup[] = [
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `occurrence_rollup_${level}`,
    stored:
      sql.raw(`SELECT pattern_id, bucket, occurrences, scored, ${r9('similarity_sum')}, ${r9('similarity_min')}
      FROM pattern_ledger.occurrence_rollup_${level}`),
    live: null,
    fresh:
      sql.raw(`SELECT pattern_id::bigint, ${level === 'hourly' ? hour('detected_at') : day('detected_at')},
        count(*)::int, count(${sim})::int, ${r9(`coalesce(sum(${sim}), 0)`)}, ${r9(`min(${sim})`)}
      FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1, 2`),
  })),
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `occurrence_all_rollup_${level}`,
    stored: sql.raw(
      `SELECT bucket, occurrences, scored, ${r9('similarity_sum')} FROM pattern_ledger.occurrence_all_rollup_${level}`,
    ),
    live: null,
    fresh:
      sql.raw(`SELECT ${level === 'hourly' ? hour('detected_at') : day('detected_at')}, count(*)::int, count(${sim})::int,
        ${r9(`coalesce(sum(${sim}), 0)`)}
      FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1`),
  })),
  {
    table: 'occurrence_rollup_total',
    stored:
      sql.raw(`SELECT pattern_id, occurrences, undated, scored, ${r9('similarity_sum')}, ${r9('similarity_min')}, workflows
      FROM pattern_ledger.occurrence_rollup_total`),
    live: sql`SELECT pattern_id, occurrences, undated, scored, round(similarity_sum::numeric, 9),
        round(similarity_min::numeric, 9), workflows FROM ${liveOccurrenceTotals()} t`,
    fresh:
      sql.raw(`SELECT pattern_id::bigint, count(*)::int, count(*) FILTER (WHERE detected_at IS NULL)::int, count(${sim})::int,
        ${r9(`coalesce(sum(${sim}), 0)`)}, ${r9(`min(${sim})`)}, count(DISTINCT workflow_id)::int
      FROM pattern_occurrences GROUP BY 1`),
  },
  {
    table: 'pattern_workflow_rollup',
    stored: sql.raw(
      `SELECT pattern_id, workflow_id, occurrences FROM pattern_ledger.pattern_workflow_rollup`,
    ),
    live: sql`SELECT pattern_id, workflow_id, occurrences FROM ${livePatternWorkflows()} p`,
    fresh: sql.raw(
      `SELECT pattern_id::bigint, workflow_id::text, count(*)::int FROM pattern_occurrences GROUP BY 1, 2`,
    ),
  },
  {
    table: 'pattern_workflow_rollup, pairs seen more than once',
    stored: null,
    live: sql`SELECT pattern_id, workflow_id, occurrences FROM ${liveRepeatedPairs()} r`,
    fresh: sql.raw(
      `SELECT pattern_id::bigint, workflow_id::text, count(*)::int FROM pattern_occurrences GROUP BY 1, 2 HAVING count(*) > 1`,
    ),
  },
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `savings_rollup_${level}`,
    stored: sql.raw(
      `SELECT bucket, optimization_type, pattern_id, ${storedSavings} FROM pattern_ledger.savings_rollup_${level}`,
    ),
    live: null,
    fresh:
      sql.raw(`SELECT ${level === 'hourly' ? hour('saved_at') : day('saved_at')}, optimization_type::text, pattern_id::bigint,
        ${savingsSums} FROM cost_savings_log WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3`),
  })),
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `savings_type_rollup_${level}`,
    stored: sql.raw(
      `SELECT bucket, optimization_type, ${storedSavings} FROM pattern_ledger.savings_type_rollup_${level}`,
    ),
    live: null,
    fresh:
      sql.raw(`SELECT ${level === 'hourly' ? hour('saved_at') : day('saved_at')}, optimization_type::text,
        ${savingsSums} FROM cost_savings_log WHERE saved_at IS NOT NULL GROUP BY 1, 2`),
  })),
  {
    table: 'savings_rollup_total',
    stored: sql.raw(
      `SELECT optimization_type, pattern_id, ${storedSavings}, undated FROM pattern_ledger.savings_rollup_total`,
    ),
    live: sql`SELECT optimization_type, pattern_id, entries, tokens_saved, round(cost_saved_usd, 9), baseline_tokens,
        actual_tokens, undated FROM ${liveSavingsTotals()} t`,
    fresh: sql.raw(`SELECT optimization_type::text, pattern_id::bigint, ${savingsSums},
        count(*) FILTER (WHERE saved_at IS NULL)::int FROM cost_savings_log GROUP BY 1, 2`),
  },
  {
    table: 'similarity_scale_rollup',
    stored: sql.raw(
      `SELECT pattern_id, ratio_rows, percent_rows FROM pattern_ledger.similarity_scale_rollup`,
    ),
    live: sql`SELECT pattern_id, ratio_rows, percent_rows FROM ${liveSimilarityScales()} s`,
    fresh: sql.raw(`SELECT pattern_id::bigint, count(*) FILTER (WHERE similarity_score <= 1)::int,
        count(*) FILTER (WHERE similarity_score > 1 AND similarity_score::text NOT IN ('NaN', 'Infinity'))::int
      FROM pattern_occurrences WHERE similarity_score > 0 GROUP BY 1
      HAVING count(*) FILTER (WHERE similarity_score <= 1 OR similarity_score::text NOT IN ('NaN', 'Infinity')) > 0`),
  },
  {
    // Counted afresh per hour by the folder; live reads are checked over spans (characteristicDifferences).
    table: 'characteristic_rollup_hourly',
    stored: sql.raw(
      `SELECT key, bucket, value, occurrences FROM pattern_ledger.characteristic_rollup_hourly`,
    ),
    live: null,
    fresh:
      sql.raw(`SELECT e.key, date_trunc('hour', o.detected_at)::timestamp, pattern_ledger.characteristic_value(e.value),
        count(*)::int
      FROM pattern_occurrences o
      CROSS JOIN LATERAL (SELECT CASE WHEN o.matched_characteristics IS NOT NULL
        AND NOT pattern_ledger.json_invalid(o.matched_characteristics)
        AND jsonb_typeof(o.matched_characteristics::text::jsonb) = 'object'
        THEN o.matched_characteristics::text::jsonb END AS object) j
      CROSS JOIN LATERAL jsonb_each(j.object) e
      WHERE o.detected_at IS NOT NULL AND isfinite(o.detected_at) GROUP BY 1, 2, 3`),
  },
  {
    // Row-local checks evaluated on every row, and savings whose tool call id has no tool_calls row.
    table: 'data_quality_defect',
    stored: sql.raw(`SELECT check_id, row_id FROM pattern_ledger.data_quality_defect`),
    live: sql`SELECT check_id, row_id FROM ${liveDefects()} d`,
    fresh: sql`SELECT unnest(${occurrenceDefects}), o.id::bigint FROM pattern_occurrences o
      UNION ALL SELECT unnest(${savingsDefects}), c.id::bigint FROM cost_savings_log c
      UNION ALL SELECT 'savings-without-tool-call', s.id::bigint FROM cost_savings_log s
        WHERE s.tool_call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id::text = s.tool_call_id::text)`,
  },
  {
    table: 'workflow_rollup',
    stored:
      sql.raw(`SELECT workflow_id, occurrences, patterns, first_detected, last_detected, entries, tokens_saved,
        ${r9('cost_saved_usd')}, first_saved, last_saved, undated, first_at, last_at, has_history
      FROM pattern_ledger.workflow_rollup`),
    live: sql`SELECT workflow_id, occurrences, patterns, first_detected, last_detected, entries, tokens_saved,
        round(cost_saved_usd, 9), first_saved, last_saved, undated, first_at, last_at, has_history FROM ${liveWorkflows()} w`,
    fresh: sql.raw(workflowFresh),
  },
];

/**
 * Every declared rollup, unnamed: its stored rows (or its live ones, stored plus the journal)
 * against its declaration counted afresh over the raw rows. Floats and money rounded to 9 places.
 */
const DECLARED: Rollup[] = DECLARED_ROLLUPS.map((declared) => {
  const columns = sql.raw(
    [
      ...declared.keys.map((key) => key.name),
      ...declared.figures.map((figure) =>
        figure.type === 'float8' || figure.type === 'numeric'
          ? `round(${figure.name}::numeric, 9)`
          : figure.name,
      ),
    ].join(', '),
  );
  return {
    table: `${declared.table} (declared)`,
    stored: sql`SELECT ${columns} FROM ${tableOf(declared)}`,
    live: sql`SELECT ${columns} FROM (${liveDefinition(declared)}) l`,
    fresh: sql`SELECT ${columns} FROM (${freshRows(declared)}) f`,
  };
});

/** Rows that only one side has, per rollup (empty when every rollup is exact). */
export async function differences(
  db: Database,
  side: 'live' | 'stored',
): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const rollup of [...DECLARED, ...ROLLUPS]) {
    const mine = side === 'live' ? rollup.live : rollup.stored;
    if (!mine) continue;
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`(SELECT 'rollup only' AS side, * FROM ((${mine}) EXCEPT ALL (${rollup.fresh})) a)
        UNION ALL (SELECT 'raw only', * FROM ((${rollup.fresh}) EXCEPT ALL (${mine})) b) LIMIT 6`,
    );
    if (rows.length > 0) found[rollup.table] = rows;
  }
  return found;
}

/** Occurrences and savings over random spans, read the way pages read them, against raw sums. */
export async function spanDifferences(db: Database, random: Random): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < 4; i++) {
    const from = BASE - DAY + random.int(6) * 30 * MINUTE * random.int(12);
    const spans = Array.from({ length: 1 + random.int(3) }, (_, k) => ({
      key: k,
      from: from + k * 26 * HOUR,
      to: from + k * 26 * HOUR + random.pick([45 * MINUTE, 5 * HOUR, 25 * HOUR + 30 * MINUTE]),
    }));
    const within = (column: string) =>
      spans
        .map(
          (s) =>
            `WHEN ${column} >= '${iso(s.from)}'::timestamp AND ${column} < '${iso(s.to)}'::timestamp THEN ${s.key}`,
        )
        .join(' ');
    const rows = await queryRows<{ what: string }>(
      db,
      sql`WITH o AS (SELECT key::int AS key, pattern_id::bigint AS p, sum(occurrences)::int AS n,
            round(sum(similarity_sum)::numeric, 9) AS s, round(min(similarity_min)::numeric, 9) AS m
            FROM ${occurrencePieces(spans, undefined, 'pattern', { minimum: true })} x GROUP BY 1, 2 HAVING sum(occurrences) <> 0),
          ro AS (SELECT (CASE ${sql.raw(within('detected_at'))} END) AS key, pattern_id::bigint AS p, count(*)::int AS n,
            round(coalesce(sum(${sql.raw(sim)}), 0)::numeric, 9) AS s, round(min(${sql.raw(sim)})::numeric, 9) AS m
            FROM pattern_occurrences GROUP BY 1, 2),
          s AS (SELECT key::int AS key, pattern_id::bigint AS p, optimization_type AS type, sum(entries)::int AS n,
            round(sum(cost_saved_usd), 9) AS u, sum(tokens_saved) AS t
            FROM ${savingsPieces(spans)} x GROUP BY 1, 2, 3 HAVING sum(entries) <> 0),
          rs AS (SELECT (CASE ${sql.raw(within('saved_at'))} END) AS key, pattern_id::bigint AS p, optimization_type::text AS type,
            count(*)::int AS n, round(coalesce(sum(${sql.raw(usd('cost_saved_usd'))}), 0), 9) AS u,
            coalesce(sum(tokens_saved::numeric), 0) AS t FROM cost_savings_log GROUP BY 1, 2, 3)
        SELECT 'occurrences ' || x::text AS what FROM (
          (SELECT * FROM o EXCEPT ALL SELECT * FROM ro WHERE key IS NOT NULL)
          UNION ALL (SELECT * FROM ro WHERE key IS NOT NULL EXCEPT ALL SELECT * FROM o)) x
        UNION ALL
        SELECT 'savings ' || y::text FROM (
          (SELECT * FROM s EXCEPT ALL SELECT * FROM rs WHERE key IS NOT NULL)
          UNION ALL (SELECT * FROM rs WHERE key IS NOT NULL EXCEPT ALL SELECT * FROM s)) y
        LIMIT 6`,
    );
    problems.push(...rows.map((row) => `${JSON.stringify(spans)}: ${row.what}`));
    problems.push(...(await characteristicDifferences(db, spans, within('detected_at'))));
  }
  return problems;
}

/** Keys of matched_characteristics the walk writes (tests/rollups.test.ts). */
const CHARACTERISTIC_KEYS = ['keywords', 'edited', 'complexity'];

/** Occurrences by a characteristic's value over the spans against the raw rows, NULL for unset. */
async function characteristicDifferences(
  db: Database,
  spans: { key: number; from: number; to: number }[],
  within: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const key of CHARACTERISTIC_KEYS) {
    const object = sql`(matched_characteristics::text)::jsonb`;
    const rows = await queryRows<{ what: string }>(
      db,
      sql`WITH c AS (SELECT key::int AS key, value, n FROM ${characteristicPieces(spans, key)} x),
          rc AS (SELECT (CASE ${sql.raw(within)} END) AS key,
            CASE WHEN matched_characteristics IS NOT NULL AND NOT pattern_ledger.json_invalid(matched_characteristics)
              AND jsonb_typeof(${object}) = 'object'
              THEN pattern_ledger.characteristic_value(${object} -> ${key}) END AS value, count(*)::int AS n
            FROM pattern_occurrences GROUP BY 1, 2)
        SELECT ${key} || ' ' || x::text AS what FROM (
          (SELECT * FROM c EXCEPT ALL SELECT * FROM rc WHERE key IS NOT NULL)
          UNION ALL (SELECT * FROM rc WHERE key IS NOT NULL EXCEPT ALL SELECT * FROM c)) x LIMIT 6`,
    );
    problems.push(...rows.map((row) => `${JSON.stringify(spans)}: characteristic ${row.what}`));
  }
  return problems;
}

/** Live figures exact now, and the stored ones exact once folded (journals then empty). */
export async function expectExact(db: Database, random: Random, label: string) {
  expect(await differences(db, 'live'), `live, ${label}`).toEqual({});
  expect(await spanDifferences(db, random), `spans, ${label}`).toEqual([]);
  await foldChanges(db);
  expect(await pendingChanges(db), `journals after a fold, ${label}`).toBe(0);
  expect(await differences(db, 'stored'), `stored, ${label}`).toEqual({});
}
