import { sql } from 'drizzle-orm';
import { DEFAULT_PRICES } from '@/lib/capture/prices';
import { DEFAULT_RULES, DEFAULT_RULES_VERSION } from '@/lib/capture/rules';
import type { Database } from '../types';
import { queryRows } from '../sql';

/**
 * The rules and prices that ship, added once per database (and again when a release adds some):
 * a rule or price an admin changed or removed since is left as it is.
 */
export async function ensureCaptureDefaults(db: Database): Promise<void> {
  await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const [state] = await queryRows<{ version: number }>(
      tx,
      sql`SELECT defaults_version AS version FROM pattern_ledger.capture_state WHERE id = 1 FOR UPDATE`,
    );
    if ((state?.version ?? 0) >= DEFAULT_RULES_VERSION) return;
    await tx.execute(
      sql`WITH added AS (
          INSERT INTO pattern_ledger.capture_rule (name, tool_name, match, signature, builtin, created_by)
          SELECT name, "toolName", match, signature, true, 'Pattern Ledger'
          FROM json_to_recordset(${JSON.stringify(DEFAULT_RULES)}::json)
            AS r(name text, "toolName" text, match text, signature text)
          ON CONFLICT (name) DO NOTHING
          RETURNING id, name, tool_name, match, signature, enabled)
        INSERT INTO pattern_ledger.capture_rule_version (rule_id, version, name, tool_name, match, signature,
          enabled, saved_by)
        SELECT id, 1, name, tool_name, match, signature, enabled, 'Pattern Ledger' FROM added`,
    );
    await tx.execute(
      sql`INSERT INTO pattern_ledger.model_price (model_prefix, effective_from, input_usd_per_mtok,
          output_usd_per_mtok, note, updated_by)
        SELECT "modelPrefix", ("effectiveFrom" || 'T00:00:00Z')::timestamptz, "inputUsdPerMtok",
          "outputUsdPerMtok", note, 'Pattern Ledger'
        FROM json_to_recordset(${JSON.stringify(DEFAULT_PRICES)}::json) AS p("modelPrefix" text,
          "effectiveFrom" text, "inputUsdPerMtok" float8, "outputUsdPerMtok" float8, note text)
        ON CONFLICT (model_prefix, effective_from) DO NOTHING`,
    );
    await tx.execute(
      sql`UPDATE pattern_ledger.capture_state SET defaults_version = ${DEFAULT_RULES_VERSION} WHERE id = 1`,
    );
  });
}
