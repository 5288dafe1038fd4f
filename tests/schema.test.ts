import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseErrorInfo } from '@/db/errors';
import { queryRows } from '@/db/sql';
import { createEmptyDatabase, databaseKinds, describeEachDatabase } from './support/databases';

const violates = (constraint: string) => (error: unknown) =>
  databaseErrorInfo(error).message.includes(constraint);

type Column = {
  table: string;
  column: string;
  type: string;
  nullable: string;
  default: string | null;
};

describeEachDatabase('schema from the migration-004 report', { seed: false }, (get) => {
  async function columns(table: string) {
    const found = await queryRows<Column>(
      get().db,
      sql`SELECT table_name AS "table", column_name AS "column", data_type AS "type",
            is_nullable AS nullable, column_default AS "default"
          FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`,
    );
    return Object.fromEntries(found.map((c) => [c.column, c]));
  }

  it('pattern_occurrences has the report columns, types, NOT NULLs and defaults', async () => {
    const c = await columns('pattern_occurrences');
    expect(Object.keys(c)).toEqual([
      'id',
      'pattern_id',
      'workflow_id',
      'similarity_score',
      'matched_characteristics',
      'detected_at',
    ]);
    expect(c.id).toMatchObject({ type: 'integer', nullable: 'NO' });
    expect(c.id?.default).toMatch(/^nextval\('pattern_occurrences_id_seq'/);
    expect(c.pattern_id).toMatchObject({ type: 'integer', nullable: 'NO', default: null });
    expect(c.workflow_id).toMatchObject({ type: 'text', nullable: 'NO' });
    expect(c.similarity_score).toMatchObject({ type: 'real', nullable: 'YES' });
    expect(Number(c.similarity_score?.default)).toBe(0);
    expect(c.matched_characteristics).toMatchObject({ type: 'text', nullable: 'YES' });
    expect(c.detected_at).toMatchObject({ type: 'timestamp without time zone', default: 'now()' });
  });

  it('cost_savings_log has the report columns, types, NOT NULLs and defaults', async () => {
    const c = await columns('cost_savings_log');
    expect(Object.keys(c)).toEqual([
      'id',
      'optimization_type',
      'workflow_id',
      'tool_call_id',
      'pattern_id',
      'baseline_tokens',
      'actual_tokens',
      'tokens_saved',
      'cost_saved_usd',
      'saved_at',
      'notes',
    ]);
    expect(c.optimization_type).toMatchObject({ type: 'text', nullable: 'NO' });
    expect(c.workflow_id).toMatchObject({ type: 'text', nullable: 'NO' });
    expect(c.tool_call_id).toMatchObject({ type: 'text', nullable: 'YES' });
    expect(c.pattern_id).toMatchObject({ type: 'integer', nullable: 'YES' });
    for (const name of ['baseline_tokens', 'actual_tokens', 'tokens_saved'] as const) {
      expect(c[name]).toMatchObject({ type: 'integer', default: '0' });
    }
    expect(c.cost_saved_usd).toMatchObject({ type: 'real' });
    expect(Number(c.cost_saved_usd?.default)).toBe(0);
    expect(c.saved_at).toMatchObject({ type: 'timestamp without time zone', default: 'now()' });
    expect(c.notes).toMatchObject({ type: 'text', nullable: 'YES' });
  });

  it('has the six indexes of the report, by name and column', async () => {
    const found = await queryRows<{ name: string; table: string; definition: string }>(
      get().db,
      sql`SELECT indexname AS name, tablename AS "table", indexdef AS definition FROM pg_indexes
          WHERE schemaname = 'public' AND tablename IN ('pattern_occurrences', 'cost_savings_log')`,
    );
    const byName = Object.fromEntries(found.map((i) => [i.name, i.definition]));
    expect(byName.idx_pattern_occurrences_pattern).toMatch(/\(pattern_id\)$/);
    expect(byName.idx_pattern_occurrences_workflow).toMatch(/\(workflow_id\)$/);
    expect(byName.idx_pattern_occurrences_detected).toMatch(/\(detected_at\)$/);
    expect(byName.idx_cost_savings_type).toMatch(/\(optimization_type\)$/);
    expect(byName.idx_cost_savings_workflow).toMatch(/\(workflow_id\)$/);
    expect(byName.idx_cost_savings_saved_at).toMatch(/\(saved_at\)$/);
  });

  it('the CHECK rejects an unknown optimization type', async () => {
    const { db } = get();
    await expect(
      db.execute(
        sql`INSERT INTO cost_savings_log (optimization_type, workflow_id) VALUES ('magic', 'adw-1')`,
      ),
    ).rejects.toSatisfy(violates('cost_savings_log_optimization_type_check'));
  });

  it('the foreign keys reject an unknown pattern id, and workflow ids need no parent row', async () => {
    const { db } = get();
    await expect(
      db.execute(
        sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (999999, 'adw-x')`,
      ),
    ).rejects.toSatisfy(violates('pattern_occurrences_pattern_id_fkey'));
    await expect(
      db.execute(
        sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id) VALUES ('tool_call', 'adw-x', 999999)`,
      ),
    ).rejects.toSatisfy(violates('cost_savings_log_pattern_id_fkey'));
    const [pattern] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO operation_patterns (pattern_signature, pattern_type) VALUES ('fk:test', 'fk') RETURNING id`,
    );
    // An orphan workflow id and tool call id are accepted: the report keeps them without a foreign key.
    await db.execute(
      sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, tool_call_id, pattern_id)
          VALUES ('tool_call', 'no-such-workflow', 'no-such-call', ${pattern?.id})`,
    );
    const [defaults] = await queryRows<{ similarity: number; detected: boolean }>(
      db,
      sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id) VALUES (${pattern?.id}, 'no-such-workflow')
          RETURNING similarity_score::float8 AS similarity, (detected_at IS NOT NULL) AS detected`,
    );
    expect(defaults).toEqual({ similarity: 0, detected: true });
  });

  it('applying the migrations again changes nothing', async () => {
    const { db, migrate } = get();
    const before = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`,
    );
    await migrate();
    await migrate();
    const after = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`,
    );
    expect(after).toEqual(before);
  });
});

const reportSql = readFileSync(
  path.join(import.meta.dirname, 'fixtures/report-schema.sql'),
  'utf8',
);

describe('migrating a database built with the report SQL', () => {
  for (const kind of databaseKinds) {
    it(`keeps every hand-written row and adds no table of its own beside them [${kind}]`, async () => {
      const database = await createEmptyDatabase(kind);
      try {
        const { db } = database;
        for (const statement of reportSql
          .split(/;\s*\n/)
          .filter((s) => s.replace(/--.*$/gm, '').trim())) {
          await db.execute(sql.raw(statement));
        }
        const snapshot = () =>
          queryRows<{ t: string }>(
            db,
            sql`SELECT (SELECT json_agg(p ORDER BY id)::text FROM operation_patterns p)
                 || (SELECT json_agg(o ORDER BY id)::text FROM pattern_occurrences o)
                 || (SELECT json_agg(s ORDER BY id)::text FROM cost_savings_log s)
                 || (SELECT json_agg(w.adw_id ORDER BY id)::text FROM workflow_history w) AS t`,
          );
        const before = await snapshot();
        await database.migrate();
        await database.migrate();
        expect(await snapshot()).toEqual(before);

        const tables = await queryRows<{ name: string }>(
          db,
          sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
        );
        // The agents' schema holds their four tables and nothing more: Pattern Ledger's are in its own.
        expect(tables.map((t) => t.name)).toEqual([
          'cost_savings_log',
          'operation_patterns',
          'pattern_occurrences',
          'workflow_history',
        ]);
        // The report's foreign keys stay the only ones: none was added twice.
        const fks = await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f'
              AND conrelid IN ('pattern_occurrences'::regclass, 'cost_savings_log'::regclass)`,
        );
        expect(fks[0]?.n).toBe(2);
      } finally {
        await database.dispose();
      }
    });
  }
});
