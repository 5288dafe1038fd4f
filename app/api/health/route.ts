import { attachStatus, type AttachStatus } from '@/db/setup/status';
import { getDatabase } from '@/server/database';
import { classifyDatabaseError } from '@/db/errors';

export const dynamic = 'force-dynamic';

/** Checked at most this often per process: the check reads the catalog a few times. */
const FRESH_MS = 5_000;
let last: { at: number; status: AttachStatus } | undefined;

/**
 * Readiness: `ok` only when the database answers and is migrated and attached; 503 with the reason
 * while it is away, migrations are pending, or its tables lack what every page reads.
 */
export async function GET() {
  try {
    const database = await getDatabase();
    if (!last || Date.now() - last.at > FRESH_MS)
      last = { at: Date.now(), status: await attachStatus(database) };
    const { status } = last;
    const rollups = {
      pendingChanges: status.pendingChanges,
      lastFold: status.lastFold,
      lastFoldError: status.lastFoldError,
      missingIndexes: status.missingIndexes,
    };
    if (!status.ready) {
      return Response.json(
        { status: 'not_ready', database: database.kind, problems: status.problems },
        { status: 503 },
      );
    }
    return Response.json({ status: 'ok', database: database.kind, rollups });
  } catch (error) {
    last = undefined;
    return Response.json(
      {
        status: 'unavailable',
        problems: [classifyDatabaseError(error)?.message ?? 'The database check failed.'],
      },
      { status: 503 },
    );
  }
}
