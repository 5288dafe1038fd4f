/**
 * The change journals: what Pattern Ledger's triggers on the agents' tables do, and all they do.
 *
 * Each trigger appends the rows a statement changed to a journal table of Pattern Ledger's own, in
 * the agent's transaction: one INSERT … SELECT from the statement's transition table, into columns
 * of exactly the source columns' types (no conversion that could fail), into a table no agent
 * reads and nothing else locks. No rollup row is touched, so agents never wait for each other or
 * for Pattern Ledger. The folder (fold.ts) adds the journal into the rollups later, outside the
 * agents' transactions; every read adds what is not yet folded (live.ts).
 *
 * Row journals copy the counted columns of each changed row with a sign (+1 added, −1 removed,
 * 0 touched: a column outside the copy changed, so its checks are re-run). Key journals record
 * the ids whose dependent facts must be checked again (a workflow_history row came or went, a
 * tool call's id changed).
 */
import { LEDGER_SCHEMA } from '../ledger';
import {
  REQUIRED_COLUMNS,
  TRACKING_SCHEMA,
  type TableColumns,
  type TrackingCatalog,
} from '../catalog';
import { CHARACTERISTIC_COLUMNS_READ } from './characteristics';
import { columnsRead } from './define';
import { ROLLUPS } from './declarations';
import { DEFECT_COLUMNS_READ } from './defects';
import { JOURNAL_TABLES } from './sql';
import { WORKFLOW_COLUMNS_READ } from './workflows';

export type RowJournal = {
  kind: 'rows';
  source: 'pattern_occurrences' | 'cost_savings_log';
  journal: 'occurrence_change' | 'savings_change';
  /** Copied with their own types. */
  columns: string[];
  /** Columns not copied whose change makes a row's checks run again. */
  touchedBy: string[];
};

export type KeyJournal = {
  kind: 'keys';
  source: 'workflow_history' | 'tool_calls';
  journal: 'history_change' | 'tool_call_change';
  /** Columns whose values are recorded (as text) when they come, go or change. */
  keys: string[];
};

export type Journal = RowJournal | KeyJournal;

/**
 * The columns a row journal copies: the row's id and every column a rollup reads from its journal
 * rows (the declared rollups' keys and figures, and what the recounted ones name), in the order
 * of the source's columns.
 */
function copiedColumns(source: 'pattern_occurrences' | 'cost_savings_log'): string[] {
  const journal = source === 'pattern_occurrences' ? 'occurrences' : 'savings';
  const read = new Set([
    'id',
    ...ROLLUPS.filter((rollup) => rollup.source.table === source).flatMap(columnsRead),
    ...WORKFLOW_COLUMNS_READ[journal],
    ...DEFECT_COLUMNS_READ[journal],
    ...(journal === 'occurrences' ? CHARACTERISTIC_COLUMNS_READ.occurrences : []),
  ]);
  const order = REQUIRED_COLUMNS[source]!;
  const unknown = [...read].filter((column) => !order.includes(column));
  if (unknown.length > 0) throw new Error(`${source} has no required column ${unknown.join(', ')}`);
  return order.filter((column) => read.has(column));
}

export const OCCURRENCE_JOURNAL: RowJournal = {
  kind: 'rows',
  source: 'pattern_occurrences',
  journal: JOURNAL_TABLES.occurrences,
  columns: copiedColumns('pattern_occurrences'),
  // The JSON is not copied (an agent's write stays as cheap as before): an edit of it is noted.
  touchedBy: ['matched_characteristics'],
};

export const SAVINGS_JOURNAL: RowJournal = {
  kind: 'rows',
  source: 'cost_savings_log',
  journal: JOURNAL_TABLES.savings,
  columns: copiedColumns('cost_savings_log'),
  touchedBy: [],
};

export const HISTORY_JOURNAL: KeyJournal = {
  kind: 'keys',
  source: 'workflow_history',
  journal: JOURNAL_TABLES.history,
  keys: ['adw_id', 'workflow_id'],
};

export const TOOL_CALL_JOURNAL: KeyJournal = {
  kind: 'keys',
  source: 'tool_calls',
  journal: JOURNAL_TABLES.toolCalls,
  keys: ['tool_call_id'],
};

export const JOURNALS: Journal[] = [
  OCCURRENCE_JOURNAL,
  SAVINGS_JOURNAL,
  HISTORY_JOURNAL,
  TOOL_CALL_JOURNAL,
];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const ledgerName = (name: string) => `${LEDGER_SCHEMA}.${quote(name)}`;
export const sourceName = (table: string) => `${TRACKING_SCHEMA}.${quote(table)}`;

/** Trigger names on the agents' tables: every one starts with `pattern_ledger_`. */
export const TRIGGER_PREFIX = 'pattern_ledger_';
export const triggerName = (op: TriggerOp) => `${TRIGGER_PREFIX}journal_${op.toLowerCase()}`;
export type TriggerOp = 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
export const TRIGGER_OPS: TriggerOp[] = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

/** The key columns a key journal can record on this database. */
export function presentKeys(journal: KeyJournal, columns: TableColumns | undefined): string[] {
  return columns ? journal.keys.filter((key) => columns.has(key)) : [];
}

