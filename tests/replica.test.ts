/**
 * Reading from a streaming replica (DATABASE_READ_URL): a real primary and a real hot standby
 * (initdb, pg_basebackup -R, two ports). Page reads go to the replica, writes to the primary; a
 * person reads their own write at once while the replica lags; the primary serves while the replica
 * is down, and the replica again once it is back. Skipped where no private server can be run.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/db/client';
import { readCacheStats } from '@/db/read-cache';
import { getSavingsEntry } from '@/db/queries/savings';
import { getLeaderboard } from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { seedDemoData } from '@/db/seed/seed';
import { queryRows } from '@/db/sql';
import type { Database, DatabaseHandle } from '@/db/types';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { lsnReached, parseLsn } from '@/lib/lsn';
import { saveNote } from '@/server/actions/notes';
import { getAuth } from '@/server/auth/auth';
import { readTarget, resetReplica, WRITTEN_LSN_COOKIE } from '@/server/read-replica';
import { reloadSettings } from '@/server/settings';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from '../e2e/support/private-postgres';
import { useAsAppDatabase } from './support/databases';
import { freePort } from './support/ports';
import { actWithHeaders, cookiesSet, nextHeadersModule, signInAs } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

describe('log positions', () => {
  it('compare as 64-bit numbers, a malformed one never reached', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(lsnReached('16/B374D848', '16/B374D848')).toBe(true);
    expect(lsnReached('17/0', 'F/FFFFFFFF')).toBe(true);
    expect(lsnReached('0/9', '0/10')).toBe(false);
    for (const bad of ['', '16', '16/', 'G/1', '1/2/3', '123456789/0'])
      expect([parseLsn(bad), lsnReached(bad, '0/0'), lsnReached('0/0', bad)]).toEqual([
        null,
        false,
        false,
      ]);
  });
});

const unavailable = privatePostgresUnavailable();
const SETTINGS = ['DATABASE_URL', 'DATABASE_READ_URL', 'AUTH_SECRET'] as const;

const inRecovery = async (db: Database) =>
  (await queryRows<{ standby: boolean }>(db, sql`SELECT pg_is_in_recovery() AS standby`))[0]!
    .standby;

describe.skipIf(unavailable !== null)('reading from a streaming replica', () => {
  let primary: PrivatePostgres;
  let standby: PrivatePostgres;
  let handle: DatabaseHandle;
  let replicaAdmin: DatabaseHandle;
  const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));
  const source = async () => (await readTarget(handle.db)).source;

  beforeAll(async () => {
    primary = startPrivatePostgres(await freePort());
    handle = await openDatabase({ kind: 'postgres', url: primary.url('postgres') });
    await handle.migrate({ demoTables: true });
    await seedDemoData(handle.db, { scale: 0.2 });
    standby = primary.replicate(await freePort());
    replicaAdmin = await openDatabase({ kind: 'postgres', url: standby.url('postgres') });
    process.env.DATABASE_URL = primary.url('postgres');
    process.env.DATABASE_READ_URL = standby.url('postgres');
    process.env.AUTH_SECRET = 'replica-test-secret-replica-test-secret-01';
    reloadSettings();
    await resetReplica();
    useAsAppDatabase(handle);
  }, 180_000);

  afterAll(async () => {
    await resetReplica();
    await replicaAdmin?.close();
    await handle?.close();
    standby?.destroy();
    primary?.destroy();
    for (const name of SETTINGS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    reloadSettings();
  });

  it('sends page reads to the replica, with a read cache of its own, and writes to the primary', async () => {
    await expect.poll(source, { timeout: 15_000 }).toBe('replica');
    const target = await readTarget(handle.db);
    expect(await inRecovery(target.db)).toBe(true);
    expect(await inRecovery(handle.db)).toBe(false);
    const range = await resolvePageRange(target.db, { range: 'all' });
    const read = await getLeaderboard(target.db, range, parseLeaderboardParams({}));
    const truth = await getLeaderboard(handle.db, range, parseLeaderboardParams({}));
    expect(read.totalOccurrences).toBe(truth.totalOccurrences);
    expect(read.totalOccurrences).toBeGreaterThan(0);
    expect(readCacheStats(target.db)).toBeDefined();
  });

  it('shows a person their own note at once while the replica lags, and reads the replica again once it caught up', async () => {
    await signInAs(await getAuth(), 'editor');
    const session = (await nextHeadersModule.headers()).get('cookie')!;
    const [entry] = await queryRows<{ id: number; notes: string | null }>(
      handle.db,
      sql`SELECT id::int AS id, notes FROM cost_savings_log ORDER BY id LIMIT 1`,
    );
    await replicaAdmin.db.execute(sql`SELECT pg_wal_replay_pause()`);
    try {
      const note = `read your writes ${Date.now()}`;
      expect(await saveNote({ id: entry!.id, expected: entry!.notes, note })).toMatchObject({
        ok: true,
      });
      const written = cookiesSet.get(WRITTEN_LSN_COOKIE);
      expect(written).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      // The writer's next request carries the write's position: the primary answers.
      actWithHeaders({ cookie: `${session}; ${WRITTEN_LSN_COOKIE}=${written}` });
      await expect.poll(source, { timeout: 5000 }).toBe('primary');
      const mine = await readTarget(handle.db);
      expect((await getSavingsEntry(mine.db, entry!.id))?.notes).toBe(note);

      // Anyone else still reads the paused replica, which does not have it yet, and is told it lags.
      actWithHeaders({ cookie: session });
      const theirs = await readTarget(handle.db);
      expect(theirs.source).toBe('replica');
      expect((await getSavingsEntry(theirs.db, entry!.id))?.notes).not.toBe(note);
      await expect
        .poll(async () => (await readTarget(handle.db)).lagSeconds, { timeout: 5000 })
        .toBeGreaterThan(0);

      // Replayed: the writer reads the replica again, and it has the note.
      await replicaAdmin.db.execute(sql`SELECT pg_wal_replay_resume()`);
      actWithHeaders({ cookie: `${session}; ${WRITTEN_LSN_COOKIE}=${written}` });
      await expect.poll(source, { timeout: 10_000 }).toBe('replica');
      const again = await readTarget(handle.db);
      expect((await getSavingsEntry(again.db, entry!.id))?.notes).toBe(note);
      expect(again.lagSeconds).toBe(0);
    } finally {
      await replicaAdmin.db.execute(sql`SELECT pg_wal_replay_resume()`).catch(() => {});
    }
  });

  it('serves from the primary while the replica is stopped, and from the replica once it is back', async () => {
    actWithHeaders({});
    await expect.poll(source, { timeout: 10_000 }).toBe('replica');
    const chosenBefore = await readTarget(handle.db);
    standby.stop();
    // A read sent to the replica just before it stopped is answered by the primary, and marks
    // the replica down at once (no wait for the next reading of its state).
    expect(chosenBefore.source).toBe('replica');
    expect(await inRecovery(chosenBefore.db)).toBe(false);
    expect(await source()).toBe('primary');
    const target = await readTarget(handle.db);
    const range = await resolvePageRange(target.db, { range: 'all' });
    expect(
      (await getLeaderboard(target.db, range, parseLeaderboardParams({}))).totalOccurrences,
    ).toBeGreaterThan(0);
    standby.start();
    await expect.poll(source, { timeout: 20_000, interval: 500 }).toBe('replica');
  });
});
