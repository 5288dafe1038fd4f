/**
 * The column-type shapes the agents' databases exist in (../shared/reference/tables.md), built
 * with the agents' own SQL before Pattern Ledger ever sees them:
 *  - report: the migration-004 report's SQL exactly (SERIAL, TEXT, REAL, TEXT holding JSON);
 *  - full:   the full PostgreSQL schema (BIGSERIAL, VARCHAR(255), DOUBLE PRECISION, NUMERIC(10,4), JSONB);
 *  - live:   a real instance: operation_patterns in the full shape beside the report's occurrences
 *            and savings (integer pattern ids pointing at bigint ones), UNIQUE (pattern_id,
 *            workflow_id), the real tool_calls (no called_at), a minimal workflow_history and the
 *            real system's own review tables;
 *  - zoned:  TIMESTAMPTZ times, NUMERIC similarity, DOUBLE PRECISION money, JSON characteristics.
 */
export type ShapeName = 'report' | 'full' | 'live' | 'zoned';

type Types = {
  id: string;
  patternRef: string;
  workflow: string;
  similarity: string;
  characteristics: string;
  time: string;
  money: string;
};

const TYPES: Record<Exclude<ShapeName, 'live'>, Types> = {
  report: {
    id: 'SERIAL',
    patternRef: 'INTEGER',
    workflow: 'TEXT',
    similarity: 'REAL',
    characteristics: 'TEXT',
    time: 'TIMESTAMP',
    money: 'REAL',
  },
  full: {
    id: 'BIGSERIAL',
    patternRef: 'BIGINT',
    workflow: 'VARCHAR(255)',
    similarity: 'DOUBLE PRECISION',
    characteristics: 'JSONB',
    time: 'TIMESTAMP WITHOUT TIME ZONE',
    money: 'NUMERIC(10,4)',
  },
  zoned: {
    id: 'BIGSERIAL',
    patternRef: 'BIGINT',
    workflow: 'TEXT',
    similarity: 'NUMERIC',
    characteristics: 'JSON',
    time: 'TIMESTAMPTZ',
    money: 'DOUBLE PRECISION',
  },
};

const fullPatterns = `CREATE TABLE operation_patterns (
    id BIGSERIAL PRIMARY KEY,
    pattern_signature VARCHAR(255) UNIQUE NOT NULL,
    pattern_type VARCHAR(100) NOT NULL,
    first_detected TIMESTAMP DEFAULT NOW(),
    last_seen TIMESTAMP DEFAULT NOW(),
    occurrence_count INTEGER DEFAULT 1,
    typical_input_pattern TEXT,
    typical_operations JSONB,
    typical_files_accessed JSONB,
    avg_tokens_with_llm INTEGER DEFAULT 0,
    avg_tokens_with_tool INTEGER DEFAULT 0,
    avg_cost_with_llm NUMERIC(10,4) DEFAULT 0,
    avg_cost_with_tool NUMERIC(10,4) DEFAULT 0,
    potential_monthly_savings NUMERIC(10,4) DEFAULT 0,
    automation_status VARCHAR(50) DEFAULT 'detected',
    confidence_score DOUBLE PRECISION DEFAULT 0,
    tool_name VARCHAR(255),
    tool_script_path TEXT,
    reviewed_by VARCHAR(255),
    reviewed_at TIMESTAMP,
    review_notes TEXT,
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    prediction_accuracy REAL
  )`;

function trackingTables(t: Types, patterns: string): string[] {
  return [
    patterns,
    `CREATE TABLE pattern_occurrences (
      id ${t.id} PRIMARY KEY,
      pattern_id ${t.patternRef} NOT NULL,
      workflow_id ${t.workflow} NOT NULL,
      similarity_score ${t.similarity} DEFAULT 0.0,
      matched_characteristics ${t.characteristics},
      detected_at ${t.time} DEFAULT NOW(),
      FOREIGN KEY (pattern_id) REFERENCES operation_patterns(id)
    )`,
    `CREATE INDEX idx_pattern_occurrences_pattern ON pattern_occurrences(pattern_id)`,
    `CREATE INDEX idx_pattern_occurrences_workflow ON pattern_occurrences(workflow_id)`,
    `CREATE INDEX idx_pattern_occurrences_detected ON pattern_occurrences(detected_at)`,
    `CREATE TABLE cost_savings_log (
      id ${t.id} PRIMARY KEY,
      optimization_type TEXT NOT NULL CHECK (
        optimization_type IN ('tool_call', 'input_split', 'pattern_offload', 'inverted_flow')),
      workflow_id ${t.workflow} NOT NULL,
      tool_call_id ${t.workflow},
      pattern_id ${t.patternRef},
      baseline_tokens INTEGER DEFAULT 0,
      actual_tokens INTEGER DEFAULT 0,
      tokens_saved INTEGER DEFAULT 0,
      cost_saved_usd ${t.money} DEFAULT 0.0,
      saved_at ${t.time} DEFAULT NOW(),
      notes TEXT,
      FOREIGN KEY (pattern_id) REFERENCES operation_patterns(id)
    )`,
    `CREATE INDEX idx_cost_savings_type ON cost_savings_log(optimization_type)`,
    `CREATE INDEX idx_cost_savings_workflow ON cost_savings_log(workflow_id)`,
    `CREATE INDEX idx_cost_savings_saved_at ON cost_savings_log(saved_at)`,
  ];
}

