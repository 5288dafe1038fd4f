/**
 * Pattern Ledger's own tables, all in the schema `pattern_ledger`, apart from the agents' tables
 * (db/tracking-schema.ts) so that nothing of ours sits among theirs, shadows one of their names,
 * or survives `npm run db:detach`. drizzle-kit generates the migrations from this file alone.
 *
 * Not here: the change journals (`pattern_ledger.*_change`), whose column types copy the agents'
 * columns on each database and are therefore created by db/attach/ (see docs/attaching.md).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

export {
  API_KEY_SCOPES,
  AUTOMATION_STATUSES,
  OPTIMIZATION_TYPES,
  REVIEW_ACTIONS,
  type ApiKeyScope,
  type AutomationStatus,
  type OptimizationType,
  type ReviewAction,
} from '../lib/domain';
import { ledger } from './ledger';
import { rollupTable } from './rollups/define';
import {
  OCCURRENCE_ALL_DAILY,
  OCCURRENCE_ALL_HOURLY,
  OCCURRENCE_DAILY,
  OCCURRENCE_HOURLY,
  OCCURRENCE_TOTALS,
  PATTERN_WORKFLOWS,
  SAVINGS_DAILY,
  SAVINGS_HOURLY,
  SAVINGS_TOTALS,
  SAVINGS_TYPE_DAILY,
  SAVINGS_TYPE_HOURLY,
  SIMILARITY_SCALES,
} from './rollups/declarations';

export { LEDGER_SCHEMA, ledger } from './ledger';

/** Ids of the agents' rows: integer or bigint there, bigint here. */
const rowId = (name: string) => bigint(name, { mode: 'number' });

/**
 * Every change to a savings entry's note, so no edit is ever lost. No foreign key to
 * cost_savings_log: the writing system may delete entries, and their history should not block it.
 */
export const noteHistory = ledger.table(
  'note_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    savingsId: rowId('savings_id').notNull(),
    previousNotes: text('previous_notes'),
    newNotes: text('new_notes'),
    changedAt: timestamp('changed_at').defaultNow().notNull(),
    changedBy: text('changed_by'),
  },
  (t) => [index('idx_note_history_savings').on(t.savingsId, t.changedAt)],
);

/** Every review of a pattern made in Pattern Ledger: who, when, the status before and after, the note. */
export const reviewHistory = ledger.table(
  'review_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    patternId: rowId('pattern_id').notNull(),
    action: text('action').notNull(),
    previousStatus: text('previous_status'),
    newStatus: text('new_status'),
    note: text('note'),
    reviewedBy: text('reviewed_by').notNull(),
    reviewedAt: timestamp('reviewed_at').notNull(),
  },
  (t) => [index('idx_review_history_pattern').on(t.patternId, t.reviewedAt)],
);

/* Sign-in (better-auth with its admin plugin). */
const authTimestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow().notNull(),
};

export const authUsers = ledger.table('auth_user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').default(false).notNull(),
  image: text('image'),
  /** viewer, editor or admin. */
  role: text('role'),
  /** A disabled account is a banned one: it cannot sign in. */
  banned: boolean('banned').default(false),
  banReason: text('ban_reason'),
  banExpires: timestamp('ban_expires', { withTimezone: true }),
  ...authTimestamps,
});

export const authSessions = ledger.table(
  'auth_session',
  {
    id: text('id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    impersonatedBy: text('impersonated_by'),
    ...authTimestamps,
  },
  (t) => [index('idx_auth_session_user').on(t.userId)],
);

export const authAccounts = ledger.table(
  'auth_account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    ...authTimestamps,
  },
  (t) => [index('idx_auth_account_user').on(t.userId)],
);

export const authVerifications = ledger.table('auth_verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  ...authTimestamps,
});

/**
 * API keys for agents and scripts. Only a SHA-256 digest of each key is stored (keys are 256-bit
 * random strings, so a fast digest is enough); the key itself is shown once, when it is created.
 */
export const apiKeys = ledger.table(
  'api_key',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    /** The key's first characters, to tell keys apart in lists and logs; not a secret. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    /** read: the GET endpoints; write: also the ingestion endpoints; capture: only the capture receivers. */
    scope: text('scope').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
  },
  (t) => [check('api_key_scope_check', sql`${t.scope} IN ('read', 'write', 'capture')`)],
);

