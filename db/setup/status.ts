/**
 * Whether this database is ready to be shown: Pattern Ledger's schema migrated, attached to the
 * agents' tables (journals, functions, triggers), and how far the folder is behind.
 */
import { sql } from 'drizzle-orm';
import { missingRequirements, readTrackingCatalog } from '../catalog';
import type { DatabaseHandle } from '../types';
import { pendingMigrations } from './migrate';
import { pendingChanges } from '../rollups/runner';
import { queryRows } from '../sql';
import { planAttach } from './plan';

export type AttachStatus = {
  /** Migrated and attached: pages can be shown. */
  ready: boolean;
  /** What keeps it from being ready, and what to do. */
  problems: string[];
  /** Indexes Pattern Ledger would add (pages work without them, more slowly). */
  missingIndexes: number;
  /** Journal rows not folded yet (pages count them anyway). */
  pendingChanges: number;
  lastFold: string | null;
  lastFoldError: string | null;
};

const MIGRATE = 'run `npm run db:migrate` (`-- --dry-run` first lists what it adds)';

export async function attachStatus(handle: DatabaseHandle): Promise<AttachStatus> {
  const problems: string[] = [];
  const catalog = await readTrackingCatalog(handle.db);
  problems.push(...missingRequirements(catalog));
  const migrations = await pendingMigrations(handle);
  if (migrations.length > 0)
    problems.push(
      `${migrations.length} migrations of Pattern Ledger's schema are pending: ${MIGRATE}`,
    );
  const notReady = (missingIndexes = 0): AttachStatus => ({
    ready: false,
    problems,
    missingIndexes,
    pendingChanges: 0,
    lastFold: null,
    lastFoldError: null,
  });
  if (problems.length > 0) return notReady();
  const plan = await planAttach(handle.db, catalog, handle.kind);
  const missingIndexes = plan.steps.filter((step) => step.kind === 'index').length;
  const unattached = plan.steps.filter((step) => step.kind !== 'index' && step.kind !== 'rebuild');
  if (unattached.length > 0) {
    problems.push(
      `not attached to the agents' tables (${unattached.map((step) => step.title.split(':')[0]).join('; ')}): ${MIGRATE}`,
    );
    return notReady(missingIndexes);
  }
  const [state] = await queryRows<{ folded: string | null; error: string | null }>(
    handle.db,
    sql`SELECT folded_at::text AS folded, last_error AS error FROM pattern_ledger.fold_state WHERE id = 1`,
  );
  return {
    ready: true,
    problems,
    missingIndexes,
    pendingChanges: await pendingChanges(handle.db),
    lastFold: state?.folded ?? null,
    lastFoldError: state?.error ?? null,
  };
}
