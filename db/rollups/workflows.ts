/**
 * The workflow rollup: per workflow id, all time, its occurrences (distinct patterns, first and
 * last detection) and its savings. Not additive (first and last times, distinct patterns): a
 * fold counts every workflow its journal rows touch afresh from the raw rows, and a read takes
 * those workflows from the raw rows until then. A range reads the workflows wholly inside it
 * from here and the others from raw rows (db/queries/workflows.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { boolean, index, integer, numeric, text, timestamp } from 'drizzle-orm/pg-core';
import { ledger } from '../ledger';
import { figureOf } from './define';
import { SAVINGS_TOTALS } from './declarations';
import { journalTable, utc, voided } from './sql';

export const workflowRollup = ledger.table(
  'workflow_rollup',
  {
    workflowId: text('workflow_id').primaryKey(),
    occurrences: integer('occurrences').notNull(),
    patterns: integer('patterns').notNull(),
    firstDetected: timestamp('first_detected'),
    lastDetected: timestamp('last_detected'),
    entries: integer('entries').notNull(),
    tokensSaved: numeric('tokens_saved').notNull(),
    costSavedUsd: numeric('cost_saved_usd').notNull(),
    firstSaved: timestamp('first_saved'),
    lastSaved: timestamp('last_saved'),
    /** Occurrences and entries without a time. */
    undated: integer('undated').notNull(),
    firstAt: timestamp('first_at').generatedAlwaysAs(sql`least(first_detected, first_saved)`),
    lastAt: timestamp('last_at').generatedAlwaysAs(sql`greatest(last_detected, last_saved)`),
    /** workflow_history has a row for it (by adw_id, or by workflow_id where that column exists). */
    hasHistory: boolean('has_history').notNull(),
  },
  (t) => [
    // Newest first, the other range columns after the key: a page of the most recent workflows
    // reads the index in order, and the workflows that straddle a range's edge are found in it.
    index('idx_workflow_rollup_recent').on(
      t.lastAt.desc().nullsLast(),
      t.workflowId,
      t.firstAt,
      t.undated,
    ),
    // Counting the workflows that start within a range reads this index alone.
    index('idx_workflow_rollup_first_at').on(t.firstAt, t.lastAt, t.undated, t.workflowId),
    // The largest savers first: the top workflows by USD read the first few rows.
    index('idx_workflow_rollup_usd').on(t.costSavedUsd.desc().nullsLast(), t.workflowId),
  ],
);

/** The source columns a fold reads from each journal (so the journals copy them). */
export const WORKFLOW_COLUMNS_READ = { occurrences: ['workflow_id'], savings: ['workflow_id'] };

const ANY_SOURCE_VOIDED = sql`(${voided('pattern_occurrences')} OR ${voided('cost_savings_log')})`;

/** Every workflow id in the raw rows (column `w`). */
export const EVERY_WORKFLOW = sql`(SELECT workflow_id::text AS w FROM pattern_occurrences
    UNION SELECT workflow_id::text FROM cost_savings_log)`;

/** Workflow ids whose stored figures the live journals have made stale. */
export const staleWorkflows = sql`(SELECT workflow_id::text AS w FROM ${journalTable('occurrences')}
  UNION SELECT workflow_id::text FROM ${journalTable('savings')}
  UNION SELECT key FROM ${journalTable('history')})`;

/** A workflow's figures from the raw rows, for the workflow ids in `keys` (column `w`). */
export function workflowsFromRaw(keys: SQL): SQL {
  const tokens = figureOf(SAVINGS_TOTALS, 'tokens_saved');
  const usd = figureOf(SAVINGS_TOTALS, 'cost_saved_usd');
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
      SELECT count(*)::int AS entries, coalesce(sum(${tokens(sql`c`)}), 0) AS tokens,
        coalesce(sum(${usd(sql`c`)}), 0) AS usd,
        count(*) FILTER (WHERE c.saved_at IS NULL)::int AS undated,
        min(${utc(sql`c.saved_at`)}) AS first_saved, max(${utc(sql`c.saved_at`)}) AS last_saved
      FROM cost_savings_log c WHERE c.workflow_id = k.w) s
    WHERE o.n > 0 OR s.entries > 0`;
}

/** The stored workflows the journals leave alone (alias `w`): `SELECT … WHERE …`, to add conditions to. */
const storedWorkflows = sql`SELECT w.workflow_id, w.occurrences, w.patterns, w.first_detected, w.last_detected, w.entries,
      w.tokens_saved, w.cost_saved_usd, w.first_saved, w.last_saved, w.undated, w.first_at, w.last_at,
      w.has_history AND NOT ${voided('workflow_history')} AS has_history
    FROM pattern_ledger.workflow_rollup w
    WHERE NOT ${ANY_SOURCE_VOIDED}
      AND w.workflow_id NOT IN (SELECT w FROM ${staleWorkflows} s WHERE w IS NOT NULL)`;

/** The workflows read from raw rows: those the journals touch, or all after a TRUNCATE. */
const rawWorkflows = sql`SELECT * FROM (${workflowsFromRaw(sql`(SELECT w FROM ${staleWorkflows} s WHERE NOT ${ANY_SOURCE_VOIDED})`)}) r
    UNION ALL
    SELECT * FROM (${workflowsFromRaw(sql`(SELECT w FROM ${EVERY_WORKFLOW} e WHERE ${ANY_SOURCE_VOIDED})`)}) r`;

/**
 * Per workflow id: `(workflow_id, occurrences, patterns, first_detected, last_detected, entries,
 * tokens_saved, cost_saved_usd, first_saved, last_saved, undated, first_at, last_at,
 * has_history)`. Stored rows for the workflows the journals leave alone, raw rows for the rest;
 * after a TRUNCATE every workflow is read from the raw rows until the next fold.
 */
export function liveWorkflowsDefinition(): SQL {
  return sql`${storedWorkflows}
    UNION ALL
    ${rawWorkflows}`;
}

type Filter = (alias: SQL) => SQL;

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

const COLUMNS = sql.raw(`workflow_id, occurrences, patterns, first_detected, last_detected, entries,
  tokens_saved, cost_saved_usd, first_saved, last_saved, undated, has_history`);

/**
 * The fold: the workflows whose ids `keys` lists (column `w`) are counted again from their raw
 * rows, and those left with no row are deleted.
 */
export function workflowFold(keys: SQL): SQL {
  return sql`WITH fresh AS (${workflowsFromRaw(sql`(SELECT w FROM ${keys} k WHERE w IS NOT NULL)`)}),
      gone AS (DELETE FROM pattern_ledger.workflow_rollup r USING ${keys} k
        WHERE r.workflow_id = k.w AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.workflow_id = k.w))
      INSERT INTO pattern_ledger.workflow_rollup (${COLUMNS})
      SELECT ${COLUMNS} FROM fresh
      ON CONFLICT (workflow_id) DO UPDATE SET occurrences = excluded.occurrences, patterns = excluded.patterns,
        first_detected = excluded.first_detected, last_detected = excluded.last_detected, entries = excluded.entries,
        tokens_saved = excluded.tokens_saved, cost_saved_usd = excluded.cost_saved_usd,
        first_saved = excluded.first_saved, last_saved = excluded.last_saved, undated = excluded.undated,
        has_history = excluded.has_history`;
}
