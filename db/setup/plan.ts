/**
 * What attaching Pattern Ledger to this database takes, as steps: the journals and functions in
 * its own schema, then on the agents' tables only the triggers that feed the journals and a few
 * indexes, each only where its columns exist and it is not there yet. `db:migrate -- --dry-run`
 * prints the plan; `applyPlan` (apply.ts) carries it out. A plan for a database already attached
 * is empty, so migrating twice changes nothing.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import {
  TRACKING_SCHEMA,
  type TableColumns,
  type TrackingCatalog,
  type TrackingTable,
} from '../catalog';
import type { Database } from '../types';
import {
  createJournalTable,
  createTrigger,
  createTriggerFunction,
  functionName,
  journalColumns,
  JOURNALS,
  ledgerName,
  presentKeys,
  sourceName,
  TRIGGER_OPS,
  TRIGGER_PREFIX,
  triggerName,
  type Journal,
} from '../rollups/journal';
import { ROLLUPS_DECLARED } from '../rollups/runner';
import { LIVE_VIEWS } from '../rollups/views';
import { LEDGER_SCHEMA } from '../schema';
import { queryRows } from '../sql';

export type Step = {
  kind: 'journal' | 'functions' | 'views' | 'triggers' | 'rebuild' | 'record' | 'index';
  /** What it adds, in words. */
  title: string;
  /** On the agents' tables (listed by --dry-run) or in Pattern Ledger's own schema. */
  on: 'agents' | 'ledger';
  statements: string[];
  /** Outside a transaction: CREATE INDEX CONCURRENTLY never blocks the agents' writes. */
  concurrently?: boolean;
  /** Takes a lock on an agents' table for a moment: tried with a short lock_timeout, again and again. */
  briefLock?: boolean;
  /** What the estimate says, and its basis. */
  estimate?: string;
  /** The agents' table it concerns and how many rows it has (for the estimate). */
  table?: TrackingTable;
};

export type Plan = { steps: Step[]; rebuild: boolean };

/** Indexes Pattern Ledger's reads need on the agents' tables, created only where absent. */
type WantedIndex = {
  name: string;
  table: TrackingTable;
  /** Columns that must exist. */
  needs: string[];
  definition: string;
  /** Skip it when the table already has an index leading with this column. */
  unlessLeading?: string;
};

const WANTED_INDEXES: WantedIndex[] = [
  {
    // A pattern's occurrences newest first: last seen, raw edges and distinct workflows of a range.
    name: 'pattern_ledger_occurrences_by_pattern_time',
    table: 'pattern_occurrences',
    needs: ['pattern_id', 'detected_at', 'id', 'workflow_id', 'similarity_score'],
    definition:
      '(pattern_id, detected_at DESC NULLS LAST, id DESC) INCLUDE (workflow_id, similarity_score)',
  },
  {
    name: 'pattern_ledger_occurrences_by_time',
    table: 'pattern_occurrences',
    needs: ['detected_at'],
    definition: '(detected_at)',
    unlessLeading: 'detected_at',
  },
  {
    name: 'pattern_ledger_occurrences_by_workflow',
    table: 'pattern_occurrences',
    needs: ['workflow_id'],
    definition: '(workflow_id)',
    unlessLeading: 'workflow_id',
  },
  {
    name: 'pattern_ledger_savings_newest',
    table: 'cost_savings_log',
    needs: ['saved_at', 'id'],
    definition: '(saved_at DESC NULLS LAST, id DESC)',
  },
  {
    name: 'pattern_ledger_savings_noted_newest',
    table: 'cost_savings_log',
    needs: ['saved_at', 'id', 'notes'],
    definition: `(saved_at DESC NULLS LAST, id DESC) WHERE coalesce(notes, '') <> ''`,
  },
  {
    name: 'pattern_ledger_savings_by_workflow',
    table: 'cost_savings_log',
    needs: ['workflow_id'],
    definition: '(workflow_id)',
    unlessLeading: 'workflow_id',
  },
  {
    name: 'pattern_ledger_savings_by_pattern',
    table: 'cost_savings_log',
    needs: ['pattern_id', 'saved_at'],
    definition: '(pattern_id, saved_at)',
    unlessLeading: 'pattern_id',
  },
  {
    name: 'pattern_ledger_savings_by_tool_call',
    table: 'cost_savings_log',
    needs: ['tool_call_id'],
    definition: '(tool_call_id) WHERE tool_call_id IS NOT NULL',
    unlessLeading: 'tool_call_id',
  },
  {
    name: 'pattern_ledger_history_by_adw_id',
    table: 'workflow_history',
    needs: ['adw_id'],
    definition: '(adw_id)',
    unlessLeading: 'adw_id',
  },
  {
    name: 'pattern_ledger_history_by_workflow_id',
    table: 'workflow_history',
    needs: ['workflow_id'],
    definition: '(workflow_id)',
    unlessLeading: 'workflow_id',
  },
  {
    name: 'pattern_ledger_tool_calls_by_id',
    table: 'tool_calls',
    needs: ['tool_call_id'],
    definition: '(tool_call_id)',
    unlessLeading: 'tool_call_id',
  },
];

