import 'server-only';
import { cookies } from 'next/headers';
import { openDatabase } from '@/db/client';
import { enableReadCache } from '@/db/read-cache';
import { currentLogPosition, replayPosition } from '@/db/replication';
import { readingFromPrimaryWhenUnreachable } from '@/db/read-fallback';
import type { Database, DatabaseHandle } from '@/db/types';
import { lsnReached, parseLsn } from '@/lib/lsn';
import { settings } from './settings';

/**
 * Reads from a streaming replica (DATABASE_READ_URL): page reads, exports and the read API.
 * Writes, sign-in, sessions, API-key checks and transactions stay on the primary.
 *
 * Read your writes: after a person's action writes, the primary's log position is kept in a
 * cookie, and that person's reads go to the primary until the replica has replayed past it. They
 * never wait for a lagging replica, and read from it again as soon as it has caught up. A replica
 * that does not answer is left alone for a few seconds and the primary serves meanwhile; a read
 * that finds it gone is answered by the primary at once.
 */

export const WRITTEN_LSN_COOKIE = 'pl_written_lsn';
/** How long a write's position is kept (a replica further behind is shown as lagging anyway). */
const WRITTEN_LSN_SECONDS = 300;
/** How long a reading of the replica's state is trusted, up and down. */
const FRESH_MS = 1000;
const RETRY_DOWN_MS = 5000;

export type ReplicaReading =
  | { up: true; replayLsn: string; lagSeconds: number; at: number }
  | { up: false; at: number; reason: string };

type Replica = {
  handle: Promise<DatabaseHandle>;
  reading: ReplicaReading | null;
  checking: Promise<ReplicaReading> | null;
  /** Page reads: the replica, or the primary for a read that cannot reach it. */
  reads: Database | null;
};

const app = globalThis as typeof globalThis & { __patternLedgerReplica?: Replica | null };

function replica(): Replica | null {
  if (app.__patternLedgerReplica !== undefined) return app.__patternLedgerReplica;
  const env = settings();
  app.__patternLedgerReplica = env.databaseReadUrl
    ? {
        // Its own read cache, keyed by the replica's snapshots.
        handle: openDatabase({
          kind: 'postgres',
          url: env.databaseReadUrl,
          poolMax: env.poolMax,
          statementTimeoutMs: env.statementTimeoutMs,
        }).then((handle) => {
          enableReadCache(handle.db);
          return handle;
        }),
        reading: null,
        checking: null,
        reads: null,
      }
    : null;
  return app.__patternLedgerReplica;
}

/** For tests: forget the replica (and its state) so that the settings are read again. */
export async function resetReplica(): Promise<void> {
  const current = app.__patternLedgerReplica;
  app.__patternLedgerReplica = undefined;
  if (current) await (await current.handle).close().catch(() => {});
}

async function readState(primary: Database, standby: Database): Promise<ReplicaReading> {
  const at = Date.now();
  try {
    const [replayed, current] = await Promise.all([
      replayPosition(standby),
      currentLogPosition(primary),
    ]);
    if (!replayed?.lsn || !current) return { up: false, at, reason: 'no log position' };
    // Behind: as far as the time since the last transaction it replayed (0 when caught up).
    const lagSeconds = lsnReached(replayed.lsn, current) ? 0 : Math.max(0, replayed.since ?? 0);
    return { up: true, replayLsn: replayed.lsn, lagSeconds, at };
  } catch (error) {
    return { up: false, at, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The replica's state, read at most once a second (every five while it is down). */
async function replicaReading(target: Replica, primary: Database): Promise<ReplicaReading> {
  const last = target.reading;
  const now = Date.now();
  if (last && now - last.at < (last.up ? FRESH_MS : RETRY_DOWN_MS)) return last;
  target.checking ??= (async () => {
    const reading = await readState(primary, (await target.handle).db);
    record(target, reading);
    target.checking = null;
    return reading;
  })();
  return target.checking;
}

function record(target: Replica, reading: ReplicaReading): void {
  if (!reading.up && target.reading?.up !== false)
    console.error(
      `[pattern-ledger] read replica unavailable, reading from the primary: ${reading.reason}`,
    );
  target.reading = reading;
}

/** The replica's reads; one that fails to connect marks it down and is answered by the primary. */
async function replicaReads(target: Replica, primary: Database): Promise<Database> {
  target.reads ??= readingFromPrimaryWhenUnreachable((await target.handle).db, primary, (reason) =>
    record(target, { up: false, at: Date.now(), reason }),
  );
  return target.reads;
}

export type ReadTarget = {
  db: Database;
  source: 'primary' | 'replica';
  /** How far behind the primary the replica is, when the read goes to it. */
  lagSeconds: number | null;
};

/** Where this request's reads go: the replica when it is up and has this person's writes. */
export async function readTarget(primary: Database): Promise<ReadTarget> {
  const target = replica();
  if (!target) return { db: primary, source: 'primary', lagSeconds: null };
  const reading = await replicaReading(target, primary);
  if (!reading.up) return { db: primary, source: 'primary', lagSeconds: null };
  const written = await writtenLsn();
  if (written && !lsnReached(reading.replayLsn, written))
    return { db: primary, source: 'primary', lagSeconds: null };
  return {
    db: await replicaReads(target, primary),
    source: 'replica',
    lagSeconds: reading.lagSeconds,
  };
}

async function writtenLsn(): Promise<string | null> {
  try {
    const value = (await cookies()).get(WRITTEN_LSN_COOKIE)?.value;
    return value && parseLsn(value) !== null ? value : null;
  } catch {
    // Outside a request (scripts, the alert scheduler): no person to read their writes.
    return null;
  }
}

/**
 * After a person's write: their reads stay on the primary until the replica has replayed it.
 * Nothing to do without a replica.
 */
export async function rememberWrite(primary: Database): Promise<void> {
  if (!replica()) return;
  const lsn = await currentLogPosition(primary);
  if (!lsn) return;
  (await cookies()).set(WRITTEN_LSN_COOKIE, lsn, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: WRITTEN_LSN_SECONDS,
  });
}
