import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { PGLITE_MEMORY, parseEnv } from './env';
import { DatabaseUnavailableError } from './errors';
import { migrateDatabase, type MigrateOptions } from './migrate';
import { lockDataDir } from './pglite-lock';
import { enableReadCache } from './read-cache';
import * as schema from './schema';
import { LEDGER_SCHEMA } from './schema';
import { seedDemoData } from './seed/seed';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseHandle = {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, without credentials: shown on error pages and in logs. */
  location: string;
  /** Migrates Pattern Ledger's schema and attaches it to the agents' tables (db/migrate.ts). */
  migrate: (options?: MigrateOptions) => Promise<void>;
  /** Applies the migrations in `migrations/` that have not run yet (Pattern Ledger's schema only). */
  migrateSchema: () => Promise<void>;
  close: () => Promise<void>;
};

export type OpenOptions =
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      /** Cancels any statement running longer (ms); unset: no limit (migrations, seeding). */
      statementTimeoutMs?: number;
    }
  | { kind: 'pglite'; dir: string };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'migrations');
const MIGRATION_CONFIG = {
  migrationsFolder: MIGRATIONS_FOLDER,
  migrationsSchema: LEDGER_SCHEMA,
  migrationsTable: '__drizzle_migrations',
};

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.kind === 'postgres') {
    const { url, socketDir } = splitSocketDir(options.url);
    const client = postgres(url, {
      ...(socketDir ? { host: socketDir } : {}),
      max: options.poolMax ?? 10,
      connection: {
        // Stored times without a zone are UTC; timestamptz columns are read in UTC too.
        TimeZone: 'UTC',
        // The rollup queries join small span lists to large tables; their cost estimates are
        // far above their real work, and JIT compilation would take longer than the query.
        jit: 'off',
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
      // bigint as PGlite returns it: a number while it is exact, a BigInt beyond 2^53.
      types: {
        bigint: {
          to: 20,
          from: [20],
          serialize: (value: number | bigint) => value.toString(),
          parse: (value: string) => {
            const n = Number(value);
            return Number.isSafeInteger(n) ? n : BigInt(value);
          },
        },
      },
      // Fail fast while the server is away, and be back within a second of its return: a refused
      // or silent connection fails in 2 s, and reconnecting waits at most half a second
      // (postgres.js's default grows to 20 s, which left requests hanging after an outage).
      connect_timeout: 2,
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
      idle_timeout: 30,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema });
    const handle: DatabaseHandle = {
      db: db,
      kind: 'postgres',
      location: redactUrl(options.url),
      migrate: async (migrateOptions) => {
        await migrateDatabase(handle, migrateOptions);
      },
      migrateSchema: () => migratePostgres(db, MIGRATION_CONFIG),
      close: () => client.end({ timeout: 5 }),
    };
    return handle;
  }
  const inMemory = options.dir === PGLITE_MEMORY;
  const release = inMemory ? () => {} : lockDataDir(options.dir);
  const client = await PGlite.create(inMemory ? undefined : options.dir);
  await client.exec(`SET TimeZone = 'UTC'`);
  const db = drizzlePglite(client, { schema });
  const handle: DatabaseHandle = {
    db: db,
    kind: 'pglite',
    location: inMemory ? 'PGlite (in memory)' : `PGlite at ${path.resolve(options.dir)}`,
    migrate: async (migrateOptions) => {
      await migrateDatabase(handle, migrateOptions);
    },
    migrateSchema: () => migratePglite(db, MIGRATION_CONFIG),
    close: async () => {
      await client.close();
      release();
    },
  };
  return handle;
}

/**
 * libpq's way to name a Unix-domain socket, `postgres://user@localhost/db?host=/var/run/postgresql`,
 * which postgres.js would otherwise send to the server as a setting called `host`.
 */
export function splitSocketDir(url: string): { url: string; socketDir?: string } {
  const parsed = new URL(url);
  const socketDir = parsed.searchParams.get('host');
  if (!socketDir?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), socketDir };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    const socketDir = splitSocketDir(url).socketDir;
    return `PostgreSQL at ${socketDir ?? parsed.host}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite,
 * which is migrated on first use and filled with demo data when it is new.
 */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const env = parseEnv();
  if (env.databaseUrl) {
    return openDatabase({
      kind: 'postgres',
      url: env.databaseUrl,
      poolMax: env.poolMax,
      statementTimeoutMs: env.statementTimeoutMs,
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
      (handle) => {
        enableReadCache(handle.db);
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