/**
 * Failed sign-ins counted per client address and per account (server/sign-in-throttle.ts, with
 * rate-limiter-flexible's Drizzle store): a key, its points and when they expire.
 */
export const signInLimit = ledger.table('sign_in_limit', {
  key: text('key').primaryKey(),
  points: integer('points').notNull().default(0),
  expire: timestamp('expire', { withTimezone: true }),
});

/** What a batch sent with an Idempotency-Key answered, so that a retry gets the same answer. */
export const apiIdempotencyKeys = ledger.table(
  'api_idempotency_key',
  {
    apiKeyId: bigint('api_key_id', { mode: 'number' })
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    endpoint: text('endpoint').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] })],
);

/*
 * Rollups: occurrences and savings added up per UTC hour, UTC day and all time, each declared once
 * in db/rollups/declarations.ts (db/rollups/README.md). The agents' triggers only append changed
 * rows to the journals; db/rollups/runner.ts folds them in here outside the agents' transactions,
 * and every read adds the journal rows not yet folded (db/rollups/views.ts), so figures are exact
 * at any moment.
 */
export const occurrenceRollupHourly = rollupTable(OCCURRENCE_HOURLY);
export const occurrenceRollupDaily = rollupTable(OCCURRENCE_DAILY);
export const occurrenceAllRollupHourly = rollupTable(OCCURRENCE_ALL_HOURLY);
export const occurrenceAllRollupDaily = rollupTable(OCCURRENCE_ALL_DAILY);
export const occurrenceRollupTotal = rollupTable(OCCURRENCE_TOTALS);
export const patternWorkflowRollup = rollupTable(PATTERN_WORKFLOWS);
export const similarityScaleRollup = rollupTable(SIMILARITY_SCALES);
export const savingsRollupHourly = rollupTable(SAVINGS_HOURLY);
export const savingsRollupDaily = rollupTable(SAVINGS_DAILY);
export const savingsTypeRollupHourly = rollupTable(SAVINGS_TYPE_HOURLY);
export const savingsTypeRollupDaily = rollupTable(SAVINGS_TYPE_DAILY);
export const savingsRollupTotal = rollupTable(SAVINGS_TOTALS);

/* The rollups counted again rather than added, each table beside its statements. */
export { characteristicRollupHourly } from './rollups/characteristics';
export { dataQualityDefect } from './rollups/defects';
export { workflowRollup } from './rollups/workflows';

/**
 * An agents' table was truncated: its rollups count for nothing until the next fold empties them
 * (its TRUNCATE trigger cannot list the rows it removed).
 */
export const truncation = ledger.table('truncation', {
  source: text('source').primaryKey(),
});

/**
 * The folder's one row: folds take it first (FOR UPDATE in a REPEATABLE READ transaction), so two
 * folders can never fold the same journal rows, and it says when the last fold ran or failed.
 */
export const foldState = ledger.table('fold_state', {
  id: integer('id').primaryKey(),
  foldedAt: timestamp('folded_at', { withTimezone: true }),
  folds: bigint('folds', { mode: 'number' }).notNull().default(0),
  /** When the rollups were last filled from every raw row (attaching, or a repair). */
  rebuiltAt: timestamp('rebuilt_at', { withTimezone: true }),
  changesFolded: bigint('changes_folded', { mode: 'number' }).notNull().default(0),
  /**
   * The fingerprint of the declared rollups the last fill counted (db/rollups/define.ts): a
   * release that declares another figure is filled again when it attaches.
   */
  rollupsDeclared: text('rollups_declared'),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
});

/*
 * Alerts (docs/alerts.md). A rule watches a metric over a rolling window; every change of its
 * state is an alert_event, and every message to a channel is an alert_delivery row written in the
 * same transaction as the change (the outbox), so a process that dies between evaluating and
 * sending neither loses nor doubles it.
 */
