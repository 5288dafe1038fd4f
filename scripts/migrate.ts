/**
 * `npm run db:migrate`: migrates Pattern Ledger's own schema and attaches it to the agents'
 * tables. `-- --dry-run` lists what it would add (to the agents' tables above all), with an
 * estimate of the time, and changes nothing.
 */
import { migrateDatabase } from '../db/setup/migrate';
import { parseCli, runWithDatabase } from './cli';

const usage = `Usage: npm run db:migrate [-- --dry-run]
  --dry-run  list what would be created, on the agents' tables and in the pattern_ledger schema`;
const args = parseCli({ 'dry-run': { type: 'boolean' } }, usage);
await runWithDatabase(2, async (handle) => {
  if (args['dry-run']) {
    const report = await migrateDatabase(handle, { dryRun: true });
    console.log(`${handle.location}: a dry run, nothing is changed.`);
    if (report.steps.length === 0) {
      console.log('Nothing to do: migrated and attached.');
      return;
    }
    const agents = report.steps.filter((step) => step.on === 'agents');
    const own = report.steps.filter((step) => step.on === 'ledger');
    console.log(`\nOn the agents' tables (${agents.length}):`);
    for (const step of agents)
      console.log(`  - ${step.title}${step.estimate ? `\n      ${step.estimate}` : ''}`);
    if (agents.length === 0) console.log('  nothing');
    console.log(`\nIn Pattern Ledger's own schema (${own.length}):`);
    for (const step of own)
      console.log(`  - ${step.title}${step.estimate ? `\n      ${step.estimate}` : ''}`);
    return;
  }
  console.log(`migrating ${handle.location}`);
  const report = await migrateDatabase(handle, {
    log: (message) => console.log(`  ${message}`),
  });
  console.log(report.steps.length === 0 ? 'nothing to do: migrated and attached' : 'done');
});
