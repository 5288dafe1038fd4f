/**
 * Each rollup as it stands at this moment: what is stored, plus the journal rows not yet folded
 * into it (journal.ts). Read in one statement, stored rows and journal rows come from the same
 * snapshot, and the folder moves rows from one to the other in one transaction, so every change
 * an agent committed is counted exactly once whether or not it has been folded.
 *
 * Sums and counts add the journal's signed rows. What cannot be added is read from the raw rows
 * of the few keys the journal touches: a minimum after a row left (the stored one may be gone), a
 * workflow's figures, a row's data-quality checks. The folder (fold.ts) stores exactly these
 * relations for the keys it folds, so reads and folds share one definition.
 */
import { sql, type SQL } from 'drizzle-orm';

export const J = {
  occurrences: sql.raw('pattern_ledger.occurrence_change'),
  savings: sql.raw('pattern_ledger.savings_change'),
  history: sql.raw('pattern_ledger.history_change'),
  toolCalls: sql.raw('pattern_ledger.tool_call_change'),
};

export type Source = 'pattern_occurrences' | 'cost_savings_log' | 'workflow_history' | 'tool_calls';

/** The source table was truncated after the last fold: its stored rollups count for nothing. */
export const voided = (source: Source): SQL =>
  sql`EXISTS (SELECT 1 FROM pattern_ledger.truncation WHERE source = ${source})`;

export const ratio = (column: SQL): SQL => sql`pattern_ledger.ratio(${column})`;
export const money = (column: SQL): SQL => sql`pattern_ledger.money(${column})`;
/** A stored time as a zone-less UTC timestamp (timestamptz columns read in the UTC session). */
export const utc = (column: SQL): SQL => sql`${column}::timestamp`;

/* ------------------------------------------------------------------ occurrences per bucket */

/** One occurrence row's figures in the rollups' columns (alias `o`, or a journal row `j`). */
export const occurrenceFigures = (alias: SQL, sign: SQL = sql`1`) => ({
  n: sign,
  scored: sql`${sign} * (${ratio(sql`${alias}.similarity_score`)} IS NOT NULL)::int`,
  simSum: sql`${sign} * coalesce(${ratio(sql`${alias}.similarity_score`)}, 0)`,
});

/* ------------------------------------------------------------------- (pattern, workflow) */

/**
 * The journal's change per (pattern, workflow) beside the stored count: `stored`, `delta`. A pair
 * exists while stored + delta > 0; a pair born or gone changes its pattern's distinct workflows.
 */
function pairDeltas(): SQL {
  return sql`(SELECT d.pattern_id, d.workflow_id, d.delta,
      coalesce((SELECT s.occurrences FROM pattern_ledger.pattern_workflow_rollup s
        WHERE s.pattern_id = d.pattern_id AND s.workflow_id = d.workflow_id
          AND NOT ${voided('pattern_occurrences')}), 0) AS stored
    FROM (SELECT j.pattern_id, j.workflow_id::text AS workflow_id, sum(j.sign)::int AS delta
          FROM ${J.occurrences} j GROUP BY 1, 2) d)`;
}

/** Stored pairs (alias `s`) that the journal leaves alone: `FROM … WHERE …`, to add conditions to. */
const untouchedStoredPairs = sql`FROM pattern_ledger.pattern_workflow_rollup s
  WHERE NOT ${voided('pattern_occurrences')}
    AND NOT EXISTS (SELECT 1 FROM ${J.occurrences} j
      WHERE j.pattern_id = s.pattern_id AND j.workflow_id::text = s.workflow_id)`;

/** `(pattern_id, workflow_id, occurrences)` for every pair with an occurrence. */
function patternWorkflowsDefinition(): SQL {
  return sql`SELECT s.pattern_id, s.workflow_id, s.occurrences ${untouchedStoredPairs}
    UNION ALL
    SELECT pattern_id, workflow_id, stored + delta FROM ${pairDeltas()} p WHERE stored + delta > 0`;
}

