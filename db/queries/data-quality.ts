import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { AUTOMATION_STATUSES } from '@/lib/domain';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { IMPLAUSIBLE } from '../rollups/defects';
import {
  liveDefects,
  liveOccurrenceTotals,
  liveRepeatedPairs,
  liveSimilarityScales,
  liveWorkflows,
} from '../rollups/views';
import { endOfCurrentMinute } from './range';
import { EARLIEST_PLAUSIBLE } from './extent';
import { utcTimestamp } from './time';

/*
 * Checks of the tracking tables as real databases hold them (../shared/reference/tables.md).
 * Each check has a count and the rows behind it, in the order that matters most; every row names
 * the record it is about, so a page can link to it.
 */

export { IMPLAUSIBLE };

/** A row of a check: SQL scalars by column. */
export type QualityRow = Record<string, string | number | boolean | null>;

/** `id` columns are shown as they are; other numbers with thousands separators. */
export type QualityColumn = { key: string; label: string; align?: 'right'; id?: boolean };

/**
 * Where a row's link goes: a record page by id, or the leaderboard filtered by status; 'by-kind':
 * the row's own `kind` column says which.
 */
export type QualityLink = 'pattern' | 'workflow' | 'savings' | 'status' | 'by-kind';

export type QualityCheck = {
  id: string;
  title: string;
  /** What it means and why it matters. */
  explain: string;
  /** What the count counts. */
  unit: string;
  columns: QualityColumn[];
  link: QualityLink;
  /** The column holding the linked record's id (or status). */
  linkKey: string;
  /** SQL for the count and the rows, at a moment (for values dated in the future). */
  count: (at: Date) => SQL;
  rows: (at: Date) => SQL;
};

const known = sql.join(
  AUTOMATION_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);
// The moment is a parameter, never now(): a query's text and parameters are its whole question
// (db/read-cache.ts keeps answers by them).
const future = (at: Date) =>
  sql`${utcTimestamp(at)} + make_interval(hours => ${IMPLAUSIBLE.futureHours})`;
/** A time before 1990 or past the future bound ('infinity', year 1, BC dates included). */
const implausibleTime = (column: string, at: Date) =>
  sql`(${sql.raw(column)} > ${future(at)} OR ${sql.raw(column)} < ${utcTimestamp(EARLIEST_PLAUSIBLE)})`;

/**
 * Rows of a table whose workflow id has no workflow_history row, counted and grouped by id; read
 * per workflow from the live workflow rollup (`occurrences` or `entries`).
 */
function orphanWorkflowCheck(check: {
  id: string;
  figure: 'occurrences' | 'entries';
  title: string;
  explain: string;
  unit: string;
  rowsLabel: string;
}): QualityCheck {
  const figure = sql.raw(check.figure);
  const orphans = sql`FROM ${liveWorkflows((w) => sql`${w}.${figure} > 0 AND NOT ${w}.has_history`)} w`;
  return {
    id: check.id,
    title: check.title,
    explain: check.explain,
    unit: check.unit,
    columns: [
      { key: 'workflowId', label: 'Workflow id' },
      { key: 'rows', label: check.rowsLabel, align: 'right' },
    ],
    link: 'workflow',
    linkKey: 'workflowId',
    count: () => sql`SELECT coalesce(sum(w.${figure}), 0)::int AS n ${orphans}`,
    rows: () => sql`SELECT w.workflow_id::text AS "workflowId", w.${figure} AS rows ${orphans}
      ORDER BY rows DESC, "workflowId"`,
  };
}

/**
 * `column` is a row listed under the check in the live defect list. The list is read first, as an
 * array: the planner cannot know it is short, and `id IN (…)` under `ORDER BY id LIMIT n` walked
 * the whole primary key looking for rows that were not there (9 s at 50 M occurrences).
 */
const listedUnder = (column: SQL, checkId: string) =>
  sql`${column} = ANY (ARRAY(SELECT row_id FROM ${liveDefects([checkId])} d))`;
