/** `npm run db:seed`: fills the configured database with deterministic demo data. */
import { seedDemoCapture, seedDemoData } from '../db/seed/seed';
import { parseCli, runWithDatabase } from './cli';

const usage = `Usage: npm run db:seed -- [--scale N] [--seed N] [--anchor ISO-TIME] [--reset]
  --scale N    multiply workflows, occurrences and savings by N (default 1)
  --seed N     random seed (default 20251217); the same seed and anchor give the same rows
  --anchor T   end of the 120-day demo period (default: the current hour, UTC)
  --reset      empty the five tracking tables first (otherwise a database with rows is left alone)`;

const args = parseCli(
  {
    scale: { type: 'string' },
    seed: { type: 'string' },
    anchor: { type: 'string' },
    reset: { type: 'boolean' },
  },
  usage,
);

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number (got '${value}')\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

const scale = positiveInt('scale', args.scale);
const seed = positiveInt('seed', args.seed);
const anchor = args.anchor === undefined ? undefined : new Date(args.anchor);
if (anchor && Number.isNaN(anchor.getTime())) {
  console.error(`--anchor must be an ISO date-time (got '${args.anchor}')\n\n${usage}`);
  process.exit(2);
}

await runWithDatabase(1, async (handle) => {
  await handle.migrate({ demoTables: true });
  const started = Date.now();
  const result = await seedDemoData(handle.db, {
    scale,
    seed,
    anchor,
    reset: args.reset,
    onProgress: (message) => console.log(`seed: ${message}`),
  });
  const captured = await seedDemoCapture(handle.db, anchor);
  if (captured > 0) console.log(`seed: ${captured} captured events for the capture step`);
  if (result.status === 'skipped')
    console.log(`${handle.location}: nothing to do, ${result.reason}`);
  else console.log(`${handle.location}: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
