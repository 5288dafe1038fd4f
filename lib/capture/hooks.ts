/**
 * The JSON Claude Code hands a hook (https://code.claude.com/docs/en/hooks: common fields
 * session_id, transcript_path, cwd, permission_mode and hook_event_name, plus each event's own),
 * as the hooks endpoint accepts it: one event, or a list of up to MAX_HOOK_EVENTS (a forwarder's
 * spool). Unknown fields are allowed (new Claude Code versions add some) and not kept.
 */
import { z } from 'zod';
import { storableText } from '../text-safety';
import {
  digest,
  finiteNumber,
  operationOf,
  smallDetails,
  text,
  toolUseKey,
  type CapturedEvent,
} from './event';

export const MAX_HOOK_EVENTS = 1000;

const id = (max: number) => storableText(z.string().trim().min(1, 'must not be empty').max(max));

export const hookInput = z.looseObject({
  session_id: id(255).describe('Claude Code session id'),
  hook_event_name: z
    .string()
    .max(64)
    .regex(/^[A-Za-z]+$/, 'must be a hook event name such as PreToolUse'),
  cwd: storableText(z.string().max(4096)).optional(),
  tool_name: storableText(z.string().max(255)).optional(),
  tool_use_id: storableText(z.string().max(255)).optional(),
  tool_input: z.record(z.string(), z.unknown()).optional(),
  /** Not Claude Code's: what a forwarder adds from the agent's environment (an ADW id). */
  workflow_id: storableText(z.string().max(255)).optional(),
  /** Not Claude Code's: the forwarder's id for the event and when it took it (its spool re-sends). */
  capture_id: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 visible ASCII characters')
    .optional(),
  captured_at: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 time with a zone' })
    .optional(),
});
export type HookInput = z.output<typeof hookInput>;

export const hookBody = z.union([hookInput, z.array(hookInput).min(1).max(MAX_HOOK_EVENTS)]);

/**
 * When a forwarded event happened: the forwarder's own time if it is plausible (not in the
 * future, not before 1990), else when it arrived.
 */
function capturedAt(input: HookInput, receivedAt: Date): Date {
  const at = input.captured_at ? Date.parse(input.captured_at) : NaN;
  return Number.isFinite(at) && at > Date.UTC(1990, 0, 1) && at <= receivedAt.getTime() + 60_000
    ? new Date(at)
    : receivedAt;
}

export type HookBatch = { events: CapturedEvent[] } | { refused: string };

/** The events of a hooks request body (one input or a list), or why it is not one. */
export function hookEvents(value: unknown, receivedAt: Date): HookBatch {
  const parsed = hookBody.safeParse(value);
  if (!parsed.success)
    return {
      refused: `Not a Claude Code hook input: ${parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ')}.`,
    };
  const inputs = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return {
    events: inputs.map((input) =>
      hookEvent(input, capturedAt(input, receivedAt), input.capture_id),
    ),
  };
}

const PRE = new Set(['PreToolUse', 'PermissionRequest']);
const POST = new Set(['PostToolUse', 'PostToolUseFailure']);

/**
 * One hook input as a captured event. `forwardId` is the id a forwarder gave it when it was
 * captured (so a re-sent spool stores it once); `receivedAt` stands for when it happened, since
 * Claude Code's input carries no time.
 */
export function hookEvent(input: HookInput, receivedAt: Date, forwardId?: string): CapturedEvent {
  const raw = input as Record<string, unknown>;
  const event = input.hook_event_name;
  const phase = PRE.has(event) ? 'pre' : POST.has(event) ? 'post' : null;
  const toolInput = input.tool_input;
  const eventKey =
    phase && input.tool_use_id
      ? toolUseKey(input.session_id, input.tool_use_id, phase)
      : forwardId
        ? `fwd:${digest(forwardId)}`
        : `hook:${digest(`${JSON.stringify(raw)}\u0000${Math.floor(receivedAt.getTime() / 1000)}`)}`;
  return {
    source: 'hook',
    eventKey,
    sessionId: input.session_id,
    workflowId: input.workflow_id?.trim() || null,
    eventType: event,
    toolName: text(input.tool_name, 255),
    operation: toolInput ? operationOf(toolInput) : null,
    cwd: text(input.cwd, 4096),
    success: event === 'PostToolUseFailure' ? false : event === 'PostToolUse' ? true : null,
    durationMs: finiteNumber(raw.duration_ms),
    model: typeof raw.model === 'string' ? text(raw.model, 255) : null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    occurredAt: receivedAt.toISOString(),
    details: smallDetails({
      tool_use_id: input.tool_use_id,
      description: toolInput?.description,
      permission_mode: raw.permission_mode,
      source: raw.source,
      reason: raw.reason,
      trigger: raw.trigger,
      agent_type: raw.agent_type,
      error: raw.error,
      prompt_length: typeof raw.prompt === 'string' ? raw.prompt.length : undefined,
    }),
  };
}
