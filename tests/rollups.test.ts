/**
 * The rollups of migrations 0006–0007 against fresh aggregates of the raw rows, after random
 * inserts, updates (moves between patterns, workflows and times, nulls) and deletes written
 * straight into the tables, as other programs would, and after concurrent writers.
 */
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { bucketSpans, occurrencePieces, savingsPieces, splitSpans } from '@/db/queries/rollup';
import { queryRows } from '@/db/sql';
import { describeEachDatabase } from './support/databases';

/** A small deterministic generator, so that a failure can be replayed from its seed. */
function generator(seed: number) {
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
type Random = ReturnType<typeof generator>;

const ratio = (column: string) => `pattern_ledger_ratio(${column})`;
const r9 = (expression: string) => `round((${expression})::numeric, 9)`;

/** Each rollup beside the same figures computed from the raw rows now. */
const ROLLUPS: { table: string; stored: string; fresh: string }[] = [
  {
    table: 'occurrence_rollup_hourly',
    stored: `SELECT pattern_id, bucket, occurrences, scored, ${r9('similarity_sum')}, ${r9('similarity_min')} FROM occurrence_rollup_hourly`,
    fresh: `SELECT pattern_id, date_trunc('hour', detected_at), count(*)::int, count(similarity_score)::int,
        ${r9(`coalesce(sum(${ratio('similarity_score')}), 0)`)}, ${r9(`min(${ratio('similarity_score')})`)}
      FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1, 2`,
  },
  {
    table: 'occurrence_rollup_daily',
    stored: `SELECT pattern_id, bucket, occurrences, scored, ${r9('similarity_sum')}, ${r9('similarity_min')} FROM occurrence_rollup_daily`,
    fresh: `SELECT pattern_id, date_trunc('day', detected_at), count(*)::int, count(similarity_score)::int,
        ${r9(`coalesce(sum(${ratio('similarity_score')}), 0)`)}, ${r9(`min(${ratio('similarity_score')})`)}
      FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1, 2`,
  },
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `occurrence_all_rollup_${level}`,
    stored: `SELECT bucket, occurrences, scored, ${r9('similarity_sum')}, ${r9('similarity_min')} FROM occurrence_all_rollup_${level}`,
    fresh: `SELECT date_trunc('${level === 'hourly' ? 'hour' : 'day'}', detected_at), count(*)::int, count(similarity_score)::int,
        ${r9(`coalesce(sum(${ratio('similarity_score')}), 0)`)}, ${r9(`min(${ratio('similarity_score')})`)}
      FROM pattern_occurrences WHERE detected_at IS NOT NULL GROUP BY 1`,
  })),
  {
    table: 'occurrence_rollup_total',
    stored: `SELECT pattern_id, occurrences, undated, scored, ${r9('similarity_sum')}, ${r9('similarity_min')}, workflows FROM occurrence_rollup_total`,
    fresh: `SELECT pattern_id, count(*)::int, count(*) FILTER (WHERE detected_at IS NULL)::int, count(similarity_score)::int,
        ${r9(`coalesce(sum(${ratio('similarity_score')}), 0)`)}, ${r9(`min(${ratio('similarity_score')})`)},
        count(DISTINCT workflow_id)::int
      FROM pattern_occurrences GROUP BY 1`,
  },
  {
    table: 'pattern_workflow_rollup',
    stored: `SELECT pattern_id, workflow_id, occurrences FROM pattern_workflow_rollup`,
    fresh: `SELECT pattern_id, workflow_id, count(*)::int FROM pattern_occurrences GROUP BY 1, 2`,
  },
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `savings_rollup_${level}`,
    stored: `SELECT bucket, optimization_type, pattern_id, entries, tokens_saved, ${r9('cost_saved_usd')}, baseline_tokens, actual_tokens
      FROM savings_rollup_${level}`,
    fresh: `SELECT date_trunc('${level === 'hourly' ? 'hour' : 'day'}', saved_at), optimization_type::text, pattern_id, count(*)::int,
        coalesce(sum(tokens_saved), 0)::bigint, ${r9('coalesce(sum(cost_saved_usd::float8), 0)')},
        coalesce(sum(baseline_tokens), 0)::bigint, coalesce(sum(actual_tokens), 0)::bigint
      FROM cost_savings_log WHERE saved_at IS NOT NULL GROUP BY 1, 2, 3`,
  })),
  ...(['hourly', 'daily'] as const).map((level) => ({
    table: `savings_type_rollup_${level}`,
    stored: `SELECT bucket, optimization_type, entries, tokens_saved, ${r9('cost_saved_usd')}, baseline_tokens, actual_tokens
      FROM savings_type_rollup_${level}`,
    fresh: `SELECT date_trunc('${level === 'hourly' ? 'hour' : 'day'}', saved_at), optimization_type::text, count(*)::int,
        coalesce(sum(tokens_saved), 0)::bigint, ${r9('coalesce(sum(cost_saved_usd::float8), 0)')},
        coalesce(sum(baseline_tokens), 0)::bigint, coalesce(sum(actual_tokens), 0)::bigint
      FROM cost_savings_log WHERE saved_at IS NOT NULL GROUP BY 1, 2`,
  })),
  {
    table: 'savings_rollup_total',
    stored: `SELECT optimization_type, pattern_id, entries, undated, tokens_saved, ${r9('cost_saved_usd')}, baseline_tokens, actual_tokens
      FROM savings_rollup_total`,
    fresh: `SELECT optimization_type::text, pattern_id, count(*)::int, count(*) FILTER (WHERE saved_at IS NULL)::int,
        coalesce(sum(tokens_saved), 0)::bigint, ${r9('coalesce(sum(cost_saved_usd::float8), 0)')},
        coalesce(sum(baseline_tokens), 0)::bigint, coalesce(sum(actual_tokens), 0)::bigint
      FROM cost_savings_log GROUP BY 1, 2`,
  },
  {
    table: 'similarity_scale_rollup',
    stored: `SELECT pattern_id, ratio_rows, percent_rows FROM similarity_scale_rollup`,
    fresh: `SELECT pattern_id, count(*) FILTER (WHERE similarity_score <= 1)::int, count(*) FILTER (WHERE similarity_score > 1)::int
      FROM pattern_occurrences WHERE similarity_score > 0 GROUP BY 1`,
  },
  {
    // The data-quality defects: row-local ones re-evaluated on every row, and savings whose tool
    // call id has no tool_calls row.
    table: 'data_quality_defect',
    stored: `SELECT check_id, row_id FROM data_quality_defect`,
    fresh: `SELECT unnest(pattern_ledger_occurrence_defects(matched_characteristics::text, similarity_score::float8)), id
        FROM pattern_occurrences
      UNION ALL
      SELECT unnest(pattern_ledger_savings_defects(tokens_saved::bigint, baseline_tokens::bigint, actual_tokens::bigint,
          cost_saved_usd::float8)), id
        FROM cost_savings_log
      UNION ALL
      SELECT 'savings-without-tool-call', s.id FROM cost_savings_log s
        WHERE s.tool_call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id)`,
  },
  {
    table: 'workflow_rollup.has_history',
    stored: `SELECT workflow_id, has_history FROM workflow_rollup`,
    fresh: `SELECT w.workflow_id, EXISTS (SELECT 1 FROM workflow_history h WHERE h.adw_id = w.workflow_id OR h.workflow_id = w.workflow_id)
      FROM (SELECT workflow_id FROM pattern_occurrences UNION SELECT workflow_id FROM cost_savings_log) w`,
  },
  {
    table: 'workflow_rollup',
    stored: `SELECT workflow_id, occurrences, patterns, first_detected, last_detected, entries, tokens_saved, ${r9('cost_saved_usd')},
        first_saved, last_saved, undated, first_at, last_at FROM workflow_rollup`,
    fresh: `SELECT w.workflow_id, coalesce(o.n, 0), coalesce(o.patterns, 0), o.first_detected, o.last_detected,
        coalesce(s.entries, 0), coalesce(s.tokens, 0)::bigint, ${r9('coalesce(s.usd, 0)')}, s.first_saved, s.last_saved,
        (coalesce(o.undated, 0) + coalesce(s.undated, 0))::int,
        least(o.first_detected, s.first_saved), greatest(o.last_detected, s.last_saved)
      FROM (SELECT workflow_id FROM pattern_occurrences UNION SELECT workflow_id FROM cost_savings_log) w
      LEFT JOIN (SELECT workflow_id, count(*)::int AS n, count(DISTINCT pattern_id)::int AS patterns,
          count(*) FILTER (WHERE detected_at IS NULL) AS undated, min(detected_at) AS first_detected, max(detected_at) AS last_detected
        FROM pattern_occurrences GROUP BY 1) o USING (workflow_id)
      LEFT JOIN (SELECT workflow_id, count(*)::int AS entries, sum(tokens_saved) AS tokens, sum(cost_saved_usd::float8) AS usd,
          count(*) FILTER (WHERE saved_at IS NULL) AS undated, min(saved_at) AS first_saved, max(saved_at) AS last_saved
        FROM cost_savings_log GROUP BY 1) s USING (workflow_id)`,
  },
];

