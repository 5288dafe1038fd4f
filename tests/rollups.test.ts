/**
 * The rollups against fresh aggregates of the raw rows, on every column-type shape: after random
 * inserts, updates (moves between patterns, workflows and times; nulls; NaN and infinities) and
 * deletes written straight into the tables as the agents write them, with concurrent writers and
 * folders, bulk statements and TRUNCATE. Checked twice each time: the live figures before any fold
 * (stored rollups plus the journals), then the stored rollups after a fold, with the journals empty.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db/types';
import { databaseErrorInfo } from '@/db/errors';
import { bucketSpans, occurrencePieces, savingsPieces, splitSpans } from '@/db/queries/rollup';
import { foldChanges } from '@/db/rollups/runner';
import { liveWorkflows } from '@/db/rollups/views';
import { queryRows } from '@/db/sql';
import { createEmptyDatabase, databaseKinds, type TestDatabase } from './support/databases';
import { fingerprint } from './support/fingerprint';
import {
  BASE,
  DAY,
  differences,
  expectExact,
  generator,
  HOUR,
  iso,
  MINUTE,
  type Random,
} from './support/rollup-truth';
import { shapeStatements, takesInvalidJson, uniquePairs, type ShapeName } from './support/shapes';

const PATTERNS = 6;
const WORKFLOWS = ['wf-a', 'wf-b', 'wf-c', 'adw-d', 'adw-e', 'wf-f', 'wf-g'];
const TYPES = ['tool_call', 'input_split', 'pattern_offload', 'inverted_flow'];
const TOOL_CALLS = ['tc-1', 'tc-2', 'tc-3', 'tc-4'];

/** Values written as SQL literals, which the columns convert to their own types. */
const literal = (value: string | number | null) =>
  value === null ? sql`NULL` : sql.raw(`'${String(value).replace(/'/g, "''")}'`);

/** Times that cluster on hour and day edges (and +05:30 half hours), sometimes none or infinite. */
function randomTime(random: Random): SQL {
  const roll = random.next();
  if (roll < 0.05) return sql`NULL`;
  if (roll < 0.07) return literal(random.pick(['infinity', '-infinity']));
  const edge = random.pick([0, 30 * MINUTE, HOUR, DAY, 18.5 * HOUR]);
  const offset = random.int(4) * DAY + edge + random.pick([-1, 0, 1, 0, 59_999, -60_001]) * 1000;
  return literal(iso(BASE + offset));
}

const randomSimilarity = (random: Random) =>
  literal(random.pick([null, 0, 0.5, 0.73, 0.91, 1, 88, 100, -1, 150, 'NaN', 'Infinity']));

type Shape = { name: ShapeName; invalidJson: boolean; uniquePairs: boolean };

async function patternIds(db: Database): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`SELECT id::int FROM operation_patterns WHERE pattern_signature LIKE 'rollup:%' ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

async function insertOccurrences(db: Database, random: Random, ids: number[], shape: Shape) {
  const json = shape.invalidJson
    ? ['{}', '{"keywords": ["a"]}', '{"cut": ', null, '{"complexity": "simple", "keywords": []}']
    : ['{}', '{"keywords": ["a"]}', null, '{"complexity": "simple", "keywords": []}'];
  const rows = Array.from(
    { length: 1 + random.int(12) },
    () =>
      sql`(${random.pick(ids)}, ${literal(random.pick(WORKFLOWS))}, ${randomSimilarity(random)},
        ${literal(random.pick(json))}, ${randomTime(random)})`,
  );
  await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at)
    VALUES ${sql.join(rows, sql`, `)} ON CONFLICT DO NOTHING`);
}

