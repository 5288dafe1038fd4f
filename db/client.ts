import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATION_CONFIG, migrateDatabase } from './setup/migrate';
import type { DatabaseHandle } from './types';
import { lockDataDir } from './pglite-lock';
import * as schema from './schema';

/** `memory://` keeps the embedded database in memory (tests); anything else is a directory. */
export const PGLITE_MEMORY = 'memory://';

export type OpenOptions =
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      /** Cancels any statement running longer (ms); unset: no limit (migrations, seeding). */
      statementTimeoutMs?: number;
      /**
       * `pgbouncer`: the URL is a PgBouncer in transaction mode. Its connections are shared per
       * transaction, so nothing may rest on a session: no prepared statements, and only the
       * startup settings it passes on (TimeZone). The statement timeout is PgBouncer's
       * `query_timeout` then (docs/scaling.md).
       */
      pooler?: 'pgbouncer';
    }
  | { kind: 'pglite'; dir: string };

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.kind === 'postgres') {
    const { url, socketDir } = splitSocketDir(options.url);
    const client = postgres(url, {
      ...(socketDir ? { host: socketDir } : {}),
      max: options.poolMax ?? 10,
      connection: {
        // Stored times without a zone are UTC; timestamptz columns are read in UTC too.
        TimeZone: 'UTC',
        ...(options.pooler === 'pgbouncer'
          ? {}
          : {
              // The rollup queries join small span lists to large tables; their cost estimates
              // are far above their real work, and JIT compilation would take longer than them.
              jit: 'off',
              ...(options.statementTimeoutMs
                ? { statement_timeout: options.statementTimeoutMs }
                : {}),
            }),
      },
      ...(options.pooler === 'pgbouncer' ? { prepare: false } : {}),
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
