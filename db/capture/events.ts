import { sql } from 'drizzle-orm';
import type { CapturedEvent } from '@/lib/capture/event';
import type { Database } from '../types';
import { queryRows } from '../sql';

/**
 * Stores captured events in one statement (as one JSON document read with json_to_recordset).
 * An event whose key is stored already is skipped: a replay, a re-sent spool or a second source
 * of the same tool use. Answers how many were new.
 */
export async function insertCaptureEvents(db: Database, events: CapturedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH stored AS (
        INSERT INTO pattern_ledger.capture_event (source, event_key, session_id, workflow_id, event_type,
          tool_name, operation, cwd, success, duration_ms, model, input_tokens, output_tokens, cost_usd,
          occurred_at, details)
        SELECT "source", "eventKey", "sessionId", "workflowId", "eventType", "toolName", operation, cwd,
          success, "durationMs", model, "inputTokens", "outputTokens", "costUsd", "occurredAt", details
        FROM json_to_recordset(${JSON.stringify(events)}::json) AS e("source" text, "eventKey" text,
          "sessionId" text, "workflowId" text, "eventType" text, "toolName" text, operation text, cwd text,
          success boolean, "durationMs" float8, model text, "inputTokens" bigint, "outputTokens" bigint,
          "costUsd" float8, "occurredAt" timestamptz, details jsonb)
        ON CONFLICT (event_key) DO NOTHING
        RETURNING 1)
      SELECT count(*)::int AS n FROM stored`,
  );
  return rows[0]?.n ?? 0;
}