async function insertSavings(db: Database, random: Random, ids: number[]) {
  const rows = Array.from({ length: 1 + random.int(8) }, () => {
    const baseline = random.int(5000);
    const actual = random.int(2000);
    const pattern = random.next() < 0.3 ? sql`NULL` : sql`${random.pick(ids)}`;
    const tokens = random.next() < 0.1 ? sql`NULL` : sql`${baseline - actual}`;
    const money = random.next() < 0.05 ? 'NaN' : Math.round(random.next() * 10_000) / 1000;
    return sql`(${random.pick(TYPES)}, ${literal(random.pick(WORKFLOWS))}, ${pattern}, ${baseline}, ${actual}, ${tokens},
      ${literal(money)}, ${randomTime(random)}, ${literal(random.pick([null, ...TOOL_CALLS]))})`;
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

async function updateOccurrences(db: Database, random: Random, ids: number[], shape: Shape) {
  const change = random.pick([
    sql`pattern_id = ${random.pick(ids)}`,
    sql`workflow_id = ${literal(random.pick(WORKFLOWS))}`,
    sql`detected_at = ${randomTime(random)}`,
    sql`detected_at = detected_at + interval '37 minutes'`,
    sql`similarity_score = ${randomSimilarity(random)}`,
    sql`matched_characteristics = ${literal(random.pick(shape.invalidJson ? ['{"edited": true}', '{"edited": '] : ['{"edited": true}']))}`,
    sql`pattern_id = ${random.pick(ids)}, detected_at = ${randomTime(random)}, workflow_id = ${literal(random.pick(WORKFLOWS))}`,
    sql`id = id + 100000`,
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
    sql`workflow_id = ${literal(random.pick(WORKFLOWS))}`,
    sql`notes = 'annotated'`,
    sql`tool_call_id = ${literal(random.pick([null, ...TOOL_CALLS]))}`,
  ]);
  await db.execute(sql`UPDATE cost_savings_log SET ${change} WHERE ${someRows(random)}`);
}

/** workflow_history rows come, go, change ids or only their status, as runs are recorded. */
async function changeHistory(db: Database, random: Random, _ids: number[], shape: Shape) {
  const adw = literal(random.pick(WORKFLOWS));
  const other = literal(random.pick([null, ...WORKFLOWS]));
  const withWorkflowId = shape.name !== 'live';
  const change = random.pick([
    withWorkflowId
      ? sql`INSERT INTO workflow_history (adw_id, workflow_id) VALUES (${adw}, ${other}) ON CONFLICT (adw_id) DO NOTHING`
      : sql`INSERT INTO workflow_history (adw_id) VALUES (${adw}) ON CONFLICT (adw_id) DO NOTHING`,
    sql`DELETE FROM workflow_history WHERE adw_id = ${adw}`,
    withWorkflowId
      ? sql`UPDATE workflow_history SET workflow_id = ${other} WHERE adw_id = ${adw}`
      : sql`UPDATE workflow_history SET adw_id = adw_id || '-renamed' WHERE adw_id = ${adw}`,
    sql`UPDATE workflow_history SET status = 'completed' WHERE adw_id = ${adw}`,
  ]);
  await db.execute(change);
}

/** tool_calls rows come, go and change id, as the writing system's own table does. */
async function changeToolCalls(db: Database, random: Random) {
  const id = literal(random.pick(TOOL_CALLS));
  const target = literal(random.pick(TOOL_CALLS));
  const change = random.pick([
    sql`INSERT INTO tool_calls (tool_call_id, workflow_id, tool_name) VALUES (${id}, 'wf-a', 'pytest')
      ON CONFLICT (tool_call_id) DO NOTHING`,
    sql`DELETE FROM tool_calls WHERE tool_call_id = ${id}`,
    sql`UPDATE tool_calls SET tool_call_id = ${target} WHERE tool_call_id = ${id}
      AND NOT EXISTS (SELECT 1 FROM tool_calls WHERE tool_call_id = ${target})`,
  ]);
  await db.execute(change);
}

type Operation = (db: Database, random: Random, ids: number[], shape: Shape) => Promise<unknown>;
const OPERATIONS: Operation[] = [
  insertOccurrences,
  insertOccurrences,
  insertSavings,
  insertSavings,
  updateOccurrences,
  updateSavings,
  changeToolCalls,
  changeHistory,
  (d, r) => d.execute(sql`DELETE FROM pattern_occurrences WHERE ${someRows(r)}`),
  (d, r) => d.execute(sql`DELETE FROM cost_savings_log WHERE ${someRows(r)}`),
];

/** Runs an operation; the agents' own constraints may refuse it (a unique pair), never ours. */
async function attempt(operation: () => Promise<unknown>) {
  try {
    await operation();
  } catch (error) {
    const { code, message } = databaseErrorInfo(error);
    // A unique pair, or a value out of the column's range (money multiplied past NUMERIC(10,4)).
    if (code === '23505' || code === '22003') return;
    throw new Error(`an agents' statement failed: ${code} ${message}`, { cause: error });
  }
}

const shapesOn = (kind: 'pglite' | 'postgres'): ShapeName[] =>
  kind === 'pglite' ? ['report'] : ['report', 'full', 'live', 'zoned'];

for (const kind of databaseKinds) {
  for (const name of shapesOn(kind)) {
    const shape: Shape = {
      name,
      invalidJson: takesInvalidJson(name),
      uniquePairs: uniquePairs(name),
    };
    describe(`rollups on the ${name} shape [${kind}]`, () => {
      let database: TestDatabase;
      let ids: number[] = [];
      beforeAll(async () => {
        database = await createEmptyDatabase(kind);
        for (const statement of shapeStatements(name))
          await database.db.execute(sql.raw(statement));
        await database.db
          .execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type)
          SELECT 'rollup:' || n, 'test' FROM generate_series(1, ${PATTERNS}) n`);
        const before = await fingerprint(database.db);
        await database.migrate();
        await database.migrate();
        // Migrating (twice) changed no row and no column type of the agents' tables.
        expect(await fingerprint(database.db)).toEqual(before);
        ids = await patternIds(database.db);
      });
      afterAll(async () => {
        await database?.dispose();
      });

      it('equal fresh aggregates after random inserts, updates and deletes, live and once folded', async () => {
        const { db } = database;
        for (const seed of [7, 19, 2026]) {
          const random = generator(seed);
          for (let step = 0; step < 40; step++) {
            const operation = random.pick(OPERATIONS);
            await attempt(() => operation(db, random, ids, shape));
            if (step % 10 === 9) await expectExact(db, random, `seed ${seed}, step ${step}`);
          }
        }
        const [counts] = await queryRows<{
          occurrences: number;
          savings: number;
          defects: string[];
        }>(
          db,
          sql`SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
            (SELECT count(*) FROM cost_savings_log)::int AS savings,
            (SELECT array_agg(DISTINCT check_id) FROM pattern_ledger.data_quality_defect) AS defects`,
        );
        // The walk left rows (and defective ones) behind, so the comparisons compared something.
        expect(counts!.occurrences).toBeGreaterThan(0);
        expect(counts!.savings).toBeGreaterThan(0);
        expect(counts!.defects).toEqual(
          expect.arrayContaining([
            'tokens-mismatch',
            'implausible:cost_savings_log.tokens_saved',
            'implausible:pattern_occurrences.similarity_score',
            'savings-without-tool-call',
            ...(shape.invalidJson ? ['invalid-json'] : []),
          ]),
        );
        // A workflow seen for the first time without a history row, then given one.
        await db.execute(
          sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (${ids[0]!}, 'wf-new')`,
        );
        await expectExact(db, generator(1), 'a new workflow');
        await db.execute(sql`INSERT INTO workflow_history (adw_id) VALUES ('wf-new')`);
        const [flag] = await queryRows<{ has: boolean }>(
          db,
          sql`SELECT has_history AS has FROM ${liveWorkflows()} w WHERE workflow_id = 'wf-new'`,
        );
        expect(flag!.has).toBe(true);
        await expectExact(db, generator(2), 'its history row');
      });

      it('stay exact under concurrent writers and folders', async () => {
        const { db } = database;
        let folding = true;
        const folder = (async () => {
          let folds = 0;
          while (folding) {
            const result = await foldChanges(db);
            if ('folded' in result) folds += 1;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          return folds;
        })();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, writer) =>
            (async () => {
              const random = generator(100 + writer);
              for (let round = 0; round < 4; round++) {
                await db.transaction(async (tx) => {
                  for (let step = 0; step < 4; step++) {
                    const operation = random.pick(OPERATIONS);
                    await operation(tx, random, ids, shape);
                  }
                });
              }
            })(),
          ),
        );
        folding = false;
        await folder;
        // The agents' own statements may deadlock on each other or hit their unique pairs:
        // never on anything of Pattern Ledger's.
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') continue;
          const { code } = databaseErrorInfo(outcome.reason);
          expect(['40P01', '23505', '22003']).toContain(code);
        }
        await expectExact(db, generator(3), 'after concurrent writers and folders');
      });

      it('read the trailing partial hour from its rollup only while no row of that hour lies past the end', async () => {
        const { db } = database;
        const [pattern] = ids;
        const at = (value: string) => literal(value);
        await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
          VALUES (${pattern}, 'edge-1', 0.5, ${at('2027-01-05 10:05')}), (${pattern}, 'edge-2', 0.9, ${at('2027-01-05 10:20')}),
                 (${pattern}, 'edge-3', 0.7, ${at('2027-01-04 23:10')})`);
        await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens,
            tokens_saved, cost_saved_usd, saved_at)
          VALUES ('tool_call', 'edge-1', ${pattern}, 10, 4, 6, 1.5, ${at('2027-01-05 10:10')})`);
        await foldChanges(db);
        const spans = [
          {
            key: 7,
            from: Date.parse('2027-01-04T23:30:00Z'),
            to: Date.parse('2027-01-05T10:30:00Z'),
          },
        ];
        const figures = async () => {
          const [row] = await queryRows<{ n: number; usd: number }>(
            db,
            sql`SELECT (SELECT sum(occurrences)::int FROM ${occurrencePieces(spans)} p WHERE key = 7) AS n,
                (SELECT sum(cost_saved_usd)::float8 FROM ${savingsPieces(spans)} p WHERE key = 7) AS usd`,
          );
          return row!;
        };
        expect(await figures()).toEqual({ n: 2, usd: 1.5 });
        // It is the rollup that answers for [10:00, 10:30): a figure planted in that hour's stored
        // row shows (taken out again below).
        const plant = (delta: number) =>
          db.execute(sql`UPDATE pattern_ledger.occurrence_rollup_hourly SET occurrences = occurrences + ${delta}
            WHERE pattern_id = ${pattern} AND bucket = '2027-01-05 10:00'`);
        await plant(100);
        expect((await figures()).n).toBe(102);
        // A row at 10:45 is in that hour but past the end: the raw rows answer, without it.
        await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
          VALUES (${pattern}, 'edge-4', 0.3, ${at('2027-01-05 10:45')})`);
        await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens,
            tokens_saved, cost_saved_usd, saved_at)
          VALUES ('tool_call', 'edge-4', ${pattern}, 10, 4, 6, 2.25, ${at('2027-01-05 10:50')})`);
        expect(await figures()).toEqual({ n: 2, usd: 1.5 });
        await plant(-100);
        await expectExact(db, generator(4), 'the trailing hour');
      });

      it('follow TRUNCATE, live and once folded', async () => {
        const { db } = database;
        const random = generator(5);
        await db.execute(sql`TRUNCATE pattern_occurrences`);
        await expectExact(db, random, 'occurrences truncated');
        await insertOccurrences(db, random, ids, shape);
        await db.execute(sql`TRUNCATE cost_savings_log`);
        await insertSavings(db, random, ids);
        expect(await differences(db, 'live')).toEqual({});
        await db.execute(sql`TRUNCATE tool_calls`);
        await expectExact(db, random, 'tool calls truncated');
        await db.execute(
          sql`INSERT INTO workflow_history (adw_id) VALUES ('wf-a') ON CONFLICT DO NOTHING`,
        );
        await db.execute(sql`TRUNCATE workflow_history`);
        await expectExact(db, random, 'history truncated');
        await db.execute(sql`TRUNCATE pattern_occurrences, cost_savings_log`);
        await expectExact(db, random, 'all truncated');
        const [left] = await queryRows<{ n: number }>(
          db,
          sql`SELECT ((SELECT count(*) FROM pattern_ledger.occurrence_rollup_total)
            + (SELECT count(*) FROM pattern_ledger.occurrence_all_rollup_daily)
            + (SELECT count(*) FROM pattern_ledger.savings_type_rollup_daily)
            + (SELECT count(*) FROM pattern_ledger.workflow_rollup)
            + (SELECT count(*) FROM pattern_ledger.data_quality_defect)
            + (SELECT count(*) FROM pattern_ledger.similarity_scale_rollup))::int AS n`,
        );
        expect(left!.n).toBe(0);
      });

      if (name === 'report') {
        it('fold one statement of 30,000 occurrences over 2,000 patterns and 30,000 workflows', async () => {
          const { db } = database;
          await db.execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type)
            SELECT 'bulk:' || n, 'bulk' FROM generate_series(1, 2000) n`);
          await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
            SELECT op.id, 'bulk-wf-' || n, 0.8, timestamp '2027-02-01' + make_interval(mins => n)
            FROM generate_series(1, 30000) n
            JOIN operation_patterns op ON op.pattern_signature = 'bulk:' || (1 + n % 2000)`);
          await expectExact(db, generator(6), 'a bulk insert');
        });
      }
    });
  }
}