/**
 * The pairs of `live_pattern_workflows` seen more than once, for reading the most repeated first:
 * the stored ones come off their index already in the order `occurrences DESC NULLS LAST,
 * pattern_id, workflow_id`, so ordered by that (with a LIMIT) the planner merges them with the
 * journal's few instead of sorting every repeated pair (3.5 M at 50 M occurrences).
 */
export const liveRepeatedPairs = () => sql`(
    (SELECT s.pattern_id, s.workflow_id, s.occurrences ${untouchedStoredPairs} AND s.occurrences > 1
      ORDER BY s.occurrences DESC NULLS LAST, s.pattern_id, s.workflow_id)
    UNION ALL
    SELECT pattern_id::bigint, workflow_id, stored + delta FROM ${pairDeltas()} p WHERE stored + delta > 1
  )`;

/* ------------------------------------------------------------------------- totals per pattern */

/**
 * All time per pattern: `(pattern_id, occurrences, scored, similarity_sum, undated,
 * similarity_min, workflows)`, for patterns with any occurrence. `where` restricts the patterns.
 */
function occurrenceTotalsDefinition(): SQL {
  const j = occurrenceFigures(sql`j`, sql`j.sign`);
  return sql`SELECT x.pattern_id, sum(x.n)::int AS occurrences, sum(x.scored)::int AS scored,
      sum(x.sim_sum)::float8 AS similarity_sum, sum(x.undated)::int AS undated,
      CASE WHEN bool_or(x.removed)
        THEN (SELECT min(${ratio(sql`o.similarity_score`)}) FROM pattern_occurrences o WHERE o.pattern_id = x.pattern_id)
        ELSE min(x.sim_min) END AS similarity_min,
      sum(x.workflows)::int AS workflows
    FROM (
      SELECT t.pattern_id, t.occurrences AS n, t.scored, t.similarity_sum AS sim_sum, t.undated,
        t.similarity_min AS sim_min, t.workflows, false AS removed
      FROM pattern_ledger.occurrence_rollup_total t
      WHERE NOT ${voided('pattern_occurrences')}
      UNION ALL
      SELECT j.pattern_id, ${j.n}, ${j.scored}, ${j.simSum}, j.sign * (j.detected_at IS NULL)::int,
        CASE WHEN j.sign > 0 THEN ${ratio(sql`j.similarity_score`)} END, 0, j.sign < 0
      FROM ${J.occurrences} j
      UNION ALL
      SELECT p.pattern_id, 0, 0, 0, 0, NULL, (p.stored + p.delta > 0)::int - (p.stored > 0)::int, false
      FROM ${pairDeltas()} p
    ) x GROUP BY x.pattern_id HAVING sum(x.n) > 0`;
}

/* ------------------------------------------------------------------------------- savings */

/** One savings row's figures in the rollups' columns (alias `c`, or a journal row `j`). */
export const savingsFigures = (alias: SQL, sign: SQL = sql`1`) => ({
  entries: sign,
  tokens: sql`${sign} * coalesce(${alias}.tokens_saved, 0)::numeric`,
  usd: sql`${sign} * coalesce(${money(sql`${alias}.cost_saved_usd`)}, 0)`,
  baseline: sql`${sign} * coalesce(${alias}.baseline_tokens, 0)::numeric`,
  actual: sql`${sign} * coalesce(${alias}.actual_tokens, 0)::numeric`,
});

/**
 * All time per (type, pattern): `(optimization_type, pattern_id, entries, tokens_saved,
 * cost_saved_usd, baseline_tokens, actual_tokens, undated)`; money and tokens NUMERIC.
 */
function savingsTotalsDefinition(): SQL {
  const j = savingsFigures(sql`j`, sql`j.sign`);
  return sql`SELECT optimization_type, pattern_id, sum(entries)::int AS entries, sum(tokens) AS tokens_saved,
      sum(usd) AS cost_saved_usd, sum(baseline) AS baseline_tokens, sum(actual) AS actual_tokens,
      sum(undated)::int AS undated
    FROM (
      SELECT t.optimization_type, t.pattern_id, t.entries, t.tokens_saved AS tokens, t.cost_saved_usd AS usd,
        t.baseline_tokens AS baseline, t.actual_tokens AS actual, t.undated
      FROM pattern_ledger.savings_rollup_total t WHERE NOT ${voided('cost_savings_log')}
      UNION ALL
      SELECT j.optimization_type::text, j.pattern_id, ${j.entries}, ${j.tokens}, ${j.usd}, ${j.baseline}, ${j.actual},
        j.sign * (j.saved_at IS NULL)::int
      FROM ${J.savings} j
    ) x GROUP BY 1, 2 HAVING sum(entries) > 0`;
}

