/**
 * Attaching to the agents' database without harming it, on every column-type shape: a dry run
 * that changes nothing, migrations that change no row or type (twice), every plain statement the
 * agents write accepted whatever its values, the pages' figures equal to independent SQL, and a
 * detach that leaves the agents' tables exactly as they were.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, AttachError } from '@/db/setup/apply';
import { planDetach } from '@/db/setup/detach';
import { LEGACY_INDEXES } from '@/db/setup/legacy';
import { attachStatus } from '@/db/setup/status';
import { databaseErrorInfo } from '@/db/errors';
import { migrateDatabase } from '@/db/setup/migrate';
import { getKpis } from '@/db/queries/overview';
import { getLeaderboard, getPattern, getPatternRangeSummary } from '@/db/queries/patterns';
import { getQualitySummary } from '@/db/queries/data-quality';
import { getReviewHistory } from '@/db/queries/review';
import { getSavingsByType, savingsLogQuery } from '@/db/queries/savings';
import { getWorkflows, resolveWorkflow } from '@/db/queries/workflows';
import { queryRows } from '@/db/sql';
import { csvLine } from '@/lib/csv';
import { SAVINGS_COLUMNS, WORKFLOW_COLUMNS } from '@/lib/export-columns';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseSavingsParams } from '@/lib/savings-params';
import { parseWorkflowParams } from '@/lib/workflow-params';
import { POST as postOccurrences } from '@/app/api/v1/occurrences/route';
import { POST as postSavings } from '@/app/api/v1/savings/route';
import { createApiKey } from '@/db/mutations/api-keys';
import {
  createEmptyDatabase,
  databaseKinds,
  useAsAppDatabase,
  type TestDatabase,
} from './support/databases';
import { attachments, fingerprint } from './support/fingerprint';
import { rangeOf } from './support/ranges';
import { differences, expectExact, generator, usd } from './support/rollup-truth';
import { shapeStatements, takesInvalidJson, uniquePairs, type ShapeName } from './support/shapes';

const shapesOn = (kind: 'pglite' | 'postgres'): ShapeName[] =>
  kind === 'pglite' ? ['report', 'live'] : ['report', 'full', 'live', 'zoned'];

async function build(database: TestDatabase, shape: ShapeName) {
  for (const statement of shapeStatements(shape)) await database.db.execute(sql.raw(statement));
}

/** The statements agents write, one transaction each, with the values real databases hold. */
function agentStatements(shape: ShapeName, pattern: number, other: number): string[] {
  const huge = shape === 'zoned' ? '1e400' : '1e30';
  const conflict = uniquePairs(shape) ? ' ON CONFLICT DO NOTHING' : '';
  return [
    `INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
      VALUES (${pattern}, 'adw-a1', 100.0, '{"input_length":0,"keywords":[],"complexity":"simple"}')${conflict}`,
    `INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
      VALUES (${pattern}, 'adw-a1', 0.9, '{}') ON CONFLICT DO NOTHING`,
    `UPDATE operation_patterns SET occurrence_count = occurrence_count + 1, last_seen = now() WHERE id = ${pattern}`,
    `INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score) VALUES (${other}, 'adw-nan', 'NaN')`,
    `INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
      VALUES (${other}, 'adw-inf', 'Infinity', 'infinity'), (${pattern}, 'adw-inf', '-Infinity', '-infinity')`,
    `INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score) VALUES (${other}, 'adw-huge', ${huge})`,
    ...(takesInvalidJson(shape)
      ? [
          `INSERT INTO pattern_occurrences (pattern_id, workflow_id, matched_characteristics) VALUES (${other}, 'adw-cut', '{"cut": ')`,
        ]
      : []),
    `INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, notes)
      VALUES ('pattern_offload', 'adw-a1', ${pattern}, 5000, 1200, 3800, 0.0114, 'Pattern: sig')`,
    `INSERT INTO cost_savings_log (optimization_type, workflow_id, tool_call_id, baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd)
      VALUES ('tool_call', 'adw-nan', 'toolu_missing', 2147483647, -2147483648, -7, 'NaN')`,
    `INSERT INTO cost_savings_log (optimization_type, workflow_id, saved_at) VALUES ('input_split', 'adw-inf', 'infinity')`,
    `UPDATE pattern_occurrences SET similarity_score = 0.5 WHERE workflow_id = 'adw-a1'`,
    `UPDATE pattern_occurrences SET pattern_id = ${pattern} WHERE workflow_id = 'adw-huge'`,
    `UPDATE cost_savings_log SET notes = 'checked by hand' WHERE workflow_id = 'adw-a1'`,
    `DELETE FROM pattern_occurrences WHERE workflow_id = 'adw-nan'`,
    `DELETE FROM cost_savings_log WHERE optimization_type = 'input_split'`,
    `INSERT INTO workflow_history (adw_id) VALUES ('adw-a1') ON CONFLICT DO NOTHING`,
    `UPDATE workflow_history SET status = 'completed' WHERE adw_id = 'adw-a1'`,
    `INSERT INTO tool_calls (tool_call_id, workflow_id, tool_name) VALUES ('toolu_1', 'adw-a1', 'pytest')`,
  ];
}

