import 'server-only';
import { sql } from 'drizzle-orm';
import { cachedTrackingCatalog } from '../catalog';
import type { Database } from '../types';
import { queryRows } from '../sql';
import { deriveOccurrences, deriveSavings } from './derive';
import { importHookEvents, importTaskLogs } from './import';

/** Rows read in place, and events through the rules, per step: about a second each at full size. */
export const IMPORT_BATCH = 20_000;
export const DERIVE_BATCH = 20_000;

export type CaptureStep = {
  /** False when another process holds the step (it runs one at a time across processes). */
  ran: boolean;
  imported: number;
  derived: number;
  occurrences: number;
  savings: number;
  /** More is waiting: the caller runs another step at once. */
  more: boolean;
};

type State = {
  hookEventsEnabled: boolean;
  hookEventsCursor: number;
  taskLogsEnabled: boolean;
  taskLogsCursor: number;
};

/**
 * One step of capture, in one transaction: the tables read in place are read from their cursors,
 * and the events after the last derived one go through the rules. The state row is locked with
 * SKIP LOCKED, so with several app processes one steps and the others find it busy.
 */
export async function captureStep(db: Database): Promise<CaptureStep> {
  const catalog = await cachedTrackingCatalog(db);
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const [state] = await queryRows<State>(
      tx,
      sql`SELECT hook_events_enabled AS "hookEventsEnabled", hook_events_cursor::float8 AS "hookEventsCursor",
          task_logs_enabled AS "taskLogsEnabled", task_logs_cursor::float8 AS "taskLogsCursor"
        FROM pattern_ledger.capture_state WHERE id = 1 FOR UPDATE SKIP LOCKED`,
    );
    if (!state)
      return { ran: false, imported: 0, derived: 0, occurrences: 0, savings: 0, more: false };
    const hooks = state.hookEventsEnabled
      ? await importHookEvents(tx, catalog, state.hookEventsCursor, IMPORT_BATCH)
      : null;
    const tasks = state.taskLogsEnabled
      ? await importTaskLogs(tx, catalog, state.taskLogsCursor, IMPORT_BATCH)
      : null;
    // The events the receivers stored, and (stored as derived already) those just read in place.
    const pending = await queryRows<{ id: number }>(
      tx,
      sql`SELECT id::float8 AS id FROM pattern_ledger.capture_event WHERE NOT derived
        ORDER BY id LIMIT ${DERIVE_BATCH}`,
    );
    const received = pending.map((row) => row.id);
    const ids = [...received, ...(hooks?.stored ?? []), ...(tasks?.stored ?? [])];
    const occurrences = ids.length > 0 ? await deriveOccurrences(tx, ids, catalog) : 0;
    const savings = ids.length > 0 ? await deriveSavings(tx, ids, catalog) : 0;
    if (received.length > 0)
      await tx.execute(
        sql`UPDATE pattern_ledger.capture_event SET derived = true
          WHERE id = ANY (${`{${received.join(',')}}`}::bigint[])`,
      );
    await tx.execute(
      sql`UPDATE pattern_ledger.capture_state SET
          hook_events_cursor = ${hooks?.lastId ?? state.hookEventsCursor},
          task_logs_cursor = ${tasks?.lastId ?? state.taskLogsCursor},
          last_run_at = now(), last_error = NULL
        WHERE id = 1`,
    );
    const imported = (hooks?.stored.length ?? 0) + (tasks?.stored.length ?? 0);
    return {
      ran: true,
      imported,
      derived: ids.length,
      occurrences,
      savings,
      more:
        (hooks?.read ?? 0) === IMPORT_BATCH ||
        (tasks?.read ?? 0) === IMPORT_BATCH ||
        received.length === DERIVE_BATCH,
    };
  });
}

/** Events older than the retention are dropped (what they derived stays). */
export async function purgeCaptureEvents(db: Database, retentionDays: number): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH gone AS (DELETE FROM pattern_ledger.capture_event
        WHERE occurred_at < now() - make_interval(days => ${retentionDays}) RETURNING 1)
      SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

/** The last failed step's message, shown on /capture until a step succeeds. */
export async function recordCaptureProblem(db: Database, problem: string): Promise<void> {
  await db.execute(sql`UPDATE pattern_ledger.capture_state
    SET last_error = ${problem.slice(0, 2000)}, last_error_at = now() WHERE id = 1`);
}
