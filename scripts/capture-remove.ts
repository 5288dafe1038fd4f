/**
 * `npm run capture:remove [-- --rule ID]`: takes back every occurrence, savings entry and created
 * pattern capture derived (or one rule's occurrences), leaving the agents' own rows as they are.
 * Capture keeps running: run it with CAPTURE=off on the servers, or turn the rules off first, if
 * nothing should be derived again.
 */
import { removeDerived } from '../db/capture/remove';
import { parseCli, runWithDatabase } from './cli';

const usage = `Usage: npm run capture:remove [-- --rule ID]
  Removes what capture derived from the tracking tables (all of it, or one rule's occurrences).`;

const args = parseCli({ rule: { type: 'string' } }, usage);
const rule = args.rule === undefined ? undefined : Number(args.rule);
if (rule !== undefined && !(Number.isSafeInteger(rule) && rule > 0)) {
  console.error(`--rule must be a rule's id, not "${args.rule}"\n\n${usage}`);
  process.exit(2);
}

await runWithDatabase(1, async (handle) => {
  const removed = await removeDerived(handle.db, rule);
  console.log(
    `removed ${removed.occurrences} occurrences, ${removed.savings} savings entries and ${removed.patterns} patterns capture had derived${rule ? ` (rule ${rule})` : ''} on ${handle.location}`,
  );
});
