import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

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

export type MigrateOptions = {
  dryRun?: boolean;
  log?: (message: string) => void;
  /**
   * Also create workflow_history and tool_calls where absent, for the demo data: only on a
   * database whose tracking tables hold no row (never beside an agents' data).
   */
  demoTables?: boolean;
};
