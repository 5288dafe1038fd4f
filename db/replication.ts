import 'server-only';
/**
 * Where a primary and its streaming replica stand in the write-ahead log (server/read-replica.ts
 * decides from them where reads go). Read uncached: they change with every write.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './types';
import { queryRows } from './sql';

/** The primary's current log position. */
export async function currentLogPosition(primary: Database): Promise<string | null> {
  const [row] = await queryRows<{ lsn: string }>(
    primary,
    sql`SELECT pg_current_wal_lsn()::text AS lsn`,
  );
  return row?.lsn ?? null;
}

export type ReplayPosition = { standby: boolean; lsn: string | null; since: number | null };

/** How far a replica has replayed, and how long ago its last replayed transaction was. */
export async function replayPosition(standby: Database): Promise<ReplayPosition | null> {
  const [row] = await queryRows<ReplayPosition>(
    standby,
    sql`SELECT pg_is_in_recovery() AS standby,
      coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text AS lsn,
      extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS since`,
  );
  return row ?? null;
}