const fullHistory = `CREATE TABLE workflow_history (
    id BIGSERIAL PRIMARY KEY,
    adw_id VARCHAR(255) UNIQUE NOT NULL,
    workflow_id VARCHAR(255),
    issue_number INTEGER,
    nl_input TEXT,
    github_url TEXT,
    workflow_template VARCHAR(255),
    model_used VARCHAR(255),
    status VARCHAR(50) DEFAULT 'pending',
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    duration_seconds INTEGER,
    input_tokens INTEGER DEFAULT 0,
    output_tokens INTEGER DEFAULT 0,
    cached_tokens INTEGER DEFAULT 0,
    total_tokens INTEGER DEFAULT 0,
    estimated_cost_total NUMERIC(10,4),
    actual_cost_total NUMERIC(10,4),
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW()
  )`;

const fullToolCalls = (t: Types) => `CREATE TABLE tool_calls (
    id ${t.id} PRIMARY KEY,
    tool_call_id ${t.workflow} UNIQUE NOT NULL,
    workflow_id ${t.workflow} NOT NULL,
    tool_name VARCHAR(255) NOT NULL,
    tool_params JSONB,
    called_at ${t.time} DEFAULT NOW(),
    completed_at ${t.time},
    duration_seconds REAL,
    success BOOLEAN DEFAULT false,
    result_data JSONB,
    error_message TEXT,
    tokens_saved INTEGER DEFAULT 0,
    cost_saved_usd ${t.money} DEFAULT 0,
    created_at TIMESTAMP DEFAULT NOW()
  )`;

/** The real instance's tables as its own migrations (004, 015) leave them. */
const LIVE: string[] = [
  fullPatterns,
  ...trackingTables(TYPES.report, '').slice(1),
  `CREATE UNIQUE INDEX idx_pattern_occurrences_unique ON pattern_occurrences(pattern_id, workflow_id)`,
  `CREATE TABLE tool_calls (
    id SERIAL PRIMARY KEY,
    tool_call_id TEXT UNIQUE NOT NULL,
    workflow_id TEXT,
    tool_name TEXT,
    tool_params TEXT,
    success INTEGER,
    result_data TEXT,
    duration_seconds REAL,
    completed_at TEXT
  )`,
  // A minimal workflow_history: no workflow_id, github_url or cost columns.
  `CREATE TABLE workflow_history (
    id SERIAL PRIMARY KEY,
    adw_id VARCHAR(255) UNIQUE NOT NULL,
    status VARCHAR(50) DEFAULT 'pending',
    start_time TIMESTAMP
  )`,
  `CREATE TABLE pattern_approvals (
    id SERIAL PRIMARY KEY,
    pattern_id TEXT UNIQUE NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    reviewed_by TEXT,
    reviewed_at TIMESTAMP,
    approval_notes TEXT,
    confidence_score REAL
  )`,
  `CREATE TABLE pattern_review_history (
    id SERIAL PRIMARY KEY,
    pattern_id TEXT NOT NULL REFERENCES pattern_approvals(pattern_id),
    action TEXT NOT NULL CHECK (action IN ('approved', 'rejected', 'flagged', 'commented')),
    reviewer TEXT NOT NULL,
    notes TEXT,
    created_at TIMESTAMP DEFAULT NOW()
  )`,
];

export function shapeStatements(shape: ShapeName): string[] {
  if (shape === 'live') return LIVE;
  const t = TYPES[shape];
  const patterns =
    shape === 'report'
      ? `CREATE TABLE operation_patterns (
          id SERIAL PRIMARY KEY,
          pattern_signature TEXT UNIQUE NOT NULL,
          pattern_type TEXT NOT NULL,
          first_detected TIMESTAMP DEFAULT NOW(),
          last_seen TIMESTAMP DEFAULT NOW(),
          occurrence_count INTEGER DEFAULT 1,
          typical_input_pattern TEXT,
          typical_operations TEXT,
          typical_files_accessed TEXT,
          avg_tokens_with_llm INTEGER DEFAULT 0,
          avg_tokens_with_tool INTEGER DEFAULT 0,
          avg_cost_with_llm REAL DEFAULT 0,
          avg_cost_with_tool REAL DEFAULT 0,
          potential_monthly_savings REAL DEFAULT 0,
          automation_status TEXT DEFAULT 'detected',
          confidence_score REAL DEFAULT 0,
          tool_name TEXT,
          tool_script_path TEXT,
          reviewed_by TEXT,
          reviewed_at TIMESTAMP,
          review_notes TEXT,
          created_at TIMESTAMP DEFAULT NOW(),
          updated_at TIMESTAMP DEFAULT NOW()
        )`
      : fullPatterns;
  return [...trackingTables(t, patterns), fullHistory, fullToolCalls(t)];
}

/** Whether the shape's matched_characteristics column accepts text that is not JSON. */
export const takesInvalidJson = (shape: ShapeName) => shape === 'report' || shape === 'live';
/** Whether the shape has `UNIQUE (pattern_id, workflow_id)` on occurrences. */
export const uniquePairs = (shape: ShapeName) => shape === 'live';
