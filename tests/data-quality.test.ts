import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { Database } from '@/db/types';
import {
  getQualityRows,
  getQualitySummary,
  getScaleReadings,
  QUALITY_CHECKS,
} from '@/db/queries/data-quality';
import { describeEachDatabase } from './support/databases';

/**
 * A database holding exactly known defects: every check must find exactly these and nothing else.
 */
async function plantKnownDefects(db: Database) {
  // Real databases with unknown statuses have no CHECK on the column.
  await db.execute(
    sql`ALTER TABLE operation_patterns DROP CONSTRAINT operation_patterns_automation_status_check`,
  );
  await db.execute(sql`INSERT INTO operation_patterns
      (id, pattern_signature, pattern_type, automation_status, occurrence_count, confidence_score, potential_monthly_savings) VALUES
      (1, 'test:pytest:backend', 'test', 'detected', 5, 80, 12.5),
      (2, 'build:typecheck:all', 'build', 'candidate', 1, 90, 0),
      (3, 'git:diff:summary', 'git', 'in_review', 1, 150, 0),
      (4, 'docs:generate:all', 'docs', NULL, 0, 0, 183844)`);
  await db.execute(sql`INSERT INTO workflow_history (adw_id, workflow_id) VALUES
      ('adw-1', NULL), ('adw-2', 'wf-abc')`);
  await db.execute(sql`INSERT INTO tool_calls (tool_call_id, workflow_id, tool_name) VALUES
      ('call-1', 'adw-1', 'run_pytest')`);
  await db.execute(sql`INSERT INTO pattern_occurrences
      (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at) VALUES
      (1, 'adw-1', 0.9, '{"keywords":["pytest"]}', '2026-03-01 10:00'),
      (1, 'adw-1', 0.8, '{"keywords":', '2026-03-01 11:00'),
      (2, 'wf-abc', 100, NULL, '2026-03-01 12:00'),
      (3, 'orphan-1', -0.5, '[]', '2026-03-01 13:00'),
      (3, 'orphan-3', 0.7, '{}', now() AT TIME ZONE 'UTC' + interval '3 days')`);
  await db.execute(sql`INSERT INTO cost_savings_log
      (id, optimization_type, workflow_id, tool_call_id, pattern_id, baseline_tokens, actual_tokens,
       tokens_saved, cost_saved_usd, saved_at) VALUES
      (1, 'tool_call', 'adw-1', 'call-1', 1, 1000, 200, 800, 0.0024, '2026-03-01 10:00'),
      (2, 'tool_call', 'orphan-2', 'call-missing', NULL, 1000, 200, 800, 0.0024, '2026-03-01 10:00'),
      (3, 'input_split', 'adw-2', NULL, NULL, 100, 40, 50, 0.0002, '2026-03-01 10:00'),
      (4, 'inverted_flow', 'adw-1', NULL, NULL, 10, 20, -10, -0.1, '2026-03-01 10:00'),
      (5, 'pattern_offload', 'wf-abc', NULL, 2, 1000, 0, 1000, 500, '2026-03-01 10:00')`);
}

const EXPECTED: Record<string, { count: number; rows: Record<string, unknown>[] }> = {
  'occurrence-count-drift': {
    count: 2,
    rows: [
      { id: 1, signature: 'test:pytest:backend', stored: 5, counted: 2, difference: 3 },
      { id: 3, signature: 'git:diff:summary', stored: 1, counted: 2, difference: -1 },
    ],
  },
  'unsupported-estimate': {
    count: 1,
    rows: [{ id: 4, signature: 'docs:generate:all', estimate: 183844, stored: 0 }],
  },
  'occurrences-without-workflow': {
    count: 2,
    rows: [
      { workflowId: 'orphan-1', rows: 1 },
      { workflowId: 'orphan-3', rows: 1 },
    ],
  },
  'savings-without-workflow': { count: 1, rows: [{ workflowId: 'orphan-2', rows: 1 }] },
  'savings-without-tool-call': {
    count: 1,
    rows: [{ id: 2, toolCallId: 'call-missing', workflowId: 'orphan-2' }],
  },
  'unknown-status': {
    count: 2,
    rows: [
      { status: '', rows: 1 },
      { status: 'in_review', rows: 1 },
    ],
  },
  'invalid-json': {
    count: 1,
    rows: [{ occurrenceId: 2, id: 1, signature: 'test:pytest:backend', value: '{"keywords":' }],
  },
  'duplicate-occurrences': {
    count: 1,
    rows: [{ id: 1, signature: 'test:pytest:backend', workflowId: 'adw-1', rows: 2 }],
  },
  'tokens-mismatch': {
    count: 1,
    rows: [{ id: 3, baseline: 100, actual: 40, stored: 50, expected: 60 }],
  },
};