describe('rollup spans', () => {
  const at = (value: string) => Date.parse(value);

  it('cut a span into whole days, whole hours and raw edges that cover it exactly once', () => {
    const random = generator(42);
    for (let i = 0; i < 500; i++) {
      const from = at('2026-01-01T00:00:00Z') + random.int(40) * DAY + random.int(DAY);
      const to =
        from + random.pick([0, 1, 59 * MINUTE, HOUR, 5.5 * HOUR, DAY, 3 * DAY + 17 * MINUTE]);
      const pieces = splitSpans([{ key: 1, from, to }]);
      const all = [...pieces.day, ...pieces.hour, ...pieces.raw].sort((a, b) => a.from - b.from);
      let cursor = from;
      for (const piece of all) {
        expect(piece.from).toBe(cursor);
        expect(piece.to).toBeGreaterThan(piece.from);
        cursor = piece.to;
      }
      expect(cursor).toBe(from === to ? from : to);
      for (const whole of pieces.day) expect([whole.from % DAY, whole.to % DAY]).toEqual([0, 0]);
      for (const whole of pieces.hour) expect([whole.from % HOUR, whole.to % HOUR]).toEqual([0, 0]);
      for (const raw of pieces.raw) expect(raw.to - raw.from).toBeLessThan(2 * HOUR);
    }
  });

  it('read an Asia/Kolkata day as 23 whole hours and two raw half hours', () => {
    const pieces = splitSpans([
      { key: 0, from: at('2026-03-01T18:30:00Z'), to: at('2026-03-02T18:30:00Z') },
    ]);
    expect(pieces.day).toEqual([]);
    expect(pieces.raw.map((p) => (p.to - p.from) / MINUTE)).toEqual([30, 30]);
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
