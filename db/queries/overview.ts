import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { queryRows } from '../sql';

export type TableCounts = {
  operationPatterns: number;
  patternOccurrences: number;
  costSavingsLog: number;
  workflowHistory: number;
  toolCalls: number;
};

/** Row counts of the five tracking tables, in one round trip. */
export async function getTableCounts(db: Database): Promise<TableCounts> {
  const [row] = await queryRows<TableCounts>(
    db,
    sql`SELECT
      (SELECT count(*) FROM operation_patterns)::int AS "operationPatterns",
      (SELECT count(*) FROM pattern_occurrences)::int AS "patternOccurrences",
      (SELECT count(*) FROM cost_savings_log)::int AS "costSavingsLog",
      (SELECT count(*) FROM workflow_history)::int AS "workflowHistory",
      (SELECT count(*) FROM tool_calls)::int AS "toolCalls"`,
  );
  if (!row) throw new Error('row count query returned nothing');
  return row;
}
