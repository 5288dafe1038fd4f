import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { ResolvedRange } from '@/lib/time-range';
import type { WorkflowParams, WorkflowSort } from '@/lib/workflow-params';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { liveWorkflows } from '../rollups/views';
import { liveWorkflowsFirst } from '../rollups/workflows';
import { figureOf } from '../rollups/define';
import { SAVINGS_TOTALS } from '../rollups/declarations';
import { likePattern } from './patterns';
import { inRange, scoreRatio, utcTimestamp } from './time';

export type WorkflowRow = {
  workflowId: string;
  occurrences: number;
  patterns: number;
  entries: number;
  usd: number;
  /** The same amount as an exact decimal (for exports). */
  usdExact: string;
  tokens: number;
  lastActivity: number | null;
  /** From workflow_history, matched by adw_id or workflow_id; null when it has no row there. */
  adwId: string | null;
  status: string | null;
  template: string | null;
  issueNumber: number | null;
};

/** Each sort as a column of `workflowFigures`. */
const SORT_COLUMNS: Record<WorkflowSort, FigureColumn> = {
  lastActivity: 'last_at',
  occurrences: 'occurrences',
  patterns: 'patterns',
  usd: 'usd',
  tokens: 'tokens',
  entries: 'entries',
};

/** The columns of `workflowFigures`, each with its name in `live_workflows`. */
const FIGURE_COLUMNS = {
  occurrences: 'occurrences',
  patterns: 'patterns',
  entries: 'entries',
  usd: 'cost_saved_usd',
  tokens: 'tokens_saved',
  last_at: 'last_at',
} as const;
export type FigureColumn = keyof typeof FIGURE_COLUMNS;

/**
 * Only the largest `limit` workflows by `by` (descending, ties by id) are wanted, among those
 * `where` keeps (alias of a `live_workflows` row): the stored ones are read in that order and
 * stop there (an index serves the most recent and the largest savers), so a page does not read
 * every workflow in the range. Sort the figures the same way and take `limit`.
 */
type Filter = (w: SQL) => SQL;
export type FirstFigures = { by: FigureColumn; limit: number; where?: Filter };

export const figureOrder = (by: FigureColumn, direction: 'ASC' | 'DESC', alias = 'f') =>
  sql.raw(`${alias}.${by} ${direction} NULLS LAST, ${alias}.workflow_id ASC`);

/**
 * Per workflow id with any occurrence or savings entry within the filter: rows `(workflow_id,
 * occurrences, patterns, entries, usd, tokens, last_at)`. Workflows wholly inside the range (and
 * with no undated row) are read from workflow_rollup; the few that straddle an edge from raw rows.
 */
export function workflowFigures(filter: ResolvedRange['filter'], first?: FirstFigures): SQL {
  const columns = sql`workflow_id, occurrences, patterns, entries, cost_saved_usd AS usd, tokens_saved AS tokens, last_at`;
  const stored = (where?: Filter) =>
    first
      ? liveWorkflowsFirst(
          (w) => sql`${where?.(w) ?? sql`TRUE`} AND ${first.where?.(w) ?? sql`TRUE`}`,
          `${FIGURE_COLUMNS[first.by]} DESC NULLS LAST, workflow_id`,
          first.limit,
        )
      : liveWorkflows(where);
  if (!filter.from || !filter.to) return sql`(SELECT ${columns} FROM ${stored()} w)`;
  const from = utcTimestamp(filter.from);
  const to = utcTimestamp(filter.to);
  // A workflow's first time is never after its last, so `last_at >= from` is implied; left out,
  // the planner does not count that selectivity twice (it read a 30-day range as 0.3 % of its
  // workflows instead of 8 %).
  const inside = (w: SQL) =>
    sql`${w}.first_at >= ${from} AND ${w}.last_at < ${to} AND ${w}.undated = 0`;
  const touching = (w: SQL) => sql`${w}.last_at >= ${from} AND ${w}.first_at < ${to}`;
  const usd = figureOf(SAVINGS_TOTALS, 'cost_saved_usd')(sql`c`);
  const tokens = figureOf(SAVINGS_TOTALS, 'tokens_saved')(sql`c`);
  return sql`(SELECT ${columns} FROM ${stored(inside)} w
      UNION ALL
      SELECT w.workflow_id, o.n, o.patterns, s.entries, s.usd, s.tokens, greatest(o.last_at, s.last_at)
      FROM ${liveWorkflows(touching)} w
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n, count(DISTINCT pattern_id)::int AS patterns, max(detected_at)::timestamp AS last_at
        FROM pattern_occurrences po WHERE po.workflow_id = w.workflow_id AND ${inRange(sql`po.detected_at`, filter)}) o
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS entries, coalesce(sum(${usd}), 0) AS usd,
          coalesce(sum(${tokens}), 0) AS tokens, max(saved_at)::timestamp AS last_at
        FROM cost_savings_log c WHERE c.workflow_id = w.workflow_id AND ${inRange(sql`c.saved_at`, filter)}) s
      WHERE NOT (${inside(sql`w`)}) AND (o.n > 0 OR s.entries > 0))`;
}

