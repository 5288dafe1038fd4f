/**
 * What the agents' tables look like on this database: which exist, and each column's type as
 * PostgreSQL names it (`format_type`). Pattern Ledger adapts to what it finds here and never
 * changes it.
 */
import { sql } from 'drizzle-orm';
import type { IngestLimits } from '@/lib/api/ingest-schemas';
import { numberLimit, textLimit } from '@/lib/column-limits';
import type { Database } from './types';
import { queryRows } from './sql';

/** Where the agents' tables live. */
export const TRACKING_SCHEMA = 'public';

export const TRACKING_TABLES = [
  'operation_patterns',
  'pattern_occurrences',
  'cost_savings_log',
  'workflow_history',
  'tool_calls',
  // The real system's own review tables, shown beside Pattern Ledger's reviews where they exist.
  'pattern_approvals',
  'pattern_review_history',
  // What the agents did and what the real system measured, read in place by capture (never
  // written, no trigger): docs/capture.md.
  'hook_events',
  'task_logs',
  'pattern_executions',
  'pattern_roi_summary',
  'pattern_confidence_history',
] as const;
export type TrackingTable = (typeof TRACKING_TABLES)[number];

/** Column name → type, in column order. */
export type TableColumns = Map<string, string>;
export type TrackingCatalog = Partial<Record<TrackingTable, TableColumns>>;

export async function readTrackingCatalog(db: Database): Promise<TrackingCatalog> {
  const rows = await queryRows<{ table: TrackingTable; column: string; type: string }>(
    db,
    sql`SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${TRACKING_SCHEMA} AND c.relkind IN ('r', 'p')
        AND c.relname IN (${sql.join(
          TRACKING_TABLES.map((t) => sql`${t}`),
          sql`, `,
        )})
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const catalog: TrackingCatalog = {};
  for (const row of rows) (catalog[row.table] ??= new Map()).set(row.column, row.type);
  return catalog;
}

export const has = (catalog: TrackingCatalog, table: TrackingTable, column?: string): boolean =>
  column === undefined ? catalog[table] !== undefined : (catalog[table]?.has(column) ?? false);

/** The columns every page reads; a database without them cannot be shown. */
export const REQUIRED_COLUMNS: Partial<Record<TrackingTable, string[]>> = {
  operation_patterns: ['id', 'pattern_signature', 'pattern_type'],
  pattern_occurrences: [
    'id',
    'pattern_id',
    'workflow_id',
    'similarity_score',
    'matched_characteristics',
    'detected_at',
  ],
  cost_savings_log: [
    'id',
    'optimization_type',
    'workflow_id',
    'tool_call_id',
    'pattern_id',
    'baseline_tokens',
    'actual_tokens',
    'tokens_saved',
    'cost_saved_usd',
    'saved_at',
    'notes',
  ],
};

/** What keeps a database from being shown, in words a person can act on; empty when nothing. */
export function missingRequirements(catalog: TrackingCatalog): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS) as [TrackingTable, string[]][]) {
    const present = catalog[table];
    if (!present) {
      problems.push(`table ${TRACKING_SCHEMA}.${table} does not exist`);
      continue;
    }
    const missing = columns.filter((column) => !present.has(column));
    if (missing.length > 0)
      problems.push(`${TRACKING_SCHEMA}.${table} has no column ${missing.join(', ')}`);
  }
  return problems;
}

/** Kept a minute per handle: the agents' column types change rarely, and every API batch asks. */
const CATALOG_FRESH_MS = 60_000;
const cached = new WeakMap<Database, { at: number; catalog: Promise<TrackingCatalog> }>();

export function cachedTrackingCatalog(db: Database): Promise<TrackingCatalog> {
  const kept = cached.get(db);
  if (kept && Date.now() - kept.at < CATALOG_FRESH_MS) return kept.catalog;
  const catalog = readTrackingCatalog(db);
  cached.set(db, { at: Date.now(), catalog });
  catalog.catch(() => cached.delete(db));
  return catalog;
}

/** What the ingestion API may write into the agents' columns as they are on this database. */
export function ingestLimits(catalog: TrackingCatalog): IngestLimits {
  const occurrences = catalog.pattern_occurrences;
  const savings = catalog.cost_savings_log;
  const patterns = catalog.operation_patterns;
  const shorter = (limit: number, type: string | undefined) =>
    Math.min(limit, textLimit(type) ?? limit);
  return {
    similarity: numberLimit(occurrences?.get('similarity_score')),
    money: numberLimit(savings?.get('cost_saved_usd')),
    patternId: numberLimit(savings?.get('pattern_id')),
    tokens: numberLimit(savings?.get('baseline_tokens')),
    text: {
      signature: shorter(255, patterns?.get('pattern_signature')),
      patternType: shorter(100, patterns?.get('pattern_type')),
      workflowId: Math.min(
        shorter(255, occurrences?.get('workflow_id')),
        shorter(255, savings?.get('workflow_id')),
      ),
      toolCallId: shorter(255, savings?.get('tool_call_id')),
    },
  };
}
