import { sql } from 'drizzle-orm';
import { insertCaptureEvents } from '../capture/events';
import type { Database } from '../types';
import {
  costSavingsLog,
  operationPatterns,
  patternOccurrences,
  toolCalls,
  workflowHistory,
} from '../tracking-schema';
import { foldChanges } from '../rollups/runner';
import { demoCaptureEvents } from './capture-demo';
import { queryRows } from '../sql';
import {
  DEMO_PATTERN_COUNT,
  DemoGenerator,
  demoVolumes,
  USD_PER_TOKEN,
  type GenerateOptions,
} from './generate';

export type SeedOptions = Partial<GenerateOptions> & {
  /** Empty the five tables first; without it a database holding any row is left alone. */
  reset?: boolean;
  onProgress?: (message: string) => void;
};

export type SeedResult =
  | { status: 'skipped'; reason: string }
  | { status: 'seeded'; patterns: number; workflows: number; occurrences: number; savings: number };

const TABLES = sql`operation_patterns, pattern_occurrences, cost_savings_log, workflow_history, tool_calls`;
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const CHUNK = 1_000;

/** The end of the demo period by default: the current hour, so "last 24 hours" has data. */
export function defaultAnchor(now = new Date()): Date {
  const anchor = new Date(now);
  anchor.setUTCMinutes(0, 0, 0);
  return anchor;
}

/**
 * Writes the demo data in one transaction. Idempotent: a database that already holds rows is
 * skipped unless `reset` is set, so running it twice neither fails nor duplicates.
 */
