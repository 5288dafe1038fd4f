/**
 * The way out: every trigger and index Pattern Ledger added to the agents' tables (all named
 * pattern_ledger_*, and those of installs from before the schema of its own), then the
 * pattern_ledger schema with all it holds. The agents' tables keep every row, column and type.
 */
import { sql } from 'drizzle-orm';
import { TRACKING_SCHEMA } from '../catalog';
import type { Database } from '../types';
import { TRIGGER_PREFIX } from '../rollups/journal';
import { LEDGER_SCHEMA } from '../schema';
import { queryRows } from '../sql';
import { LEGACY_INDEXES, legacyMoveStatements, hasLegacyInstall } from './legacy';
import type { Step } from './plan';

export async function planDetach(db: Database, kind: 'pglite' | 'postgres'): Promise<Step[]> {
  const steps: Step[] = [];
  const triggers = await queryRows<{ table: string; trigger: string }>(
    db,
    sql`SELECT c.relname AS "table", t.tgname AS "trigger" FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${TRACKING_SCHEMA} AND NOT t.tgisinternal AND t.tgname LIKE ${`${TRIGGER_PREFIX.replace(/_/g, '\\_')}%`}
      ORDER BY 1, 2`,
  );
  for (const table of new Set(triggers.map((t) => t.table))) {
    const names = triggers.filter((t) => t.table === table).map((t) => t.trigger);
    steps.push({
      kind: 'triggers',
      title: `drop the triggers ${names.join(', ')} on ${TRACKING_SCHEMA}.${table}`,
      on: 'agents',
      briefLock: true,
      statements: names.map(
        (name) => `DROP TRIGGER IF EXISTS "${name}" ON ${TRACKING_SCHEMA}."${table}"`,
      ),
    });
  }
  const indexes = await queryRows<{ table: string; index: string }>(
    db,
    sql`SELECT tablename AS "table", indexname AS "index" FROM pg_indexes
      WHERE schemaname = ${TRACKING_SCHEMA}
        AND (indexname LIKE 'pattern\\_ledger\\_%' OR indexname IN (${sql.join(
          LEGACY_INDEXES.map((name) => sql`${name}`),
          sql`, `,
        )}))
      ORDER BY 1, 2`,
  );
  const concurrently = kind === 'postgres' ? ' CONCURRENTLY' : '';
  for (const { table, index } of indexes) {
    steps.push({
      kind: 'index',
      title: `drop the index ${index} on ${TRACKING_SCHEMA}.${table}`,
      on: 'agents',
      concurrently: kind === 'postgres',
      statements: [`DROP INDEX${concurrently} IF EXISTS ${TRACKING_SCHEMA}."${index}"`],
    });
  }
  if (await hasLegacyInstall(db)) {
    steps.push({
      kind: 'functions',
      title: 'drop the tables and functions an earlier install kept in public',
      on: 'ledger',
      statements: (await legacyMoveStatements(db)).filter(
        (s) => !s.startsWith('INSERT') && !s.startsWith('SELECT setval'),
      ),
    });
  }
  const [schema] = await queryRows<{ exists: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${LEDGER_SCHEMA}) AS exists`,
  );
  if (schema?.exists) {
    steps.push({
      kind: 'functions',
      title: `drop the schema ${LEDGER_SCHEMA}: its rollups, journals, functions, accounts, API keys, note and review histories`,
      on: 'ledger',
      statements: [`DROP SCHEMA ${LEDGER_SCHEMA} CASCADE`],
    });
  }
  return steps;
}