/* ------------------------------------------------------------------------------ workflows */

const ANY_WORKFLOW_SOURCE_VOIDED = sql`(${voided('pattern_occurrences')} OR ${voided('cost_savings_log')})`;

const EVERY_WORKFLOW = sql`(SELECT workflow_id::text AS w FROM pattern_occurrences
    UNION SELECT workflow_id::text FROM cost_savings_log)`;

/** Workflow ids whose stored figures the journals have made stale. */
export const staleWorkflows = sql`(SELECT workflow_id::text AS w FROM ${J.occurrences}
  UNION SELECT workflow_id::text FROM ${J.savings}
  UNION SELECT key FROM ${J.history})`;

/** A workflow's figures from the raw rows, for the workflow ids in `keys` (column `w`). */
export function workflowsFromRaw(keys: SQL): SQL {
  const s = savingsFigures(sql`c`);
  return sql`SELECT k.w AS workflow_id, o.n AS occurrences, o.patterns, o.first_detected, o.last_detected,
      s.entries, s.tokens AS tokens_saved, s.usd AS cost_saved_usd, s.first_saved, s.last_saved,
      o.undated + s.undated AS undated, least(o.first_detected, s.first_saved) AS first_at,
      greatest(o.last_detected, s.last_saved) AS last_at, pattern_ledger.has_history(k.w) AS has_history
    FROM ${keys} k
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, count(DISTINCT o.pattern_id)::int AS patterns,
        count(*) FILTER (WHERE o.detected_at IS NULL)::int AS undated,
        min(${utc(sql`o.detected_at`)}) AS first_detected, max(${utc(sql`o.detected_at`)}) AS last_detected
      FROM pattern_occurrences o WHERE o.workflow_id = k.w) o
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS entries, coalesce(sum(${s.tokens}), 0) AS tokens, coalesce(sum(${s.usd}), 0) AS usd,
        count(*) FILTER (WHERE c.saved_at IS NULL)::int AS undated,
        min(${utc(sql`c.saved_at`)}) AS first_saved, max(${utc(sql`c.saved_at`)}) AS last_saved
      FROM cost_savings_log c WHERE c.workflow_id = k.w) s
    WHERE o.n > 0 OR s.entries > 0`;
}

/**
 * Per workflow id: `(workflow_id, occurrences, patterns, first_detected, last_detected, entries,
 * tokens_saved, cost_saved_usd, first_saved, last_saved, undated, first_at, last_at,
 * has_history)`. Stored rows for the workflows the journals leave alone, raw rows for the rest;
 * after a TRUNCATE every workflow is read from the raw rows until the next fold.
 */
function workflowsDefinition(): SQL {
  return sql`${storedWorkflows}
    UNION ALL
    ${rawWorkflows}`;
}

/** The stored workflows the journals leave alone (alias `w`): `SELECT … WHERE …`, to add conditions to. */
const storedWorkflows = sql`SELECT w.workflow_id, w.occurrences, w.patterns, w.first_detected, w.last_detected, w.entries,
      w.tokens_saved, w.cost_saved_usd, w.first_saved, w.last_saved, w.undated, w.first_at, w.last_at,
      w.has_history AND NOT ${voided('workflow_history')} AS has_history
    FROM pattern_ledger.workflow_rollup w
    WHERE NOT ${ANY_WORKFLOW_SOURCE_VOIDED}
      AND w.workflow_id NOT IN (SELECT w FROM ${staleWorkflows} s WHERE w IS NOT NULL)`;

