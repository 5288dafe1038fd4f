import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { ingestionSchemas, type OccurrenceItem, type SavingsItem } from '@/lib/api/ingest-schemas';
import {
  characteristicsOf,
  offloadNote,
  savedTokens,
  type DerivedOccurrenceRow,
  type OffloadRun,
} from '@/lib/capture/derivation';
import { ingestLimits, type TrackingCatalog } from '../catalog';
import { logSavings, recordOccurrences } from '../mutations/ingest';
import { liveSimilarityScales } from '../rollups/views';
import type { Database } from '../types';
import { queryRows } from '../sql';

/*
 * What capture derives from the events between two ids, inside the caller's transaction:
 *  - occurrences: every enabled rule is applied to the events' operations at once; each workflow
 *    (the agent's workflow id, else the session) yields at most one occurrence per pattern, kept in
 *    capture_occurrence and written into pattern_occurrences as the ingestion API writes (new
 *    signatures become `detected` patterns, counters move);
 *  - savings: a completed tool run whose operation calls a pattern's deterministic tool
 *    (operation_patterns.tool_script_path or tool_name) is a `pattern_offload` entry in
 *    cost_savings_log, its tokens measured from the team's OTel api_request events where there
 *    are some (lib/capture/derivation.ts says how), else the pattern's stored averages.
 */

/** Event types of a tool run that finished, whichever source reported it. */
export const COMPLETED = sql`('PostToolUse', 'tool_result', 'tool_call')`;

/** A session's tokens read after a run: the requests that took in its output. */
const AFTER_RUN = sql`interval '60 seconds'`;

export type DeriveResult = { occurrences: number; savings: number };

/** Whether similarities on this database are stored as 0–100 (the real writer's 100.0). */
async function storesPercent(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ percent: boolean }>(
    db,
    sql`SELECT coalesce(sum(percent_rows) > sum(ratio_rows), false) AS percent
      FROM ${liveSimilarityScales()} scales`,
  );
  return row?.percent ?? false;
}

const workflowKey = sql`coalesce(e.workflow_id, e.session_id)`;

/** The events of one step: their ids as an array literal. */
const inStep = (ids: number[]) => sql`e.id = ANY (${`{${ids.join(',')}}`}::bigint[])`;

