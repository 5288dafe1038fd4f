import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import {
  costSavingsLog,
  operationPatterns,
  patternOccurrences,
  toolCalls,
  workflowHistory,
} from '../schema';
import { queryRows } from '../sql';
import { DemoGenerator, demoVolumes, type GenerateOptions } from './generate';

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

  return db.transaction(async (tx) => {
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
          status: 'skipped',
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
    progress(
      `done: ${patternIds.length} patterns, ${totals.workflows} workflow rows, ${totals.occurrences} occurrences, ${totals.savings} savings rows`,
    );
    return { status: 'seeded', patterns: patternIds.length, ...totals };
  });
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
