/**
 * `npm run secrets:reseal`: encrypts every stored secret (webhook signing secrets) under the
 * current AUTH_SECRET, reading those sealed before a rotation with AUTH_SECRET_PREVIOUS. The steps
 * of a rotation are in docs/security.md.
 */
import { resealStoredSecrets } from '../server/secret-box';
import { parseCli, runWithDatabase } from './cli';

parseCli(
  {},
  `Usage: AUTH_SECRET=<new> AUTH_SECRET_PREVIOUS=<old> npm run secrets:reseal
  Re-encrypts every stored webhook secret under AUTH_SECRET.`,
);

await runWithDatabase(1, async (handle) => {
  const changed = await resealStoredSecrets(handle.db);
  console.log(
    `re-encrypted ${changed} stored secret${changed === 1 ? '' : 's'} on ${handle.location}`,
  );
});