export async function deriveOccurrences(
  tx: Database,
  ids: number[],
  catalog: TrackingCatalog,
): Promise<number> {
  // The rules run once per distinct operation of the step (commands repeat), not once per event.
  let rows = await queryRows<DerivedOccurrenceRow>(
    tx,
    sql`WITH step AS (
        SELECT e.id, e.source, e.occurred_at, e.operation, e.tool_name, e.cwd, e.duration_ms, e.success,
          ${workflowKey} AS workflow_key
        FROM pattern_ledger.capture_event e
        WHERE ${inStep(ids)} AND e.operation IS NOT NULL AND ${workflowKey} IS NOT NULL),
      operations AS (SELECT DISTINCT tool_name, operation, cwd FROM step),
      recognised AS (
        SELECT o.tool_name, o.operation, o.cwd, r.id AS rule_id, r.version AS rule_version, r.name AS rule_name,
          pattern_ledger.capture_signature(r.signature, r.match, o.operation, o.cwd) AS signature
        FROM operations o
        JOIN pattern_ledger.capture_rule r ON r.enabled
          AND (r.tool_name = '*' OR r.tool_name = o.tool_name) AND o.operation ~* r.match),
      matched AS (
        SELECT DISTINCT ON (e.workflow_key, g.signature) e.workflow_key, g.signature, g.rule_id, g.rule_version,
          g.rule_name, e.id AS event_id, e.source, e.occurred_at, e.operation, e.duration_ms, e.success
        FROM step e JOIN recognised g ON g.operation = e.operation
          AND g.tool_name IS NOT DISTINCT FROM e.tool_name AND g.cwd IS NOT DISTINCT FROM e.cwd
        ORDER BY e.workflow_key, g.signature, e.occurred_at, e.id),
      stored AS (
        INSERT INTO pattern_ledger.capture_occurrence (workflow_key, signature, rule_id, rule_version,
          event_id, source, occurred_at)
        SELECT workflow_key, signature, rule_id, rule_version, event_id, source, occurred_at FROM matched m
        -- Not where the agents recorded the pair themselves (later databases hold them unique).
        WHERE NOT EXISTS (SELECT 1 FROM pattern_occurrences po
          JOIN operation_patterns p ON p.id = po.pattern_id
          WHERE p.pattern_signature = m.signature AND po.workflow_id = m.workflow_key)
        ON CONFLICT (workflow_key, signature) DO NOTHING
        RETURNING id, workflow_key, signature)
      SELECT s.id::float8 AS id, m.workflow_key AS "workflowKey", m.signature, m.rule_id::float8 AS "ruleId",
        m.rule_version AS "ruleVersion", m.rule_name AS "ruleName", m.source,
        (date_part('epoch', m.occurred_at) * 1000)::float8 AS "occurredAt", m.operation,
        m.duration_ms AS "durationMs", m.success
      FROM stored s JOIN matched m ON m.workflow_key = s.workflow_key AND m.signature = s.signature
      ORDER BY s.id`,
  );
  if (rows.length === 0) return 0;
  const limits = ingestLimits(catalog);
  const schema = ingestionSchemas(limits).occurrenceItem;
  const percent = await storesPercent(tx);
  // As the ingestion API would take them; a pair it would refuse (a signature or workflow id the
  // agents' columns cannot hold) is not kept, so it cannot hold the step up.
  const parsed = rows.map((row) =>
    schema.safeParse({
      pattern_signature: row.signature,
      workflow_id: row.workflowKey,
      similarity_score: percent ? 100 : 1,
      matched_characteristics: characteristicsOf(row),
      detected_at: new Date(row.occurredAt).toISOString(),
    }),
  );
  const refused = rows.filter((_, i) => !parsed[i]!.success).map((row) => row.id);
  if (refused.length > 0)
    await tx.execute(
      sql`DELETE FROM pattern_ledger.capture_occurrence WHERE id = ANY (${`{${refused.join(',')}}`}::bigint[])`,
    );
  rows = rows.filter((_, i) => parsed[i]!.success);
  const items: OccurrenceItem[] = parsed.flatMap((result) => (result.success ? [result.data] : []));
  if (items.length === 0) return 0;
  const written = await recordOccurrences(tx, items);
  if (written.patternsCreated.length > 0)
    await tx.execute(
      sql`INSERT INTO pattern_ledger.capture_pattern (pattern_id, signature)
        SELECT id, pattern_signature FROM operation_patterns
        WHERE pattern_signature IN (${sql.join(
          written.patternsCreated.map((signature) => sql`${signature}`),
          sql`, `,
        )})
        ON CONFLICT DO NOTHING`,
    );
  await tx.execute(
    sql`UPDATE pattern_ledger.capture_occurrence c SET occurrence_id = w.occurrence_id, pattern_id = w.pattern_id
      FROM json_to_recordset(${JSON.stringify(
        rows.map((row, i) => ({
          id: row.id,
          occurrence_id: written.ids[i],
          pattern_id: written.patternIds[i],
        })),
      )}::json) AS w(id bigint, occurrence_id bigint, pattern_id bigint)
      WHERE c.id = w.id`,
  );
  return rows.length;
}

/**
 * Whether `operation` (of an event) runs pattern `p`'s deterministic tool, by the tool columns of
 * operation_patterns that exist here (the slim schema has neither: null).
 */
export function toolMatch(catalog: TrackingCatalog, operation: SQL = sql`e.operation`): SQL | null {
  const patterns = catalog.operation_patterns;
  const checks: SQL[] = [];
  if (patterns?.has('tool_script_path'))
    checks.push(
      sql`(length(p.tool_script_path::text) >= 3 AND position(lower(p.tool_script_path::text) in lower(${operation})) > 0)`,
    );
  if (patterns?.has('tool_name'))
    checks.push(
      sql`(length(p.tool_name::text) >= 3 AND position(lower(p.tool_name::text) in lower(${operation})) > 0)`,
    );
  return checks.length > 0 ? sql.join(checks, sql` OR `) : null;
}

const number = (catalog: TrackingCatalog, name: string) =>
  catalog.operation_patterns?.has(name) ? sql.raw(`p.${name}::float8`) : sql`NULL::float8`;

const tool = (catalog: TrackingCatalog, name: string) =>
  catalog.operation_patterns?.has(name) ? sql.raw(`p.${name}::text`) : sql`NULL::text`;

/** Tokens of a session's api_request events in the minute after `at`. */
const tokensAfter = (session: SQL, at: SQL, field: 'input_tokens' | 'output_tokens') =>
  sql`(SELECT sum(a.${sql.raw(field)})::float8 FROM pattern_ledger.capture_event a
    WHERE a.session_id = ${session} AND a.event_type = 'api_request'
      AND a.occurred_at > ${at} AND a.occurred_at <= ${at} + ${AFTER_RUN})`;