/** Rows that only one side has, per rollup (empty when every rollup is exact). */
async function differences(db: Database): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const rollup of ROLLUPS) {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql.raw(`(SELECT 'stored only' AS side, * FROM ((${rollup.stored}) EXCEPT ALL (${rollup.fresh})) a)
        UNION ALL (SELECT 'raw only', * FROM ((${rollup.fresh}) EXCEPT ALL (${rollup.stored})) b) LIMIT 6`),
    );
    if (rows.length > 0) found[rollup.table] = rows;
  }
  return found;
}

const PATTERNS = 6;
const WORKFLOWS = ['wf-a', 'wf-b', 'wf-c', 'adw-d', 'adw-e', 'wf-f', 'wf-g'];
const TYPES = ['tool_call', 'input_split', 'pattern_offload', 'inverted_flow'];
const TOOL_CALLS = ['tc-1', 'tc-2', 'tc-3', 'tc-4'];
const BASE = Date.parse('2026-03-01T00:00:00Z');

/** Times that cluster on hour and day edges (and +05:30 half hours), sometimes none. */
function randomTime(random: Random): SQL {
  if (random.next() < 0.06) return sql`NULL`;
  const edge = random.pick([0, 30 * 60_000, 60 * 60_000, 24 * 3_600_000, 18.5 * 3_600_000]);
  const offset =
    random.int(4) * 24 * 3_600_000 + edge + random.pick([-1, 0, 1, 0, 59_999, -60_001]) * 1000;
  return sql`${new Date(BASE + offset).toISOString().replace('Z', '')}::timestamp`;
}

