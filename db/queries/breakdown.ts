/**
 * A section's figures per bucket grouped by one dimension (lib/breakdown.ts), with each group's
 * total over the range in the same statement (GROUPING SETS). Pattern and type dimensions read
 * the rollups; matched_characteristics keys their own hourly rollup; workflow dimensions the raw
 * rows of the range, grouped by workflow before each workflow's history row is looked up once.
 */
import { figureOf } from '../rollups/define';
import { SAVINGS_TOTALS } from '../rollups/declarations';
import { sql, type SQL } from 'drizzle-orm';
import { missingLabel, type BreakdownSubject, type Dimension } from '@/lib/breakdown';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { queryRows } from '../sql';
import {
  characteristicPieces,
  getBucketSpans,
  occurrencePieces,
  savingsPieces,
  spanKeyOf,
  type Span,
} from './rollup';
import { inRange } from './time';

export type BreakdownMeasure = 'count' | 'usd' | 'tokens';

/** One group in one bucket (`bucket` null: the group's total over the range). */
export type BreakdownRow = { bucket: number | null; group: string | null; value: number };

const PATTERN_GROUP: Record<'pattern' | 'pattern_type' | 'status', SQL> = {
  pattern: sql`op.pattern_signature::text`,
  pattern_type: sql`op.pattern_type::text`,
  status: sql`op.automation_status::text`,
};

const WORKFLOW_COLUMN: Record<'template' | 'model', SQL> = {
  template: sql`w.workflow_template`,
  model: sql`w.model_used`,
};

/** Rows `(key, grp, value)` of the dimension, several per key and group. */
function groupedPieces(
  spans: Span[],
  range: ResolvedRange,
  subject: BreakdownSubject,
  dimension: Dimension,
  measure: BreakdownMeasure,
): SQL {
  const amount =
    measure === 'usd' ? sql`p.cost_saved_usd` : measure === 'tokens' ? sql`p.tokens_saved` : null;
  switch (dimension.kind) {
    case 'characteristic':
      return sql`SELECT p.key, p.value AS grp, p.n AS value FROM ${characteristicPieces(spans, dimension.key)} p`;
    case 'optimization_type':
      return sql`SELECT p.key, p.optimization_type AS grp, ${amount ?? sql`p.entries`} AS value
        FROM ${savingsPieces(spans, undefined, 'type')} p`;
    case 'pattern':
    case 'pattern_type':
    case 'status': {
      const pieces =
        subject === 'occurrences'
          ? sql`(SELECT key, pattern_id, occurrences AS value FROM ${occurrencePieces(spans)} x)`
          : sql`(SELECT key, pattern_id, ${amount ? sql.raw(measure === 'usd' ? 'cost_saved_usd' : 'tokens_saved') : sql`entries`} AS value
              FROM ${savingsPieces(spans)} x)`;
      return sql`SELECT p.key, ${PATTERN_GROUP[dimension.kind]} AS grp, p.value
        FROM ${pieces} p LEFT JOIN operation_patterns op ON op.id = p.pattern_id`;
    }
    case 'template':
    case 'model': {
      const [table, time, figure] =
        subject === 'occurrences'
          ? [sql`pattern_occurrences`, sql`r.detected_at`, sql`count(*)::numeric`]
          : [
              sql`cost_savings_log`,
              sql`r.saved_at`,
              measure === 'usd'
                ? sql`sum(${figureOf(SAVINGS_TOTALS, 'cost_saved_usd')(sql`r`)})`
                : measure === 'tokens'
                  ? sql`sum(${figureOf(SAVINGS_TOTALS, 'tokens_saved')(sql`r`)})`
                  : sql`count(*)::numeric`,
            ];
      return sql`SELECT x.key, ${WORKFLOW_COLUMN[dimension.kind]} AS grp, x.value
        FROM (SELECT ${spanKeyOf(spans, time)} AS key, r.workflow_id::text AS workflow, ${figure} AS value
              FROM ${table} r WHERE ${inRange(time, range.filter)} GROUP BY 1, 2) x
        LEFT JOIN LATERAL pattern_ledger.workflow_run(x.workflow) w ON true`;
    }
  }
}

export function breakdownQuery(
  spans: Span[],
  range: ResolvedRange,
  subject: BreakdownSubject,
  dimension: Dimension,
  measure: BreakdownMeasure,
  { csv = false }: { csv?: boolean } = {},
): SQL {
  const pieces = groupedPieces(spans, range, subject, dimension, measure);
  // The download: one row per bucket and group, the bucket's start as a time.
  if (csv)
    return sql`SELECT key::float8 AS "bucketStart", coalesce(grp, ${missingLabel(dimension)}) AS "group",
        sum(value)::float8 AS value
      FROM (${pieces}) g GROUP BY key, grp HAVING sum(value) <> 0 ORDER BY key, value DESC, grp`;
  return sql`SELECT key::float8 AS bucket, grp AS "group", sum(value)::float8 AS value
    FROM (${pieces}) g
    GROUP BY GROUPING SETS ((key, grp), (grp)) HAVING sum(value) <> 0
    ORDER BY 1 NULLS FIRST, 2`;
}

/** The breakdown of the range: its buckets and rows (the groups' totals have `bucket` null). */
export async function getBreakdown(
  db: Database,
  range: ResolvedRange,
  subject: BreakdownSubject,
  dimension: Dimension,
  measure: BreakdownMeasure,
): Promise<{ buckets: number[]; rows: BreakdownRow[] }> {
  const { buckets, spans } = await getBucketSpans(db, range);
  const rows = await readRows<BreakdownRow>(
    db,
    question('breakdown', [spans, range.filter, subject, dimension, measure], () =>
      breakdownQuery(spans, range, subject, dimension, measure),
    ),
  );
  return { buckets, rows };
}

/** What a section can be broken down by on this database: workflow columns, characteristic keys. */
export type BreakdownOptions = { template: boolean; model: boolean; characteristicKeys: string[] };

const KEYS_LISTED = 40;

export async function getBreakdownOptions(db: Database): Promise<BreakdownOptions> {
  const [columns, keys] = await Promise.all([
    queryRows<{ template: boolean; model: boolean }>(
      db,
      sql`SELECT
        EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.workflow_history')
          AND attname = 'workflow_template' AND NOT attisdropped) AS template,
        EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.workflow_history')
          AND attname = 'model_used' AND NOT attisdropped) AS model`,
    ),
    // The keys stored so far, most frequent first (a key seen only in the last minutes appears
    // after the next fold).
    readRows<{ key: string }>(
      db,
      question(
        'characteristicKeys',
        [],
        () => sql`SELECT key FROM pattern_ledger.characteristic_rollup_hourly
          GROUP BY key ORDER BY sum(occurrences) DESC, key LIMIT ${KEYS_LISTED}`,
      ),
    ),
  ]);
  return {
    template: columns[0]?.template ?? false,
    model: columns[0]?.model ?? false,
    characteristicKeys: keys.map((k) => k.key),
  };
}
