/**
 * The folder: every FOLD_INTERVAL_MS it moves what the agents' triggers journaled into the
 * rollups (db/rollups/fold.ts), so the journals stay short and reads stay fast. Every app process
 * runs one; the fold_state row lets one fold at a time, the others find it busy and wait for the
 * next tick. A failing fold is logged once, recorded for /api/health, and tried again later with
 * a growing pause; pages stay exact meanwhile, reading the journals.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/types';
import { classifyDatabaseError, databaseErrorInfo } from '@/db/errors';
import { foldChanges } from '@/db/rollups/fold';

const LONGEST_PAUSE_MS = 30_000;

export function startRollupFolder(
  open: () => Promise<DatabaseHandle>,
  intervalMs: number,
): () => void {
  let stopped = false;
  let pause = intervalMs;
  let lastProblem = '';
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    try {
      const { db } = await open();
      await foldChanges(db);
      pause = intervalMs;
      if (lastProblem) console.log('[pattern-ledger] folding again');
      lastProblem = '';
    } catch (error) {
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
      const problem = databaseErrorInfo(error).message;
      if (problem !== lastProblem) {
        console.error(
          `[pattern-ledger] fold failed (retrying in up to ${LONGEST_PAUSE_MS / 1000} s): ${problem}`,
        );
        lastProblem = problem;
      }
      // The database answers but the fold failed: say so where /api/health can read it.
      if (!classifyDatabaseError(error)) {
        await open()
          .then(({ db }) =>
            db.execute(sql`UPDATE pattern_ledger.fold_state SET last_error = ${problem.slice(0, 2000)},
              last_error_at = now() WHERE id = 1`),
          )
          .catch(() => {});
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), pause);
    timer?.unref();
  };
  timer = setTimeout(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
