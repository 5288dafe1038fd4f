/**
 * The reference system's ROI tracking and confidence history, read in place beside Pattern
 * Ledger's figures: every figure equals the stored rows (independent SQL), only the columns that
 * exist are read, and a database without the tables shows nothing of them.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { readTrackingCatalog } from '@/db/catalog';
import { getPatternReference, getRoiSummaries } from '@/db/queries/reference';
import { queryRows } from '@/db/sql';
import { resolveTimeRange, parseTimeParams } from '@/lib/time-range';
import { describeEachDatabase } from './support/databases';

const TABLES = [
  // As the reference system's migrations create them (tables.md), pattern_id text.
  `CREATE TABLE public.pattern_executions (id SERIAL PRIMARY KEY, pattern_id TEXT NOT NULL, workflow_id INTEGER,
    execution_time_seconds REAL, estimated_time_seconds REAL, actual_cost REAL, estimated_cost REAL,
    success BOOLEAN, error_message TEXT, executed_at TIMESTAMP DEFAULT now())`,
  `CREATE TABLE public.pattern_roi_summary (pattern_id TEXT PRIMARY KEY, total_executions INTEGER,
    successful_executions INTEGER, success_rate REAL, total_time_saved_seconds REAL, avg_time_saved_seconds REAL,
    total_cost_saved REAL, avg_cost_saved REAL, roi_percentage REAL, last_updated TIMESTAMP)`,
  // A slimmer confidence history: no updated_by column.
  `CREATE TABLE public.pattern_confidence_history (id SERIAL PRIMARY KEY, pattern_id TEXT NOT NULL,
    old_confidence REAL, new_confidence REAL, adjustment_reason TEXT, roi_data JSONB, updated_at TIMESTAMP DEFAULT now())`,
];

const range = () => resolveTimeRange(parseTimeParams({ range: '7d' }), new Date());

describeEachDatabase('the reference system’s own records', {}, (get) => {
  const signature = 'test:pytest:backend';
  it('shows nothing of tables the database does not have', async () => {
    const catalog = await readTrackingCatalog(get().db);
    expect(await getPatternReference(get().db, catalog, signature, range())).toEqual({
      summary: null,
      executions: null,
      confidence: null,
    });
    expect(await getRoiSummaries(get().db, catalog)).toBeNull();
  });

  it('reads the ROI summary, the range’s executions and the confidence line as stored', async () => {
    const db = get().db;
    for (const statement of TABLES) await db.execute(sql.raw(statement));
    await db.execute(sql`INSERT INTO operation_patterns (pattern_signature, pattern_type) VALUES (${signature}, 'test')
      ON CONFLICT DO NOTHING`);
    await db.execute(sql`INSERT INTO public.pattern_executions (pattern_id, execution_time_seconds, estimated_time_seconds,
        actual_cost, estimated_cost, success, executed_at) VALUES
      (${signature}, 12, 60, 0.01, 0.05, true, now() - interval '1 day'),
      (${signature}, 20, 60, 0.02, 0.05, false, now() - interval '2 days'),
      (${signature}, 9, 60, 0.01, 0.05, true, now() - interval '30 days'),
      ('api-endpoint-pattern', 5, 10, 0.01, 0.02, true, now() - interval '1 day')`);
    await db.execute(sql`INSERT INTO public.pattern_roi_summary VALUES
      (${signature}, 3, 2, 0.6667, 139, 46.3, 0.12, 0.04, 312.5, now()),
      ('api-endpoint-pattern', 1, 1, 1, 5, 5, 0.01, 0.01, 50, now())`);
    await db.execute(sql`INSERT INTO public.pattern_confidence_history (pattern_id, old_confidence, new_confidence,
        adjustment_reason, updated_at) VALUES
      (${signature}, 60, 72.5, 'ROI above target', now() - interval '5 days'),
      (${signature}, 72.5, 0.8, 'recalibrated to 0-1', now() - interval '2 days')`);
    const catalog = await readTrackingCatalog(db);
    const reference = await getPatternReference(db, catalog, signature, range());
    expect(reference.summary?.map((f) => f.column)).toEqual([
      'total_executions',
      'successful_executions',
      'success_rate',
      'total_time_saved_seconds',
      'avg_time_saved_seconds',
      'total_cost_saved',
      'avg_cost_saved',
      'roi_percentage',
    ]);
    const [stored] = await queryRows<{ roi: number }>(
      db,
      sql`SELECT roi_percentage::float8 AS roi FROM public.pattern_roi_summary WHERE pattern_id = ${signature}`,
    );
    expect(reference.summary?.find((f) => f.column === 'roi_percentage')?.value).toBe(stored!.roi);
    const [runs] = await queryRows<{ n: number; ok: number; actual: number; estimated: number }>(
      db,
      sql`SELECT count(*)::float8 AS n, count(*) FILTER (WHERE success)::float8 AS ok,
          sum(actual_cost)::float8 AS actual, sum(estimated_cost)::float8 AS estimated
        FROM public.pattern_executions WHERE pattern_id = ${signature} AND executed_at >= now() - interval '7 days'`,
    );
    expect(reference.executions).toMatchObject({
      executions: runs!.n,
      successes: runs!.ok,
      actualCost: runs!.actual,
      estimatedCost: runs!.estimated,
    });
    expect(reference.executions?.executions).toBe(2);
    // 72.5 is a percentage, 0.8 a ratio: both read as ratios; no updated_by column, so no author.
    expect(reference.confidence?.map((c) => [c.ratio, c.reason, c.by])).toEqual([
      [0.725, 'ROI above target', null],
      [expect.closeTo(0.8, 6), 'recalibrated to 0-1', null],
    ]);
    const summaries = await getRoiSummaries(db, catalog);
    expect(summaries?.rows.map((row) => [row.pattern, row.patternId !== null])).toEqual([
      [signature, true],
      ['api-endpoint-pattern', false],
    ]);
  });
});
