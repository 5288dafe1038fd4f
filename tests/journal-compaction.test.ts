/**
 * Every read scans the journals whole: one that held a backlog must not stay large on disk once
 * folded (a 258 MB empty journal made the data-quality page time out on the benchmark set).
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { foldChanges } from '@/db/rollups/runner';
import { queryRows } from '@/db/sql';
import { describeEachDatabase } from './support/databases';
import { differences } from './support/rollup-truth';

describeEachDatabase('journal compaction', { seed: true }, (get) => {
  it('gives a folded backlog’s space back, with every figure still exact', async () => {
    const { db } = get();
    const size = async () => {
      const [row] = await queryRows<{ bytes: number }>(
        db,
        sql`SELECT pg_relation_size('pattern_ledger.occurrence_change')::float8 AS bytes`,
      );
      return row!.bytes;
    };
    // A backlog short of a rebuild: many statements' worth of rows, folded together.
    for (let i = 0; i < 4; i++)
      await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics)
        SELECT (SELECT min(id) FROM operation_patterns), 'backlog-' || n % 500, 0.7, '{"input_length":0}'
        FROM generate_series(1, 40000) n`);
    expect(await size()).toBeGreaterThan(8 * 1024 * 1024);
    await foldChanges(db);
    expect(await size()).toBeLessThan(1024 * 1024);
    expect(await differences(db, 'stored')).toEqual({});
  });
});