/** The model a session used at `at`: its latest api_request (or SessionStart) before then. */
const modelAt = (session: SQL, at: SQL) =>
  sql`(SELECT m.model FROM pattern_ledger.capture_event m
    WHERE m.session_id = ${session} AND m.model IS NOT NULL AND m.occurred_at <= ${at} + ${AFTER_RUN}
    ORDER BY m.occurred_at DESC LIMIT 1)`;

export async function deriveSavings(
  tx: Database,
  ids: number[],
  catalog: TrackingCatalog,
): Promise<number> {
  const mentions = toolMatch(catalog, sql`o.operation`);
  if (!mentions) return 0;
  // Runs of a pattern's tool, not yet paid (by this event, or by another source's report of it).
  // The tools are looked for once per distinct operation of the step, not once per event.
  const runs = await queryRows<OffloadRun>(
    tx,
    sql`WITH step AS (
        SELECT e.id, e.session_id, e.occurred_at, e.operation, e.details, ${workflowKey} AS workflow_key
        FROM pattern_ledger.capture_event e
        WHERE ${inStep(ids)} AND e.event_type IN ${COMPLETED}
          AND e.operation IS NOT NULL AND ${workflowKey} IS NOT NULL AND e.success IS NOT FALSE),
      tools AS (
        SELECT o.operation, p.id AS pattern_id, p.pattern_signature::text AS signature,
          ${tool(catalog, 'tool_name')} AS tool_name, ${tool(catalog, 'tool_script_path')} AS tool_script_path,
          ${number(catalog, 'avg_tokens_with_llm')} AS avg_llm, ${number(catalog, 'avg_tokens_with_tool')} AS avg_tool
        FROM (SELECT DISTINCT operation FROM step) o JOIN operation_patterns p ON (${mentions})),
      runs AS (
        SELECT DISTINCT ON (e.id) e.id AS event_id, e.session_id, e.occurred_at, e.operation, e.workflow_key,
          t.pattern_id, t.signature, t.tool_name, t.tool_script_path, t.avg_llm, t.avg_tool,
          coalesce('tu:' || (e.details->>'tool_use_id') || ':' || e.session_id, 'ev:' || e.id) AS run_key,
          md5(e.operation) AS op_digest
        FROM step e JOIN tools t ON t.operation = e.operation
        ORDER BY e.id, t.pattern_id)
      SELECT r.event_id::float8 AS "eventId", r.session_id AS "sessionId", r.workflow_key AS "workflowKey",
        (date_part('epoch', r.occurred_at) * 1000)::float8 AS "occurredAt", r.operation,
        r.pattern_id::float8 AS "patternId", r.signature, r.tool_name AS "toolName",
        r.tool_script_path AS "toolScriptPath", r.avg_llm AS "avgTokensWithLlm",
        r.avg_tool AS "avgTokensWithTool", r.run_key AS "runKey", r.op_digest AS "operationDigest",
        ${tokensAfter(sql`r.session_id`, sql`r.occurred_at`, 'input_tokens')} AS "runInputTokens",
        ${tokensAfter(sql`r.session_id`, sql`r.occurred_at`, 'output_tokens')} AS "runOutputTokens",
        mp.model_prefix AS "pricedAs", mp.input_usd_per_mtok AS "inputPrice",
        mp.output_usd_per_mtok AS "outputPrice",
        to_char(mp.effective_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "priceFrom", model.name AS model
      FROM runs r
      CROSS JOIN LATERAL (SELECT ${modelAt(sql`r.session_id`, sql`r.occurred_at`)} AS name) model
      CROSS JOIN LATERAL (SELECT * FROM pattern_ledger.model_price mp
        WHERE mp.effective_from <= r.occurred_at AND (mp.model_prefix = '*'
          OR left(lower(coalesce(model.name, '')), length(mp.model_prefix)) = lower(mp.model_prefix))
        ORDER BY mp.model_prefix = '*', length(mp.model_prefix) DESC, mp.effective_from DESC LIMIT 1) mp
      WHERE NOT EXISTS (SELECT 1 FROM pattern_ledger.capture_saving s WHERE s.run_key = r.run_key)
        AND NOT EXISTS (SELECT 1 FROM pattern_ledger.capture_saving s
          WHERE s.session_id = r.session_id AND s.operation_digest = r.op_digest
            AND s.occurred_at BETWEEN r.occurred_at - interval '5 seconds' AND r.occurred_at + interval '5 seconds')
      ORDER BY r.event_id`,
  );
  if (runs.length === 0) return 0;
  const baselines = await modelPathBaselines(
    tx,
    [...new Set(runs.map((run) => run.signature))],
    runs.map((run) => run.eventId),
  );
  const limits = ingestLimits(catalog);
  const schema = ingestionSchemas(limits).savingsItem;
  const tokens = runs.map((run) => savedTokens(run, baselines.get(run.signature) ?? null));
  // As the ingestion API would take them; an entry the columns could not hold is not written, but
  // its run is kept (with no entry) so that it is not tried again at every step.
  const parsed = runs.map((run, i) =>
    schema.safeParse({
      optimization_type: 'pattern_offload',
      workflow_id: run.workflowKey,
      pattern_id: run.patternId,
      baseline_tokens: tokens[i]!.baseline,
      actual_tokens: tokens[i]!.actual,
      cost_saved_usd: tokens[i]!.usd,
      notes: offloadNote(run, tokens[i]!),
      saved_at: new Date(run.occurredAt).toISOString(),
    }),
  );
  const items: SavingsItem[] = parsed.flatMap((result) => (result.success ? [result.data] : []));
  const written = items.length > 0 ? await logSavings(tx, items) : { ids: [] };
  if (!('ids' in written)) return 0;
  const savingsIds = [...written.ids];
  await tx.execute(
    sql`INSERT INTO pattern_ledger.capture_saving (run_key, event_id, pattern_id, savings_id, session_id,
        operation_digest, occurred_at, measured)
      SELECT run_key, event_id, pattern_id, savings_id, session_id, operation_digest,
        to_timestamp(occurred_at / 1000.0), measured
      FROM json_to_recordset(${JSON.stringify(
        runs.map((run, i) => ({
          run_key: run.runKey,
          event_id: run.eventId,
          pattern_id: run.patternId,
          savings_id: parsed[i]!.success ? savingsIds.shift() : null,
          session_id: run.sessionId,
          operation_digest: run.operationDigest,
          occurred_at: run.occurredAt,
          measured: tokens[i]!.measured,
        })),
      )}::json) AS x(run_key text, event_id bigint, pattern_id bigint, savings_id bigint, session_id text,
        operation_digest text, occurred_at float8, measured boolean)
      ON CONFLICT (run_key) DO NOTHING`,
  );
  return items.length;
}