/** The workflows read from raw rows: those the journals touch, or all after a TRUNCATE. */
const rawWorkflows = sql`SELECT * FROM (${workflowsFromRaw(sql`(SELECT w FROM ${staleWorkflows} s WHERE NOT ${ANY_WORKFLOW_SOURCE_VOIDED})`)}) r
    UNION ALL
    SELECT * FROM (${workflowsFromRaw(sql`(SELECT w FROM ${EVERY_WORKFLOW} e WHERE ${ANY_WORKFLOW_SOURCE_VOIDED})`)}) r`;

/**
 * The first `limit` rows of `live_workflows` in `order` (its column names, ending in a unique
 * key) among those `where` keeps, plus every raw-read row it keeps: sort the result by `order`
 * again and take `limit`. The stored rows come off an index in that order, each branch planned
 * alone: through the view, the branch that reads every workflow after a TRUNCATE (none, unless
 * one happened) is estimated at the whole table, and the planner sorted every stored row rather
 * than read the first few.
 */
export const liveWorkflowsFirst = (where: Filter, order: string, limit: number) => sql`(
    (${storedWorkflows} AND ${where(sql`w`)} ORDER BY ${sql.raw(order)} LIMIT ${limit})
    UNION ALL
    SELECT * FROM (${rawWorkflows}) r WHERE ${where(sql`r`)}
  )`;

/* --------------------------------------------------------------------------- data quality */

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

/** Beyond these a value is implausible, not merely large. */
export const IMPLAUSIBLE = {
  usdPerEntry: 100,
  tokensPerEntry: 10_000_000,
  /** Times more than this far in the future. */
  futureHours: 24,
} as const;

const checkList = (ids: string[]) =>
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
const toolCallStale = sql`(SELECT id FROM ${J.savings}
  UNION SELECT c.id FROM cost_savings_log c
    WHERE c.tool_call_id IS NOT NULL AND c.tool_call_id IN (SELECT key FROM ${J.toolCalls}))`;

/** Row-local defects as `(check_id, row_id)` pairs, stored ones for untouched rows, the rest from raw rows. */
function defectsDefinition(): SQL {
  const occurrencesVoided = voided('pattern_occurrences');
  const savingsVoided = voided('cost_savings_log');
  const toolCallsVoided = sql`(${savingsVoided} OR ${voided('tool_calls')})`;
  return sql`SELECT d.check_id, d.row_id FROM pattern_ledger.data_quality_defect d
      WHERE NOT (d.check_id IN (${checkList(OCCURRENCE_CHECKS)})
          AND (${occurrencesVoided} OR d.row_id IN (SELECT id FROM ${J.occurrences})))
        AND NOT (d.check_id IN (${checkList(SAVINGS_CHECKS)})
          AND (${savingsVoided} OR d.row_id IN (SELECT id FROM ${J.savings})))
        AND NOT (d.check_id = ${TOOL_CALL_CHECK} AND (${toolCallsVoided} OR d.row_id IN ${toolCallStale}))
    UNION ALL
    SELECT * FROM (SELECT unnest(${occurrenceDefects}) AS check_id, o.id AS row_id FROM pattern_occurrences o
      WHERE NOT ${occurrencesVoided} AND o.id IN (SELECT id FROM ${J.occurrences})
      UNION ALL SELECT unnest(${occurrenceDefects}), o.id FROM pattern_occurrences o WHERE ${occurrencesVoided}) od
    UNION ALL
    SELECT * FROM (SELECT unnest(${savingsDefects}) AS check_id, c.id AS row_id FROM cost_savings_log c
      WHERE NOT ${savingsVoided} AND c.id IN (SELECT id FROM ${J.savings})
      UNION ALL SELECT unnest(${savingsDefects}), c.id FROM cost_savings_log c WHERE ${savingsVoided}) sd
    UNION ALL
    SELECT ${TOOL_CALL_CHECK}::text, c.id FROM cost_savings_log c
      WHERE NOT ${toolCallsVoided} AND c.id IN ${toolCallStale} AND ${withoutToolCall}
    UNION ALL
    SELECT ${TOOL_CALL_CHECK}::text, c.id FROM cost_savings_log c
      WHERE ${toolCallsVoided} AND ${withoutToolCall}`;
}

/* ----------------------------------------------------------------------- similarity scales */

