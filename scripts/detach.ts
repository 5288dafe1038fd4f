/**
 * `npm run db:detach`: removes everything Pattern Ledger added to the database (the triggers and
 * indexes on the agents' tables, then its own schema with its accounts, keys and histories). The
 * agents' tables keep every row. Asks first; `-- --yes` does not ask, `-- --dry-run` only lists.
 */
import { createInterface } from 'node:readline/promises';
import { applyPlan } from '../db/setup/apply';
import { planDetach } from '../db/setup/detach';
import { parseCli, runWithDatabase } from './cli';

const usage = `Usage: npm run db:detach [-- --yes | --dry-run]
  --yes      do not ask before removing
  --dry-run  list what would be removed, and remove nothing`;
const args = parseCli({ yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } }, usage);
await runWithDatabase(2, async (handle) => {
  const steps = await planDetach(handle.db, handle.kind);
  if (steps.length === 0) {
    console.log(`${handle.location}: nothing of Pattern Ledger's is there.`);
    return;
  }
  console.log(`${handle.location}: detaching removes`);
  for (const step of steps) console.log(`  - ${step.title}`);
  console.log(
    "The agents' tables and their rows stay as they are. Stop Pattern Ledger's servers first.",
  );
  if (args['dry-run']) return;
  if (!args.yes) {
    if (!process.stdin.isTTY)
      throw new Error('not a terminal: pass --yes to detach without asking');
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question('Type "detach" to go on: ');
    prompt.close();
    if (answer.trim() !== 'detach') {
      console.log('nothing removed');
      return;
    }
  }
  await applyPlan(handle.db, { steps, rebuild: false }, (title) => console.log(`  ${title}: done`));
  console.log('detached');
});
