/**
 * A captured event, normalised from whichever source saw it (lib/capture/hooks.ts,
 * lib/capture/otel.ts; the tables read in place are normalised in SQL by db/capture/import.ts to
 * the same columns). Pure: no database, no clock but the one passed in.
 */
import { createHash } from 'node:crypto';

export const CAPTURE_SOURCES = ['hook', 'otel', 'hook_events', 'task_logs'] as const;
export type CaptureSource = (typeof CAPTURE_SOURCES)[number];

export const SOURCE_LABELS: Record<CaptureSource, string> = {
  hook: 'Claude Code hooks (/api/v1/hooks/claude-code)',
  otel: 'OpenTelemetry (/v1/logs, /v1/metrics)',
  hook_events: 'hook_events table (read in place)',
  task_logs: 'task_logs.tool_calls (read in place)',
};

export type CapturedEvent = {
  source: CaptureSource;
  /** The same event, re-sent or seen by two sources, has the same key. */
  eventKey: string;
  sessionId: string | null;
  workflowId: string | null;
  eventType: string;
  toolName: string | null;
  operation: string | null;
  cwd: string | null;
  success: boolean | null;
  durationMs: number | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** ISO 8601, UTC. */
  occurredAt: string;
  details: Record<string, unknown> | null;
};

/** What an operation is cut to when stored: a command longer than this is not a pattern's. */
export const MAX_OPERATION = 2000;
const MAX_DETAIL = 500;

export const digest = (text: string): string =>
  createHash('sha256').update(text).digest('base64url').slice(0, 32);

/**
 * The key of a tool use that names itself (Claude Code's tool_use_id), whatever the source; the
 * tables read in place compute the same in SQL (db/capture/import.ts).
 */
export function toolUseKey(sessionId: string, toolUseId: string, phase: 'pre' | 'post'): string {
  return `tu:${digest(`${sessionId}|${toolUseId}`)}:${phase}`;
}

export const text = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
};

/** A finite number from a number or a numeric string (OTel attributes carry both). */
export const finiteNumber = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** Whole, non-negative token counts; anything else is no count. */
export const tokenCount = (value: unknown): number | null => {
  const n = finiteNumber(value);
  return n !== null && n >= 0 && Number.isInteger(n) && n <= Number.MAX_SAFE_INTEGER ? n : null;
};

export const flag = (value: unknown): boolean | null =>
  typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;

/** A few small fields kept beside the columns; long strings cut, nothing nested. */
export function smallDetails(entries: Record<string, unknown>): Record<string, unknown> | null {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === 'string' && value !== '') kept[key] = value.slice(0, MAX_DETAIL);
    else if (typeof value === 'number' && Number.isFinite(value)) kept[key] = value;
    else if (typeof value === 'boolean') kept[key] = value;
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

/** What a tool was asked, as rules read it: the command, else the file, pattern or address. */
export function operationOf(toolInput: unknown): string | null {
  if (!toolInput || typeof toolInput !== 'object' || Array.isArray(toolInput)) return null;
  const input = toolInput as Record<string, unknown>;
  for (const field of ['command', 'file_path', 'notebook_path', 'pattern', 'url', 'query', 'path'])
    if (typeof input[field] === 'string') return text(input[field], MAX_OPERATION);
  return null;
}