const defectCount = (checkId: string) =>
  sql`SELECT count(*)::int AS n FROM ${liveDefects([checkId])} d`;

/*
 * Row-local checks (invalid JSON, tokens that disagree, implausible values in one row) are kept
 * in the defect list by the folder, with the thresholds of IMPLAUSIBLE (db/rollups/live.ts:
 * occurrenceDefects, savingsDefects); tests check them against rows planted with known defects.
 */
const savingsColumn = (
  column: string,
) => sql`SELECT 'cost_savings_log' AS "table", s.id::int AS id, ${column} AS "column",
    s.${sql.raw(column)}::text AS value, 'savings' AS kind, s.id::text AS ref
  FROM cost_savings_log s WHERE ${listedUnder(sql`s.id`, `implausible:cost_savings_log.${column}`)}`;

const implausibleRows = (at: Date) => sql`
  ${savingsColumn('tokens_saved')}
  UNION ALL ${savingsColumn('baseline_tokens')}
  UNION ALL ${savingsColumn('actual_tokens')}
  UNION ALL ${savingsColumn('cost_saved_usd')}
  UNION ALL SELECT 'cost_savings_log', id::int, 'saved_at', saved_at::text, 'savings', id::text
    FROM cost_savings_log WHERE ${implausibleTime('saved_at', at)}
  UNION ALL SELECT 'pattern_occurrences', o.id::int, 'similarity_score', o.similarity_score::text, 'pattern', o.pattern_id::text
    FROM pattern_occurrences o
    WHERE ${listedUnder(sql`o.id`, 'implausible:pattern_occurrences.similarity_score')}
  UNION ALL SELECT 'pattern_occurrences', id::int, 'detected_at', detected_at::text, 'pattern', pattern_id::text
    FROM pattern_occurrences WHERE ${implausibleTime('detected_at', at)}
  UNION ALL SELECT 'operation_patterns', id::int, 'confidence_score', confidence_score::text, 'pattern', id::text
    FROM operation_patterns WHERE confidence_score < 0 OR confidence_score > 100
  UNION ALL SELECT 'operation_patterns', id::int, 'potential_monthly_savings', potential_monthly_savings::text, 'pattern', id::text
    FROM operation_patterns WHERE pattern_ledger.money(potential_monthly_savings)::float8 < 0
  UNION ALL SELECT 'operation_patterns', id::int, 'occurrence_count', occurrence_count::text, 'pattern', id::text
    FROM operation_patterns WHERE occurrence_count < 0
  UNION ALL SELECT 'operation_patterns', id::int, 'first_detected', first_detected::text, 'pattern', id::text
    FROM operation_patterns WHERE ${implausibleTime('first_detected', at)}
  UNION ALL SELECT 'operation_patterns', id::int, 'last_seen', last_seen::text, 'pattern', id::text
    FROM operation_patterns WHERE ${implausibleTime('last_seen', at)}`;

/**
 * A pattern (alias `op`) with an estimate and no occurrence. The patterns with occurrences are
 * read once, as an array: asked per pattern, the live totals were summed again for each of them
 * (over 20 s at 50 M occurrences).
 */
const unsupportedEstimate = sql`pattern_ledger.money(op.potential_monthly_savings) > 0
  AND op.id <> ALL (ARRAY(SELECT t.pattern_id FROM ${liveOccurrenceTotals()} t WHERE t.pattern_id IS NOT NULL))`;

