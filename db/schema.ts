/**
 * The database contract.
 *
 * `pattern_occurrences` and `cost_savings_log` follow the migration-004 report column for column
 * (SERIAL, INTEGER, TEXT, REAL, TIMESTAMP without time zone, its defaults, NOT NULLs, CHECK,
 * foreign keys and the six index names). `operation_patterns`, `workflow_history` and `tool_calls`
 * carry the real system's columns that the dashboard reads. Workflow ids and tool call ids are
 * deliberately NOT foreign keys, as in the report: real databases hold orphan ids.
 *
 * Constraint names are PostgreSQL's own defaults (`<table>_<column>_fkey`, `_check`, `_key`) so
 * that a database built from the report's SQL already has them and the first migration can skip them.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  unique,
  varchar,
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

export const WORKFLOW_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;

const createdAt = () => timestamp('created_at').defaultNow();
const updatedAt = () => timestamp('updated_at').defaultNow();

export const operationPatterns = pgTable(
  'operation_patterns',
  {
    id: serial('id').primaryKey(),
    patternSignature: text('pattern_signature').notNull(),
    patternType: text('pattern_type').notNull(),
    firstDetected: timestamp('first_detected').defaultNow(),
    lastSeen: timestamp('last_seen').defaultNow(),
    occurrenceCount: integer('occurrence_count').default(1),
    typicalInputPattern: text('typical_input_pattern'),
    typicalOperations: text('typical_operations'),
    typicalFilesAccessed: text('typical_files_accessed'),
    avgTokensWithLlm: integer('avg_tokens_with_llm').default(0),
    avgTokensWithTool: integer('avg_tokens_with_tool').default(0),
    avgCostWithLlm: real('avg_cost_with_llm').default(0),
    avgCostWithTool: real('avg_cost_with_tool').default(0),
    potentialMonthlySavings: real('potential_monthly_savings').default(0),
    automationStatus: text('automation_status').default('detected'),
    confidenceScore: real('confidence_score').default(0),
    toolName: text('tool_name'),
    toolScriptPath: text('tool_script_path'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at'),
    reviewNotes: text('review_notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('operation_patterns_pattern_signature_key').on(t.patternSignature),
    check(
      'operation_patterns_automation_status_check',
      sql`${t.automationStatus} IN ('detected', 'candidate', 'approved', 'implemented', 'active', 'deprecated')`,
    ),
    index('idx_operation_patterns_type').on(t.patternType),
    index('idx_operation_patterns_status').on(t.automationStatus),
    index('idx_operation_patterns_confidence').on(t.confidenceScore),
    index('idx_operation_patterns_occurrence_count').on(t.occurrenceCount),
  ],
);

export const patternOccurrences = pgTable(
  'pattern_occurrences',
  {
    id: serial('id').primaryKey(),
    patternId: integer('pattern_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    similarityScore: real('similarity_score').default(0.0),
    /** JSON as text; real databases hold invalid JSON here. */
    matchedCharacteristics: text('matched_characteristics'),
    detectedAt: timestamp('detected_at').defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'pattern_occurrences_pattern_id_fkey',
      columns: [t.patternId],
      foreignColumns: [operationPatterns.id],
    }),
    index('idx_pattern_occurrences_pattern').on(t.patternId),
    index('idx_pattern_occurrences_workflow').on(t.workflowId),
    index('idx_pattern_occurrences_detected').on(t.detectedAt),
    // Pattern Ledger's own: a pattern's occurrences in time order (last seen, per-pattern ranges).
    index('idx_pattern_occurrences_pattern_detected').on(t.patternId, t.detectedAt),
  ],
);

export const costSavingsLog = pgTable(
  'cost_savings_log',
  {
    id: serial('id').primaryKey(),
    optimizationType: text('optimization_type').notNull(),
    workflowId: text('workflow_id').notNull(),
    toolCallId: text('tool_call_id'),
    patternId: integer('pattern_id'),
    baselineTokens: integer('baseline_tokens').default(0),
    actualTokens: integer('actual_tokens').default(0),
    tokensSaved: integer('tokens_saved').default(0),
    costSavedUsd: real('cost_saved_usd').default(0.0),
    savedAt: timestamp('saved_at').defaultNow(),
    notes: text('notes'),
  },
  (t) => [
    check(
      'cost_savings_log_optimization_type_check',
      sql`${t.optimizationType} IN ('tool_call', 'input_split', 'pattern_offload', 'inverted_flow')`,
    ),
    foreignKey({
      name: 'cost_savings_log_pattern_id_fkey',
      columns: [t.patternId],
      foreignColumns: [operationPatterns.id],
    }),
    index('idx_cost_savings_type').on(t.optimizationType),
    index('idx_cost_savings_workflow').on(t.workflowId),
    index('idx_cost_savings_saved_at').on(t.savedAt),
  ],
);