/** Seconds per million rows, measured on the benchmark set (docs/attaching.md). */
const INDEX_SECONDS_PER_MILLION = 2.5;
const REBUILD_SECONDS_PER_MILLION = 20;

type Existing = {
  /** Live views by name, with the definition hash kept in their comment. */
  views: Map<string, string | null>;
  journals: Map<string, [string, string][]>;
  functions: Map<string, string>;
  triggers: Map<string, Set<string>>;
  indexes: Map<string, { valid: boolean }>;
  leading: Map<string, Set<string>>;
  rows: Map<string, number>;
};

async function readExisting(db: Database): Promise<Existing> {
  const [viewRows, journalRows, functionRows, triggerRows, indexRows, rowCounts] =
    await Promise.all([
      queryRows<{ name: string; comment: string | null }>(
        db,
        sql`SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${LEDGER_SCHEMA} AND c.relkind = 'v'`,
      ),
      queryRows<{ table: string; column: string; type: string }>(
        db,
        sql`SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${LEDGER_SCHEMA} AND c.relkind = 'r' AND c.relname LIKE '%\\_change'
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
      ),
      queryRows<{ name: string; body: string }>(
        db,
        sql`SELECT p.proname AS name, p.prosrc AS body FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ${LEDGER_SCHEMA}`,
      ),
      queryRows<{ table: string; trigger: string }>(
        db,
        sql`SELECT c.relname AS "table", t.tgname AS "trigger" FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${TRACKING_SCHEMA} AND NOT t.tgisinternal`,
      ),
      queryRows<{ table: string; index: string; valid: boolean; leading: string | null }>(
        db,
        sql`SELECT t.relname AS "table", i.relname AS "index", x.indisvalid AS valid,
          (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = x.indkey[0]) AS leading
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ${TRACKING_SCHEMA}`,
      ),
      queryRows<{ table: string; rows: number }>(
        db,
        sql`SELECT c.relname AS "table", greatest(c.reltuples, 0)::float8 AS rows FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${TRACKING_SCHEMA} AND c.relkind = 'r'`,
      ),
    ]);
  const existing: Existing = {
    views: new Map(viewRows.map((row) => [row.name, row.comment])),
    journals: new Map(),
    functions: new Map(functionRows.map((row) => [row.name, row.body])),
    triggers: new Map(),
    indexes: new Map(),
    leading: new Map(),
    rows: new Map(rowCounts.map((row) => [row.table, row.rows])),
  };
  for (const row of journalRows) {
    const columns = existing.journals.get(row.table) ?? [];
    columns.push([row.column, row.type]);
    existing.journals.set(row.table, columns);
  }
  for (const row of triggerRows) {
    const set = existing.triggers.get(row.table) ?? new Set();
    set.add(row.trigger);
    existing.triggers.set(row.table, set);
  }
  for (const row of indexRows) {
    existing.indexes.set(row.index, { valid: row.valid });
    if (row.leading) {
      const set = existing.leading.get(row.table) ?? new Set();
      set.add(row.leading);
      existing.leading.set(row.table, set);
    }
  }
  return existing;
}

/** The body PostgreSQL keeps for a function (prosrc): what lies between the dollar quotes. */
const bodyOf = (statement: string) =>
  statement.slice(statement.indexOf('$$') + 2, statement.lastIndexOf('$$'));

/** A column of an optional table as `type`, or NULL where the table lacks it. */
function optional(columns: TableColumns | undefined, name: string, as: string, read = `h.${name}`) {
  return columns?.has(name) ? `${read.replace('$', name)}::${as}` : `NULL::${as}`;
}

/**
 * Functions whose bodies depend on which of the agents' optional tables and columns exist:
 * queries call these and stay the same on every shape (db/rollups/live.ts, db/queries/*).
 */
export function shapeFunctions(catalog: TrackingCatalog): Record<string, string> {
  const history = catalog.workflow_history;
  const historyKeys = history ? ['adw_id', 'workflow_id'].filter((c) => history.has(c)) : [];
  const matches = (alias: string, value: string) =>
    historyKeys.map((c) => `${alias}.${c}::text = ${value}`).join(' OR ');
  const hasHistory =
    historyKeys.length === 0
      ? 'SELECT false'
      : `SELECT ${historyKeys
          .map(
            (c) =>
              `EXISTS (SELECT 1 FROM ${sourceName('workflow_history')} h WHERE h.${c} = workflow)`,
          )
          .join(' OR ')}`;
  const toolCalls = catalog.tool_calls?.has('tool_call_id');
  const money = (name: string) =>
    history?.has(name) ? `pattern_ledger.money(h.${name})` : 'NULL::numeric';
  const run =
    historyKeys.length === 0
      ? 'SELECT NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text, NULL::timestamp, NULL::timestamp, NULL::float8, NULL::float8, NULL::numeric, NULL::numeric, NULL::text WHERE false'
      : `SELECT h.adw_id::text, ${optional(history, 'workflow_id', 'text')}, ${optional(history, 'issue_number', 'bigint')},
    ${optional(history, 'github_url', 'text')}, ${optional(history, 'workflow_template', 'text')},
    ${optional(history, 'model_used', 'text')}, ${optional(history, 'status', 'text')},
    ${optional(history, 'start_time', 'timestamp')}, ${optional(history, 'end_time', 'timestamp')},
    ${optional(history, 'duration_seconds', 'float8')}, ${optional(history, 'total_tokens', 'float8')},
    ${money('estimated_cost_total')}, ${money('actual_cost_total')}, ${optional(history, 'nl_input', 'text')}
  FROM ${sourceName('workflow_history')} h WHERE ${matches('h', 'workflow')}
  ORDER BY (h.adw_id::text = workflow) DESC${history?.has('id') ? ', h.id' : ''} LIMIT 1`;
  return {
    has_history: `CREATE OR REPLACE FUNCTION ${ledgerName('has_history')}(workflow text) RETURNS boolean
LANGUAGE sql STABLE AS $$ ${hasHistory} $$`,
    // NULL without a tool_calls table: nothing to check an id against.
    tool_call_exists: `CREATE OR REPLACE FUNCTION ${ledgerName('tool_call_exists')}(tool_call text) RETURNS boolean
LANGUAGE sql STABLE AS $$ ${
      toolCalls
        ? `SELECT EXISTS (SELECT 1 FROM ${sourceName('tool_calls')} t WHERE t.tool_call_id = tool_call)`
        : 'SELECT NULL::boolean'
    } $$`,
    workflow_run: `CREATE OR REPLACE FUNCTION ${ledgerName('workflow_run')}(workflow text)
RETURNS TABLE (adw_id text, workflow_id text, issue_number bigint, github_url text, workflow_template text,
  model_used text, status text, start_time timestamp, end_time timestamp, duration_seconds float8,
  total_tokens float8, estimated_cost_total numeric, actual_cost_total numeric, nl_input text)
LANGUAGE sql STABLE AS $$ ${run} $$`,
    external_reviews: `CREATE OR REPLACE FUNCTION ${ledgerName('external_reviews')}(signature text)
RETURNS TABLE (id text, action text, status text, note text, reviewed_by text, reviewed_at timestamp)
LANGUAGE sql STABLE AS $$ ${externalReviews(catalog)} $$`,
  };
}

/**
 * The real system's own review tables, where they exist: its review history (approved, rejected,
 * flagged, commented) and the current approval, matched by the pattern's signature.
 */
function externalReviews(catalog: TrackingCatalog): string {
  const parts: string[] = [];
  const history = catalog.pattern_review_history;
  // Only the real system's table has these columns (Pattern Ledger's own lives in its schema).
  if (history && ['pattern_id', 'action', 'reviewer', 'created_at'].every((c) => history.has(c))) {
    parts.push(`SELECT 'history-' || r.id::text, r.action::text, NULL::text, ${optional(history, 'notes', 'text', 'r.$')},
    r.reviewer::text, r.created_at::timestamp
  FROM ${sourceName('pattern_review_history')} r WHERE r.pattern_id::text = signature`);
  }
  const approvals = catalog.pattern_approvals;
  if (approvals && ['pattern_id', 'status'].every((c) => approvals.has(c))) {
    parts.push(`SELECT 'approval-' || a.pattern_id::text, 'approval', a.status::text,
    ${optional(approvals, 'approval_notes', 'text', 'a.$')}, ${optional(approvals, 'reviewed_by', 'text', 'a.$')},
    ${optional(approvals, 'reviewed_at', 'timestamp', 'a.$')}
  FROM ${sourceName('pattern_approvals')} a WHERE a.pattern_id::text = signature`);
  }
  return parts.length > 0
    ? parts.join('\n  UNION ALL ')
    : 'SELECT NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::timestamp WHERE false';
}

/** SQL with its parameters written in (strings and numbers only), as a view's definition needs. */
function inline(query: SQL): string {
  const { sql: text, params } = new PgDialect().sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
    throw new Error(`a view cannot hold the parameter ${JSON.stringify(value)}`);
  });
}

const hashOf = (text: string) =>
  `pattern-ledger ${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/** The live views, created again (in order) when any is missing or its definition changed. */
function viewSteps(existing: Existing, journalsChange: boolean): Step[] {
  const definitions = Object.entries(LIVE_VIEWS).map(([name, definition]) => {
    const text = inline(definition());
    return { name, text, hash: hashOf(text) };
  });
  if (!journalsChange && definitions.every((d) => existing.views.get(d.name) === d.hash)) return [];
  return [
    {
      kind: 'views',
      title: `views ${definitions.map((d) => `${LEDGER_SCHEMA}.${d.name}`).join(', ')} (the rollups with what is not folded yet)`,
      on: 'ledger',
      statements: definitions.flatMap((d) => [
        `DROP VIEW IF EXISTS ${ledgerName(d.name)}`,
        `CREATE VIEW ${ledgerName(d.name)} AS ${d.text}`,
        `COMMENT ON VIEW ${ledgerName(d.name)} IS '${d.hash}'`,
      ]),
    },
  ];
}

const sameColumns = (a: [string, string][] | undefined, b: [string, string][]) =>
  a !== undefined &&
  a.length === b.length &&
  a.every(([n, t], i) => n === b[i]![0] && t === b[i]![1]);

function journalSteps(journal: Journal, catalog: TrackingCatalog, existing: Existing): Step[] {
  const wanted = journalColumns(journal, catalog);
  const present = existing.journals.get(journal.journal);
  if (!present) {
    return [
      {
        kind: 'journal',
        title: `journal ${LEDGER_SCHEMA}.${journal.journal}`,
        on: 'ledger',
        statements: [createJournalTable(journal, catalog)],
      },
    ];
  }
  if (sameColumns(present, wanted)) return [];
  // The agents changed a column's type: the journal follows (its few rows converted as theirs were).
  const changed = wanted.filter(
    ([name, type]) => !present.some(([n, t]) => n === name && t === type),
  );
  return [
    {
      kind: 'journal',
      title: `journal ${LEDGER_SCHEMA}.${journal.journal}: ${changed.map(([n, t]) => `${n} → ${t}`).join(', ')}`,
      on: 'ledger',
      briefLock: true,
      statements: [
        // The live views read these columns; they are created again below.
        ...Object.keys(LIVE_VIEWS).map((view) => `DROP VIEW IF EXISTS ${ledgerName(view)}`),
        ...changed.map(
          ([name, type]) =>
            `ALTER TABLE ${ledgerName(journal.journal)} ALTER COLUMN "${name}" TYPE ${type} USING "${name}"::${type}`,
        ),
      ],
    },
  ];
}

function triggerSteps(journal: Journal, catalog: TrackingCatalog, existing: Existing): Step[] {
  const source = catalog[journal.source];
  if (!source) return [];
  if (journal.kind === 'keys' && presentKeys(journal, source).length === 0) return [];
  const steps: Step[] = [];
  const functions = TRIGGER_OPS.map((op) => ({
    op,
    statement: createTriggerFunction(journal, op, catalog),
  }));
  const stale = functions.filter(
    ({ op, statement }) =>
      existing.functions.get(`${journal.journal}_${op.toLowerCase()}`) !== bodyOf(statement),
  );
  if (stale.length > 0) {
    steps.push({
      kind: 'functions',
      title: `trigger functions ${stale.map(({ op }) => functionName(journal, op)).join(', ')}`,
      on: 'ledger',
      statements: stale.map(({ statement }) => statement),
    });
  }
  const present = existing.triggers.get(journal.source) ?? new Set<string>();
  const missing = TRIGGER_OPS.filter((op) => !present.has(triggerName(op)));
  // Triggers of earlier versions (other names, same prefix) go in the same transaction.
  const legacy = [...present].filter(
    (name) =>
      name.startsWith(TRIGGER_PREFIX) && !TRIGGER_OPS.some((op) => triggerName(op) === name),
  );
  if (missing.length > 0 || legacy.length > 0) {
    steps.push({
      kind: 'triggers',
      title: `triggers on ${TRACKING_SCHEMA}.${journal.source} (${missing.join(', ') || 'replacing older ones'}): each appends the statement's changed rows to ${LEDGER_SCHEMA}.${journal.journal}`,
      on: 'agents',
      briefLock: true,
      table: journal.source,
      estimate: 'instant; waits at most 100 ms for a lock on the table, retried until it gets one',
      statements: [
        ...legacy.map((name) => `DROP TRIGGER "${name}" ON ${sourceName(journal.source)}`),
        ...missing.map((op) => createTrigger(journal, op)),
      ],
    });
  }
  return steps;
}

function indexSteps(
  catalog: TrackingCatalog,
  existing: Existing,
  kind: 'pglite' | 'postgres',
): Step[] {
  const steps: Step[] = [];
  for (const index of WANTED_INDEXES) {
    const columns = catalog[index.table];
    if (!columns || !index.needs.every((column) => columns.has(column))) continue;
    const present = existing.indexes.get(index.name);
    if (present?.valid) continue;
    if (
      !present &&
      index.unlessLeading &&
      existing.leading.get(index.table)?.has(index.unlessLeading)
    )
      continue;
    const concurrently = kind === 'postgres' ? ' CONCURRENTLY' : '';
    const rows = existing.rows.get(index.table) ?? 0;
    steps.push({
      kind: 'index',
      title: `index ${index.name} on ${TRACKING_SCHEMA}.${index.table} ${index.definition}`,
      on: 'agents',
      concurrently: kind === 'postgres',
      table: index.table,
      estimate: `about ${formatSeconds((rows / 1e6) * INDEX_SECONDS_PER_MILLION)} for ${Math.round(rows).toLocaleString('en-US')} rows, built${concurrently} without blocking writes`,
      statements: [
        // A build that failed half way leaves an invalid index: dropped and built again.
        ...(present
          ? [`DROP INDEX${concurrently} IF EXISTS ${TRACKING_SCHEMA}."${index.name}"`]
          : []),
        `CREATE INDEX${concurrently} IF NOT EXISTS "${index.name}" ON ${sourceName(index.table)} ${usingPart(index.definition)}`,
      ],
    });
  }
  return steps;
}

/** `(cols) WHERE …` / `(cols) INCLUDE (…)` as CREATE INDEX takes them. */
const usingPart = (definition: string) => `USING btree ${definition}`;

const formatSeconds = (seconds: number) =>
  seconds < 1
    ? 'under a second'
    : seconds < 90
      ? `${Math.ceil(seconds)} s`
      : `${Math.ceil(seconds / 60)} min`;

/**
 * Whether the rollups hold what is declared now: unfilled when a migration added a rollup the
 * last fill did not fill (it clears `rebuilt_at`), stale when the last fill counted other
 * declarations, unrecorded when filled before fingerprints were kept.
 */
async function rollupsState(db: Database): Promise<'filled' | 'unfilled' | 'stale' | 'unrecorded'> {
  // Before the migrations (a dry run): no state yet is a first attach, which fills them anyway;
  // a state without the fingerprint's column gets it, empty.
  const [columns] = await queryRows<{ present: boolean; fingerprint: boolean }>(
    db,
    sql`SELECT to_regclass('pattern_ledger.fold_state') IS NOT NULL AS present,
      EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'pattern_ledger'
        AND table_name = 'fold_state' AND column_name = 'rollups_declared') AS fingerprint`,
  );
  if (!columns?.present) return 'filled';
  if (!columns.fingerprint) return 'unrecorded';
  const [row] = await queryRows<{ rebuilt: boolean; declared: string | null }>(
    db,
    sql`SELECT rebuilt_at IS NOT NULL AS rebuilt, rollups_declared AS declared
      FROM pattern_ledger.fold_state WHERE id = 1`,
  );
  if (!row) return 'filled';
  if (!row.rebuilt) return 'unfilled';
  if (row.declared === null) return 'unrecorded';
  return row.declared === ROLLUPS_DECLARED ? 'filled' : 'stale';
}

export async function planAttach(
  db: Database,
  catalog: TrackingCatalog,
  kind: 'pglite' | 'postgres',
): Promise<Plan> {
  const existing = await readExisting(db);
  const steps: Step[] = [];
  for (const journal of JOURNALS) steps.push(...journalSteps(journal, catalog, existing));
  const shaped = Object.entries(shapeFunctions(catalog)).filter(
    ([name, statement]) => existing.functions.get(name) !== bodyOf(statement),
  );
  if (shaped.length > 0) {
    steps.push({
      kind: 'functions',
      title: `functions ${shaped.map(([name]) => `${LEDGER_SCHEMA}.${name}`).join(', ')} (which optional tables and columns exist)`,
      on: 'ledger',
      statements: shaped.map(([, statement]) => statement),
    });
  }
  steps.push(
    ...viewSteps(
      existing,
      steps.some((step) => step.kind === 'journal'),
    ),
  );
  const triggers = JOURNALS.flatMap((journal) => triggerSteps(journal, catalog, existing));
  steps.push(...triggers);
  // New triggers (a first attach, or after a detach): the rollups are filled from every row,
  // as when the facts the rollups keep about optional tables are read differently.
  const counted =
    catalog.pattern_occurrences !== undefined && catalog.cost_savings_log !== undefined
      ? await rollupsState(db)
      : 'filled';
  const rebuild =
    triggers.some((step) => step.on === 'agents') ||
    shaped.some(([name]) => name === 'has_history' || name === 'tool_call_exists') ||
    counted === 'unfilled' ||
    counted === 'stale';
  if (rebuild) {
    const rows =
      (existing.rows.get('pattern_occurrences') ?? 0) +
      (existing.rows.get('cost_savings_log') ?? 0);
    steps.push({
      kind: 'rebuild',
      title: `fill the rollups from the ${Math.round(rows).toLocaleString('en-US')} rows already there`,
      on: 'ledger',
      estimate: `about ${formatSeconds((rows / 1e6) * REBUILD_SECONDS_PER_MILLION)}; reads the agents' tables, locks nothing of theirs`,
      statements: [],
    });
  } else if (counted === 'unrecorded') {
    // Filled under these very declarations (an install that predates fingerprints): noted only.
    steps.push({
      kind: 'record',
      title: 'note which rollup declarations the rollups hold',
      on: 'ledger',
      statements: [
        `UPDATE ${LEDGER_SCHEMA}.fold_state SET rollups_declared = '${ROLLUPS_DECLARED}' WHERE id = 1`,
      ],
    });
  }
  steps.push(...indexSteps(catalog, existing, kind));
  return { steps, rebuild };
}
