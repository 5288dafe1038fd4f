import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { MAX_OPERATION } from '@/lib/capture/event';
import { TRACKING_SCHEMA, type TableColumns, type TrackingCatalog } from '../catalog';
import type { Database } from '../types';
import { databaseErrorInfo } from '../errors';
import { queryRows } from '../sql';

/*
 * The reference system's own records of what its agents did, read where they are: hook_events
 * (one row per Claude Code hook event, its JSON in `payload`) and task_logs.tool_calls (a JSONB
 * array per row). Read from where the last read stopped (an id cursor), in id order, with no
 * trigger and no write on those tables; only the columns that exist are read. Normalised in SQL
 * to the columns of pattern_ledger.capture_event (lib/capture/event.ts says what each holds).
 */

/**
 * `stored`: the ids of the events stored, marked derived already: the step that reads them derives
 * them (so they are never updated afterwards, a cost per row).
 */
export type ImportResult = { read: number; stored: number[]; lastId: number | null };

const NOTHING: ImportResult = { read: 0, stored: [], lastId: null };

const column = (alias: string, name: string) => sql.raw(`${alias}."${name.replaceAll('"', '""')}"`);

/** A column as text, or NULL when the table has no such column. */
function textOf(columns: TableColumns, alias: string, ...names: string[]): SQL {
  const name = names.find((n) => columns.has(n));
  return name ? sql`nullif(btrim(${column(alias, name)}::text), '')` : sql`NULL::text`;
}

/** A time column as timestamptz (a zone-less one is UTC), or NULL. */
function timeOf(columns: TableColumns, alias: string, ...names: string[]): SQL {
  const name = names.find((n) => /^timestamp/.test(columns.get(n) ?? ''));
  if (!name) return sql`NULL::timestamptz`;
  const type = columns.get(name)!;
  return type.includes('with time zone')
    ? sql`${column(alias, name)}`
    : sql`(${column(alias, name)} AT TIME ZONE 'UTC')`;
}

/** A plausible time, else now (a row's 'infinity' or a clock far off). */
const plausible = (at: SQL) =>
  sql`CASE WHEN ${at} BETWEEN '1990-01-01' AND now() + interval '1 day' THEN ${at} ELSE now() END`;

/** What a tool was asked, from a tool_input-like JSON object (as lib/capture/event.ts operationOf). */
const operationIn = (input: SQL) =>
  sql`left(nullif(btrim(coalesce(${input}->>'command', ${input}->>'file_path', ${input}->>'notebook_path',
    ${input}->>'pattern', ${input}->>'url', ${input}->>'query', ${input}->>'path')), ''), ${MAX_OPERATION})`;

const phaseOf = (eventType: SQL) =>
  sql`CASE WHEN ${eventType} IN ('PreToolUse', 'PermissionRequest') THEN 'pre'
    WHEN ${eventType} IN ('PostToolUse', 'PostToolUseFailure') THEN 'post' END`;

/** The read's answer, its stored ids (sent back as one comma-separated text) as numbers. */
type ImportRow = { read: number; stored: string | null; last: number | null };

/** Codes of a value PostgreSQL cannot read as JSON. */
const JSON_REFUSED = new Set(['22P02', '22032', '22030', '2203F', '22021', '22P05']);

function storedIds(row: ImportRow | undefined): ImportResult {
  return {
    read: row?.read ?? 0,
    stored: row?.stored ? row.stored.split(',').map(Number) : [],
    lastId: row?.last ?? null,
  };
}

/** Whether the table can be read incrementally: it has an id and the column holding the events. */
export const canImportHookEvents = (catalog: TrackingCatalog): boolean =>
  Boolean(catalog.hook_events?.has('id') && catalog.hook_events.has('payload'));

export const canImportTaskLogs = (catalog: TrackingCatalog): boolean =>
  Boolean(catalog.task_logs?.has('id') && catalog.task_logs.has('tool_calls'));