export const alertChannel = ledger.table(
  'alert_channel',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    /** webhook or email. */
    kind: text('kind').notNull(),
    /** The webhook URL, or the email addresses (comma-separated). */
    target: text('target').notNull(),
    /** webhook: json (signed) or slack. */
    format: text('format').notNull().default('json'),
    /** The webhook's HMAC key; stored, never shown again. */
    secret: text('secret'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('alert_channel_kind_check', sql`${t.kind} IN ('webhook', 'email')`),
    check('alert_channel_format_check', sql`${t.format} IN ('json', 'slack')`),
  ],
);

export const alertRule = ledger.table(
  'alert_rule',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    metric: text('metric').notNull(),
    /** all, pattern_type, pattern or optimization_type; the value names the type or pattern id. */
    scopeKind: text('scope_kind').notNull().default('all'),
    scopeValue: text('scope_value'),
    /** The data-quality check a `quality` rule counts. */
    qualityCheck: text('quality_check'),
    windowMinutes: integer('window_minutes').notNull(),
    /** value: the metric itself; change: percent against the previous window. */
    compare: text('compare').notNull().default('value'),
    /** above or below the thresholds. */
    direction: text('direction').notNull(),
    warningThreshold: doublePrecision('warning_threshold'),
    criticalThreshold: doublePrecision('critical_threshold'),
    everyMinutes: integer('every_minutes').notNull().default(1),
    muted: boolean('muted').notNull().default(false),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    /** ok, warning or critical. */
    state: text('state').notNull().default('ok'),
    /** The state the channels were last told of: a change from it is sent once. */
    notifiedState: text('notified_state').notNull().default('ok'),
    lastValue: doublePrecision('last_value'),
    lastEvaluatedAt: timestamp('last_evaluated_at', { withTimezone: true }),
    nextEvaluationAt: timestamp('next_evaluation_at', { withTimezone: true })
      .defaultNow()
      .notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('alert_rule_state_check', sql`${t.state} IN ('ok', 'warning', 'critical')`),
    check('alert_rule_notified_check', sql`${t.notifiedState} IN ('ok', 'warning', 'critical')`),
    index('idx_alert_rule_due').on(t.nextEvaluationAt),
  ],
);

export const alertRuleChannel = ledger.table(
  'alert_rule_channel',
  {
    ruleId: bigint('rule_id', { mode: 'number' })
      .notNull()
      .references(() => alertRule.id, { onDelete: 'cascade' }),
    channelId: bigint('channel_id', { mode: 'number' })
      .notNull()
      .references(() => alertChannel.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.channelId] })],
);

/** Every change of a rule's state: when, from what to what, the value and the threshold crossed. */
export const alertEvent = ledger.table(
  'alert_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: bigint('rule_id', { mode: 'number' })
      .notNull()
      .references(() => alertRule.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    /** False while the rule was muted or snoozed. */
    notified: boolean('notified').notNull(),
  },
  (t) => [index('idx_alert_event_rule').on(t.ruleId, t.at), index('idx_alert_event_at').on(t.at)],
);

/** Daily or weekly digests, sent at a local hour in a time zone. */
export const reportSchedule = ledger.table(
  'report_schedule',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    /** daily or weekly. */
    cadence: text('cadence').notNull(),
    /** ISO weekday of a weekly report (1 = Monday). */
    weekday: integer('weekday').notNull().default(1),
    hour: integer('hour').notNull(),
    tz: text('tz').notNull(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('report_schedule_cadence_check', sql`${t.cadence} IN ('daily', 'weekly')`),
    index('idx_report_schedule_due').on(t.nextRunAt),
  ],
);

export const reportScheduleChannel = ledger.table(
  'report_schedule_channel',
  {
    scheduleId: bigint('schedule_id', { mode: 'number' })
      .notNull()
      .references(() => reportSchedule.id, { onDelete: 'cascade' }),
    channelId: bigint('channel_id', { mode: 'number' })
      .notNull()
      .references(() => alertChannel.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.channelId] })],
);

/**
 * The outbox: one row per message to a channel, written in the transaction that decided to send
 * it. Senders claim rows with a lease (FOR UPDATE SKIP LOCKED), so each is sent by one process; a
 * failure is retried with backoff until `attempts` runs out. Its id is the message's idempotency
 * key (the webhook's X-Pattern-Ledger-Delivery header, the mail's Message-ID).
 */
