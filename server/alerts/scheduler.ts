/**
 * The alert loops every app process runs (server-start.ts): evaluating due rules and reports every
 * few seconds, and sending the outbox. Coordination is the database's (row locks with SKIP LOCKED
 * and leases), so any number of processes, or the embedded demo's one, run the same code; see
 * docs/alerts.md for why this is not a job library.
 */
import type { DatabaseHandle } from '@/db/types';
import { databaseErrorInfo } from '@/db/errors';
import { deliverDue } from './deliver';
import { evaluateDueRules } from './evaluate';
import { runDueReports } from './reports';
import type { Senders } from './send';

const EVALUATE_EVERY_MS = 5_000;
const DELIVER_EVERY_MS = 1_000;
/** Batches of sends in flight at once in one process; each batch's rows are leased. */
const MAX_BATCHES_IN_FLIGHT = 4;

export function startAlertScheduler(
  open: () => Promise<DatabaseHandle>,
  config: { senders: Senders; origin: string | undefined },
): () => void {
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  // Each loop says a problem once, not at every tick while it lasts.
  const lastProblem = new Map<string, string>();
  const report = (what: string, error: unknown) => {
    const problem = databaseErrorInfo(error).message;
    if (lastProblem.get(what) !== problem) console.error(`[pattern-ledger] ${what}: ${problem}`);
    lastProblem.set(what, problem);
  };
  const recovered = (what: string) => lastProblem.delete(what);

  const loop = (everyMs: number, tick: () => Promise<void>) => {
    const run = async () => {
      await tick();
      if (!stopped) timers.push(setTimeout(() => void run(), everyMs).unref());
    };
    timers.push(setTimeout(() => void run(), everyMs).unref());
  };

  loop(EVALUATE_EVERY_MS, async () => {
    try {
      const { db } = await open();
      const now = new Date();
      await evaluateDueRules(db, now, { origin: config.origin });
      await runDueReports(db, now, { origin: config.origin });
      recovered('alert evaluation failed');
    } catch (error) {
      report('alert evaluation failed', error);
    }
  });

  let inFlight = 0;
  loop(DELIVER_EVERY_MS, () => {
    if (inFlight >= MAX_BATCHES_IN_FLIGHT) return Promise.resolve();
    inFlight++;
    // Not awaited: a slow batch must not hold up the next claim.
    void open()
      .then(({ db }) => deliverDue(db, new Date(), { senders: config.senders, limit: 20 }))
      .then(() => recovered('alert delivery failed'))
      .catch((error: unknown) => report('alert delivery failed', error))
      .finally(() => inFlight--);
    return Promise.resolve();
  });

  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}
