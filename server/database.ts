import 'server-only';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, PGLITE_MEMORY } from '@/db/client';
import { DatabaseUnavailableError } from '@/db/errors';
import { enableReadCache } from '@/db/read-cache';
import { seedDemoCapture, seedDemoData } from '@/db/seed/seed';
import type { Database, DatabaseHandle } from '@/db/types';
import { cache as perRequest } from 'react';
import { readTarget, type ReadTarget } from './read-replica';
import { resealStoredSecrets } from './secret-box';
import { settings } from './settings';

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite,
 * which is migrated on first use and filled with demo data when it is new.
 */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const env = settings();
  if (env.databaseUrl) {
    return openDatabase({
      kind: 'postgres',
      url: env.databaseUrl,
      poolMax: env.poolMax,
      statementTimeoutMs: env.statementTimeoutMs,
      ...(env.pooler ? { pooler: env.pooler } : {}),
    });
  }
  const isNew =
    env.pgliteDir === PGLITE_MEMORY || !existsSync(path.join(env.pgliteDir, 'PG_VERSION'));
  const handle = await openDatabase({ kind: 'pglite', dir: env.pgliteDir });
  await handle.migrate({ demoTables: isNew });
  if (isNew) {
    console.log(`[pattern-ledger] new embedded database at ${env.pgliteDir}: adding demo data…`);
    await seedDemoData(handle.db, {
      onProgress: (message) => console.log(`[pattern-ledger] seed: ${message}`),
    });
    await seedDemoCapture(handle.db);
  }
  return handle;
}

const cache = globalThis as typeof globalThis & {
  __patternLedgerDb?: Promise<DatabaseHandle>;
};

/** The process-wide database, opened once and kept across hot reloads. */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!cache.__patternLedgerDb) {
    cache.__patternLedgerDb = openConfiguredDatabase().then(
      async (handle) => {
        enableReadCache(handle.db);
        await resealStoredSecrets(handle.db).catch((error: unknown) =>
          console.error(`[pattern-ledger] stored secrets: ${(error as Error).message}`),
        );
        return handle;
      },
      (error: unknown) => {
        // Let the next request try again (e.g. once the server is up or the lock is released).
        cache.__patternLedgerDb = undefined;
        console.error(`[pattern-ledger] database not ready: ${(error as Error).message}`);
        throw new DatabaseUnavailableError((error as Error).message, undefined, { cause: error });
      },
    );
  }
  return cache.__patternLedgerDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/**
 * Where this request's page reads go (the replica when one is set, up, and has the person's
 * writes; else the primary), decided once per request.
 */
export const getReadTarget = perRequest(async (): Promise<ReadTarget> => readTarget(await getDb()));

/** The database page reads, exports and the read API use (server/read-replica.ts). */
export async function getReadDb(): Promise<Database> {
  return (await getReadTarget()).db;
}