/** Reads up to `limit` hook_events rows after `cursor` into capture events. */
export async function importHookEvents(
  db: Database,
  catalog: TrackingCatalog,
  cursor: number,
  limit: number,
): Promise<ImportResult> {
  const columns = catalog.hook_events;
  if (!columns || !canImportHookEvents(catalog)) return NOTHING;
  const statement = (payload: SQL) => sql`WITH batch AS (
        SELECT h.id::bigint AS id, ${payload} AS p,
          ${textOf(columns, 'h', 'event_id')} AS event_id,
          ${textOf(columns, 'h', 'event_type')} AS event_type,
          ${textOf(columns, 'h', 'session_id')} AS session_id,
          ${textOf(columns, 'h', 'workflow_id')} AS workflow_id,
          ${textOf(columns, 'h', 'tool_name')} AS tool_name,
          ${timeOf(columns, 'h', 'timestamp', 'created_at')} AS at
        FROM (SELECT * FROM ${sql.raw(`${TRACKING_SCHEMA}.hook_events`)}
          WHERE id > ${cursor} ORDER BY id LIMIT ${limit}) h),
      events AS (
        SELECT b.*, coalesce(b.event_type, b.p->>'hook_event_name', 'unknown') AS kind,
          coalesce(b.session_id, nullif(b.p->>'session_id', '')) AS session,
          CASE jsonb_typeof(b.p->'tool_input') WHEN 'object' THEN b.p->'tool_input' END AS input
        FROM batch b),
      stored AS (
        INSERT INTO pattern_ledger.capture_event (source, event_key, session_id, workflow_id, event_type,
          tool_name, operation, cwd, success, duration_ms, occurred_at, details, derived)
        SELECT 'hook_events',
          CASE WHEN e.session IS NOT NULL AND e.p->>'tool_use_id' <> '' AND ${phaseOf(sql`e.kind`)} IS NOT NULL
            THEN pattern_ledger.tool_use_key(e.session, e.p->>'tool_use_id', ${phaseOf(sql`e.kind`)})
            ELSE 'he:' || coalesce(e.event_id, e.id::text) END,
          left(e.session, 255), left(coalesce(e.workflow_id, nullif(e.p->>'workflow_id', '')), 255),
          left(e.kind, 64), left(coalesce(e.tool_name, nullif(e.p->>'tool_name', '')), 255),
          ${operationIn(sql`e.input`)}, left(coalesce(e.p->>'cwd', e.p->'context'->>'cwd'), 4096),
          CASE WHEN e.kind = 'PostToolUseFailure' THEN false
            WHEN jsonb_typeof(e.p->'success') = 'boolean' THEN (e.p->>'success')::boolean
            WHEN e.kind = 'PostToolUse' THEN true END,
          CASE WHEN jsonb_typeof(e.p->'duration_ms') = 'number'
            AND abs((e.p->>'duration_ms')::float8) < 1e12 THEN (e.p->>'duration_ms')::float8 END,
          ${plausible(sql`coalesce(e.at, now())`)},
          nullif(jsonb_strip_nulls(jsonb_build_object('tool_use_id', left(e.p->>'tool_use_id', 255),
            'description', left(e.input->>'description', 500), 'hook_events_id', e.id)), '{}'::jsonb),
          true
        FROM events e
        ON CONFLICT (event_key) DO NOTHING
        RETURNING id)
      SELECT (SELECT count(*) FROM batch)::int AS read, (SELECT string_agg(id::text, ',') FROM stored) AS stored,
        (SELECT max(id) FROM batch)::float8 AS last`;
  return storedIds(
    await castingAtOnce(
      db,
      statement(sql`h.payload::jsonb`),
      statement(sql`pattern_ledger.try_jsonb(h.payload)`),
    ),
  );
}

/**
 * Runs `atOnce`, which casts a whole batch's JSON in one go, inside a savepoint; if a value is not
 * JSON, runs `perRow` instead, whose cast turns such a value into NULL (at the cost of a
 * subtransaction per row, most of a batch's time when every row pays it).
 */
async function castingAtOnce(
  db: Database,
  atOnce: SQL,
  perRow: SQL,
): Promise<ImportRow | undefined> {
  try {
    return (await db.transaction((savepoint) => queryRows<ImportRow>(savepoint, atOnce)))[0];
  } catch (error) {
    if (!JSON_REFUSED.has(databaseErrorInfo(error).code ?? '')) throw error;
    return (await queryRows<ImportRow>(db, perRow))[0];
  }
}

/** Reads the tool calls of up to `limit` task_logs rows after `cursor` into capture events. */
export async function importTaskLogs(
  db: Database,
  catalog: TrackingCatalog,
  cursor: number,
  limit: number,
): Promise<ImportResult> {
  const columns = catalog.task_logs;
  if (!columns || !canImportTaskLogs(catalog)) return NOTHING;
  const statement = (calls: SQL) => sql`WITH batch AS (
        SELECT t.id::bigint AS id, ${calls} AS calls,
          ${textOf(columns, 't', 'adw_id', 'workflow_id')} AS workflow_id,
          ${textOf(columns, 't', 'session_id')} AS session_id,
          ${timeOf(columns, 't', 'started_at', 'created_at', 'timestamp')} AS at
        FROM (SELECT * FROM ${sql.raw(`${TRACKING_SCHEMA}.task_logs`)}
          WHERE id > ${cursor} ORDER BY id LIMIT ${limit}) t),
      calls AS (
        SELECT b.id, b.workflow_id, b.session_id, b.at, c.value AS call, c.n,
          CASE jsonb_typeof(c.value->'parameters') WHEN 'object' THEN c.value->'parameters' END AS input
        FROM batch b CROSS JOIN LATERAL jsonb_array_elements(
          CASE jsonb_typeof(b.calls) WHEN 'array' THEN b.calls ELSE '[]'::jsonb END) WITH ORDINALITY AS c(value, n)
        WHERE jsonb_typeof(c.value) = 'object'),
      stored AS (
        INSERT INTO pattern_ledger.capture_event (source, event_key, session_id, workflow_id, event_type,
          tool_name, operation, success, duration_ms, occurred_at, details, derived)
        SELECT 'task_logs', 'tl:' || c.id || ':' || c.n, left(c.session_id, 255), left(c.workflow_id, 255),
          'tool_call', left(nullif(c.call->>'tool_name', ''), 255), ${operationIn(sql`c.input`)},
          CASE WHEN jsonb_typeof(c.call->'success') = 'boolean' THEN (c.call->>'success')::boolean END,
          CASE WHEN jsonb_typeof(c.call->'duration_ms') = 'number'
            AND abs((c.call->>'duration_ms')::float8) < 1e12 THEN (c.call->>'duration_ms')::float8 END,
          ${plausible(sql`coalesce(pattern_ledger.try_timestamptz(c.call->>'started_at'), c.at, now())`)},
          nullif(jsonb_strip_nulls(jsonb_build_object('error', left(c.call->>'error_message', 500),
            'task_logs_id', c.id)), '{}'::jsonb), true
        FROM calls c
        ON CONFLICT (event_key) DO NOTHING
        RETURNING id)
      SELECT (SELECT count(*) FROM batch)::int AS read, (SELECT string_agg(id::text, ',') FROM stored) AS stored,
        (SELECT max(id) FROM batch)::float8 AS last`;
  return storedIds(
    await castingAtOnce(
      db,
      statement(sql`t.tool_calls::jsonb`),
      statement(sql`pattern_ledger.try_jsonb(t.tool_calls)`),
    ),
  );
}