/** The workflow_history row of a workflow id (by adw_id or workflow_id), whatever columns it has. */
const historyOf = (id: SQL) =>
  sql`LEFT JOIN LATERAL pattern_ledger.workflow_run(${id}::text) wh ON TRUE`;

/**
 * The workflows in the range that pass the list's filters, as `f` (and `wh` when a filter needs
 * it); with `first`, only enough of the stored ones to fill the first rows in that order.
 */
function listedWorkflows(range: ResolvedRange, params: WorkflowParams, first?: FirstFigures): SQL {
  const filters: SQL[] = [sql`TRUE`];
  if (params.q)
    filters.push(
      sql`(f.workflow_id ILIKE ${likePattern(params.q)} ESCAPE '\\' OR wh.adw_id::text ILIKE ${likePattern(params.q)} ESCAPE '\\')`,
    );
  if (params.history === 'with') filters.push(sql`wh.adw_id IS NOT NULL`);
  if (params.history === 'without') filters.push(sql`wh.adw_id IS NULL`);
  const filtersNeedHistory = filters.length > 1;
  return sql`FROM ${workflowFigures(range.filter, filtersNeedHistory ? undefined : first)} f
      ${filtersNeedHistory ? historyOf(sql`f.workflow_id`) : sql``}
      WHERE ${sql.join(filters, sql` AND `)}`;
}

/**
 * The workflow ids found in occurrences and savings in the range (whether or not workflow_history
 * knows them), with their figures; filtered, sorted (ties by id) and paged in SQL. Without `page`
 * every row is returned (exports). workflow_history is looked up for the page's rows only, unless a
 * filter needs it.
 */
export function workflowListQuery(
  range: ResolvedRange,
  params: WorkflowParams,
  page: { limit: number; offset: number } | null,
): SQL {
  const by = SORT_COLUMNS[params.sort];
  const direction = params.dir === 'asc' ? 'ASC' : 'DESC';
  const first = page && direction === 'DESC' ? { by, limit: page.offset + page.limit } : undefined;
  return sql`SELECT f.workflow_id::text AS "workflowId", coalesce(f.occurrences, 0) AS occurrences,
      coalesce(f.patterns, 0) AS patterns, coalesce(f.entries, 0) AS entries, coalesce(f.usd, 0)::float8 AS usd,
      coalesce(f.usd, 0)::text AS "usdExact", coalesce(f.tokens, 0)::float8 AS tokens,
      (date_part('epoch', f.last_at) * 1000)::float8 AS "lastActivity",
      run.adw_id::text AS "adwId", run.status::text AS status,
      run.workflow_template::text AS template, run.issue_number::int AS "issueNumber"
    FROM (SELECT f.workflow_id, f.occurrences, f.patterns, f.entries, f.usd, f.tokens, f.last_at
      ${listedWorkflows(range, params, first)}
      ORDER BY ${figureOrder(by, direction)}
      ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}) f
    LEFT JOIN LATERAL pattern_ledger.workflow_run(f.workflow_id::text) run ON TRUE
    ORDER BY ${figureOrder(by, direction)}`;
}

export async function getWorkflows(
  db: Database,
  range: ResolvedRange,
  params: WorkflowParams,
): Promise<{ rows: WorkflowRow[]; total: number }> {
  const page = { limit: params.size, offset: (params.page - 1) * params.size };
  const [rows, [count]] = await Promise.all([
    readRows<WorkflowRow>(
      db,
      question('workflows', [range, params, page], () => workflowListQuery(range, params, page)),
    ),
    readRows<{ total: number }>(
      db,
      question(
        'workflowCount',
        [range, params.q, params.history],
        () => sql`SELECT count(*)::int AS total ${listedWorkflows(range, params)}`,
      ),
    ),
  ]);
  return { rows, total: count?.total ?? 0 };
}

export type WorkflowHistoryRow = {
  adwId: string;
  workflowId: string | null;
  issueNumber: number | null;
  githubUrl: string | null;
  template: string | null;
  model: string | null;
  status: string | null;
  startTime: number | null;
  endTime: number | null;
  durationSeconds: number | null;
  totalTokens: number | null;
  estimatedCost: number | null;
  actualCost: number | null;
  nlInput: string | null;
};