export const alertDelivery = ledger.table(
  'alert_delivery',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channelId: bigint('channel_id', { mode: 'number' })
      .notNull()
      .references(() => alertChannel.id, { onDelete: 'cascade' }),
    ruleId: bigint('rule_id', { mode: 'number' }).references(() => alertRule.id, {
      onDelete: 'cascade',
    }),
    eventId: bigint('event_id', { mode: 'number' }).references(() => alertEvent.id, {
      onDelete: 'cascade',
    }),
    scheduleId: bigint('schedule_id', { mode: 'number' }).references(() => reportSchedule.id, {
      onDelete: 'cascade',
    }),
    /** alert, report or test. */
    kind: text('kind').notNull(),
    /** The message, rendered when it was decided: { subject, text, data }. */
    message: text('message').notNull(),
    /** pending, sent or failed (no attempts left). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    check('alert_delivery_status_check', sql`${t.status} IN ('pending', 'sent', 'failed')`),
    index('idx_alert_delivery_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('idx_alert_delivery_rule').on(t.ruleId, t.createdAt),
  ],
);

/**
 * A page's state saved under a name (docs/explore.md): the page and its URL parameters, stored
 * with the version of the parameter names they were saved under, so that a later rename is
 * mapped on reading (lib/saved-views.ts). Private to its owner unless shared.
 */
export const savedView = ledger.table(
  'saved_view',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    page: text('page').notNull(),
    paramsVersion: integer('params_version').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    shared: boolean('shared').notNull().default(false),
    ...authTimestamps,
  },
  (t) => [
    unique('saved_view_owner_name').on(t.ownerId, t.name),
    index('idx_saved_view_shared').on(t.shared),
  ],
);

/** The views a person pinned to the overview, in their order (at most eight). */
export const savedViewPin = ledger.table(
  'saved_view_pin',
  {
    userId: text('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    viewId: rowId('view_id')
      .notNull()
      .references(() => savedView.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.viewId] })],
);

/*
 * Capture (docs/capture.md): what the agents emit (Claude Code hooks, OpenTelemetry, the reference
 * system's hook_events and task_logs), kept as events, and what recognition rules derive from them.
 */

/**
 * One thing an agent did or reported, from any source, normalised. `event_key` makes every
 * source's replays and re-sends store it once (and the same tool use seen by two sources, where
 * they name it alike).
 */
export const captureEvent = ledger.table(
  'capture_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** hook (the endpoint), otel, hook_events or task_logs (read in place). */
    source: text('source').notNull(),
    eventKey: text('event_key').notNull(),
    sessionId: text('session_id'),
    /** The agent's own workflow id (an ADW id) when the event carries one. */
    workflowId: text('workflow_id'),
    /** PreToolUse, PostToolUse, UserPromptSubmit, … for hooks; tool_result, api_request, … for OTel. */
    eventType: text('event_type').notNull(),
    toolName: text('tool_name'),
    /** What the tool was asked: a Bash command, a file path, a search pattern, a URL. */
    operation: text('operation'),
    cwd: text('cwd'),
    success: boolean('success'),
    durationMs: doublePrecision('duration_ms'),
    model: text('model'),
    inputTokens: bigint('input_tokens', { mode: 'number' }),
    outputTokens: bigint('output_tokens', { mode: 'number' }),
    costUsd: doublePrecision('cost_usd'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).defaultNow().notNull(),
    /** The few other fields worth keeping (tool_use_id, prompt id, description), bounded. */
    details: jsonb('details').$type<Record<string, unknown>>(),
    /**
     * Through the rules yet. A flag, not an id cursor: an event whose transaction commits after a
     * later one's must not be skipped.
     */
    derived: boolean('derived').notNull().default(false),
  },
  (t) => [
    unique('capture_event_key').on(t.eventKey),
    index('idx_capture_event_pending')
      .on(t.id)
      .where(sql`NOT ${t.derived}`),
    index('idx_capture_event_time').on(t.occurredAt),
    index('idx_capture_event_session').on(t.sessionId, t.occurredAt),
    index('idx_capture_event_source').on(t.source, t.occurredAt),
  ],
);

