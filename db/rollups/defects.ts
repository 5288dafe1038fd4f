/**
 * The data-quality defects: rows of the tracking tables that fail a row-local check (invalid
 * JSON, tokens that disagree, implausible values, a tool call id with no tool_calls row), so that
 * the checks read a list of defects instead of every row. Not additive: a fold evaluates the
 * checks again on every row its journal rows name, and a read evaluates those rows itself until
 * then.
 */
import { sql, type SQL } from 'drizzle-orm';
import { bigint, primaryKey, text } from 'drizzle-orm/pg-core';
import { ledger } from '../ledger';
import { journalTable, voided } from './sql';

export const dataQualityDefect = ledger.table(
  'data_quality_defect',
  {
    checkId: text('check_id').notNull(),
    rowId: bigint('row_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkId, t.rowId] })],
);

export const OCCURRENCE_CHECKS = [
  'invalid-json',
  'implausible:pattern_occurrences.similarity_score',
];
export const SAVINGS_CHECKS = [
  'tokens-mismatch',
  'implausible:cost_savings_log.tokens_saved',
  'implausible:cost_savings_log.baseline_tokens',
  'implausible:cost_savings_log.actual_tokens',
  'implausible:cost_savings_log.cost_saved_usd',
];
export const TOOL_CALL_CHECK = 'savings-without-tool-call';

/**
 * The source columns whose change makes a row's checks run again (so the journals copy them,
 * or note that they changed: `matched_characteristics` is not copied, see journal.ts).
 */
export const DEFECT_COLUMNS_READ = {
  occurrences: ['similarity_score'],
  savings: ['tool_call_id', 'baseline_tokens', 'actual_tokens', 'tokens_saved', 'cost_saved_usd'],
};

/** Beyond these a value is implausible, not merely large. */
export const IMPLAUSIBLE = {
  usdPerEntry: 100,
  tokensPerEntry: 10_000_000,
  /** Times more than this far in the future. */
  futureHours: 24,
} as const;

export const checkList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** The row-local checks an occurrence fails (alias `o`), by check id. */
export const occurrenceDefects = sql`array_remove(ARRAY[
    CASE WHEN pattern_ledger.json_invalid(o.matched_characteristics) THEN 'invalid-json' END,
    CASE WHEN o.similarity_score < 0 OR o.similarity_score > 100 OR NOT pattern_ledger.finite(o.similarity_score)
      THEN 'implausible:pattern_occurrences.similarity_score' END
  ], NULL)`;

const implausibleTokens = (column: string) =>
  sql`CASE WHEN c.${sql.raw(column)} < 0 OR c.${sql.raw(column)} > ${IMPLAUSIBLE.tokensPerEntry}
    THEN ${`implausible:cost_savings_log.${column}`} END`;

/** The row-local checks a savings entry fails (alias `c`), by check id. */
export const savingsDefects = sql`array_remove(ARRAY[
    CASE WHEN c.tokens_saved::numeric IS DISTINCT FROM c.baseline_tokens::numeric - c.actual_tokens::numeric
      THEN 'tokens-mismatch' END,
    ${implausibleTokens('tokens_saved')}, ${implausibleTokens('baseline_tokens')}, ${implausibleTokens('actual_tokens')},
    CASE WHEN c.cost_saved_usd < 0 OR c.cost_saved_usd > ${IMPLAUSIBLE.usdPerEntry} OR NOT pattern_ledger.finite(c.cost_saved_usd)
      THEN 'implausible:cost_savings_log.cost_saved_usd' END
  ]::text[], NULL)`;

/** Savings rows (alias `c`) whose tool call id names no tool_calls row. */
const withoutToolCall = sql`c.tool_call_id IS NOT NULL AND NOT pattern_ledger.tool_call_exists(c.tool_call_id::text)`;

/** Savings ids the tool-call check must look at again: changed entries, changed tool calls. */
function toolCallStale(savings: SQL, toolCalls: SQL): SQL {
  return sql`(SELECT id FROM ${savings}
  UNION SELECT c.id FROM cost_savings_log c
    WHERE c.tool_call_id IS NOT NULL AND c.tool_call_id IN (SELECT key FROM ${toolCalls}))`;
}

/** Row-local defects as `(check_id, row_id)` pairs, stored ones for untouched rows, the rest from raw rows. */
export function liveDefectsDefinition(): SQL {
  const occurrences = journalTable('occurrences');
  const savings = journalTable('savings');
  const stale = toolCallStale(savings, journalTable('toolCalls'));
  const occurrencesVoided = voided('pattern_occurrences');
  const savingsVoided = voided('cost_savings_log');
  const toolCallsVoided = sql`(${savingsVoided} OR ${voided('tool_calls')})`;
  return sql`SELECT d.check_id, d.row_id FROM pattern_ledger.data_quality_defect d
      WHERE NOT (d.check_id IN (${checkList(OCCURRENCE_CHECKS)})
          AND (${occurrencesVoided} OR d.row_id IN (SELECT id FROM ${occurrences})))
        AND NOT (d.check_id IN (${checkList(SAVINGS_CHECKS)})
          AND (${savingsVoided} OR d.row_id IN (SELECT id FROM ${savings})))
        AND NOT (d.check_id = ${TOOL_CALL_CHECK} AND (${toolCallsVoided} OR d.row_id IN ${stale}))
    UNION ALL
    SELECT * FROM (SELECT unnest(${occurrenceDefects}) AS check_id, o.id AS row_id FROM pattern_occurrences o
      WHERE NOT ${occurrencesVoided} AND o.id IN (SELECT id FROM ${occurrences})
      UNION ALL SELECT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o WHERE ${occurrencesVoided}) od
    UNION ALL
    SELECT * FROM (SELECT unnest(${savingsDefects}) AS check_id, c.id AS row_id FROM cost_savings_log c
      WHERE NOT ${savingsVoided} AND c.id IN (SELECT id FROM ${savings})
      UNION ALL SELECT unnest(${savingsDefects}), c.id FROM cost_savings_log c WHERE ${savingsVoided}) sd
    UNION ALL
    SELECT ${TOOL_CALL_CHECK}::text, c.id FROM cost_savings_log c
      WHERE NOT ${toolCallsVoided} AND c.id IN ${stale} AND ${withoutToolCall}
    UNION ALL
    SELECT ${TOOL_CALL_CHECK}::text, c.id FROM cost_savings_log c
      WHERE ${toolCallsVoided} AND ${withoutToolCall}`;
}

/** The defect list filled from every raw row: occurrences', savings' and tool calls' checks. */
export function defectsFromEveryRow(): { occurrences: SQL; savings: SQL; toolCalls: SQL } {
  return {
    occurrences: sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
      SELECT DISTINCT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o`,
    savings: sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
      SELECT DISTINCT unnest(${savingsDefects}), c.id FROM cost_savings_log c`,
    toolCalls: sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
      SELECT ${TOOL_CALL_CHECK}, c.id FROM cost_savings_log c WHERE ${withoutToolCall}`,
  };
}

/** The fold: the checks of the rows the (staged) journals name, evaluated again. */
export function defectFolds(journals: { occurrences: SQL; savings: SQL; toolCalls: SQL }): SQL[] {
  const occurrenceIds = sql`(SELECT id FROM ${journals.occurrences})`;
  const savingsIds = sql`(SELECT id FROM ${journals.savings})`;
  const toolCallIds = toolCallStale(journals.savings, journals.toolCalls);
  return [
    // Each (check, row) looked up by the primary key: the list holds every row of a check.
    sql`DELETE FROM pattern_ledger.data_quality_defect d
      USING (SELECT c.check_id, i.id FROM ${occurrenceIds} i, unnest(ARRAY[${checkList(OCCURRENCE_CHECKS)}]::text[]) c(check_id)
        UNION ALL SELECT c.check_id, i.id FROM ${savingsIds} i, unnest(ARRAY[${checkList(SAVINGS_CHECKS)}]::text[]) c(check_id)
        UNION ALL SELECT ${TOOL_CALL_CHECK}::text, i.id FROM ${toolCallIds} i) k
      WHERE d.check_id = k.check_id AND d.row_id = k.id`,
    sql`INSERT INTO pattern_ledger.data_quality_defect (check_id, row_id)
      SELECT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o WHERE o.id IN ${occurrenceIds}
      UNION SELECT unnest(${savingsDefects}), c.id FROM cost_savings_log c WHERE c.id IN ${savingsIds}
      UNION SELECT ${TOOL_CALL_CHECK}, c.id FROM cost_savings_log c
        WHERE c.id IN ${toolCallIds} AND ${withoutToolCall}
      ON CONFLICT DO NOTHING`,
  ];
}

/** The defects a truncated source's rows had: removed with the rows. */
export const defectsOf = {
  occurrences: sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id IN (${checkList(OCCURRENCE_CHECKS)})`,
  savings: sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id IN (${checkList([...SAVINGS_CHECKS, TOOL_CALL_CHECK])})`,
  toolCalls: sql`DELETE FROM pattern_ledger.data_quality_defect WHERE check_id = ${TOOL_CALL_CHECK}`,
};
