import { getDatabase } from './server/database';
import { settings } from './server/settings';
import { startRollupFolder } from './server/rollup-folder';
import { startCaptureWorker } from './server/capture/worker';
import { startAlertScheduler } from './server/alerts/scheduler';
import { sendersFrom } from './server/alerts/send';

/** Runs once when the Node.js server starts: a malformed setting stops start-up with a clear message. */
export function startServer(): void {
  let env;
  try {
    env = settings();
  } catch (error) {
    console.error(`[pattern-ledger] ${(error as Error).message}`);
    process.exit(1);
  }
  startRollupFolder(getDatabase, env.foldIntervalMs);
  if (env.captureEnabled) {
    startCaptureWorker(getDatabase, {
      intervalMs: env.captureIntervalMs,
      retentionDays: env.captureRetentionDays,
    });
  }
  if (env.alertsEnabled) {
    startAlertScheduler(getDatabase, {
      senders: sendersFrom(env),
      origin: env.authUrl ?? env.ownOrigin,
    });
  }
  // Open (and for a new embedded database migrate and seed) now rather than on the first request.
  getDatabase().then(
    (database) => console.log(`[pattern-ledger] database: ${database.location}`),
    (error: unknown) =>
      console.error(`[pattern-ledger] database not ready: ${(error as Error).message}`),
  );
}
