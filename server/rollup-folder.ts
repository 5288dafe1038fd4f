/**
 * The folder: every FOLD_INTERVAL_MS it moves what the agents' triggers journaled into the
 * rollups (db/rollups/fold.ts), so the journals stay short and reads stay fast. Every app process
 * runs one; the fold_state row lets one fold at a time, the others find it busy and wait for the
 * next tick. A failing fold is logged once, recorded for /api/health, and tried again later with
 * a growing pause; pages stay exact meanwhile, reading the journals.
 */
import type { DatabaseHandle } from '@/db/types';
import { classifyDatabaseError, databaseErrorInfo } from '@/db/errors';
import { foldChanges, recordFoldProblem } from '@/db/rollups/runner';

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
          .then(({ db }) => recordFoldProblem(db, problem))
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
