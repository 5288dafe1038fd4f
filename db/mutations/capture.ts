import 'server-only';
import { sql } from 'drizzle-orm';
import type { CaptureRuleInput } from '@/lib/capture/rules';
import type { ModelPriceInput } from '@/lib/capture/prices';
import { databaseErrorInfo } from '../errors';
import type { Database } from '../types';
import { queryRows } from '../sql';

/*
 * Capture's settings, written by admins: rules (each save a new version, kept), the sources read
 * in place turned on or off, and model prices. Each write is one statement.
 */

export type RuleWrite =
  { status: 'ok'; id: number; version: number } | { status: 'duplicate' | 'gone' | 'limit' };

const isUniqueViolation = (error: unknown) => databaseErrorInfo(error).code === '23505';

export async function createCaptureRule(
  db: Database,
  rule: CaptureRuleInput,
  by: string,
  maxRules: number,
): Promise<RuleWrite> {
  try {
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`WITH room AS (SELECT count(*) < ${maxRules} AS ok FROM pattern_ledger.capture_rule),
        added AS (
          INSERT INTO pattern_ledger.capture_rule (name, tool_name, match, signature, enabled, created_by)
          SELECT ${rule.name}, ${rule.toolName}, ${rule.match}, ${rule.signature}, ${rule.enabled}, ${by}
          FROM room WHERE room.ok
          RETURNING id, name, tool_name, match, signature, enabled),
        versioned AS (
          INSERT INTO pattern_ledger.capture_rule_version (rule_id, version, name, tool_name, match,
            signature, enabled, saved_by)
          SELECT id, 1, name, tool_name, match, signature, enabled, ${by} FROM added)
        SELECT id::float8 AS id FROM added`,
    );
    return row ? { status: 'ok', id: row.id, version: 1 } : { status: 'limit' };
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'duplicate' };
    throw error;
  }
}

/** Saves a rule as a new version (the old ones are kept); `gone` when it was deleted meanwhile. */
export async function updateCaptureRule(
  db: Database,
  id: number,
  rule: CaptureRuleInput,
  by: string,
): Promise<RuleWrite> {
  try {
    const [row] = await queryRows<{ id: number; version: number }>(
      db,
      sql`WITH saved AS (
          UPDATE pattern_ledger.capture_rule SET name = ${rule.name}, tool_name = ${rule.toolName},
            match = ${rule.match}, signature = ${rule.signature}, enabled = ${rule.enabled},
            version = version + 1, updated_at = now()
          WHERE id = ${id}
          RETURNING id, version, name, tool_name, match, signature, enabled),
        versioned AS (
          INSERT INTO pattern_ledger.capture_rule_version (rule_id, version, name, tool_name, match,
            signature, enabled, saved_by)
          SELECT id, version, name, tool_name, match, signature, enabled, ${by} FROM saved)
        SELECT id::float8 AS id, version FROM saved`,
    );
    return row ? { status: 'ok', id: row.id, version: row.version } : { status: 'gone' };
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'duplicate' };
    throw error;
  }
}

/** Turns reading a table in place on or off. */
export async function setInPlaceSource(
  db: Database,
  source: 'hook_events' | 'task_logs',
  enabled: boolean,
): Promise<void> {
  await db.execute(
    source === 'hook_events'
      ? sql`UPDATE pattern_ledger.capture_state SET hook_events_enabled = ${enabled} WHERE id = 1`
      : sql`UPDATE pattern_ledger.capture_state SET task_logs_enabled = ${enabled} WHERE id = 1`,
  );
}

/** Adds a price, or replaces the one for the same model prefix and date. */
export async function saveModelPrice(
  db: Database,
  price: ModelPriceInput,
  by: string,
): Promise<void> {
  await db.execute(
    sql`INSERT INTO pattern_ledger.model_price (model_prefix, effective_from, input_usd_per_mtok,
        output_usd_per_mtok, note, updated_by)
      VALUES (${price.modelPrefix}, ${`${price.effectiveFrom}T00:00:00Z`}::timestamptz,
        ${price.inputUsdPerMtok}, ${price.outputUsdPerMtok}, ${price.note || null}, ${by})
      ON CONFLICT (model_prefix, effective_from) DO UPDATE SET
        input_usd_per_mtok = excluded.input_usd_per_mtok, output_usd_per_mtok = excluded.output_usd_per_mtok,
        note = excluded.note, updated_by = excluded.updated_by, updated_at = now()`,
  );
}

/** Deletes a price; the default for any model (`*`) stays. False when there was none to delete. */
export async function deleteModelPrice(db: Database, id: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.model_price WHERE id = ${id}
      AND NOT (model_prefix = '*' AND (SELECT count(*) FROM pattern_ledger.model_price WHERE model_prefix = '*') = 1)
      RETURNING id::float8 AS id`,
  );
  return rows.length > 0;
}
