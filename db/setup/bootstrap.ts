/**
 * The tracking tables for a database that has none yet (the embedded demo, a fresh PostgreSQL
 * database to try Pattern Ledger on): the migration-004 report's SQL, with operation_patterns,
 * workflow_history and tool_calls as the real system shapes them (db/tracking-schema.ts). On a
 * database where the agents' tables exist, nothing here runs.
 */
import type { TrackingCatalog, TrackingTable } from '../catalog';

const TABLES: Partial<Record<TrackingTable, string>> = {
  operation_patterns: `CREATE TABLE public.operation_patterns (
    id SERIAL PRIMARY KEY,
    pattern_signature TEXT NOT NULL CONSTRAINT operation_patterns_pattern_signature_key UNIQUE,
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
    automation_status TEXT DEFAULT 'detected' CONSTRAINT operation_patterns_automation_status_check
      CHECK (automation_status IN ('detected', 'candidate', 'approved', 'implemented', 'active', 'deprecated')),
    confidence_score REAL DEFAULT 0,
    tool_name TEXT,
    tool_script_path TEXT,
    reviewed_by TEXT,
    reviewed_at TIMESTAMP,
    review_notes TEXT,
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW()
  );
  CREATE INDEX idx_operation_patterns_type ON public.operation_patterns (pattern_type);
  CREATE INDEX idx_operation_patterns_status ON public.operation_patterns (automation_status);
  CREATE INDEX idx_operation_patterns_confidence ON public.operation_patterns (confidence_score);
  CREATE INDEX idx_operation_patterns_occurrence_count ON public.operation_patterns (occurrence_count)`,
  pattern_occurrences: `CREATE TABLE public.pattern_occurrences (
    id SERIAL PRIMARY KEY,
    pattern_id INTEGER NOT NULL,
    workflow_id TEXT NOT NULL,
    similarity_score REAL DEFAULT 0.0,
    matched_characteristics TEXT,
    detected_at TIMESTAMP DEFAULT NOW(),
    FOREIGN KEY (pattern_id) REFERENCES public.operation_patterns(id)
  );
  CREATE INDEX idx_pattern_occurrences_pattern ON public.pattern_occurrences (pattern_id);
  CREATE INDEX idx_pattern_occurrences_workflow ON public.pattern_occurrences (workflow_id);
  CREATE INDEX idx_pattern_occurrences_detected ON public.pattern_occurrences (detected_at)`,
  cost_savings_log: `CREATE TABLE public.cost_savings_log (
    id SERIAL PRIMARY KEY,
    optimization_type TEXT NOT NULL CHECK (
      optimization_type IN ('tool_call', 'input_split', 'pattern_offload', 'inverted_flow')),
    workflow_id TEXT NOT NULL,
    tool_call_id TEXT,
    pattern_id INTEGER,
    baseline_tokens INTEGER DEFAULT 0,
    actual_tokens INTEGER DEFAULT 0,
    tokens_saved INTEGER DEFAULT 0,
    cost_saved_usd REAL DEFAULT 0.0,
    saved_at TIMESTAMP DEFAULT NOW(),
    notes TEXT,
    FOREIGN KEY (pattern_id) REFERENCES public.operation_patterns(id)
  );
  CREATE INDEX idx_cost_savings_type ON public.cost_savings_log (optimization_type);
  CREATE INDEX idx_cost_savings_workflow ON public.cost_savings_log (workflow_id);
  CREATE INDEX idx_cost_savings_saved_at ON public.cost_savings_log (saved_at)`,
  workflow_history: `CREATE TABLE public.workflow_history (
    id SERIAL PRIMARY KEY,
    adw_id VARCHAR(255) NOT NULL CONSTRAINT workflow_history_adw_id_key UNIQUE,
    workflow_id VARCHAR(255),
    issue_number INTEGER,
    nl_input TEXT,
    github_url TEXT,
    workflow_template TEXT,
    model_used TEXT,
    status TEXT DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    duration_seconds INTEGER,
    input_tokens INTEGER DEFAULT 0,
    output_tokens INTEGER DEFAULT 0,
    cached_tokens INTEGER DEFAULT 0,
    total_tokens INTEGER DEFAULT 0,
    estimated_cost_total NUMERIC(10, 4),
    actual_cost_total NUMERIC(10, 4),
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW()
  );
  CREATE INDEX idx_workflow_history_workflow_id ON public.workflow_history (workflow_id);
  CREATE INDEX idx_workflow_history_start_time ON public.workflow_history (start_time)`,
  tool_calls: `CREATE TABLE public.tool_calls (
    id SERIAL PRIMARY KEY,
    tool_call_id TEXT NOT NULL CONSTRAINT tool_calls_tool_call_id_key UNIQUE,
    workflow_id TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    tool_params TEXT,
    called_at TIMESTAMP DEFAULT NOW(),
    completed_at TIMESTAMP,
    duration_seconds REAL,
    success BOOLEAN DEFAULT false,
    result_data TEXT,
    error_message TEXT,
    tokens_saved INTEGER DEFAULT 0,
    cost_saved_usd REAL DEFAULT 0,
    created_at TIMESTAMP DEFAULT NOW()
  );
  CREATE INDEX idx_tool_calls_workflow ON public.tool_calls (workflow_id);
  CREATE INDEX idx_tool_calls_tool_name ON public.tool_calls (tool_name);
  CREATE INDEX idx_tool_calls_called_at ON public.tool_calls (called_at);
  CREATE INDEX idx_tool_calls_success ON public.tool_calls (success)`,
};

/** The three tables every page needs: created together on a database that has none of them. */
export const CORE_TABLES: TrackingTable[] = [
  'operation_patterns',
  'pattern_occurrences',
  'cost_savings_log',
];
/** Created only for the demo data (db:seed), where absent: pages read them when they exist. */
export const DEMO_TABLES: TrackingTable[] = ['workflow_history', 'tool_calls'];

/**
 * The statements that create `tables` where none of the core tables exists; none where the
 * agents' tables are there (their database, their tables, never touched).
 */
export function bootstrapStatements(
  catalog: TrackingCatalog,
  tables: TrackingTable[],
): { table: TrackingTable; statements: string[] }[] {
  const fresh = CORE_TABLES.every((table) => catalog[table] === undefined);
  return tables
    .filter((table) => catalog[table] === undefined)
    .filter((table) => fresh || DEMO_TABLES.includes(table))
    .map((table) => ({ table, statements: TABLES[table]!.split(/;\s*\n/) }));
}