export async function seedDemoData(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const progress = options.onProgress ?? (() => {});
  const generator = new DemoGenerator({
    seed: options.seed,
    anchor: options.anchor ?? defaultAnchor(),
    scale: options.scale,
  });
  const expected = demoVolumes(options.scale);

  const result: SeedResult = await db.transaction(async (tx) => {
    // Two seeders at once would both see empty tables; serialise them.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7140825)`);
    const [existing] = await queryRows<{ total: number }>(
      tx,
      sql`SELECT ((SELECT count(*) FROM operation_patterns) + (SELECT count(*) FROM pattern_occurrences)
          + (SELECT count(*) FROM cost_savings_log) + (SELECT count(*) FROM workflow_history)
          + (SELECT count(*) FROM tool_calls))::int AS total`,
    );
    if ((existing?.total ?? 0) > 0) {
      if (!options.reset) {
        return {
          status: 'skipped' as const,
          reason: 'the database already holds data (use --reset to replace it)',
        };
      }
      progress('emptying the tracking tables');
      await tx.execute(sql`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);
    }

    const inserted = await tx
      .insert(operationPatterns)
      .values(generator.patternRows)
      .returning({ id: operationPatterns.id });
    const patternIds = inserted.map((row) => row.id);
    const patternId = (index: number) => {
      const id = patternIds[index];
      if (id === undefined) throw new Error(`pattern index ${index} was not inserted`);
      return id;
    };
    progress(`patterns ${patternIds.length}`);

    const totals = { workflows: 0, occurrences: 0, savings: 0 };
    let lastReport = 0;
    for (const batch of generator.batches()) {
      await insertChunks(tx, workflowHistory, batch.workflows, CHUNK / 2);
      await insertChunks(tx, toolCalls, batch.toolCalls, CHUNK);
      await insertChunks(
        tx,
        patternOccurrences,
        batch.occurrences.map(({ patternIndex, ...row }) => ({
          ...row,
          patternId: patternId(patternIndex),
        })),
        CHUNK,
      );
      await insertChunks(
        tx,
        costSavingsLog,
        batch.savings.map(({ patternIndex, ...row }) => ({
          ...row,
          patternId: patternIndex === null ? null : patternId(patternIndex),
        })),
        CHUNK,
      );
      totals.workflows += batch.workflows.length;
      totals.occurrences += batch.occurrences.length;
      totals.savings += batch.savings.length;
      if (totals.occurrences - lastReport >= expected.occurrences / 10) {
        lastReport = totals.occurrences;
        progress(
          `occurrences ${totals.occurrences.toLocaleString('en-US')} of ~${expected.occurrences.toLocaleString('en-US')}`,
        );
      }
    }

    // The stored counters and first/last seen follow the occurrences, as the real writer keeps them.
    await tx.execute(sql`
      UPDATE operation_patterns op
      SET occurrence_count = agg.n, first_detected = agg.first_at, last_seen = agg.last_at
      FROM (
        SELECT pattern_id, count(*)::int AS n, min(detected_at) AS first_at, max(detected_at) AS last_at
        FROM pattern_occurrences GROUP BY pattern_id
      ) agg
      WHERE agg.pattern_id = op.id`);
    // Real databases show stored counts drifting from the occurrences (one was 87x too high).
    const drift = [
      { index: 2, factor: 87 },
      { index: 11, factor: 1.5 },
    ];
    for (const { index, factor } of drift) {
      await tx.execute(
        sql`UPDATE operation_patterns SET occurrence_count = round(occurrence_count * ${factor}::numeric)::int WHERE id = ${patternId(index)}`,
      );
    }
    await plantDefects(tx, patternId);
    await addDemoAlertRules(tx);
    progress(
      `done: ${patternIds.length} patterns, ${totals.workflows} workflow rows, ${totals.occurrences} occurrences, ${totals.savings} savings rows`,
    );
    return { status: 'seeded' as const, patterns: patternIds.length, ...totals };
  });
  // The rows went through the agents' path (triggers, journals): folded now, so that the first
  // pages read rollups rather than a long journal.
  if (result.status === 'seeded') await foldChanges(db);
  return result;
}

/**
 * A few alert rules, so the alerts page shows what rules look like; the data-quality one fires on
 * the planted defects. No channel: the demo sends nothing anywhere.
 */
async function addDemoAlertRules(tx: Database): Promise<void> {
  await tx.execute(sql`INSERT INTO pattern_ledger.alert_rule (name, metric, scope_kind, scope_value,
      quality_check, window_minutes, compare, direction, warning_threshold, critical_threshold,
      every_minutes, created_by)
    VALUES
      ('Daily savings collapse', 'usd_saved', 'all', NULL, NULL, 1440, 'change', 'below', -50, -80, 5, 'demo'),
      ('Stored counts drift from occurrences', 'quality', 'all', NULL, 'occurrence-count-drift', 60, 'value', 'above', NULL, 0, 15, 'demo'),
      ('Tool-call offload stalls', 'tokens_saved', 'optimization_type', 'tool_call', NULL, 360, 'value', 'below', 1, NULL, 5, 'demo'),
      ('Similarity slips', 'avg_similarity', 'all', NULL, NULL, 1440, 'value', 'below', 0.7, 0.5, 15, 'demo')`);
}

/** Savings entries whose tokens_saved an older writer got wrong (by id). */
export const PLANTED_TOKEN_MISMATCH = sql`(id % 1499 = 0)`;
/** Savings entries where the tool cost more than the LLM would have: negative savings (by id). */
export const PLANTED_NEGATIVE_SAVINGS = sql`(id % 2003 = 1 AND id % 1499 <> 0)`;
/** Occurrences written by the real system's writer, which stores similarity 100.0 (by id). */
export const PLANTED_PERCENT_SIMILARITY = sql`(id % 997 = 0)`;
export const PLANTED_UNKNOWN_STATUSES = ['in_review', 'predicted', 'rejected'] as const;

/**
 * The remaining defects real databases hold (../shared/reference/tables.md), a few of each, so
 * that the data-quality page has something to show on the demo.
 */
async function plantDefects(tx: Database, patternId: (index: number) => number): Promise<void> {
  // Databases whose writer stored these statuses have no CHECK on the column; the demo is one.
  await tx.execute(
    sql`ALTER TABLE operation_patterns DROP CONSTRAINT IF EXISTS operation_patterns_automation_status_check`,
  );
  for (const [i, status] of PLANTED_UNKNOWN_STATUSES.entries()) {
    await tx.execute(
      sql`UPDATE operation_patterns SET automation_status = ${status} WHERE id = ${patternId(40 + i)}`,
    );
  }
  await tx.execute(
    sql`UPDATE pattern_occurrences SET similarity_score = 100 WHERE ${PLANTED_PERCENT_SIMILARITY}`,
  );
  // A pattern that never occurred, with a stored counter and an estimate to match: what a
  // database whose writer fails looks like.
  await tx.execute(
    sql`UPDATE operation_patterns SET potential_monthly_savings = 1838.44, occurrence_count = 78
      WHERE id = ${patternId(DEMO_PATTERN_COUNT - 1)}`,
  );
  await tx.execute(
    sql`UPDATE cost_savings_log SET tokens_saved = tokens_saved + 250 WHERE ${PLANTED_TOKEN_MISMATCH}`,
  );
  await tx.execute(
    sql`UPDATE cost_savings_log SET actual_tokens = baseline_tokens + 800, tokens_saved = -800,
        cost_saved_usd = -800 * ${USD_PER_TOKEN}::float8 WHERE ${PLANTED_NEGATIVE_SAVINGS}`,
  );
}

async function insertChunks<T extends Parameters<Database['insert']>[0]>(
  tx: Database,
  table: T,
  rows: T['$inferInsert'][],
  size: number,
): Promise<void> {
  for (let from = 0; from < rows.length; from += size) {
    await tx.insert(table).values(rows.slice(from, from + size));
  }
}

/**
 * The demo's captured events (db/seed/capture-demo.ts), run through the rules by the capture step
 * like any others. Only where nothing was captured yet.
 */
export async function seedDemoCapture(
  db: Database,
  anchor: Date = defaultAnchor(),
): Promise<number> {
  const [state] = await queryRows<{ any: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pattern_ledger.capture_event) AS any`,
  );
  if (state?.any) return 0;
  const scripts = await queryRows<{ path: string }>(
    db,
    sql`SELECT tool_script_path::text AS path FROM operation_patterns
      WHERE tool_script_path IS NOT NULL ORDER BY id LIMIT 5`,
  );
  return insertCaptureEvents(
    db,
    demoCaptureEvents(
      anchor,
      scripts.map((row) => row.path),
    ),
  );
}
