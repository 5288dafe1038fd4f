import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { ResolvedRange } from '@/lib/time-range';
import { TRACKING_SCHEMA, type TrackingCatalog } from '../catalog';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { inRange } from './time';

/*
 * The reference system's own measurements, read where they are when the database has them
 * (../shared/reference/tables.md): its ROI tracking (pattern_executions, pattern_roi_summary) and
 * its confidence adjustments (pattern_confidence_history). Their pattern_id is text, an approval
 * id that is a pattern's signature when it names one. Only columns that exist are read.
 */

const table = (name: string) => sql.raw(`${TRACKING_SCHEMA}.${name}`);
const epoch = (column: SQL) => sql`(date_part('epoch', ${column}) * 1000)::float8`;
const isNumeric = (type: string) =>
  /^(integer|bigint|smallint|real|double precision|numeric)/.test(type);

/** A summary row's figures as they are stored, by column (ids and the pattern's own left out). */
export type ReferenceFigures = { column: string; value: number | string | null }[];

/** The numeric columns of a table, in column order, but ids and pattern ids. */
export function figureColumns(catalog: TrackingCatalog, name: 'pattern_roi_summary'): string[] {
  return [...(catalog[name]?.entries() ?? [])]
    .filter(([column, type]) => isNumeric(type) && !/^(id|pattern_id)$/.test(column))
    .map(([column]) => column);
}

function figuresOf(row: Record<string, unknown> | undefined, columns: string[]): ReferenceFigures {
  if (!row) return [];
  return columns.map((column) => {
    const value = row[column];
    return { column, value: typeof value === 'number' || typeof value === 'string' ? value : null };
  });
}

export type ExecutionFigures = {
  executions: number;
  successes: number | null;
  actualCost: number | null;
  estimatedCost: number | null;
  actualSeconds: number | null;
  estimatedSeconds: number | null;
  lastAt: number | null;
};

export type PatternReference = {
  /** pattern_roi_summary's row for the pattern; null without the table or a row. */
  summary: ReferenceFigures | null;
  /** pattern_executions in the range; null without the table. */
  executions: ExecutionFigures | null;
  /** pattern_confidence_history, oldest first; null without the table. */
  confidence:
    { at: number; ratio: number | null; reason: string | null; by: string | null }[] | null;
};

const sumOf = (columns: Map<string, string> | undefined, column: string) =>
  columns?.has(column) && isNumeric(columns.get(column)!)
    ? sql`sum(${sql.raw(`e.${column}`)})::float8`
    : sql`NULL::float8`;

export async function getPatternReference(
  db: Database,
  catalog: TrackingCatalog,
  signature: string,
  range: ResolvedRange,
): Promise<PatternReference> {
  const summaryColumns = figureColumns(catalog, 'pattern_roi_summary');
  const executions = catalog.pattern_executions;
  const history = catalog.pattern_confidence_history;
  const [summary, executionRow, confidence] = await Promise.all([
    catalog.pattern_roi_summary?.has('pattern_id')
      ? readRows<Record<string, unknown>>(
          db,
          sql`SELECT ${sql.join(
            [
              ...summaryColumns.map(
                (c) => sql`${sql.raw(`s.${c}`)}::float8 AS ${sql.raw(`"${c}"`)}`,
              ),
              sql`1 AS found`,
            ],
            sql`, `,
          )} FROM ${table('pattern_roi_summary')} s WHERE s.pattern_id::text = ${signature} LIMIT 1`,
        )
      : null,
    executions?.has('pattern_id')
      ? readRows<ExecutionFigures>(
          db,
          sql`SELECT count(*)::float8 AS executions,
              ${executions.has('success') ? sql`count(*) FILTER (WHERE e.success::text IN ('true', '1'))::float8` : sql`NULL::float8`} AS successes,
              ${sumOf(executions, 'actual_cost')} AS "actualCost", ${sumOf(executions, 'estimated_cost')} AS "estimatedCost",
              ${sumOf(executions, 'execution_time_seconds')} AS "actualSeconds",
              ${sumOf(executions, 'estimated_time_seconds')} AS "estimatedSeconds",
              ${executions.has('executed_at') ? sql`max(${epoch(sql`e.executed_at`)})` : sql`NULL::float8`} AS "lastAt"
            FROM ${table('pattern_executions')} e
            WHERE e.pattern_id::text = ${signature}
              ${executions.has('executed_at') ? sql`AND ${inRange(sql`e.executed_at`, range.filter)}` : sql``}`,
        )
      : null,
    history?.has('pattern_id') && history.has('new_confidence') && history.has('updated_at')
      ? readRows<{ at: number; ratio: number | null; reason: string | null; by: string | null }>(
          db,
          sql`SELECT ${epoch(sql`h.updated_at`)} AS at, pattern_ledger.ratio(h.new_confidence::float8) AS ratio,
              ${history.has('adjustment_reason') ? sql`h.adjustment_reason::text` : sql`NULL::text`} AS reason,
              ${history.has('updated_by') ? sql`h.updated_by::text` : sql`NULL::text`} AS by
            FROM ${table('pattern_confidence_history')} h
            WHERE h.pattern_id::text = ${signature}
            ORDER BY h.updated_at, 1 LIMIT 500`,
        )
      : null,
  ]);
  return {
    summary:
      summary === null ? null : summary.length > 0 ? figuresOf(summary[0], summaryColumns) : [],
    executions: executionRow?.[0] ?? null,
    confidence,
  };
}

export type RoiSummaryRow = {
  pattern: string;
  patternId: number | null;
  figures: ReferenceFigures;
};

/**
 * pattern_roi_summary's rows, the largest ROI (or the most executions) first, with the pattern
 * each names when its id is a signature. Null when the database has no such table.
 */
export async function getRoiSummaries(
  db: Database,
  catalog: TrackingCatalog,
  limit = 25,
): Promise<{ columns: string[]; rows: RoiSummaryRow[] } | null> {
  if (!catalog.pattern_roi_summary?.has('pattern_id')) return null;
  const columns = figureColumns(catalog, 'pattern_roi_summary');
  const order = ['roi_percentage', 'total_executions'].find((c) => columns.includes(c));
  const rows = await readRows<Record<string, unknown>>(
    db,
    sql`SELECT s.pattern_id::text AS pattern, op.id::float8 AS "patternId"${
      columns.length > 0
        ? sql`, ${sql.join(
            columns.map((c) => sql`${sql.raw(`s.${c}`)}::float8 AS ${sql.raw(`"${c}"`)}`),
            sql`, `,
          )}`
        : sql``
    }
      FROM ${table('pattern_roi_summary')} s
      LEFT JOIN operation_patterns op ON op.pattern_signature::text = s.pattern_id::text
      ORDER BY ${order ? sql.raw(`s.${order} DESC NULLS LAST,`) : sql``} s.pattern_id::text
      LIMIT ${limit}`,
  );
  return {
    columns,
    rows: rows.map((row) => ({
      pattern: String(row.pattern),
      patternId: typeof row.patternId === 'number' ? row.patternId : null,
      figures: figuresOf(row, columns),
    })),
  };
}
