import 'server-only';
import { getFiringCounts } from '@/db/queries/alerts';
import type { FiringCounts } from '@/lib/alerts/metrics';
import { getDb } from '../database';

/** For the header's badge: rules firing now; none when the database cannot say. */
export async function firingCounts(): Promise<FiringCounts | undefined> {
  try {
    return await getFiringCounts(await getDb());
  } catch {
    return undefined;
  }
}
