/** `npm run db:migrate`: applies pending migrations to the configured database. */
import { openDatabase } from '../db/client';
import { parseEnv } from '../db/env';
import { runMain } from './cli';

await runMain(async () => {
  const env = parseEnv();
  const handle = env.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: env.databaseUrl, poolMax: 1 })
    : await openDatabase({ kind: 'pglite', dir: env.pgliteDir });
  try {
    console.log(`migrating ${handle.location}`);
    await handle.migrate();
    console.log('migrations applied');
  } finally {
    await handle.close();
  }
});
