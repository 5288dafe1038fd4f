import 'server-only';
import type { Database } from '@/db/types';
import { countAccounts } from '@/db/queries/users';
import { DEMO_PASSWORD } from '@/lib/password-policy';

/** The embedded demo's admin; stated in the README and the console. Never created with DATABASE_URL. */
export const DEMO_ADMIN = {
  email: 'admin@pattern-ledger.local',
  password: DEMO_PASSWORD,
  name: 'Demo admin',
} as const;

/** Creates the demo admin when the embedded database has no account at all; true if it did. */
export async function ensureDemoAdmin(
  db: Database,
  createAdmin: (user: typeof DEMO_ADMIN & { role: 'admin' }) => Promise<unknown>,
): Promise<boolean> {
  if ((await countAccounts(db)) > 0) return false;
  await createAdmin({ ...DEMO_ADMIN, role: 'admin' });
  return true;
}