/**
 * The journal's columns with the types they take on this database: the source's own types for a
 * row journal (so copying cannot fail), text for a key journal. Every journal exists even where
 * its source table does not, so that reads can always name it.
 */
export function journalColumns(journal: Journal, catalog: TrackingCatalog): [string, string][] {
  if (journal.kind === 'keys') return [['key', 'text']];
  const source = catalog[journal.source];
  return [
    ['sign', 'smallint'],
    ...journal.columns.map((column): [string, string] => [column, source?.get(column) ?? 'text']),
  ];
}

// Small, busy tables: vacuumed often so that reads of the not-yet-folded rows stay short.
const STORAGE = `autovacuum_vacuum_threshold = 200, autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0`;

export function createJournalTable(journal: Journal, catalog: TrackingCatalog): string {
  const columns = journalColumns(journal, catalog)
    .map(([name, type]) => `${quote(name)} ${type}${name === 'sign' ? ' NOT NULL' : ''}`)
    .join(', ');
  return `CREATE TABLE ${ledgerName(journal.journal)} (${columns}) WITH (${STORAGE})`;
}

export const functionName = (journal: Journal, op: TriggerOp) =>
  ledgerName(`${journal.journal}_${op.toLowerCase()}`);

/** The body of each trigger function: one statement, into the journal. */
function triggerBody(journal: Journal, op: TriggerOp, catalog: TrackingCatalog): string {
  const target = ledgerName(journal.journal);
  if (op === 'TRUNCATE') {
    // The rows are gone without a list: what the journal held is void, the rollups count for
    // nothing until the next fold empties them.
    return `DELETE FROM ${target};
  INSERT INTO ${ledgerName('truncation')} (source) VALUES ('${journal.source}') ON CONFLICT DO NOTHING;`;
  }
  if (journal.kind === 'keys') {
    const keys = presentKeys(journal, catalog[journal.source]);
    const list = keys.map(quote).join(', ');
    const values = keys.map((key) => `(c.${quote(key)}::text)`).join(', ');
    const changed =
      op === 'INSERT'
        ? `SELECT ${list} FROM new_rows`
        : op === 'DELETE'
          ? `SELECT ${list} FROM old_rows`
          : // Updates that leave the ids alone (status, tokens) record nothing.
            `(SELECT ${list} FROM old_rows EXCEPT ALL SELECT ${list} FROM new_rows)
      UNION ALL (SELECT ${list} FROM new_rows EXCEPT ALL SELECT ${list} FROM old_rows)`;
    return `INSERT INTO ${target} (key)
    SELECT v.key FROM (${changed}) c, LATERAL (VALUES ${values}) AS v(key) WHERE v.key IS NOT NULL;`;
  }
  const list = journal.columns.map(quote).join(', ');
  const into = `INSERT INTO ${target} (sign, ${list})`;
  if (op === 'INSERT') return `${into} SELECT 1, ${list} FROM new_rows;`;
  if (op === 'DELETE') return `${into} SELECT -1, ${list} FROM old_rows;`;
  // An update removes the old images and adds the new ones; rows whose copied columns did not
  // change cancel out (a note edited on a savings entry records nothing).
  const touched =
    journal.touchedBy.length === 0
      ? ''
      : `
    UNION ALL SELECT 0, ${journal.columns.map((c) => `n.${quote(c)}`).join(', ')}
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (${journal.touchedBy.map((c) => `o.${quote(c)}::text`).join(', ')})
        IS DISTINCT FROM (${journal.touchedBy.map((c) => `n.${quote(c)}::text`).join(', ')})`;
  return `${into}
    SELECT -1, * FROM (SELECT ${list} FROM old_rows EXCEPT ALL SELECT ${list} FROM new_rows) gone
    UNION ALL SELECT 1, * FROM (SELECT ${list} FROM new_rows EXCEPT ALL SELECT ${list} FROM old_rows) came${touched};`;
}

/**
 * A trigger function runs with its owner's rights (SECURITY DEFINER), so agents need no grant
 * on Pattern Ledger's schema, and with a fixed search_path, so nothing an agent's session sets
 * can redirect it.
 */
export function createTriggerFunction(
  journal: Journal,
  op: TriggerOp,
  catalog: TrackingCatalog,
): string {
  return `CREATE OR REPLACE FUNCTION ${functionName(journal, op)}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  ${triggerBody(journal, op, catalog)}
  RETURN NULL;
END;
$$`;
}

export function createTrigger(journal: Journal, op: TriggerOp): string {
  const transition =
    op === 'INSERT'
      ? 'REFERENCING NEW TABLE AS new_rows '
      : op === 'DELETE'
        ? 'REFERENCING OLD TABLE AS old_rows '
        : op === 'UPDATE'
          ? 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
          : '';
  return `CREATE TRIGGER ${quote(triggerName(op))} AFTER ${op} ON ${sourceName(journal.source)}
  ${transition}FOR EACH STATEMENT EXECUTE FUNCTION ${functionName(journal, op)}()`;
}
