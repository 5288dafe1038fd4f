import 'server-only';
import { sql } from 'drizzle-orm';
import { databaseErrorInfo } from '../errors';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type RuleTrial = {
  events: number;
  matched: number;
  signatures: { signature: string; runs: number; workflows: number; example: string }[];
};

/** Events a rule being edited is tried against: the latest of its tool. */
export const TRIAL_SAMPLE = 5000;

/**
 * Why PostgreSQL would not take `pattern` as a regular expression (its own words), or null. Asked
 * of the database itself, since rules run there.
 */
export async function regexProblem(db: Database, pattern: string): Promise<string | null> {
  try {
    await queryRows(db, sql`SELECT '' ~* ${pattern} AS ok`);
    return null;
  } catch (error) {
    const info = databaseErrorInfo(error);
    if (info.code === '2201B') return `Not a PostgreSQL regular expression: ${info.message}.`;
    throw error;
  }
}

/**
 * What a rule being edited would match among the latest TRIAL_SAMPLE events of its tool, by the
 * signature it would give, read uncached as the editor asks (nothing is written).
 */
export async function tryRule(
  db: Database,
  rule: { toolName: string; match: string; signature: string },
): Promise<RuleTrial> {
  const [row] = await queryRows<RuleTrial>(
    db,
    sql`WITH recent AS (
        SELECT e.operation, e.cwd, coalesce(e.workflow_id, e.session_id) AS workflow_key
        FROM pattern_ledger.capture_event e
        WHERE e.operation IS NOT NULL AND (${rule.toolName} = '*' OR e.tool_name = ${rule.toolName})
        ORDER BY e.id DESC LIMIT ${TRIAL_SAMPLE}),
      matched AS (
        SELECT pattern_ledger.capture_signature(${rule.signature}, ${rule.match}, r.operation, r.cwd) AS signature,
          r.operation, r.workflow_key
        FROM recent r WHERE r.operation ~* ${rule.match})
      SELECT (SELECT count(*) FROM recent)::int AS events, (SELECT count(*) FROM matched)::int AS matched,
        coalesce((SELECT json_agg(s ORDER BY s.runs DESC) FROM (
          SELECT signature, count(*)::int AS runs, count(DISTINCT workflow_key)::int AS workflows,
            min(operation) AS example
          FROM matched GROUP BY signature ORDER BY count(*) DESC LIMIT 20) s), '[]'::json) AS signatures`,
  );
  const signatures =
    typeof row?.signatures === 'string'
      ? (JSON.parse(row.signatures) as RuleTrial['signatures'])
      : (row?.signatures ?? []);
  return { events: row?.events ?? 0, matched: row?.matched ?? 0, signatures };
}
