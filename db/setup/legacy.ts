/**
 * Installs from before Pattern Ledger had a schema of its own kept everything in `public`
 * (migrations 0000–0008, tracked in drizzle.__drizzle_migrations). Moving one: the accounts, API
 * keys and note and review histories are copied into `pattern_ledger`, and the old tables,
 * functions and indexes are dropped. The old triggers are replaced by the attach plan itself, in
 * the same transaction as the new ones (plan.ts), so no write goes unrecorded in between.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { queryRows } from '../sql';

/** The old tables that hold what people made (copied), and those the new rollups replace (dropped). */
const COPIED: { from: string; to: string; columns: string; sequence?: string }[] = [
  {
    from: 'auth_user',
    to: 'auth_user',
    columns:
      'id, name, email, email_verified, image, role, banned, ban_reason, ban_expires, created_at, updated_at',
  },
  {
    from: 'auth_account',
    to: 'auth_account',
    columns:
      'id, account_id, provider_id, user_id, access_token, refresh_token, id_token, access_token_expires_at, refresh_token_expires_at, scope, password, created_at, updated_at',
  },
  {
    from: 'auth_session',
    to: 'auth_session',
    columns:
      'id, expires_at, token, ip_address, user_agent, user_id, impersonated_by, created_at, updated_at',
  },
  {
    from: 'auth_verification',
    to: 'auth_verification',
    columns: 'id, identifier, value, expires_at, created_at, updated_at',
  },
  {
    from: 'api_key',
    to: 'api_key',
    columns:
      'id, name, prefix, key_hash, scope, created_by, created_at, last_used_at, revoked_at, revoked_by',
    sequence: 'id',
  },
  {
    from: 'api_idempotency_key',
    to: 'api_idempotency_key',
    columns:
      'api_key_id, idempotency_key, endpoint, request_hash, response_status, response_body, created_at',
  },
  {
    from: 'cost_savings_note_history',
    to: 'note_history',
    columns: 'id, savings_id, previous_notes, new_notes, changed_at, changed_by',
    sequence: 'id',
  },
  {
    from: 'pattern_review_history',
    to: 'review_history',
    columns: 'id, pattern_id, action, previous_status, new_status, note, reviewed_by, reviewed_at',
    sequence: 'id',
  },
];

const DROPPED = [
  'data_quality_defect',
  'occurrence_all_rollup_daily',
  'occurrence_all_rollup_hourly',
  'occurrence_rollup_daily',
  'occurrence_rollup_hourly',
  'occurrence_rollup_total',
  'pattern_workflow_rollup',
  'savings_rollup_daily',
  'savings_rollup_hourly',
  'savings_rollup_total',
  'savings_type_rollup_daily',
  'savings_type_rollup_hourly',
  'similarity_scale_rollup',
  'workflow_rollup',
];

/** Indexes the old migrations added to the agents' tables (the new ones are named pattern_ledger_*). */
export const LEGACY_INDEXES = [
  'idx_pattern_occurrences_pattern_detected',
  'idx_cost_savings_saved_at_newest',
  'idx_cost_savings_noted_newest',
  'idx_cost_savings_tool_call',
];

/** The old layout is here: its migrations table, and its accounts table in public. */
export async function hasLegacyInstall(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ legacy: boolean }>(
    db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL
      AND to_regclass('public.auth_user') IS NOT NULL AS legacy`,
  );
  return row?.legacy ?? false;
}

/** The old tables whose columns are Pattern Ledger's own (the real system has a pattern_review_history too). */
async function ownOldTables(db: Database): Promise<Set<string>> {
  const rows = await queryRows<{ table: string; columns: string[] }>(
    db,
    sql`SELECT c.relname AS "table", array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      GROUP BY c.relname`,
  );
  const own = new Set<string>();
  for (const table of [...COPIED.map((c) => c.from), ...DROPPED]) {
    const found = rows.find((row) => row.table === table);
    if (!found) continue;
    const wanted = COPIED.find((c) => c.from === table)?.columns.split(', ');
    if (!wanted || wanted.every((column) => found.columns.includes(column))) own.add(table);
  }
  return own;
}

/** The statements that move an old install's data and drop its objects (one transaction). */
export async function legacyMoveStatements(db: Database): Promise<string[]> {
  const own = await ownOldTables(db);
  const statements: string[] = [];
  for (const table of COPIED) {
    if (!own.has(table.from)) continue;
    statements.push(
      `INSERT INTO pattern_ledger.${table.to} (${table.columns}) SELECT ${table.columns} FROM public.${table.from} ON CONFLICT DO NOTHING`,
    );
    if (table.sequence)
      statements.push(
        `SELECT setval(pg_get_serial_sequence('pattern_ledger.${table.to}', '${table.sequence}'),
          greatest((SELECT max(${table.sequence}) FROM pattern_ledger.${table.to}), 1))`,
      );
  }
  const dropped = [...COPIED.map((c) => c.from), ...DROPPED].filter((t) => own.has(t));
  if (dropped.length > 0)
    statements.push(`DROP TABLE ${dropped.map((t) => `public.${t}`).join(', ')} CASCADE`);
  const functions = await queryRows<{ signature: string }>(
    db,
    sql`SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proname LIKE 'pattern\\_ledger\\_%'`,
  );
  for (const { signature } of functions)
    statements.push(`DROP FUNCTION IF EXISTS ${signature} CASCADE`);
  statements.push('DROP TABLE IF EXISTS drizzle.__drizzle_migrations');
  statements.push(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'drizzle')
    THEN DROP SCHEMA IF EXISTS drizzle; END IF;
  END $$`);
  return statements;
}
