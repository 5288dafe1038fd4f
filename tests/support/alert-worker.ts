/**
 * One alert process for the crash tests: evaluates or delivers once at a given moment against a
 * PostgreSQL database, and kills itself (SIGKILL, no clean-up) at the named step.
 *   tsx --conditions=react-server tests/support/alert-worker.ts <database url> <evaluate|deliver> <now ISO> <kill step|none> [receiver origin]
 */
import { openDatabase } from '@/db/client';
import { deliverDue } from '@/server/alerts/deliver';
import { evaluateDueRules } from '@/server/alerts/evaluate';
import { RECEIVERS } from './receivers';

const [url, action, now, killAt] = process.argv.slice(2);
const die = () => {
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
};

const handle = await openDatabase({ kind: 'postgres', url: url!, poolMax: 2 });
const at = new Date(now!);
if (action === 'evaluate') {
  const done = await evaluateDueRules(handle.db, at, {
    beforeCommit: killAt === 'before-commit' ? die : undefined,
  });
  if (killAt === 'after-commit') await die();
  console.log(JSON.stringify({ evaluated: done.length }));
} else {
  const outcomes = await deliverDue(handle.db, at, {
    senders: { mail: { smtpUrl: undefined, from: 'x@example.test' }, webhooks: RECEIVERS },
    limit: 100,
    afterSend: killAt === 'after-send' ? die : undefined,
  });
  console.log(JSON.stringify({ sent: outcomes.filter((o) => o.ok).length }));
}
await handle.close();