/** Every id a workflow is recorded under: the one asked for plus its history row's adw_id and wf- id. */
export async function resolveWorkflow(
  db: Database,
  id: string,
): Promise<{ ids: string[]; history: WorkflowHistoryRow | null }> {
  const [history] = await readRows<WorkflowHistoryRow>(
    db,
    sql`SELECT adw_id AS "adwId", workflow_id AS "workflowId", issue_number AS "issueNumber",
        github_url AS "githubUrl", workflow_template AS template, model_used AS model, status,
        (date_part('epoch', start_time) * 1000)::float8 AS "startTime", (date_part('epoch', end_time) * 1000)::float8 AS "endTime",
        duration_seconds AS "durationSeconds", total_tokens AS "totalTokens",
        estimated_cost_total::float8 AS "estimatedCost", actual_cost_total::float8 AS "actualCost", nl_input AS "nlInput"
      FROM pattern_ledger.workflow_run(${id}::text)`,
  );
  const ids = new Set([id]);
  if (history) {
    ids.add(history.adwId);
    if (history.workflowId) ids.add(history.workflowId);
  }
  return { ids: [...ids], history: history ?? null };
}

const anyOf = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

export type WorkflowTotals = {
  occurrences: number;
  patterns: number;
  entries: number;
  usd: number;
  tokens: number;
};

export async function getWorkflowTotals(db: Database, ids: string[]): Promise<WorkflowTotals> {
  const [row] = await readRows<WorkflowTotals>(
    db,
    sql`SELECT (SELECT count(*)::int FROM pattern_occurrences WHERE workflow_id IN (${anyOf(ids)})) AS occurrences,
        (SELECT count(DISTINCT pattern_id)::int FROM pattern_occurrences WHERE workflow_id IN (${anyOf(ids)})) AS patterns,
        (SELECT count(*)::int FROM cost_savings_log WHERE workflow_id IN (${anyOf(ids)})) AS entries,
        (SELECT coalesce(sum(pattern_ledger.money(cost_saved_usd)), 0)::float8 FROM cost_savings_log WHERE workflow_id IN (${anyOf(ids)})) AS usd,
        (SELECT coalesce(sum(tokens_saved), 0)::float8 FROM cost_savings_log WHERE workflow_id IN (${anyOf(ids)})) AS tokens`,
  );
  if (!row) throw new Error('workflow totals query returned nothing');
  return row;
}

export type WorkflowMatch = {
  occurrenceId: number;
  patternId: number;
  signature: string | null;
  similarity: number | null;
  detectedAt: number | null;
  recordedAs: string;
  matchedCharacteristics: string | null;
};

export async function getWorkflowMatches(db: Database, ids: string[]): Promise<WorkflowMatch[]> {
  return readRows<WorkflowMatch>(
    db,
    sql`SELECT po.id::int AS "occurrenceId", po.pattern_id::int AS "patternId", op.pattern_signature::text AS signature,
        ${scoreRatio(sql`po.similarity_score`)} AS similarity, (date_part('epoch', po.detected_at) * 1000)::float8 AS "detectedAt",
        po.workflow_id::text AS "recordedAs", po.matched_characteristics::text AS "matchedCharacteristics"
      FROM pattern_occurrences po LEFT JOIN operation_patterns op ON op.id = po.pattern_id
      WHERE po.workflow_id IN (${anyOf(ids)})
      ORDER BY po.detected_at ASC NULLS LAST, po.id
      LIMIT 500`,
  );
}

export type WorkflowSavings = {
  id: number;
  savedAt: number | null;
  type: string;
  patternId: number | null;
  signature: string | null;
  toolCallId: string | null;
  baseline: number | null;
  actual: number | null;
  tokensSaved: number | null;
  usd: number | null;
  notes: string | null;
};

export async function getWorkflowSavings(db: Database, ids: string[]): Promise<WorkflowSavings[]> {
  return readRows<WorkflowSavings>(
    db,
    sql`SELECT s.id::int AS id, (date_part('epoch', s.saved_at) * 1000)::float8 AS "savedAt", s.optimization_type::text AS type,
        s.pattern_id::int AS "patternId", op.pattern_signature::text AS signature, s.tool_call_id::text AS "toolCallId",
        s.baseline_tokens::float8 AS baseline, s.actual_tokens::float8 AS actual, s.tokens_saved::float8 AS "tokensSaved",
        pattern_ledger.money(s.cost_saved_usd)::float8 AS usd, s.notes::text AS notes
      FROM cost_savings_log s LEFT JOIN operation_patterns op ON op.id = s.pattern_id
      WHERE s.workflow_id IN (${anyOf(ids)})
      ORDER BY s.saved_at ASC NULLS LAST, s.id
      LIMIT 500`,
  );
}
