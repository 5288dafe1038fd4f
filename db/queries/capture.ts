import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { CaptureSource } from '@/lib/capture/event';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { toolMatch } from '../capture/derive';
import { canImportHookEvents, canImportTaskLogs } from '../capture/import';
import { TRACKING_SCHEMA, type TrackingCatalog } from '../catalog';
import { bucketListQuery } from './time';

/*
 * What the Capture page shows: each source's state, events by tool over time, the commands no
 * rule recognises, each rule with what it matched and derived, and what was derived. Events'
 * times are timestamptz (Pattern Ledger's own table), compared as instants.
 */

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const epoch = (column: string) => sql.raw(`(date_part('epoch', ${column}) * 1000)::float8`);

/** Events within the range (every event for "all time"). */
function within(range: Pick<ResolvedRange, 'filter'>, column = sql`e.occurred_at`): SQL {
  const parts: SQL[] = [];
  if (range.filter.from) parts.push(sql`${column} >= ${at(range.filter.from)}`);
  if (range.filter.to) parts.push(sql`${column} < ${at(range.filter.to)}`);
  return parts.length > 0 ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

export type CaptureSourceRow = {
  source: CaptureSource;
  events: number;
  lastHour: number;
  lastEventAt: number | null;
};

/** Per source: events in the range, in the hour before `now`, and the latest one's time. */
export async function getCaptureSources(
  db: Database,
  range: Pick<ResolvedRange, 'filter'>,
  now: Date,
): Promise<CaptureSourceRow[]> {
  return readRows<CaptureSourceRow>(
    db,
    sql`SELECT s.source, coalesce(x.events, 0)::float8 AS events, coalesce(h.n, 0)::float8 AS "lastHour",
        l.last AS "lastEventAt"
      FROM unnest(ARRAY['hook', 'otel', 'hook_events', 'task_logs']) AS s(source)
      LEFT JOIN (SELECT e.source, count(*) AS events FROM pattern_ledger.capture_event e
        WHERE ${within(range)} GROUP BY e.source) x ON x.source = s.source
      LEFT JOIN (SELECT e.source, count(*) AS n FROM pattern_ledger.capture_event e
        WHERE e.occurred_at > ${at(now)} - interval '1 hour' AND e.occurred_at <= ${at(now)}
        GROUP BY e.source) h ON h.source = s.source
      LEFT JOIN LATERAL (SELECT ${epoch('e.occurred_at')} AS last FROM pattern_ledger.capture_event e
        WHERE e.source = s.source ORDER BY e.occurred_at DESC LIMIT 1) l ON true`,
  );
}

export type InPlaceSource = {
  /** The table exists with the columns capture reads. */
  readable: boolean;
  enabled: boolean;
  cursor: number;
  /** Rows after the cursor: what the next steps read. */
  waiting: number;
};

export type CaptureStatus = {
  hookEvents: InPlaceSource;
  taskLogs: InPlaceSource;
  pending: number;
  lastRunAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
};

/** Where capture stands: the tables read in place, events not through the rules yet, problems. */
export async function getCaptureStatus(
  db: Database,
  catalog: TrackingCatalog,
): Promise<CaptureStatus> {
  const waiting = (table: 'hook_events' | 'task_logs', readable: boolean, cursor: SQL) =>
    readable
      ? sql`(SELECT count(*) FROM (SELECT 1 FROM ${sql.raw(`${TRACKING_SCHEMA}.${table}`)} t
          WHERE t.id > ${cursor} LIMIT 1000000) w)::float8`
      : sql`0::float8`;
  const hooks = canImportHookEvents(catalog);
  const tasks = canImportTaskLogs(catalog);
  const [row] = await readRows<{
    hookEventsEnabled: boolean;
    hookEventsCursor: number;
    hookEventsWaiting: number;
    taskLogsEnabled: boolean;
    taskLogsCursor: number;
    taskLogsWaiting: number;
    pending: number;
    lastRunAt: number | null;
    lastError: string | null;
    lastErrorAt: number | null;
  }>(
    db,
    sql`SELECT s.hook_events_enabled AS "hookEventsEnabled", s.hook_events_cursor::float8 AS "hookEventsCursor",
        ${waiting('hook_events', hooks, sql`s.hook_events_cursor`)} AS "hookEventsWaiting",
        s.task_logs_enabled AS "taskLogsEnabled", s.task_logs_cursor::float8 AS "taskLogsCursor",
        ${waiting('task_logs', tasks, sql`s.task_logs_cursor`)} AS "taskLogsWaiting",
        (SELECT count(*) FROM pattern_ledger.capture_event WHERE NOT derived)::float8 AS pending,
        ${epoch('s.last_run_at')} AS "lastRunAt", s.last_error AS "lastError",
        ${epoch('s.last_error_at')} AS "lastErrorAt"
      FROM pattern_ledger.capture_state s WHERE s.id = 1`,
  );
  return {
    hookEvents: {
      readable: hooks,
      enabled: row?.hookEventsEnabled ?? true,
      cursor: row?.hookEventsCursor ?? 0,
      waiting: row?.hookEventsWaiting ?? 0,
    },
    taskLogs: {
      readable: tasks,
      enabled: row?.taskLogsEnabled ?? true,
      cursor: row?.taskLogsCursor ?? 0,
      waiting: row?.taskLogsWaiting ?? 0,
    },
    pending: row?.pending ?? 0,
    lastRunAt: row?.lastRunAt ?? null,
    lastError: row?.lastError ?? null,
    lastErrorAt: row?.lastErrorAt ?? null,
  };
}

export type ToolBuckets = {
  buckets: number[];
  rows: { bucket: number | null; group: string | null; value: number }[];
};

/**
 * Tool calls per bucket and tool (one per call: the call's completion where the source reports
 * it, else its start), and each tool's total over the range (bucket null).
 */
export async function getToolActivity(db: Database, range: ResolvedRange): Promise<ToolBuckets> {
  const bucket = sql`(date_part('epoch', date_trunc(${sql.raw(`'${range.granularity}'`)},
    e.occurred_at AT TIME ZONE ${range.tz}) AT TIME ZONE ${range.tz}) * 1000)::float8`;
  const [buckets, rows] = await Promise.all([
    readRows<{ bucket: number }>(db, bucketListQuery(range)),
    readRows<{ bucket: number | null; group: string | null; value: number }>(
      db,
      sql`SELECT CASE WHEN grouping(b) = 0 THEN b END AS bucket, tool AS "group", count(*)::float8 AS value
        FROM (SELECT ${bucket} AS b, e.tool_name AS tool FROM pattern_ledger.capture_event e
          WHERE ${within(range)} AND e.tool_name IS NOT NULL
            AND e.event_type IN ('PostToolUse', 'PostToolUseFailure', 'tool_result', 'tool_call')) x
        GROUP BY GROUPING SETS ((b, tool), (tool))`,
    ),
  ]);
  return { buckets: buckets.map((b) => b.bucket), rows };
}

export type UnrecognisedCommand = {
  head: string;
  runs: number;
  sessions: number;
  example: string;
  lastAt: number;
};

/** The first word of a command (its program, without a path or leading VAR=value settings). */
const commandHead = sql`lower(split_part(regexp_replace(regexp_replace(e.operation,
  '^\\s*((\\w+=\\S*)\\s+)*', ''), '^\\S*/', ''), ' ', 1))`;

/**
 * The most frequent Bash programs no enabled rule matches, in the range; runs of a pattern's own
 * tool are recognised already (they are offloads).
 */
export async function getUnrecognisedCommands(
  db: Database,
  catalog: TrackingCatalog,
  range: Pick<ResolvedRange, 'filter'>,
  limit = 15,
): Promise<UnrecognisedCommand[]> {
  const runsATool = toolMatch(catalog);
  return readRows<UnrecognisedCommand>(
    db,
    sql`SELECT head, count(*)::float8 AS runs, count(DISTINCT session_id)::float8 AS sessions,
        (array_agg(operation ORDER BY occurred_at DESC))[1] AS example, max(${epoch('occurred_at')}) AS "lastAt"
      FROM (SELECT ${commandHead} AS head, e.operation, e.session_id, e.occurred_at
        FROM pattern_ledger.capture_event e
        WHERE ${within(range)} AND e.tool_name = 'Bash' AND e.operation IS NOT NULL
          AND e.event_type IN ('PreToolUse', 'tool_result', 'tool_call')
          AND NOT EXISTS (SELECT 1 FROM pattern_ledger.capture_rule r
            WHERE r.enabled AND (r.tool_name = '*' OR r.tool_name = 'Bash') AND e.operation ~* r.match)
          ${runsATool ? sql`AND NOT EXISTS (SELECT 1 FROM operation_patterns p WHERE ${runsATool})` : sql``}) c
      WHERE head <> ''
      GROUP BY head ORDER BY runs DESC, head LIMIT ${limit}`,
  );
}

export type CaptureRuleRow = {
  id: number;
  name: string;
  toolName: string;
  match: string;
  signature: string;
  enabled: boolean;
  version: number;
  builtin: boolean;
  updatedAt: number;
  /** Occurrences the rule derived (all time): pairs of workflow and pattern. */
  occurrences: number;
  /** Patterns those occurrences belong to. */
  patterns: number;
  lastDerivedAt: number | null;
};

export async function getCaptureRules(db: Database): Promise<CaptureRuleRow[]> {
  return readRows<CaptureRuleRow>(
    db,
    sql`SELECT r.id::float8 AS id, r.name, r.tool_name AS "toolName", r.match, r.signature, r.enabled,
        r.version, r.builtin, ${epoch('r.updated_at')} AS "updatedAt",
        coalesce(d.n, 0)::float8 AS occurrences, coalesce(d.patterns, 0)::float8 AS patterns,
        d.last AS "lastDerivedAt"
      FROM pattern_ledger.capture_rule r
      LEFT JOIN (SELECT rule_id, count(*) AS n, count(DISTINCT signature) AS patterns,
          max(${epoch('derived_at')}) AS last
        FROM pattern_ledger.capture_occurrence GROUP BY rule_id) d ON d.rule_id = r.id
      ORDER BY r.enabled DESC, lower(r.name), r.id`,
  );
}

export type CaptureRuleDetail = Omit<
  CaptureRuleRow,
  'occurrences' | 'patterns' | 'lastDerivedAt'
> & {
  versions: {
    version: number;
    savedBy: string | null;
    savedAt: number;
    match: string;
    signature: string;
    enabled: boolean;
  }[];
};

export async function getCaptureRule(db: Database, id: number): Promise<CaptureRuleDetail | null> {
  const [rule] = await readRows<Omit<CaptureRuleDetail, 'versions'>>(
    db,
    sql`SELECT r.id::float8 AS id, r.name, r.tool_name AS "toolName", r.match, r.signature, r.enabled,
        r.version, r.builtin, ${epoch('r.updated_at')} AS "updatedAt"
      FROM pattern_ledger.capture_rule r WHERE r.id = ${id}`,
  );
  if (!rule) return null;
  const versions = await readRows<CaptureRuleDetail['versions'][number]>(
    db,
    sql`SELECT version, saved_by AS "savedBy", ${epoch('saved_at')} AS "savedAt", match, signature, enabled
      FROM pattern_ledger.capture_rule_version WHERE rule_id = ${id} ORDER BY version DESC`,
  );
  return { ...rule, versions };
}

export type DerivedSummary = {
  occurrences: number;
  patterns: number;
  workflows: number;
  savings: number;
  measuredSavings: number;
  usdSaved: number;
  createdPatterns: number;
};

/** What capture derived from the range's events: occurrences, savings and patterns. */
export async function getDerivedSummary(
  db: Database,
  range: Pick<ResolvedRange, 'filter'>,
): Promise<DerivedSummary> {
  const [row] = await readRows<DerivedSummary>(
    db,
    sql`SELECT (SELECT count(*) FROM pattern_ledger.capture_occurrence e WHERE ${within(range)})::float8 AS occurrences,
        (SELECT count(DISTINCT signature) FROM pattern_ledger.capture_occurrence e WHERE ${within(range)})::float8 AS patterns,
        (SELECT count(DISTINCT workflow_key) FROM pattern_ledger.capture_occurrence e WHERE ${within(range)})::float8 AS workflows,
        (SELECT count(*) FROM pattern_ledger.capture_saving e
          WHERE ${within(range)} AND e.savings_id IS NOT NULL)::float8 AS savings,
        (SELECT count(*) FROM pattern_ledger.capture_saving e
          WHERE ${within(range)} AND e.savings_id IS NOT NULL AND e.measured)::float8 AS "measuredSavings",
        (SELECT coalesce(sum(pattern_ledger.money(c.cost_saved_usd)), 0)::float8
          FROM pattern_ledger.capture_saving e JOIN cost_savings_log c ON c.id = e.savings_id
          WHERE ${within(range)}) AS "usdSaved",
        (SELECT count(*) FROM pattern_ledger.capture_pattern)::float8 AS "createdPatterns"`,
  );
  return (
    row ?? {
      occurrences: 0,
      patterns: 0,
      workflows: 0,
      savings: 0,
      measuredSavings: 0,
      usdSaved: 0,
      createdPatterns: 0,
    }
  );
}

export type DerivedOccurrence = {
  id: number;
  occurrenceId: number | null;
  patternId: number | null;
  signature: string;
  workflowKey: string;
  ruleName: string;
  source: string;
  occurredAt: number;
};

/** The latest occurrences capture derived, with the pattern and rule behind each. */
export async function getRecentDerived(
  db: Database,
  range: Pick<ResolvedRange, 'filter'>,
  limit = 10,
): Promise<DerivedOccurrence[]> {
  return readRows<DerivedOccurrence>(
    db,
    sql`SELECT e.id::float8 AS id, e.occurrence_id::float8 AS "occurrenceId", e.pattern_id::float8 AS "patternId",
        e.signature, e.workflow_key AS "workflowKey", r.name AS "ruleName", e.source,
        ${epoch('e.occurred_at')} AS "occurredAt"
      FROM pattern_ledger.capture_occurrence e JOIN pattern_ledger.capture_rule r ON r.id = e.rule_id
      WHERE ${within(range)} ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${limit}`,
  );
}

export type ModelPriceRow = {
  id: number;
  modelPrefix: string;
  effectiveFrom: string;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  note: string | null;
  updatedBy: string | null;
};

export async function getModelPrices(db: Database): Promise<ModelPriceRow[]> {
  return readRows<ModelPriceRow>(
    db,
    sql`SELECT id::float8 AS id, model_prefix AS "modelPrefix",
        to_char(effective_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "effectiveFrom",
        input_usd_per_mtok AS "inputUsdPerMtok", output_usd_per_mtok AS "outputUsdPerMtok", note,
        updated_by AS "updatedBy"
      FROM pattern_ledger.model_price ORDER BY model_prefix = '*' DESC, model_prefix, effective_from DESC`,
  );
}
