import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../types';
import { queryRows } from '../sql';

export type Removed = { occurrences: number; savings: number; patterns: number };

/**
 * Takes back what capture derived (all of it, or one rule's occurrences), in one transaction:
 * the occurrences and savings entries it wrote into the agents' tables, the counts it added to
 * operation_patterns.occurrence_count, and the patterns it created that nothing else uses now.
 * Rows the agents wrote are never touched. `npm run capture:remove`; the Capture page's
 * "Re-derive" for one rule.
 */
export async function removeDerived(db: Database, ruleId?: number): Promise<Removed> {
  const occurrencesOf: SQL = ruleId === undefined ? sql`true` : sql`c.rule_id = ${ruleId}`;
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const [occurrences] = await queryRows<{ n: number }>(
      tx,
      sql`WITH gone AS (
          DELETE FROM pattern_ledger.capture_occurrence c WHERE ${occurrencesOf}
          RETURNING c.occurrence_id, c.pattern_id),
        deleted AS (
          DELETE FROM pattern_occurrences po USING gone WHERE po.id = gone.occurrence_id
          RETURNING po.pattern_id),
        counted AS (
          UPDATE operation_patterns p SET occurrence_count = greatest(coalesce(p.occurrence_count, 0) - d.n, 0)
          FROM (SELECT pattern_id, count(*)::int AS n FROM deleted GROUP BY pattern_id) d
          WHERE p.id = d.pattern_id RETURNING 1)
        SELECT (SELECT count(*) FROM deleted)::int AS n, (SELECT count(*) FROM counted) AS touched`,
    );
    const [savings] =
      ruleId === undefined
        ? await queryRows<{ n: number }>(
            tx,
            sql`WITH gone AS (DELETE FROM pattern_ledger.capture_saving RETURNING savings_id),
              deleted AS (DELETE FROM cost_savings_log c USING gone WHERE c.id = gone.savings_id RETURNING 1)
              SELECT count(*)::int AS n FROM deleted`,
          )
        : [{ n: 0 }];
    // Patterns capture created that no occurrence, savings entry or review uses any more.
    const [patterns] = await queryRows<{ n: number }>(
      tx,
      sql`WITH unused AS (
          SELECT cp.pattern_id FROM pattern_ledger.capture_pattern cp
          WHERE NOT EXISTS (SELECT 1 FROM pattern_occurrences po WHERE po.pattern_id = cp.pattern_id)
            AND NOT EXISTS (SELECT 1 FROM cost_savings_log c WHERE c.pattern_id = cp.pattern_id)
            AND NOT EXISTS (SELECT 1 FROM pattern_ledger.review_history r WHERE r.pattern_id = cp.pattern_id)),
        deleted AS (
          DELETE FROM operation_patterns p USING unused WHERE p.id = unused.pattern_id RETURNING p.id),
        forgotten AS (
          DELETE FROM pattern_ledger.capture_pattern cp USING unused WHERE cp.pattern_id = unused.pattern_id)
        SELECT count(*)::int AS n FROM deleted`,
    );
    return {
      occurrences: occurrences?.n ?? 0,
      savings: savings?.n ?? 0,
      patterns: patterns?.n ?? 0,
    };
  });
}

/**
 * Re-derives one rule after it changed: what it derived is removed, and the events its current
 * version matches go through the rules again at the next capture step.
 */
export async function rederiveRule(
  db: Database,
  ruleId: number,
): Promise<Removed & { queued: number }> {
  const removed = await removeDerived(db, ruleId);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`WITH queued AS (
        UPDATE pattern_ledger.capture_event e SET derived = false
        FROM pattern_ledger.capture_rule r
        WHERE r.id = ${ruleId} AND e.derived AND e.operation IS NOT NULL
          AND (r.tool_name = '*' OR r.tool_name = e.tool_name) AND e.operation ~* r.match
        RETURNING 1)
      SELECT count(*)::int AS n FROM queued`,
  );
  return { ...removed, queued: row?.n ?? 0 };
}