export type ModelPathBaseline = { inputTokens: number; outputTokens: number; runs: number };

/**
 * What a pattern's operation costs through the model, measured: over the last 30 days' completed
 * runs of the pattern that did not call its tool (its rules' matches), in sessions the team's OTel
 * export reports, the median tokens of the api_request events in the minute after each run.
 */
async function modelPathBaselines(
  tx: Database,
  signatures: string[],
  offloaded: number[],
): Promise<Map<string, ModelPathBaseline>> {
  const rows = await queryRows<{
    signature: string;
    inputTokens: number;
    outputTokens: number;
    runs: number;
  }>(
    tx,
    sql`WITH recent AS (
        SELECT e.id, e.session_id, e.occurred_at,
          pattern_ledger.capture_signature(r.signature, r.match, e.operation, e.cwd) AS signature
        FROM pattern_ledger.capture_event e
        JOIN pattern_ledger.capture_rule r ON r.enabled
          AND (r.tool_name = '*' OR r.tool_name = e.tool_name) AND e.operation ~* r.match
        WHERE e.event_type IN ${COMPLETED} AND e.occurred_at > now() - interval '30 days'
          AND e.session_id IN (SELECT session_id FROM pattern_ledger.capture_event
            WHERE event_type = 'api_request' AND occurred_at > now() - interval '30 days')
          AND e.id <> ALL (${`{${offloaded.join(',')}}`}::bigint[])
          AND NOT EXISTS (SELECT 1 FROM pattern_ledger.capture_saving s WHERE s.event_id = e.id)),
      measured AS (
        SELECT r.signature, ${tokensAfter(sql`r.session_id`, sql`r.occurred_at`, 'input_tokens')} AS input,
          ${tokensAfter(sql`r.session_id`, sql`r.occurred_at`, 'output_tokens')} AS output
        FROM recent r WHERE r.signature IN (${sql.join(
          signatures.map((s) => sql`${s}`),
          sql`, `,
        )}))
      SELECT signature, percentile_cont(0.5) WITHIN GROUP (ORDER BY input)::float8 AS "inputTokens",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY output)::float8 AS "outputTokens", count(*)::int AS runs
      FROM measured WHERE input IS NOT NULL GROUP BY signature`,
  );
  return new Map(rows.map((row) => [row.signature, row]));
}