const ratioScale = (alias: SQL) =>
  sql`(${alias}.similarity_score > 0 AND ${alias}.similarity_score <= 1)::int`;
const percentScale = (alias: SQL) =>
  sql`(${alias}.similarity_score > 1 AND pattern_ledger.finite(${alias}.similarity_score))::int`;

/** Per pattern, `(pattern_id, ratio_rows, percent_rows)`: similarities in (0, 1] and above 1. */
function similarityScalesDefinition(): SQL {
  return sql`SELECT pattern_id, sum(r)::int AS ratio_rows, sum(p)::int AS percent_rows FROM (
      SELECT pattern_id, ratio_rows AS r, percent_rows AS p FROM pattern_ledger.similarity_scale_rollup
      WHERE NOT ${voided('pattern_occurrences')}
      UNION ALL
      SELECT j.pattern_id, j.sign * ${ratioScale(sql`j`)}, j.sign * ${percentScale(sql`j`)}
      FROM ${J.occurrences} j WHERE j.similarity_score > 0
    ) x GROUP BY pattern_id HAVING sum(r) <> 0 OR sum(p) <> 0`;
}

export const scaleFigures = { ratio: ratioScale, percent: percentScale };

/* ------------------------------------------------------------------------------ the views */

/**
 * The live relations, created as views of Pattern Ledger's schema when it attaches (their
 * columns follow the journals' types): a query names a view and the planner pushes its filters
 * into every branch, so pages send short statements and the definition lives in one place.
 */
export const LIVE_VIEWS: Record<string, () => SQL> = {
  live_pattern_workflows: patternWorkflowsDefinition,
  live_occurrence_totals: occurrenceTotalsDefinition,
  live_savings_totals: savingsTotalsDefinition,
  live_workflows: workflowsDefinition,
  live_defects: defectsDefinition,
  live_similarity_scales: similarityScalesDefinition,
};

const view = (name: keyof typeof LIVE_VIEWS, alias: string, where?: SQL) =>
  sql`(SELECT * FROM ${sql.raw(`pattern_ledger.${name}`)} ${sql.raw(alias)}${where ? sql` WHERE ${where}` : sql``})`;

type Filter = (column: SQL) => SQL;

/** `(pattern_id, workflow_id, occurrences)` for every pair with an occurrence. */
export const livePatternWorkflows = (where?: Filter) =>
  view('live_pattern_workflows', 'p', where?.(sql`p.pattern_id`));

/**
 * All time per pattern: `(pattern_id, occurrences, scored, similarity_sum, undated,
 * similarity_min, workflows)`, for patterns with any occurrence. `where` restricts the patterns.
 */
export const liveOccurrenceTotals = (where?: Filter) =>
  view('live_occurrence_totals', 't', where?.(sql`t.pattern_id`));

/**
 * All time per (type, pattern): `(optimization_type, pattern_id, entries, tokens_saved,
 * cost_saved_usd, baseline_tokens, actual_tokens, undated)`; money and tokens NUMERIC. `where`
 * gets the alias (columns optimization_type, pattern_id).
 */
export const liveSavingsTotals = (where?: Filter) =>
  view('live_savings_totals', 't', where?.(sql`t`));

/**
 * Per workflow id: `(workflow_id, occurrences, patterns, first_detected, last_detected, entries,
 * tokens_saved, cost_saved_usd, first_saved, last_saved, undated, first_at, last_at,
 * has_history)`. `where` gets the alias.
 */
export const liveWorkflows = (where?: Filter) => view('live_workflows', 'w', where?.(sql`w`));

/** Row-local defects as `(check_id, row_id)`, for the checks given (all by default). */
export const liveDefects = (checks?: string[]) =>
  view(
    'live_defects',
    'd',
    checks === undefined
      ? undefined
      : checks.length === 0
        ? sql`FALSE`
        : sql`d.check_id IN (${checkList(checks)})`,
  );

/** Per pattern, `(pattern_id, ratio_rows, percent_rows)`: similarities in (0, 1] and above 1. */
export const liveSimilarityScales = () => view('live_similarity_scales', 's');
