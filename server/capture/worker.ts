/**
 * The capture loop every app process runs (server-start.ts): it steps capture (db/capture/run.ts:
 * the tables read in place, the new events through the rules) every CAPTURE_INTERVAL_MS, and
 * again at once while a backlog waits (a first read of a large hook_events table), and drops
 * events past their retention once an hour. One process steps at a time (the state row's lock);
 * a failing step is logged once, recorded for the Capture page, and tried again with a growing
 * pause.
 */
import type { DatabaseHandle } from '@/db/types';
import { classifyDatabaseError, databaseErrorInfo } from '@/db/errors';
import { captureStep, purgeCaptureEvents, recordCaptureProblem } from '@/db/capture/run';

const LONGEST_PAUSE_MS = 30_000;
const PURGE_EVERY_MS = 3_600_000;
/** A backlog is worked through in steps, but never for longer than this without a pause. */
const BURST_MS = 5_000;

export function startCaptureWorker(
  open: () => Promise<DatabaseHandle>,
  options: { intervalMs: number; retentionDays: number },
): () => void {
  let stopped = false;
  let pause = options.intervalMs;
  let lastProblem = '';
  let lastPurge = 0;
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    try {
      const { db } = await open();
      const started = Date.now();
      for (;;) {
        const step = await captureStep(db);
        if (!step.ran || !step.more || stopped || Date.now() - started > BURST_MS) break;
      }
      if (Date.now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = Date.now();
        await purgeCaptureEvents(db, options.retentionDays);
      }
      pause = options.intervalMs;
      if (lastProblem) console.log('[pattern-ledger] capture running again');
      lastProblem = '';
    } catch (error) {
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
      const problem = databaseErrorInfo(error).message;
      if (problem !== lastProblem) {
        console.error(`[pattern-ledger] capture step failed (retrying): ${problem}`);
        lastProblem = problem;
      }
      if (!classifyDatabaseError(error)) {
        await open()
          .then(({ db }) => recordCaptureProblem(db, problem))
          .catch(() => {});
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), pause);
    timer?.unref();
  };
  timer = setTimeout(() => void tick(), options.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