/**
 * A recognition rule: events of `tool_name` ('*' for any) whose operation matches `match` (a
 * PostgreSQL regular expression, case-insensitive) are occurrences of the pattern `signature`, in
 * which `{scope}` stands for backend, frontend or all as the operation and its folder say.
 */
export const captureRule = ledger.table(
  'capture_rule',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    toolName: text('tool_name').notNull().default('Bash'),
    match: text('match').notNull(),
    signature: text('signature').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    version: integer('version').notNull().default(1),
    /** Shipped with Pattern Ledger (its name is kept when edited). */
    builtin: boolean('builtin').notNull().default(false),
    createdBy: text('created_by'),
    ...authTimestamps,
  },
  (t) => [unique('capture_rule_name').on(t.name)],
);

/** Every version of every rule, as it was saved. */
export const captureRuleVersion = ledger.table(
  'capture_rule_version',
  {
    ruleId: rowId('rule_id')
      .notNull()
      .references(() => captureRule.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    toolName: text('tool_name').notNull(),
    match: text('match').notNull(),
    signature: text('signature').notNull(),
    enabled: boolean('enabled').notNull(),
    savedBy: text('saved_by'),
    savedAt: timestamp('saved_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.version] })],
);

/**
 * An occurrence capture wrote into pattern_occurrences: at most one per workflow (or session) and
 * pattern, with the rule (and version) and the first event that made it. What `npm run
 * capture:remove` takes back.
 */
export const captureOccurrence = ledger.table(
  'capture_occurrence',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workflowKey: text('workflow_key').notNull(),
    signature: text('signature').notNull(),
    patternId: rowId('pattern_id'),
    occurrenceId: rowId('occurrence_id'),
    ruleId: rowId('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    eventId: rowId('event_id').notNull(),
    source: text('source').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    derivedAt: timestamp('derived_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    unique('capture_occurrence_once').on(t.workflowKey, t.signature),
    index('idx_capture_occurrence_rule').on(t.ruleId),
  ],
);

/** A pattern capture created (a new signature a rule found): removed with what it derived. */
export const capturePattern = ledger.table('capture_pattern', {
  patternId: rowId('pattern_id').primaryKey(),
  signature: text('signature').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
});

/** A savings entry capture wrote into cost_savings_log for an operation its tool ran. */
export const captureSaving = ledger.table(
  'capture_saving',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** One per tool run: its tool use id where the source names it, else the event. */
    runKey: text('run_key').notNull(),
    eventId: rowId('event_id').notNull(),
    patternId: rowId('pattern_id').notNull(),
    /** With the operation's digest and time: the same run seen by a second source is not paid twice. */
    sessionId: text('session_id'),
    operationDigest: text('operation_digest').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    savingsId: rowId('savings_id'),
    measured: boolean('measured').notNull(),
    derivedAt: timestamp('derived_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    unique('capture_saving_once').on(t.runKey),
    index('idx_capture_saving_pattern').on(t.patternId),
    index('idx_capture_saving_run').on(t.sessionId, t.operationDigest, t.occurredAt),
  ],
);

/** Prices per million tokens by model name prefix, from a date on (the longest prefix wins). */
export const modelPrice = ledger.table(
  'model_price',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `claude-sonnet-4-5` prices `claude-sonnet-4-5-20250929`; `*` prices any other model. */
    modelPrefix: text('model_prefix').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    inputUsdPerMtok: doublePrecision('input_usd_per_mtok').notNull(),
    outputUsdPerMtok: doublePrecision('output_usd_per_mtok').notNull(),
    note: text('note'),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [unique('model_price_from').on(t.modelPrefix, t.effectiveFrom)],
);

/**
 * Where capture stands: how far each table read in place has been read, whether an admin turned a
 * source off, and the last problem.
 */
export const captureState = ledger.table('capture_state', {
  id: integer('id').primaryKey(),
  hookEventsEnabled: boolean('hook_events_enabled').notNull().default(true),
  hookEventsCursor: bigint('hook_events_cursor', { mode: 'number' }).notNull().default(0),
  taskLogsEnabled: boolean('task_logs_enabled').notNull().default(true),
  taskLogsCursor: bigint('task_logs_cursor', { mode: 'number' }).notNull().default(0),
  defaultsVersion: integer('defaults_version').notNull().default(0),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
});