describeEachDatabase('data-quality checks', {}, (get) => {
  beforeAll(async () => {
    await plantKnownDefects(get().db);
  });

  it('finds exactly the planted defects, largest first, with the rows behind each', async () => {
    const summary = new Map((await getQualitySummary(get().db)).map((s) => [s.id, s]));
    expect([...summary.keys()].sort()).toEqual(QUALITY_CHECKS.map((c) => c.id).sort());
    for (const [id, expected] of Object.entries(EXPECTED)) {
      expect(summary.get(id)?.count, id).toBe(expected.count);
      expect(summary.get(id)?.examples, id).toEqual(expected.rows);
    }
  });

  it('lists every negative or implausible value with its table, row and column', async () => {
    const check = QUALITY_CHECKS.find((c) => c.id === 'implausible-values')!;
    const { rows, total } = await getQualityRows(get().db, check, { limit: 100, offset: 0 });
    expect(total).toBe(6);
    expect(rows.map((r) => [r.table, r.id, r.column, r.kind, r.ref])).toEqual([
      ['cost_savings_log', 4, 'cost_saved_usd', 'savings', '4'],
      ['cost_savings_log', 4, 'tokens_saved', 'savings', '4'],
      ['cost_savings_log', 5, 'cost_saved_usd', 'savings', '5'],
      ['operation_patterns', 3, 'confidence_score', 'pattern', '3'],
      ['pattern_occurrences', 4, 'similarity_score', 'pattern', '3'],
      ['pattern_occurrences', 5, 'detected_at', 'pattern', '3'],
    ]);
  });

  it('pages through a check’s rows', async () => {
    const check = QUALITY_CHECKS.find((c) => c.id === 'occurrence-count-drift')!;
    const second = await getQualityRows(get().db, check, { limit: 1, offset: 1 });
    expect(second).toEqual({ total: 2, rows: [EXPECTED['occurrence-count-drift']!.rows[1]] });
  });

  it('detects the score scales from the values', async () => {
    expect(await getScaleReadings(get().db)).toEqual([
      {
        column: 'pattern_occurrences.similarity_score',
        ratioRows: 3,
        percentRows: 1,
        scale: 'mixed',
      },
      {
        column: 'operation_patterns.confidence_score',
        ratioRows: 0,
        percentRows: 3,
        scale: '0–100',
      },
    ]);
  });

  it('finds nothing in a database without defects', async () => {
    await get().db.execute(
      sql`TRUNCATE pattern_occurrences, cost_savings_log, tool_calls, workflow_history`,
    );
    await get().db.execute(sql`DELETE FROM operation_patterns`);
    await get().db.execute(sql`INSERT INTO operation_patterns
        (pattern_signature, pattern_type, automation_status, occurrence_count) VALUES ('a:b', 'a', 'active', 0)`);
    const summary = await getQualitySummary(get().db);
    expect(summary.map((s) => [s.id, s.count])).toEqual(QUALITY_CHECKS.map((c) => [c.id, 0]));
  });
});

describeEachDatabase('data-quality on the demo data', { seed: true }, (get) => {
  it('finds a few of each defect', async () => {
    const summary = await getQualitySummary(get().db);
    for (const check of summary) expect(check.count, check.id).toBeGreaterThan(0);
    const scales = await getScaleReadings(get().db);
    expect(scales.map((s) => s.scale)).toEqual(['mixed', '0–100']);
  });
});
