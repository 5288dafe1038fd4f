/**
 * Real databases for tests: PGlite in memory always, and a fresh PostgreSQL database per test file
 * when TEST_DATABASE_URL names a server (the database in that URL is only used to create and drop
 * the per-file ones).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '@/db/client';
import type { DatabaseHandle } from '@/db/types';
import { PGLITE_MEMORY } from '@/db/client';
import { seedDemoData } from '@/db/seed/seed';

export type DirectKind = 'pglite' | 'postgres';
/** `pgbouncer`: the PostgreSQL test server through PgBouncer in transaction mode (pooled suites). */
export type DatabaseKind = DirectKind | 'pgbouncer';

/** The end of the demo period in tests, so figures do not depend on the day the tests run. */
export const TEST_ANCHOR = new Date('2026-03-02T12:00:00Z');

export const databaseKinds: DirectKind[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export type TestDatabase = DatabaseHandle & {
  dispose: () => Promise<void>;
  /** The connection URL of a PostgreSQL test database (for connections of its own). */
  url?: string;
};

/** An empty database, not migrated. */
export async function createEmptyDatabase(kind: DirectKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ kind: 'pglite', dir: PGLITE_MEMORY });
    return { ...handle, dispose: handle.close };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `pl_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 12 });
  return {
    ...handle,
    url: url.toString(),
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A migrated database, optionally filled with the demo data at TEST_ANCHOR. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { seed?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'pgbouncer') return pooledTestDatabase(options);
  const database = await createEmptyDatabase(kind);
  await database.migrate({ demoTables: true });
  if (options.seed) await seedDemoData(database.db, { anchor: TEST_ANCHOR });
  return database;
}

/**
 * A test database migrated (and seeded) over a direct connection, then used through PgBouncer in
 * transaction mode, as the app runs with DB_POOLER=pgbouncer (tests/support/global-pgbouncer.ts).
 */
async function pooledTestDatabase(options: { seed?: boolean }): Promise<TestDatabase> {
  const direct = await createTestDatabase('postgres', options);
  const bouncer = new URL(process.env.TEST_PGBOUNCER_URL!);
  const url = new URL(direct.url!);
  url.hostname = bouncer.hostname;
  url.port = bouncer.port;
  const pooled = await openDatabase({
    kind: 'postgres',
    url: url.toString(),
    poolMax: 12,
    pooler: 'pgbouncer',
  });
  return {
    ...pooled,
    url: url.toString(),
    dispose: async () => {
      await pooled.close();
      await direct.dispose();
    },
  };
}

/**
 * Runs the same suite once per available database. `get()` returns the open database inside tests.
 * `pooled` suites run once more through PgBouncer when the run has one (TEST_PGBOUNCER_URL).
 */
export function describeEachDatabase(
  title: string,
  options: { seed?: boolean; pooled?: boolean },
  suite: (get: () => TestDatabase, kind: DatabaseKind) => void,
): void {
  const kinds: DatabaseKind[] =
    options.pooled && process.env.TEST_PGBOUNCER_URL
      ? [...databaseKinds, 'pgbouncer']
      : databaseKinds;
  for (const kind of kinds) {
    describe(`${title} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind, options);
      });
      afterAll(async () => {
        await database?.dispose();
      });
      suite(() => {
        if (!database) throw new Error('database not open');
        return database;
      }, kind);
    });
  }
}

/** Makes the app's process-wide database (what pages and actions use) this test database. */
export function useAsAppDatabase(database: DatabaseHandle): void {
  const app = globalThis as {
    __patternLedgerDb?: Promise<DatabaseHandle>;
    __patternLedgerAuth?: unknown;
  };
  app.__patternLedgerDb = Promise.resolve(database);
  // Sign-in is bound to the database it was opened on.
  app.__patternLedgerAuth = undefined;
}
