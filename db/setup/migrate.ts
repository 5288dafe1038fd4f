/**
 * `npm run db:migrate`, the embedded demo's first start and every test database: Pattern Ledger's
 * own schema migrated, then attached to the agents' tables (attach/plan.ts). With `dryRun` it
 * only says what it would do.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { AttachError, applyPlan } from './apply';
import { ensureCaptureDefaults } from '../capture/defaults';
import { bootstrapStatements, CORE_TABLES, DEMO_TABLES } from './bootstrap';
import { hasLegacyInstall, LEGACY_INDEXES, legacyMoveStatements } from './legacy';
import { planAttach, type Step } from './plan';
import {
  missingRequirements,
  readTrackingCatalog,
  TRACKING_SCHEMA,
  type TrackingCatalog,
} from '../catalog';
import type { DatabaseHandle, MigrateOptions } from '../types';
import { databaseErrorInfo } from '../errors';
import { LEDGER_SCHEMA } from '../schema';
import { queryRows } from '../sql';

export type MigrationReport = {
  /** Every step, in order, as a line a person reads. */
  steps: { title: string; on: 'agents' | 'ledger'; estimate?: string }[];
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'migrations');
export const MIGRATION_CONFIG = {
  migrationsFolder: MIGRATIONS_FOLDER,
  migrationsSchema: LEDGER_SCHEMA,
  migrationsTable: '__drizzle_migrations',
};

/** Migrations in migrations/ not yet applied to this database. */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const [table] = await queryRows<{ exists: boolean }>(
    handle.db,
    sql`SELECT to_regclass(${`${LEDGER_SCHEMA}.__drizzle_migrations`}) IS NOT NULL AS exists`,
  );
  let last = -1;
  if (table?.exists) {
    const [row] = await queryRows<{ at: number | null }>(
      handle.db,
      sql.raw(`SELECT max(created_at)::float8 AS at FROM ${LEDGER_SCHEMA}.__drizzle_migrations`),
    );
    last = row?.at ?? -1;
  }
  return files.filter((file) => file.folderMillis > last).map((file) => file.hash);
}

/** The core tracking tables are absent or empty: a demo, not an agents' database. */
async function holdsNoRows(handle: DatabaseHandle, catalog: TrackingCatalog): Promise<boolean> {
  for (const table of CORE_TABLES) {
    if (!catalog[table]) continue;
    const [row] = await queryRows<{ any: boolean }>(
      handle.db,
      sql.raw(`SELECT EXISTS (SELECT 1 FROM ${TRACKING_SCHEMA}.${table}) AS any`),
    );
    if (row?.any) return false;
  }
  return true;
}

function report(steps: Step[], prefix: MigrationReport['steps'] = []): MigrationReport {
  return {
    steps: [
      ...prefix,
      ...steps.map((step) => ({ title: step.title, on: step.on, estimate: step.estimate })),
    ],
  };
}

export async function migrateDatabase(
  handle: DatabaseHandle,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const log = options.log ?? (() => {});
  const db = handle.db;
  const done: MigrationReport['steps'] = [];
  const say = (title: string, on: 'agents' | 'ledger') => {
    done.push({ title, on });
    log(title);
  };

  let catalog = await readTrackingCatalog(db);
  const demo = options.demoTables && (await holdsNoRows(handle, catalog)) ? DEMO_TABLES : [];
  const bootstrap = bootstrapStatements(catalog, [...CORE_TABLES, ...demo]);
  if (bootstrap.length > 0) {
    if (options.dryRun) {
      for (const { table } of bootstrap)
        done.push({
          title: `create ${TRACKING_SCHEMA}.${table} (the database has no tracking tables)`,
          on: 'agents',
        });
    } else {
      await db.transaction(async (tx) => {
        for (const { statements } of bootstrap)
          for (const statement of statements) await tx.execute(sql.raw(statement));
      });
      say(
        `created the tracking tables ${bootstrap.map((b) => b.table).join(', ')} (the database had none)`,
        'agents',
      );
      catalog = await readTrackingCatalog(db);
    }
  }
  const missing = options.dryRun && bootstrap.length > 0 ? [] : missingRequirements(catalog);
  if (missing.length > 0) {
    throw new AttachError(
      'attach to the tracking tables',
      undefined,
      missing.join('; '),
      "Pattern Ledger reads the tables of the migration-004 report (operation_patterns, pattern_occurrences, cost_savings_log). Is DATABASE_URL the agents' database? It never creates them beside tables of the agents.",
    );
  }

  const pending = await pendingMigrations(handle);
  const legacy = await hasLegacyInstall(db);
  if (options.dryRun) {
    if (pending.length > 0)
      done.push({
        title: `migrate the ${LEDGER_SCHEMA} schema (${pending.length} migrations)`,
        on: 'ledger',
      });
    if (legacy)
      done.push({
        title: 'move an earlier install from public into the pattern_ledger schema',
        on: 'ledger',
      });
    // A database not yet migrated has no journals to compare: plan as for an empty schema.
    const plan = await planAttach(db, catalog, handle.kind);
    return report(plan.steps, done);
  }

  if (pending.length > 0) {
    try {
      await handle.migrateSchema();
    } catch (error) {
      const info = databaseErrorInfo(error);
      throw new AttachError(
        `migrate the ${LEDGER_SCHEMA} schema`,
        undefined,
        info.message,
        'The migration ran in one transaction and nothing of it was kept.',
        { cause: error },
      );
    }
    say(`migrated the ${LEDGER_SCHEMA} schema (${pending.length} migrations)`, 'ledger');
  }

  const plan = await planAttach(db, catalog, handle.kind);
  await applyPlan(db, plan, (title) =>
    say(title, plan.steps.find((s) => s.title === title)?.on ?? 'ledger'),
  );
  await ensureCaptureDefaults(db);

  if (legacy) {
    const statements = await legacyMoveStatements(db);
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
    });
    const concurrently = handle.kind === 'postgres' ? ' CONCURRENTLY' : '';
    for (const index of LEGACY_INDEXES)
      await db.execute(
        sql.raw(`DROP INDEX${concurrently} IF EXISTS ${TRACKING_SCHEMA}."${index}"`),
      );
    say(
      'moved the earlier install into the pattern_ledger schema and removed its old objects',
      'ledger',
    );
  }
  return { steps: done };
}