export const QUALITY_CHECKS: QualityCheck[] = [
  {
    id: 'occurrence-count-drift',
    title: 'Stored occurrence counts that disagree with the occurrences',
    explain:
      'operation_patterns.occurrence_count against the rows in pattern_occurrences. Pattern Ledger counts the rows; the stored counter is shown for comparison only.',
    unit: 'patterns',
    columns: [
      { key: 'signature', label: 'Pattern' },
      { key: 'stored', label: 'Stored count', align: 'right' },
      { key: 'counted', label: 'Counted rows', align: 'right' },
      { key: 'difference', label: 'Difference', align: 'right' },
    ],
    link: 'pattern',
    linkKey: 'id',
    count: () => sql`SELECT count(*)::int AS n FROM operation_patterns op
      LEFT JOIN ${liveOccurrenceTotals()} t ON t.pattern_id = op.id
      WHERE op.occurrence_count IS DISTINCT FROM coalesce(t.occurrences, 0)`,
    rows: () => sql`SELECT * FROM (
        SELECT op.id::int AS id, op.pattern_signature::text AS signature, op.occurrence_count::int AS stored,
          coalesce(t.occurrences, 0) AS counted, op.occurrence_count::int - coalesce(t.occurrences, 0) AS difference
        FROM operation_patterns op LEFT JOIN ${liveOccurrenceTotals()} t ON t.pattern_id = op.id
      ) d WHERE stored IS DISTINCT FROM counted
      ORDER BY abs(coalesce(difference, counted)) DESC, id`,
  },
  {
    id: 'unsupported-estimate',
    title: 'Monthly estimates that no recorded occurrence supports',
    explain:
      'operation_patterns.potential_monthly_savings is above zero but pattern_occurrences holds no row of the pattern: the estimate rests on counters or guesses, not on recorded matches.',
    unit: 'patterns',
    columns: [
      { key: 'signature', label: 'Pattern' },
      { key: 'estimate', label: 'Estimate / month', align: 'right' },
      { key: 'stored', label: 'Stored count', align: 'right' },
    ],
    link: 'pattern',
    linkKey: 'id',
    count: () =>
      sql`SELECT count(*)::int AS n FROM operation_patterns op WHERE ${unsupportedEstimate}`,
    rows: () => sql`SELECT op.id::float8 AS id, op.pattern_signature::text AS signature,
        pattern_ledger.money(op.potential_monthly_savings)::float8 AS estimate, op.occurrence_count::float8 AS stored
      FROM operation_patterns op WHERE ${unsupportedEstimate}
      ORDER BY estimate DESC, id`,
  },
  orphanWorkflowCheck({
    id: 'occurrences-without-workflow',
    figure: 'occurrences',
    title: 'Occurrences whose workflow has no workflow_history row',
    explain:
      'pattern_occurrences.workflow_id matched against workflow_history.adw_id and workflow_id. Such workflows show on their page without run details.',
    unit: 'occurrences',
    rowsLabel: 'Occurrences',
  }),
  orphanWorkflowCheck({
    id: 'savings-without-workflow',
    figure: 'entries',
    title: 'Savings whose workflow has no workflow_history row',
    explain:
      'cost_savings_log.workflow_id matched against workflow_history.adw_id and workflow_id.',
    unit: 'savings entries',
    rowsLabel: 'Entries',
  }),
  {
    id: 'savings-without-tool-call',
    title: 'Savings whose tool call id has no tool_calls row',
    explain: 'cost_savings_log.tool_call_id is set but no tool_calls row has that id.',
    unit: 'savings entries',
    columns: [
      { key: 'id', label: 'Entry', align: 'right', id: true },
      { key: 'toolCallId', label: 'Tool call id' },
      { key: 'workflowId', label: 'Workflow id' },
    ],
    link: 'savings',
    linkKey: 'id',
    count: () => defectCount('savings-without-tool-call'),
    rows: () => sql`SELECT s.id::int AS id, s.tool_call_id::text AS "toolCallId", s.workflow_id::text AS "workflowId"
      FROM cost_savings_log s WHERE ${listedUnder(sql`s.id`, 'savings-without-tool-call')}
      ORDER BY s.id`,
  },
  {
    id: 'unknown-status',
    title: 'Automation statuses outside the known six',
    explain: `Known: ${AUTOMATION_STATUSES.join(', ')}. Other values (and none) are shown as they are; a review replaces them with a known one.`,
    unit: 'patterns',
    columns: [
      { key: 'status', label: 'Stored status' },
      { key: 'rows', label: 'Patterns', align: 'right' },
    ],
    link: 'status',
    linkKey: 'status',
    count: () => sql`SELECT count(*)::int AS n FROM operation_patterns
      WHERE automation_status IS NULL OR automation_status::text NOT IN (${known})`,
    rows: () => sql`SELECT coalesce(automation_status::text, '') AS status, count(*)::int AS rows
      FROM operation_patterns WHERE automation_status IS NULL OR automation_status::text NOT IN (${known})
      GROUP BY 1 ORDER BY rows DESC, status`,
  },
  {
    id: 'invalid-json',
    title: 'matched_characteristics that is not valid JSON',
    explain: 'Older writers stored truncated JSON. Pages show such values marked as invalid.',
    unit: 'occurrences',
    columns: [
      { key: 'occurrenceId', label: 'Occurrence', align: 'right', id: true },
      { key: 'signature', label: 'Pattern' },
      { key: 'value', label: 'Stored text (start)' },
    ],
    link: 'pattern',
    linkKey: 'id',
    count: () => defectCount('invalid-json'),
    rows: () => sql`SELECT po.id::int AS "occurrenceId", po.pattern_id::int AS id, op.pattern_signature::text AS signature,
        left(po.matched_characteristics::text, 80) AS value
      FROM pattern_occurrences po JOIN operation_patterns op ON op.id = po.pattern_id
      WHERE ${listedUnder(sql`po.id`, 'invalid-json')}
      ORDER BY po.id`,
  },
  {
    id: 'duplicate-occurrences',
    title: 'Duplicate (pattern, workflow) occurrences',
    explain:
      'The real system records a pattern at most once per workflow; older databases hold repeats. The count is of surplus rows.',
    unit: 'surplus rows',
    columns: [
      { key: 'signature', label: 'Pattern' },
      { key: 'workflowId', label: 'Workflow id' },
      { key: 'rows', label: 'Rows', align: 'right' },
    ],
    link: 'pattern',
    linkKey: 'id',
    // Surplus rows = all rows − distinct (pattern, workflow) pairs, both kept in the rollups.
    count: () =>
      sql`SELECT coalesce(sum(occurrences - workflows), 0)::int AS n FROM ${liveOccurrenceTotals()} t`,
    // The most repeated pairs straight off their index, each signature looked up per row shown
    // (a join, or a sort of the view, ordered every repeated pair: 3.5 M at 50 M occurrences).
    rows: () => sql`SELECT d.pattern_id::int AS id,
        (SELECT op.pattern_signature::text FROM operation_patterns op WHERE op.id = d.pattern_id) AS signature,
        d.workflow_id::text AS "workflowId", d.occurrences AS rows
      FROM ${liveRepeatedPairs()} d
      ORDER BY d.occurrences DESC NULLS LAST, d.pattern_id, d.workflow_id`,
  },
  {
    id: 'tokens-mismatch',
    title: 'tokens_saved that disagrees with baseline − actual',
    explain:
      'cost_savings_log.tokens_saved against baseline_tokens − actual_tokens. Totals on the pages add tokens_saved as stored.',
    unit: 'savings entries',
    columns: [
      { key: 'id', label: 'Entry', align: 'right', id: true },
      { key: 'baseline', label: 'Baseline', align: 'right' },
      { key: 'actual', label: 'Actual', align: 'right' },
      { key: 'stored', label: 'tokens_saved', align: 'right' },
      { key: 'expected', label: 'baseline − actual', align: 'right' },
    ],
    link: 'savings',
    linkKey: 'id',
    count: () => defectCount('tokens-mismatch'),
    rows: () => sql`SELECT id::int AS id, baseline_tokens AS baseline, actual_tokens AS actual,
        tokens_saved AS stored, (baseline_tokens::numeric - actual_tokens::numeric)::float8 AS expected
      FROM cost_savings_log WHERE ${listedUnder(sql`id`, 'tokens-mismatch')}
      ORDER BY abs(coalesce(tokens_saved::numeric - (baseline_tokens::numeric - actual_tokens::numeric), 0)) DESC, id`,
  },
  {
    id: 'implausible-values',
    title: 'Negative or implausible values',
    explain: `Negative tokens, USD or estimates; more than ${IMPLAUSIBLE.tokensPerEntry.toLocaleString('en-US')} tokens or $${IMPLAUSIBLE.usdPerEntry} in one savings entry; similarity or confidence outside 0–100; times before ${EARLIEST_PLAUSIBLE.getUTCFullYear()} or more than ${IMPLAUSIBLE.futureHours} hours in the future (the “all time” range leaves them out).`,
    unit: 'values',
    columns: [
      { key: 'table', label: 'Table' },
      { key: 'id', label: 'Row id', align: 'right', id: true },
      { key: 'column', label: 'Column' },
      { key: 'value', label: 'Value', align: 'right' },
    ],
    link: 'by-kind',
    linkKey: 'ref',
    count: (at) => sql`SELECT count(*)::int AS n FROM (${implausibleRows(at)}) v`,
    rows: (at) => sql`SELECT * FROM (${implausibleRows(at)}) v ORDER BY "table", id, "column"`,
  },
];

