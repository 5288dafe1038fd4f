/** SQL pieces every rollup shares: the journal tables, voided sources and value conversions. */
import { sql, type SQL } from 'drizzle-orm';

/** The change journals, one per source (db/rollups/journal.ts creates them). */
export const JOURNAL_TABLES = {
  occurrences: 'occurrence_change',
  savings: 'savings_change',
  history: 'history_change',
  toolCalls: 'tool_call_change',
} as const;

export type JournalName = keyof typeof JOURNAL_TABLES;

export const journalTable = (name: JournalName): SQL =>
  sql.raw(`pattern_ledger.${JOURNAL_TABLES[name]}`);

export type Source = 'pattern_occurrences' | 'cost_savings_log' | 'workflow_history' | 'tool_calls';

/** The source table was truncated after the last fold: its stored rollups count for nothing. */
export const voided = (source: Source): SQL =>
  sql`EXISTS (SELECT 1 FROM pattern_ledger.truncation WHERE source = ${source})`;

export const ratio = (column: SQL): SQL => sql`pattern_ledger.ratio(${column})`;
export const money = (column: SQL): SQL => sql`pattern_ledger.money(${column})`;
/** A stored time as a zone-less UTC timestamp (timestamptz columns read in the UTC session). */
export const utc = (column: SQL): SQL => sql`${column}::timestamp`;