function randomSimilarity(random: Random): SQL {
  const value = random.pick([null, 0, 0.5, 0.73, 0.91, 1, 88, 100, -1, 150]);
  return value === null ? sql`NULL` : sql`${value}::real`;
}

async function patternIds(db: Database): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`SELECT id FROM operation_patterns WHERE pattern_signature LIKE 'rollup:%' ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

async function insertOccurrences(db: Database, random: Random, ids: number[]) {
  const rows = Array.from(
    { length: 1 + random.int(12) },
    () =>
      sql`(${random.pick(ids)}, ${random.pick(WORKFLOWS)}, ${randomSimilarity(random)},
        ${random.pick(['{}', '{"keywords": ["a"]}', '{"cut": ', null])}, ${randomTime(random)})`,
  );
  await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at)
    VALUES ${sql.join(rows, sql`, `)}`);
}

async function insertSavings(db: Database, random: Random, ids: number[]) {
  const rows = Array.from({ length: 1 + random.int(8) }, () => {
    const baseline = random.int(5000);
    const actual = random.int(2000);
    const pattern = random.next() < 0.3 ? sql`NULL` : sql`${random.pick(ids)}`;
    const tokens = random.next() < 0.1 ? sql`NULL` : sql`${baseline - actual}`;
    return sql`(${random.pick(TYPES)}, ${random.pick(WORKFLOWS)}, ${pattern}, ${baseline}, ${actual}, ${tokens},
      ${Math.round(random.next() * 10_000) / 1000}::real, ${randomTime(random)}, ${random.pick([null, ...TOOL_CALLS])})`;
  });
  await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens,
      tokens_saved, cost_saved_usd, saved_at, tool_call_id)
    VALUES ${sql.join(rows, sql`, `)}`);
}

/** A random subset of rows: those whose id falls in a random residue class. */
function someRows(random: Random): SQL {
  const modulus = 2 + random.int(5);
  return sql`id % ${modulus} = ${random.int(modulus)}`;
}

async function updateOccurrences(db: Database, random: Random, ids: number[]) {
  const change = random.pick([
    sql`pattern_id = ${random.pick(ids)}`,
    sql`workflow_id = ${random.pick(WORKFLOWS)}`,
    sql`detected_at = ${randomTime(random)}`,
    sql`detected_at = detected_at + interval '37 minutes'`,
    sql`similarity_score = ${randomSimilarity(random)}`,
    sql`matched_characteristics = ${random.pick(['{"edited": true}', '{"edited": '])}`,
    sql`pattern_id = ${random.pick(ids)}, detected_at = ${randomTime(random)}, workflow_id = ${random.pick(WORKFLOWS)}`,
  ]);
  await db.execute(sql`UPDATE pattern_occurrences SET ${change} WHERE ${someRows(random)}`);
}

async function updateSavings(db: Database, random: Random, ids: number[]) {
  const change = random.pick([
    sql`pattern_id = ${random.next() < 0.3 ? null : random.pick(ids)}`,
    sql`optimization_type = ${random.pick(TYPES)}`,
    sql`saved_at = ${randomTime(random)}`,
    sql`cost_saved_usd = cost_saved_usd * 2, tokens_saved = NULL`,
    sql`tokens_saved = -tokens_saved, cost_saved_usd = cost_saved_usd * 100`,
    sql`tokens_saved = baseline_tokens - actual_tokens`,
    sql`workflow_id = ${random.pick(WORKFLOWS)}`,
    sql`notes = 'annotated'`,
    sql`tool_call_id = ${random.pick([null, ...TOOL_CALLS])}`,
  ]);
  await db.execute(sql`UPDATE cost_savings_log SET ${change} WHERE ${someRows(random)}`);
}

/** workflow_history rows come, go, change ids or only their status, as runs are recorded. */
async function changeHistory(db: Database, random: Random) {
  const adw = random.pick(WORKFLOWS);
  const other = random.pick([null, ...WORKFLOWS]);
  const change = random.pick([
    sql`INSERT INTO workflow_history (adw_id, workflow_id) VALUES (${adw}, ${other})
      ON CONFLICT (adw_id) DO NOTHING`,
    sql`DELETE FROM workflow_history WHERE adw_id = ${adw}`,
    sql`UPDATE workflow_history SET workflow_id = ${other} WHERE adw_id = ${adw}`,
    sql`UPDATE workflow_history SET status = 'completed' WHERE adw_id = ${adw}`,
  ]);
  await db.execute(change);
}

/** tool_calls rows come, go and change id, as the writing system's own table does. */
async function changeToolCalls(db: Database, random: Random) {
  const id = random.pick(TOOL_CALLS);
  const target = random.pick(TOOL_CALLS);
  const change = random.pick([
    sql`INSERT INTO tool_calls (tool_call_id, workflow_id, tool_name) VALUES (${id}, 'wf-a', 'pytest')
      ON CONFLICT (tool_call_id) DO NOTHING`,
    sql`DELETE FROM tool_calls WHERE tool_call_id = ${id}`,
    sql`UPDATE tool_calls SET tool_call_id = ${target} WHERE tool_call_id = ${id}
      AND NOT EXISTS (SELECT 1 FROM tool_calls WHERE tool_call_id = ${target})`,
  ]);
  await db.execute(change);
}

describeEachDatabase('rollups', {}, (get) => {
  it('equal fresh aggregates after random inserts, updates and deletes', async () => {
    const { db } = get();
    await db.execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type)
      SELECT 'rollup:' || n, 'test' FROM generate_series(1, ${PATTERNS}) n`);
    const ids = await patternIds(db);
    let withHistorySeen = 0;
    for (const seed of [7, 19, 2026]) {
      const random = generator(seed);
      for (let step = 0; step < 40; step++) {
        const operation = random.pick([
          insertOccurrences,
          insertOccurrences,
          insertSavings,
          insertSavings,
          updateOccurrences,
          updateSavings,
          changeToolCalls,
          changeHistory,
          async (d: Database, r: Random) =>
            d.execute(sql`DELETE FROM pattern_occurrences WHERE ${someRows(r)}`),
          async (d: Database, r: Random) =>
            d.execute(sql`DELETE FROM cost_savings_log WHERE ${someRows(r)}`),
        ]);
        await operation(db, random, ids);
        if (step % 10 === 9) {
          expect(await differences(db), `seed ${seed}, step ${step}`).toEqual({});
          const [seen] = await queryRows<{ n: number }>(
            db,
            sql`SELECT count(*)::int AS n FROM workflow_rollup WHERE has_history`,
          );
          withHistorySeen = Math.max(withHistorySeen, seen!.n);
        }
      }
    }
    const [counts] = await queryRows<{ occurrences: number; savings: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences, (SELECT count(*) FROM cost_savings_log)::int AS savings`,
    );
    // The walk left rows (and defective ones) behind, so the comparisons compared something.
    expect(counts!.occurrences).toBeGreaterThan(0);
    expect(counts!.savings).toBeGreaterThan(0);
    const checks = await queryRows<{ check_id: string }>(
      db,
      sql`SELECT DISTINCT check_id FROM data_quality_defect`,
    );
    expect(checks.map((c) => c.check_id)).toEqual(
      expect.arrayContaining([
        'invalid-json',
        'tokens-mismatch',
        'implausible:cost_savings_log.tokens_saved',
        'savings-without-tool-call',
      ]),
    );
    // A workflow seen for the first time without a history row, then given one.
    await db.execute(
      sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (${ids[0]!}, 'wf-new')`,
    );
    expect(await differences(db)).toEqual({});
    // The walk gave some workflows a history row at some point.
    expect(withHistorySeen).toBeGreaterThan(0);
    const [without] = await queryRows<{ has_history: boolean }>(
      db,
      sql`SELECT has_history FROM workflow_rollup WHERE workflow_id = 'wf-new'`,
    );
    expect(without!.has_history).toBe(false);
    await db.execute(sql`INSERT INTO workflow_history (adw_id) VALUES ('wf-new')`);
    expect(await differences(db)).toEqual({});
    const [flag] = await queryRows<{ has_history: boolean }>(
      db,
      sql`SELECT has_history FROM workflow_rollup WHERE workflow_id = 'wf-new'`,
    );
    expect(flag!.has_history).toBe(true);
  });

  it('stay exact under concurrent writers to the same patterns and workflows', async () => {
    const { db } = get();
    const ids = await patternIds(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) =>
        db.transaction(async (tx) => {
          const random = generator(100 + writer);
          for (let step = 0; step < 6; step++) {
            const operation = random.pick([
              insertOccurrences,
              insertSavings,
              updateOccurrences,
              updateSavings,
              changeToolCalls,
              changeHistory,
              async (d: Database, r: Random) =>
                d.execute(sql`DELETE FROM pattern_occurrences WHERE ${someRows(r)}`),
            ]);
            await operation(tx, random, ids);
          }
        }),
      ),
    );
    // Writers that lock the same patterns in different statements may deadlock; PostgreSQL then
    // aborts one, which must leave the rollups as exact as the others did.
    const failures = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [String((o.reason as { cause?: unknown }).cause ?? o.reason)] : [],
    );
    for (const failure of failures) expect(failure).toMatch(/deadlock/);
    expect(failures.length).toBeLessThan(outcomes.length);
    expect(await differences(db)).toEqual({});
  });

  it('read the trailing partial hour from its rollup only while no row of that hour lies past the end', async () => {
    const { db } = get();
    const [pattern] = await patternIds(db);
    const at = (iso: string) => sql`${iso}::timestamp`;
    await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
      VALUES (${pattern}, 'edge-1', 0.5, ${at('2027-01-05 10:05')}), (${pattern}, 'edge-2', 0.9, ${at('2027-01-05 10:20')}),
             (${pattern}, 'edge-3', 0.7, ${at('2027-01-04 23:10')})`);
    await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens,
        tokens_saved, cost_saved_usd, saved_at)
      VALUES ('tool_call', 'edge-1', ${pattern}, 10, 4, 6, 1.5, ${at('2027-01-05 10:10')})`);
    const spans = [
      { key: 7, from: Date.parse('2027-01-04T23:30:00Z'), to: Date.parse('2027-01-05T10:30:00Z') },
    ];
    const figures = async () => {
      const [row] = await queryRows<{
        n: number;
        sim: number;
        usd: number;
        raw: number;
        rawSim: number;
        rawUsd: number;
      }>(
        db,
        sql`SELECT (SELECT sum(n)::int FROM ${occurrencePieces(spans)} p WHERE key = 7) AS n,
            (SELECT sum(sim_sum) FROM ${occurrencePieces(spans)} p) AS sim,
            (SELECT sum(usd) FROM ${savingsPieces(spans)} p WHERE key = 7) AS usd,
            (SELECT count(*)::int FROM pattern_occurrences
              WHERE detected_at >= '2027-01-04 23:30' AND detected_at < '2027-01-05 10:30') AS raw,
            (SELECT sum(pattern_ledger_ratio(similarity_score)) FROM pattern_occurrences
              WHERE detected_at >= '2027-01-04 23:30' AND detected_at < '2027-01-05 10:30') AS "rawSim",
            (SELECT coalesce(sum(cost_saved_usd::float8), 0) FROM cost_savings_log
              WHERE saved_at >= '2027-01-04 23:30' AND saved_at < '2027-01-05 10:30') AS "rawUsd"`,
      );
      return row!;
    };
    // Nothing after 10:30 in the 10:00 hour: the hour's rollup answers for [10:00, 10:30).
    expect(await figures()).toMatchObject({ n: 2, raw: 2, usd: 1.5, rawUsd: 1.5 });
    const similarity = await figures();
    expect(similarity.sim).toBeCloseTo(similarity.rawSim, 9);
    // It is the rollup that answered: a figure planted in that hour's rollup row shows (taken out
    // again at the end).
    await db.execute(sql`UPDATE occurrence_rollup_hourly SET occurrences = occurrences + 100
      WHERE pattern_id = ${pattern} AND bucket = ${at('2027-01-05 10:00')}`);
    expect((await figures()).n).toBe(102);
    // A row at 10:45 is in that hour but past the end: the raw rows answer, and it is not counted.
    await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
      VALUES (${pattern}, 'edge-4', 0.3, ${at('2027-01-05 10:45')})`);
    await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens,
        tokens_saved, cost_saved_usd, saved_at)
      VALUES ('tool_call', 'edge-4', ${pattern}, 10, 4, 6, 2.25, ${at('2027-01-05 10:50')})`);
    // (and the planted figure no longer shows).
    expect(await figures()).toMatchObject({ n: 2, raw: 2, usd: 1.5, rawUsd: 1.5 });
    const after = await figures();
    expect(after.sim).toBeCloseTo(after.rawSim, 9);
    await db.execute(sql`UPDATE occurrence_rollup_hourly SET occurrences = occurrences - 100
      WHERE pattern_id = ${pattern} AND bucket = ${at('2027-01-05 10:00')}`);
    expect(await differences(db)).toEqual({});
  });

  it('take a bounded number of locks: one statement over 100,000 workflows succeeds', async () => {
    const { db } = get();
    // One advisory lock per workflow ran out of shared memory here (max_locks_per_transaction).
    await db.execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type)
      SELECT 'bulk:' || n, 'bulk' FROM generate_series(1, 2000) n`);
    await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
      SELECT op.id, 'bulk-wf-' || n, 0.8, timestamp '2027-02-01' + make_interval(mins => n)
      FROM generate_series(1, 100000) n
      JOIN operation_patterns op ON op.pattern_signature = 'bulk:' || (1 + n % 2000)`);
    expect(await differences(db)).toEqual({});
  });

  it('follow TRUNCATE', async () => {
    const { db } = get();
    await db.execute(sql`TRUNCATE pattern_occurrences`);
    expect(await differences(db)).toEqual({});
    await db.execute(sql`TRUNCATE cost_savings_log`);
    expect(await differences(db)).toEqual({});
    await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, tool_call_id)
      VALUES ('tool_call', 'wf-a', 'tc-1')`);
    await db.execute(sql`TRUNCATE tool_calls`);
    expect(await differences(db)).toEqual({});
    await db.execute(
      sql`INSERT INTO workflow_history (adw_id) VALUES ('wf-a') ON CONFLICT DO NOTHING`,
    );
    expect(await differences(db)).toEqual({});
    await db.execute(sql`TRUNCATE workflow_history`);
    expect(await differences(db)).toEqual({});
    await db.execute(sql`TRUNCATE cost_savings_log`);
    const [left] = await queryRows<{ n: number }>(
      db,
      sql`SELECT ((SELECT count(*) FROM occurrence_rollup_total) + (SELECT count(*) FROM occurrence_all_rollup_daily)
        + (SELECT count(*) FROM savings_type_rollup_daily) + (SELECT count(*) FROM workflow_rollup)
        + (SELECT count(*) FROM data_quality_defect) + (SELECT count(*) FROM similarity_scale_rollup))::int AS n`,
    );
    expect(left!.n).toBe(0);
  });
});

describe('rollup spans', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const at = (iso: string) => Date.parse(iso);

  it('cut a span into whole days, whole hours and raw edges that cover it exactly once', () => {
    const random = generator(42);
    for (let i = 0; i < 500; i++) {
      const from = at('2026-01-01T00:00:00Z') + random.int(40) * DAY + random.int(DAY);
      const to =
        from + random.pick([0, 1, 59 * 60_000, HOUR, 5.5 * HOUR, DAY, 3 * DAY + 17 * 60_000]);
      const pieces = splitSpans([{ key: 1, from, to }]);
      const all = [...pieces.day, ...pieces.hour, ...pieces.raw].sort((a, b) => a.from - b.from);
      let cursor = from;
      for (const piece of all) {
        expect(piece.from).toBe(cursor);
        expect(piece.to).toBeGreaterThan(piece.from);
        cursor = piece.to;
      }
      expect(cursor).toBe(from === to ? from : to);
      for (const day of pieces.day) expect([day.from % DAY, day.to % DAY]).toEqual([0, 0]);
      for (const hour of pieces.hour) expect([hour.from % HOUR, hour.to % HOUR]).toEqual([0, 0]);
      for (const raw of pieces.raw) expect(raw.to - raw.from).toBeLessThan(2 * HOUR);
    }
  });

  it('read an Asia/Kolkata day as 23 whole hours and two raw half hours', () => {
    const pieces = splitSpans([
      { key: 0, from: at('2026-03-01T18:30:00Z'), to: at('2026-03-02T18:30:00Z') },
    ]);
    expect(pieces.day).toEqual([]);
    expect(pieces.raw.map((p) => (p.to - p.from) / 60_000)).toEqual([30, 30]);
    expect(pieces.hour.reduce((sum, p) => sum + (p.to - p.from), 0)).toBe(23 * HOUR);
  });

  it('clip bucket spans to the range', () => {
    const spans = bucketSpans(
      [at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z')],
      new Date('2026-03-01T06:00:00Z'),
      new Date('2026-03-02T12:00:00Z'),
    );
    expect(spans).toEqual([
      {
        key: at('2026-03-01T00:00:00Z'),
        from: at('2026-03-01T06:00:00Z'),
        to: at('2026-03-02T00:00:00Z'),
      },
      {
        key: at('2026-03-02T00:00:00Z'),
        from: at('2026-03-02T00:00:00Z'),
        to: at('2026-03-02T12:00:00Z'),
      },
    ]);
  });
});