for (const kind of databaseKinds) {
  for (const shape of shapesOn(kind)) {
    describe(`attaching to the ${shape} shape [${kind}]`, () => {
      let database: TestDatabase;
      let before: { rows: Record<string, string>; attached: string[] };
      let patterns: number[] = [];
      beforeAll(async () => {
        database = await createEmptyDatabase(kind);
        await build(database, shape);
        await database.db
          .execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type, potential_monthly_savings, occurrence_count)
          VALUES ('test:pytest:backend', 'test', 12.5, 3), ('sdlc:full:all', 'sdlc', 0.35, 78167), ('fix:bug', 'fix', 0, 0)`);
        patterns = (
          await queryRows<{ id: number }>(
            database.db,
            sql`SELECT id FROM operation_patterns ORDER BY id`,
          )
        ).map((row) => row.id);
        before = { rows: await fingerprint(database.db), attached: await attachments(database.db) };
      });
      afterAll(async () => {
        await database?.dispose();
      });

      it('a dry run lists what it would add to the agents’ tables and changes nothing', async () => {
        const report = await migrateDatabase(database, { dryRun: true });
        const agents = report.steps
          .filter((step) => step.on === 'agents')
          .map((step) => step.title);
        expect(agents.some((t) => t.startsWith('triggers on public.pattern_occurrences'))).toBe(
          true,
        );
        expect(agents.some((t) => t.startsWith('triggers on public.cost_savings_log'))).toBe(true);
        expect(agents.some((t) => t.includes('pattern_ledger_occurrences_by_pattern_time'))).toBe(
          true,
        );
        for (const step of report.steps.filter((s) => s.on === 'agents'))
          expect(step.estimate, step.title).toBeTruthy();
        expect(await fingerprint(database.db)).toEqual(before.rows);
        expect(await attachments(database.db)).toEqual(before.attached);
        const status = await attachStatus(database);
        expect(status.ready).toBe(false);
        expect(status.problems.join(' ')).toMatch(/npm run db:migrate/);
      });

      it('migrates twice without changing a row or a type, the second time with nothing to do', async () => {
        const first = await migrateDatabase(database);
        expect(first.steps.length).toBeGreaterThan(0);
        const second = await migrateDatabase(database);
        expect(second.steps).toEqual([]);
        expect(await fingerprint(database.db)).toEqual(before.rows);
        // On the agents' tables: only pattern_ledger_* triggers and indexes were added.
        const added = (await attachments(database.db)).filter((a) => !before.attached.includes(a));
        for (const item of added) expect(item).toMatch(/pattern_ledger/);
        expect((await attachStatus(database)).ready).toBe(true);
        // Never a table of Pattern Ledger's among the agents' (the real system has a
        // pattern_review_history of its own).
        const tables = await queryRows<{ name: string }>(
          database.db,
          sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
        );
        expect(
          tables.map((t) => t.name).every((name) => Object.keys(before.rows).includes(name)),
        ).toBe(true);
      });

      it('accepts every plain statement the agents write, whatever its values', async () => {
        const [pattern, other] = patterns as [number, number];
        for (const statement of agentStatements(shape, pattern, other)) {
          try {
            await database.db.transaction(async (tx) => {
              await tx.execute(sql.raw(statement));
            });
          } catch (error) {
            throw new Error(
              `the agents' statement failed: ${statement}\n${databaseErrorInfo(error).message}`,
            );
          }
        }
        // A transaction of several statements, patterns in any order.
        await database.db.transaction(async (tx) => {
          for (const id of [other, pattern]) {
            await tx.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score)
              VALUES (${id}, 'adw-txn', 0.8) ON CONFLICT DO NOTHING`);
            await tx.execute(
              sql`UPDATE operation_patterns SET occurrence_count = occurrence_count + 1 WHERE id = ${id}`,
            );
          }
        });
        await expectExact(database.db, generator(11), `${shape}: the agents' statements`);
      });

      it('shows figures equal to independent SQL', async () => {
        const { db } = database;
        const [pattern] = patterns as [number];
        await db.execute(
          sql.raw(`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens,
            actual_tokens, tokens_saved, cost_saved_usd, saved_at)
          VALUES ('pattern_offload', 'adw-money', ${pattern}, 100, 10, 90, 0.1234, '2026-02-10 10:00'),
                 ('pattern_offload', 'adw-money', ${pattern}, 100, 10, 90, 0.8038, '2026-02-10 11:30'),
                 ('tool_call', 'adw-money', NULL, 100, 10, 90, 0.0035, '2026-02-11 09:00')`),
        );
        const all = rangeOf(
          { range: 'all' },
          { min: new Date('2026-01-01'), max: new Date('2026-03-01') },
        );
        const board = await getLeaderboard(db, all, { ...parseLeaderboardParams({}), size: 100 });
        const truth = await queryRows<{ id: number; n: number; workflows: number; usd: number }>(
          db,
          sql.raw(`SELECT op.id::float8 AS id, (SELECT count(*) FROM pattern_occurrences o WHERE o.pattern_id = op.id)::int AS n,
              (SELECT count(DISTINCT workflow_id) FROM pattern_occurrences o WHERE o.pattern_id = op.id)::int AS workflows,
              coalesce((SELECT sum(${usd('cost_saved_usd')}) FROM cost_savings_log s WHERE s.pattern_id = op.id), 0)::float8 AS usd
            FROM operation_patterns op ORDER BY op.id`),
        );
        for (const row of truth) {
          const shown = board.rows.find((r) => r.id === row.id)!;
          expect({ n: shown.occurrences, workflows: shown.workflows, usd: shown.usdSaved }).toEqual(
            {
              n: row.n,
              workflows: row.workflows,
              usd: row.usd,
            },
          );
          // The stored counter is shown beside the counted rows, labelled as stored.
          const facts = await getPattern(db, row.id);
          expect(facts?.countedOccurrences).toBe(row.n);
          const summary = await getPatternRangeSummary(db, all, row.id);
          expect(summary.occurrences).toBe(row.n);
        }
        const kpis = await getKpis(db, all);
        const [totals] = await queryRows<{ n: number; usd: number; entries: number }>(
          db,
          sql.raw(`SELECT (SELECT count(*) FROM pattern_occurrences)::int AS n,
            (SELECT coalesce(sum(${usd('cost_saved_usd')}), 0) FROM cost_savings_log)::float8 AS usd,
            (SELECT count(*) FROM cost_savings_log)::int AS entries`),
        );
        expect({
          n: kpis.current.occurrences,
          usd: kpis.current.usd,
          entries: kpis.current.savingsEntries,
        }).toEqual(totals);
        const types = await getSavingsByType(db, all);
        expect(types.find((t) => t.type === 'tool_call')?.usd).toBe(
          (
            await queryRows<{ usd: number }>(
              db,
              sql.raw(
                `SELECT sum(${usd('cost_saved_usd')})::float8 AS usd FROM cost_savings_log WHERE optimization_type = 'tool_call'`,
              ),
            )
          )[0]!.usd,
        );
        // Money added as decimals: 0.1234 + 0.8038 + 0.0035 is 0.9307, not 0.9306999999999999,
        // and exports write each amount as the column holds it (REAL 0.0035, not 0.0035000001…).
        const workflows = await getWorkflows(db, all, parseWorkflowParams({ q: 'adw-money' }));
        expect(workflows.rows[0]?.usd).toBe(0.9307);
        expect(csvLine(workflows.rows[0]!, WORKFLOW_COLUMNS)).toContain(',0.9307,');
        const entries = await queryRows<Record<string, unknown>>(
          db,
          savingsLogQuery(
            all,
            { ...parseSavingsParams({}), workflow: 'adw-money', sort: 'usd', dir: 'asc' },
            null,
          ),
        );
        expect(entries.map((row) => csvLine(row, SAVINGS_COLUMNS).split(',')[10])).toEqual([
          '0.0035',
          '0.1234',
          '0.8038',
        ]);
        // The workflow page reads workflow_history whatever columns it has (or none of them).
        const workflow = await resolveWorkflow(db, 'adw-a1');
        expect(workflow.history?.adwId).toBe('adw-a1');
        expect(workflow.ids).toContain('adw-a1');
        const quality = await getQualitySummary(db);
        const drift = quality.find((check) => check.id === 'occurrence-count-drift')!;
        const [driftTruth] = await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM operation_patterns op
            WHERE op.occurrence_count IS DISTINCT FROM (SELECT count(*) FROM pattern_occurrences o WHERE o.pattern_id = op.id)::int`,
        );
        expect(drift.count).toBe(driftTruth!.n);
        await getReviewHistory(db, pattern);
      });

      it('ingests through the API into the agents’ tables whatever their types', async () => {
        useAsAppDatabase(database);
        const { key } = await createApiKey(database.db, {
          name: 'agent',
          scope: 'write',
          createdBy: 'tests',
        });
        const post = (path: string, body: object) =>
          (path === 'occurrences' ? postOccurrences : postSavings)(
            new Request(`http://127.0.0.1:3000/api/v1/${path}`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }),
          );
        const occurrences = await post('occurrences', {
          occurrences: [
            {
              pattern_signature: 'test:pytest:backend',
              workflow_id: 'adw-api',
              similarity_score: 100,
              matched_characteristics: { keywords: ['pytest'] },
              detected_at: '2026-02-12T10:00:00+05:30',
            },
            { pattern_signature: 'new:from:api', workflow_id: 'adw-api', similarity_score: 0.75 },
          ],
        });
        expect(occurrences.status).toBe(201);
        const savings = await post('savings', {
          savings: [
            {
              optimization_type: 'pattern_offload',
              workflow_id: 'adw-api',
              pattern_signature: 'new:from:api',
              baseline_tokens: 5000,
              actual_tokens: 1200,
              cost_saved_usd: 0.0114,
            },
          ],
        });
        expect(savings.status).toBe(201);
        const [stored] = await queryRows<{ n: number; usd: string }>(
          database.db,
          sql`SELECT (SELECT count(*) FROM pattern_occurrences WHERE workflow_id = 'adw-api')::int AS n,
            (SELECT cost_saved_usd::text FROM cost_savings_log WHERE workflow_id = 'adw-api') AS usd`,
        );
        expect(stored).toEqual({ n: 2, usd: '0.0114' });
        await expectExact(database.db, generator(12), `${shape}: ingested`);
      });

      it('detaches, leaving the agents’ tables exactly as they were', async () => {
        const { db } = database;
        const rows = await fingerprint(db);
        await applyPlan(db, { steps: await planDetach(db, database.kind), rebuild: false });
        expect(await attachments(db)).toEqual(before.attached);
        expect(await fingerprint(db)).toEqual(rows);
        expect(await planDetach(db, database.kind)).toEqual([]);
        // The agents go on writing without it.
        await db.execute(
          sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (${patterns[0]!}, 'adw-after')`,
        );
        // And it can be attached again, counting everything there is.
        await migrateDatabase(database);
        expect(await differences(db, 'live')).toEqual({});
      });
    });
  }
}

describe('migration failures say what failed and what to check', () => {
  const kind = databaseKinds.at(-1)!;

  it('refuses a database without the tracking tables beside other tables, naming them', async () => {
    const database = await createEmptyDatabase(kind);
    try {
      await database.db.execute(
        sql`CREATE TABLE operation_patterns (id SERIAL PRIMARY KEY, pattern_signature TEXT, pattern_type TEXT)`,
      );
      const failure = await migrateDatabase(database).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AttachError);
      expect((failure as Error).message).toMatch(/pattern_occurrences does not exist/);
      expect((failure as Error).message).toMatch(/cost_savings_log does not exist/);
      // Nothing was created among the agents' tables.
      const [count] = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(count!.n).toBe(1);
    } finally {
      await database.dispose();
    }
  });

  it('prints PostgreSQL’s own message and the object being created', async () => {
    const database = await createEmptyDatabase(kind);
    try {
      await build(database, 'report');
      // Something in the way of the journal Pattern Ledger creates.
      await database.db.execute(sql`CREATE SCHEMA pattern_ledger`);
      await database.db.execute(sql`CREATE VIEW pattern_ledger.occurrence_change AS SELECT 1 AS x`);
      const failure = await migrateDatabase(database).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AttachError);
      const message = (failure as Error).message;
      expect(message).toMatch(/could not journal pattern_ledger\.occurrence_change/);
      expect(message).toMatch(/PostgreSQL says: relation "occurrence_change" already exists/);
      expect(message).toMatch(/CREATE TABLE pattern_ledger/);
      // The agents' tables have no trigger of Pattern Ledger's: a failed attach adds none.
      const triggers = (await attachments(database.db)).filter((a) => a.startsWith('trigger'));
      expect(triggers).toEqual([]);
    } finally {
      await database.dispose();
    }
  });
});

describe('an install from before the pattern_ledger schema', () => {
  const kind = databaseKinds.at(-1)!;
  const legacyFolder = path.join(import.meta.dirname, 'fixtures/legacy-migrations');

  it('moves its accounts, keys and histories and removes its old objects', async () => {
    const database = await createEmptyDatabase(kind);
    try {
      const { db } = database;
      expect(readdirSync(legacyFolder).filter((f) => f.endsWith('.sql'))).toHaveLength(9);
      const config = { migrationsFolder: legacyFolder };
      if (kind === 'postgres') await migratePostgres(db as never, config);
      else await migratePglite(db as never, config);
      await db.execute(
        sql`INSERT INTO operation_patterns (pattern_signature, pattern_type) VALUES ('old:one', 'old')`,
      );
      await db.execute(
        sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score) VALUES (1, 'adw-old', 0.9)`,
      );
      await db.execute(
        sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, cost_saved_usd) VALUES ('tool_call', 'adw-old', 0.5)`,
      );
      await db.execute(
        sql`INSERT INTO auth_user (id, name, email) VALUES ('u1', 'Old admin', 'old@example.com')`,
      );
      await db.execute(
        sql`INSERT INTO api_key (name, prefix, key_hash, scope) VALUES ('agent', 'pl_ab', 'hash-1', 'write')`,
      );
      await db.execute(
        sql`INSERT INTO cost_savings_note_history (savings_id, new_notes) VALUES (1, 'kept')`,
      );
      await db.execute(sql`INSERT INTO pattern_review_history (pattern_id, action, new_status, reviewed_by, reviewed_at)
        VALUES (1, 'approve', 'approved', 'old@example.com', now())`);
      const rows = await fingerprint(db);
      await migrateDatabase(database);
      const moved = await queryRows<{
        users: number;
        keys: number;
        notes: number;
        reviews: number;
      }>(
        db,
        sql`SELECT (SELECT count(*) FROM pattern_ledger.auth_user WHERE email = 'old@example.com')::int AS users,
          (SELECT count(*) FROM pattern_ledger.api_key WHERE key_hash = 'hash-1')::int AS keys,
          (SELECT count(*) FROM pattern_ledger.note_history WHERE new_notes = 'kept')::int AS notes,
          (SELECT count(*) FROM pattern_ledger.review_history WHERE action = 'approve')::int AS reviews`,
      );
      expect(moved[0]).toEqual({ users: 1, keys: 1, notes: 1, reviews: 1 });
      // Of the old install nothing is left in public but the agents' own tables, rows unchanged.
      const items = await attachments(db);
      expect(
        items
          .filter((a) => a.startsWith('trigger'))
          .every((a) => /pattern_ledger_journal_/.test(a)),
      ).toBe(true);
      expect(items.filter((a) => a.startsWith('function'))).toEqual([]);
      expect(items).not.toContain('schema drizzle');
      for (const index of LEGACY_INDEXES) expect(items.join('\n')).not.toContain(`index ${index}:`);
      const tables = await queryRows<{ name: string }>(
        db,
        sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.name)).toEqual([
        'cost_savings_log',
        'operation_patterns',
        'pattern_occurrences',
        'tool_calls',
        'workflow_history',
      ]);
      const after = await fingerprint(db);
      for (const table of ['operation_patterns', 'pattern_occurrences', 'cost_savings_log'])
        expect(after[table]).toBe(rows[table]);
      expect(await differences(db, 'live')).toEqual({});
      // New rows are journaled by the new triggers, not the old ones.
      await db.execute(
        sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (1, 'adw-new')`,
      );
      expect(await differences(db, 'live')).toEqual({});
    } finally {
      await database.dispose();
    }
  });
});