export const workflowHistory = pgTable(
  'workflow_history',
  {
    id: serial('id').primaryKey(),
    adwId: varchar('adw_id', { length: 255 }).notNull(),
    /** The `wf-<32 hex>` form some databases carry; not unique. */
    workflowId: varchar('workflow_id', { length: 255 }),
    issueNumber: integer('issue_number'),
    nlInput: text('nl_input'),
    githubUrl: text('github_url'),
    workflowTemplate: text('workflow_template'),
    modelUsed: text('model_used'),
    status: text('status').default('pending'),
    startTime: timestamp('start_time'),
    endTime: timestamp('end_time'),
    durationSeconds: integer('duration_seconds'),
    inputTokens: integer('input_tokens').default(0),
    outputTokens: integer('output_tokens').default(0),
    cachedTokens: integer('cached_tokens').default(0),
    totalTokens: integer('total_tokens').default(0),
    estimatedCostTotal: numeric('estimated_cost_total', { precision: 10, scale: 4 }),
    actualCostTotal: numeric('actual_cost_total', { precision: 10, scale: 4 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('workflow_history_adw_id_key').on(t.adwId),
    check(
      'workflow_history_status_check',
      sql`${t.status} IN ('pending', 'running', 'completed', 'failed')`,
    ),
    index('idx_workflow_history_workflow_id').on(t.workflowId),
    index('idx_workflow_history_start_time').on(t.startTime),
  ],
);

export const toolCalls = pgTable(
  'tool_calls',
  {
    id: serial('id').primaryKey(),
    toolCallId: text('tool_call_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    toolName: text('tool_name').notNull(),
    toolParams: text('tool_params'),
    calledAt: timestamp('called_at').defaultNow(),
    completedAt: timestamp('completed_at'),
    durationSeconds: real('duration_seconds'),
    success: boolean('success').default(false),
    resultData: text('result_data'),
    errorMessage: text('error_message'),
    tokensSaved: integer('tokens_saved').default(0),
    costSavedUsd: real('cost_saved_usd').default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique('tool_calls_tool_call_id_key').on(t.toolCallId),
    index('idx_tool_calls_workflow').on(t.workflowId),
    index('idx_tool_calls_tool_name').on(t.toolName),
    index('idx_tool_calls_called_at').on(t.calledAt),
    index('idx_tool_calls_success').on(t.success),
  ],
);

/**
 * Every change to a savings entry's note: Pattern Ledger's own table (not part of the report), so
 * no edit is ever lost. No foreign key to cost_savings_log: the writing system may delete entries,
 * and their history should not block it.
 */
export const costSavingsNoteHistory = pgTable(
  'cost_savings_note_history',
  {
    id: serial('id').primaryKey(),
    savingsId: integer('savings_id').notNull(),
    previousNotes: text('previous_notes'),
    newNotes: text('new_notes'),
    changedAt: timestamp('changed_at').defaultNow().notNull(),
    /** Who made the change, once sign-in exists; null before. */
    changedBy: text('changed_by'),
  },
  (t) => [index('idx_cost_savings_note_history_savings').on(t.savingsId, t.changedAt)],
);

/*
 * Sign-in (better-auth with its admin plugin): Pattern Ledger's own tables, prefixed so they never
 * collide with tables of the system whose database Pattern Ledger reads.
 */
const authTimestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow().notNull(),
};

export const authUsers = pgTable('auth_user', {
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

export const authSessions = pgTable(
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

export const authAccounts = pgTable(
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

export const authVerifications = pgTable('auth_verification', {
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

export const apiKeys = pgTable(
  'api_key',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** The key's first characters, to tell keys apart in lists and logs; not a secret. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    /** read: the GET endpoints; write: also the ingestion endpoints. */
    scope: text('scope').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
  },
  (t) => [check('api_key_scope_check', sql`${t.scope} IN ('read', 'write')`)],
);

/** What a batch sent with an Idempotency-Key answered, so that a retry gets the same answer. */
export const apiIdempotencyKeys = pgTable(
  'api_idempotency_key',
  {
    apiKeyId: integer('api_key_id')
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

/**
 * Every review of a pattern: who, when, what it did to automation_status, and the note. Pattern
 * Ledger's own table; no foreign key, so that the writing system may delete patterns freely.
 */

export const patternReviewHistory = pgTable(
  'pattern_review_history',
  {
    id: serial('id').primaryKey(),
    patternId: integer('pattern_id').notNull(),
    action: text('action').notNull(),
    previousStatus: text('previous_status'),
    newStatus: text('new_status'),
    note: text('note'),
    reviewedBy: text('reviewed_by').notNull(),
    reviewedAt: timestamp('reviewed_at').notNull(),
  },
  (t) => [index('idx_pattern_review_history_pattern').on(t.patternId, t.reviewedAt)],
);

/*
 * Rollups: pre-aggregated occurrences and savings, kept exact by the triggers of migration 0006
 * (so rows that other programs write straight into the tables are counted too). Buckets are UTC
 * hours and UTC days; a range is read as whole days, then whole hours, then raw rows for the
 * sub-hour edges (db/queries/rollup.ts), which keeps every zone exact, +05:30 included.
 * Similarities are stored as 0–1 ratios (a value above 1 is read as a percentage).
 */
const occurrenceRollupColumns = {
  patternId: integer('pattern_id').notNull(),
  bucket: timestamp('bucket').notNull(),
  occurrences: integer('occurrences').notNull(),
  /** Occurrences with a similarity. */
  scored: integer('scored').notNull(),
  similaritySum: doublePrecision('similarity_sum').notNull(),
  similarityMin: doublePrecision('similarity_min'),
};

export const occurrenceRollupHourly = pgTable(
  'occurrence_rollup_hourly',
  occurrenceRollupColumns,
  (t) => [
    primaryKey({ columns: [t.patternId, t.bucket] }),
    index('idx_occurrence_rollup_hourly_bucket').on(t.bucket),
  ],
);

export const occurrenceRollupDaily = pgTable(
  'occurrence_rollup_daily',
  occurrenceRollupColumns,
  (t) => [
    primaryKey({ columns: [t.patternId, t.bucket] }),
    index('idx_occurrence_rollup_daily_bucket').on(t.bucket),
  ],
);

const { patternId: _occurrencePatternId, ...occurrenceAllRollupColumns } = occurrenceRollupColumns;

/** The same figures over every pattern, for charts and totals of the whole system. */
export const occurrenceAllRollupHourly = pgTable(
  'occurrence_all_rollup_hourly',
  occurrenceAllRollupColumns,
  (t) => [primaryKey({ columns: [t.bucket] })],
);

export const occurrenceAllRollupDaily = pgTable(
  'occurrence_all_rollup_daily',
  occurrenceAllRollupColumns,
  (t) => [primaryKey({ columns: [t.bucket] })],
);

/** All time per pattern, undated occurrences included. */
export const occurrenceRollupTotal = pgTable('occurrence_rollup_total', {
  patternId: integer('pattern_id').primaryKey(),
  occurrences: integer('occurrences').notNull(),
  undated: integer('undated').notNull(),
  scored: integer('scored').notNull(),
  similaritySum: doublePrecision('similarity_sum').notNull(),
  similarityMin: doublePrecision('similarity_min'),
  /** Distinct workflows (rows of pattern_workflow_rollup). */
  workflows: integer('workflows').notNull(),
});

/** Occurrences per (pattern, workflow), all time: distinct workflows and duplicate matches. */
export const patternWorkflowRollup = pgTable(
  'pattern_workflow_rollup',
  {
    patternId: integer('pattern_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    occurrences: integer('occurrences').notNull(),
  },
  (t) => [primaryKey({ columns: [t.patternId, t.workflowId] })],
);

const savingsRollupColumns = {
  bucket: timestamp('bucket').notNull(),
  optimizationType: text('optimization_type').notNull(),
  /** Null for savings that name no pattern. */
  patternId: integer('pattern_id'),
  entries: integer('entries').notNull(),
  tokensSaved: bigint('tokens_saved', { mode: 'number' }).notNull(),
  costSavedUsd: doublePrecision('cost_saved_usd').notNull(),
  baselineTokens: bigint('baseline_tokens', { mode: 'number' }).notNull(),
  actualTokens: bigint('actual_tokens', { mode: 'number' }).notNull(),
};

export const savingsRollupHourly = pgTable('savings_rollup_hourly', savingsRollupColumns, (t) => [
  unique('savings_rollup_hourly_key')
    .on(t.bucket, t.optimizationType, t.patternId)
    .nullsNotDistinct(),
  index('idx_savings_rollup_hourly_bucket').on(t.bucket),
  index('idx_savings_rollup_hourly_pattern').on(t.patternId, t.bucket),
]);

export const savingsRollupDaily = pgTable('savings_rollup_daily', savingsRollupColumns, (t) => [
  unique('savings_rollup_daily_key')
    .on(t.bucket, t.optimizationType, t.patternId)
    .nullsNotDistinct(),
  index('idx_savings_rollup_daily_bucket').on(t.bucket),
  index('idx_savings_rollup_daily_pattern').on(t.patternId, t.bucket),
]);

const { patternId: _patternId, ...savingsTypeRollupColumns } = savingsRollupColumns;

/** The same figures per type alone, for charts and totals over every pattern. */
export const savingsTypeRollupHourly = pgTable(
  'savings_type_rollup_hourly',
  savingsTypeRollupColumns,
  (t) => [primaryKey({ columns: [t.bucket, t.optimizationType] })],
);

export const savingsTypeRollupDaily = pgTable(
  'savings_type_rollup_daily',
  savingsTypeRollupColumns,
  (t) => [primaryKey({ columns: [t.bucket, t.optimizationType] })],
);

/** All time per (pattern, type), undated entries included. */
export const savingsRollupTotal = pgTable(
  'savings_rollup_total',
  {
    optimizationType: text('optimization_type').notNull(),
    patternId: integer('pattern_id'),
    entries: integer('entries').notNull(),
    undated: integer('undated').notNull(),
    tokensSaved: bigint('tokens_saved', { mode: 'number' }).notNull(),
    costSavedUsd: doublePrecision('cost_saved_usd').notNull(),
    baselineTokens: bigint('baseline_tokens', { mode: 'number' }).notNull(),
    actualTokens: bigint('actual_tokens', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('savings_rollup_total_key').on(t.optimizationType, t.patternId).nullsNotDistinct(),
  ],
);

/**
 * Per workflow id, all time: its occurrences (distinct patterns, first and last detection) and its
 * savings. A range reads the workflows wholly inside it from here and the others from raw rows.
 */
export const workflowRollup = pgTable(
  'workflow_rollup',
  {
    workflowId: text('workflow_id').primaryKey(),
    occurrences: integer('occurrences').notNull(),
    patterns: integer('patterns').notNull(),
    firstDetected: timestamp('first_detected'),
    lastDetected: timestamp('last_detected'),
    entries: integer('entries').notNull(),
    tokensSaved: bigint('tokens_saved', { mode: 'number' }).notNull(),
    costSavedUsd: doublePrecision('cost_saved_usd').notNull(),
    firstSaved: timestamp('first_saved'),
    lastSaved: timestamp('last_saved'),
    /** Occurrences and entries without a time. */
    undated: integer('undated').notNull(),
    firstAt: timestamp('first_at').generatedAlwaysAs(sql`least(first_detected, first_saved)`),
    lastAt: timestamp('last_at').generatedAlwaysAs(sql`greatest(last_detected, last_saved)`),
    /** workflow_history has a row for it (by adw_id or workflow_id); kept by migration 0008. */
    hasHistory: boolean('has_history').notNull().default(false),
  },
  (t) => [index('idx_workflow_rollup_last_at').on(t.lastAt)],
);

/**
 * Rows of the tracking tables that fail a row-local data-quality check (invalid JSON, tokens that
 * disagree, implausible values), kept by the same triggers as the rollups, so the checks read a
 * list of defects instead of every row.
 */
export const dataQualityDefect = pgTable(
  'data_quality_defect',
  {
    checkId: text('check_id').notNull(),
    rowId: integer('row_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkId, t.rowId] })],
);

/**
 * Per pattern, how many similarity scores look like ratios (in (0, 1]) and how many like
 * percentages (above 1): the data-quality scale reading, kept by triggers (counts add and
 * subtract exactly, so no recount is needed).
 */
export const similarityScaleRollup = pgTable('similarity_scale_rollup', {
  patternId: integer('pattern_id').primaryKey(),
  ratioRows: integer('ratio_rows').notNull(),
  percentRows: integer('percent_rows').notNull(),
});
