/**
 * The agents' own write load, on PostgreSQL: 8 writers, each its own connection, 2,000
 * transactions each in the agents' shape (an occurrence and its counter bump, twice, patterns in
 * random order, then a savings row), no retries, run once on the bare tables and once with
 * Pattern Ledger attached and folding. Pattern Ledger must raise no error of its own and add no
 * deadlock: the agents deadlock on their own counter updates, at the same rate either way.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '@/db/setup/apply';
import { planDetach } from '@/db/setup/detach';
import { migrateDatabase } from '@/db/setup/migrate';
import { foldChanges } from '@/db/rollups/runner';
import { createEmptyDatabase, databaseKinds, type TestDatabase } from './support/databases';
import { differences, generator } from './support/rollup-truth';
import { shapeStatements } from './support/shapes';

const WRITERS = 8;
const TRANSACTIONS = 2000;
const PATTERNS = 200;

type Outcome = { committed: number; errors: Record<string, number> };

async function agentsWrite(url: string): Promise<Outcome> {
  const outcome: Outcome = { committed: 0, errors: {} };
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const connection = postgres(url, { max: 1, onnotice: () => {} });
      const random = generator(1000 + writer);
      try {
        for (let i = 0; i < TRANSACTIONS; i++) {
          const [a, b] = [1 + random.int(PATTERNS), 1 + random.int(PATTERNS)];
          const workflow = `adw-${writer}-${i % 50}`;
          try {
            await connection.begin(async (tx) => {
              for (const pattern of [a, b]) {
                await tx`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
                  VALUES (${pattern}, ${workflow}, 100.0, '{"input_length":0,"keywords":[],"complexity":"simple"}')`;
                await tx`UPDATE operation_patterns SET occurrence_count = occurrence_count + 1, last_seen = now() WHERE id = ${pattern}`;
              }
              await tx`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id, baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, notes)
                VALUES ('pattern_offload', ${workflow}, ${a}, 5000, 1200, 3800, 0.0114, 'Pattern: load')`;
            });
            outcome.committed += 1;
          } catch (error) {
            const code = (error as { code?: string }).code ?? String(error);
            outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
          }
        }
      } finally {
        await connection.end();
      }
    }),
  );
  return outcome;
}

const onPostgres = databaseKinds.includes('postgres');

describe.runIf(onPostgres)(
  'the agents’ write load with and without Pattern Ledger [postgres]',
  () => {
    let database: TestDatabase;
    let url: string;
    beforeAll(async () => {
      database = await createEmptyDatabase('postgres');
      for (const statement of shapeStatements('report'))
        await database.db.execute(sql.raw(statement));
      await database.db.execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type)
      SELECT 'load:' || n, 'load' FROM generate_series(1, ${PATTERNS}) n`);
      url = database.url!;
    });
    afterAll(async () => {
      await database?.dispose();
    });

    it('raises no error of its own and adds no deadlock', { timeout: 600_000 }, async () => {
      const bare = await agentsWrite(url);
      await migrateDatabase(database);
      let folding = true;
      const folder = (async () => {
        while (folding) {
          await foldChanges(database.db);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const attached = await agentsWrite(url);
      folding = false;
      await folder;
      console.log(`agents' load, ${WRITERS} writers × ${TRANSACTIONS} transactions:`, {
        bare,
        attached,
      });
      // The only failures either way are the agents' own deadlocks on their counters.
      expect(Object.keys(bare.errors).filter((code) => code !== '40P01')).toEqual([]);
      expect(Object.keys(attached.errors).filter((code) => code !== '40P01')).toEqual([]);
      const deadlocks = (o: Outcome) => o.errors['40P01'] ?? 0;
      // Deadlocks come from timing; allow the bare run's count plus three standard deviations.
      const allowed = deadlocks(bare) + 3 * Math.sqrt(deadlocks(bare) + 1) + 3;
      expect(deadlocks(attached)).toBeLessThanOrEqual(allowed);
      expect(bare.committed + deadlocks(bare)).toBe(WRITERS * TRANSACTIONS);
      expect(attached.committed + deadlocks(attached)).toBe(WRITERS * TRANSACTIONS);
      // Everything the agents committed is counted, folded or not.
      expect(await differences(database.db, 'live')).toEqual({});
      await foldChanges(database.db);
      expect(await differences(database.db, 'stored')).toEqual({});
      await applyPlan(database.db, {
        steps: await planDetach(database.db, 'postgres'),
        rebuild: false,
      });
    });
  },
);
