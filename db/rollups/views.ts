/**
 * The live views: each rollup as it stands at this moment, what is stored plus the journal rows
 * not yet folded. Read in one statement, stored rows and journal rows come from the same
 * snapshot, and the folder moves rows from one to the other in one transaction, so every change
 * an agent committed is counted exactly once whether or not it has been folded.
 *
 * They are created as views of Pattern Ledger's schema when it attaches (their columns follow
 * the journals' types): a query names a view and the planner pushes its filters into every
 * branch, so pages send short statements and the definition lives in one place.
 */
import { sql, type SQL } from 'drizzle-orm';
import { liveDefinition, untouchedStored, pairChanges, LIVE, type Rollup } from './define';
import {
  OCCURRENCE_TOTALS,
  PATTERN_WORKFLOWS,
  ROLLUPS,
  SAVINGS_TOTALS,
  SIMILARITY_SCALES,
} from './declarations';
import { checkList, liveDefectsDefinition } from './defects';
import { liveWorkflowsDefinition } from './workflows';

const viewName = (rollup: Rollup) => rollup.view!.name;

/** Every live view by name, in the order they are created. */
export const LIVE_VIEWS: Record<string, () => SQL> = {
  ...Object.fromEntries(
    ROLLUPS.filter((rollup) => rollup.view).map((rollup) => [
      viewName(rollup),
      () => liveDefinition(rollup),
    ]),
  ),
  live_workflows: liveWorkflowsDefinition,
  live_defects: liveDefectsDefinition,
};

const view = (name: string, alias: string, where?: SQL) =>
  sql`(SELECT * FROM ${sql.raw(`pattern_ledger.${name}`)} ${sql.raw(alias)}${where ? sql` WHERE ${where}` : sql``})`;

type Filter = (column: SQL) => SQL;

/** `(pattern_id, workflow_id, occurrences)` for every pair with an occurrence. */
export const livePatternWorkflows = (where?: Filter) =>
  view(viewName(PATTERN_WORKFLOWS), 'p', where?.(sql`p.pattern_id`));

/**
 * The pairs of `live_pattern_workflows` seen more than once, for reading the most repeated first:
 * the stored ones come off their index already in the order `occurrences DESC NULLS LAST,
 * pattern_id, workflow_id`, so ordered by that (with a LIMIT) the planner merges them with the
 * journal's few instead of sorting every repeated pair (3.5 M at 50 M occurrences).
 */
export const liveRepeatedPairs = () => sql`(
    (SELECT s.pattern_id, s.workflow_id, s.occurrences ${untouchedStored(PATTERN_WORKFLOWS)} AND s.occurrences > 1
      ORDER BY s.occurrences DESC NULLS LAST, s.pattern_id, s.workflow_id)
    UNION ALL
    SELECT pattern_id::bigint, workflow_id, stored + delta FROM (${pairChanges(PATTERN_WORKFLOWS, LIVE)}) p WHERE stored + delta > 1
  )`;

/**
 * All time per pattern: `(pattern_id, occurrences, scored, similarity_sum, undated,
 * similarity_min, workflows)`, for patterns with any occurrence. `where` restricts the patterns.
 */
export const liveOccurrenceTotals = (where?: Filter) =>
  view(viewName(OCCURRENCE_TOTALS), 't', where?.(sql`t.pattern_id`));

/**
 * All time per (type, pattern): `(optimization_type, pattern_id, entries, tokens_saved,
 * cost_saved_usd, baseline_tokens, actual_tokens, undated)`; money and tokens NUMERIC. `where`
 * gets the alias (columns optimization_type, pattern_id).
 */
export const liveSavingsTotals = (where?: Filter) =>
  view(viewName(SAVINGS_TOTALS), 't', where?.(sql`t`));

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
export const liveSimilarityScales = () => view(viewName(SIMILARITY_SCALES), 's');