export function findQualityCheck(id: string): QualityCheck | undefined {
  return QUALITY_CHECKS.find((check) => check.id === id);
}

export type QualitySummary = {
  id: string;
  count: number;
  examples: QualityRow[];
};

/** Every check's count and its first few rows. */
export async function getQualitySummary(
  db: Database,
  examples = 5,
  at: Date = endOfCurrentMinute(),
): Promise<QualitySummary[]> {
  return Promise.all(
    QUALITY_CHECKS.map(async (check) => {
      const [count, rows] = await Promise.all([
        readRows<{ n: number }>(db, check.count(at)),
        readRows<QualityRow>(db, sql`${check.rows(at)} LIMIT ${examples}`),
      ]);
      return { id: check.id, count: count[0]?.n ?? 0, examples: rows };
    }),
  );
}

/** One check's rows, a page at a time, with how many there are. */
export async function getQualityRows(
  db: Database,
  check: QualityCheck,
  page: { limit: number; offset: number },
  at: Date = endOfCurrentMinute(),
): Promise<{ rows: QualityRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    readRows<QualityRow>(db, sql`${check.rows(at)} LIMIT ${page.limit} OFFSET ${page.offset}`),
    readRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (${check.rows(at)}) r`),
  ]);
  return { rows, total: total[0]?.n ?? 0 };
}

export type ScaleReading = {
  column: string;
  ratioRows: number;
  percentRows: number;
  /** What the data says: '0–1', '0–100', 'mixed' or 'no data'. */
  scale: '0–1' | '0–100' | 'mixed' | 'no data';
};

/**
 * Similarity and confidence scales, read from the values themselves: values in (0, 1] look like
 * ratios, values above 1 like percentages; 0 fits both and is not counted.
 */
export async function getScaleReadings(db: Database): Promise<ScaleReading[]> {
  const rows = await readRows<{ column: string; ratio: number; percent: number }>(
    db,
    sql`SELECT 'pattern_occurrences.similarity_score' AS "column",
          coalesce(sum(ratio_rows), 0)::int AS ratio, coalesce(sum(percent_rows), 0)::int AS percent
        FROM ${liveSimilarityScales()} s
        UNION ALL
        SELECT 'operation_patterns.confidence_score',
          count(*) FILTER (WHERE confidence_score > 0 AND confidence_score <= 1)::int,
          count(*) FILTER (WHERE confidence_score > 1)::int
        FROM operation_patterns`,
  );
  return rows.map((row) => ({
    column: row.column,
    ratioRows: row.ratio,
    percentRows: row.percent,
    scale:
      row.ratio + row.percent === 0
        ? 'no data'
        : row.percent === 0
          ? '0–1'
          : row.ratio === 0
            ? '0–100'
            : 'mixed',
  }));
}
