/**
 * The agents' tracking tables, as the migration-004 report and the real system shape them. They
 * belong to the agents: Pattern Ledger never creates, alters or migrates them on a team's database
 * (drizzle-kit reads only db/schema.ts). These definitions type the demo generator's rows, and the
 * demo (an empty database) is created from them by db/attach/bootstrap.ts.
 *
 * `pattern_occurrences` and `cost_savings_log` follow the report column for column (SERIAL,
 * INTEGER, TEXT, REAL, TIMESTAMP without time zone, its defaults, NOT NULLs, CHECK, foreign keys
 * and the six index names). Workflow ids and tool call ids are deliberately NOT foreign keys, as in
 * the report: real databases hold orphan ids. Other databases hold other column types (BIGINT,
 * VARCHAR, DOUBLE PRECISION, NUMERIC, JSONB): every query casts what it reads.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  unique,
  varchar,
} from 'drizzle-orm/pg-core';

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
