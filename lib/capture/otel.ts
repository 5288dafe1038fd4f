/**
 * Claude Code's OpenTelemetry export (https://code.claude.com/docs/en/monitoring-usage) as
 * captured events: each log record (tool_result, api_request, user_prompt, …) and each data point
 * of its metrics (claude_code.token.usage, claude_code.cost.usage, …). Takes the request as the
 * OTLP protobuf definitions' plain object form (db-free, decoding is server/capture/otlp.ts's),
 * with 64-bit numbers as strings.
 */
import {
  digest,
  finiteNumber,
  flag,
  MAX_OPERATION,
  smallDetails,
  text,
  tokenCount,
  type CapturedEvent,
} from './event';

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
};
type KeyValue = { key?: string; value?: AnyValue };
type Resource = { attributes?: KeyValue[] };

export type LogsRequest = {
  resourceLogs?: {
    resource?: Resource;
    scopeLogs?: {
      logRecords?: {
        timeUnixNano?: string | number;
        observedTimeUnixNano?: string | number;
        body?: AnyValue;
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
};

type NumberPoint = {
  timeUnixNano?: string | number;
  asInt?: string | number;
  asDouble?: number;
  attributes?: KeyValue[];
};
export type MetricsRequest = {
  resourceMetrics?: {
    resource?: Resource;
    scopeMetrics?: {
      metrics?: {
        name?: string;
        sum?: { dataPoints?: NumberPoint[] };
        gauge?: { dataPoints?: NumberPoint[] };
      }[];
    }[];
  }[];
};

function plain(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return undefined;
}

function attributes(...lists: (KeyValue[] | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const list of lists) for (const kv of list ?? []) if (kv.key) out[kv.key] = plain(kv.value);
  return out;
}

/**
 * An OTLP time (nanoseconds since the epoch, as text) as ISO 8601; `fallback` (when it was
 * received) when unset, unreadable or implausible (before 1990 or after a day from then).
 */
function isoTime(nanos: string | number | undefined, fallback: Date): string {
  let ms = 0;
  try {
    ms = nanos === undefined ? 0 : Number(BigInt(String(nanos)) / 1_000_000n);
  } catch {
    ms = 0;
  }
  const plausible = ms >= Date.UTC(1990, 0, 1) && ms <= fallback.getTime() + 86_400_000;
  return (plausible ? new Date(ms) : fallback).toISOString();
}

/** The command of a Bash tool_result, or what else the tool was given (tool_parameters is JSON). */
function operationFrom(parameters: unknown): string | null {
  if (typeof parameters !== 'string') return null;
  try {
    const parsed = JSON.parse(parameters) as Record<string, unknown>;
    for (const field of ['full_command', 'bash_command', 'command', 'file_path', 'pattern', 'url'])
      if (typeof parsed[field] === 'string') return text(parsed[field], MAX_OPERATION);
  } catch {
    return null;
  }
  return null;
}

/** Claude Code's event name: `event.name` (tool_result), else the body (claude_code.tool_result). */
function eventName(attrs: Record<string, unknown>, body: unknown): string | null {
  const name = typeof attrs['event.name'] === 'string' ? attrs['event.name'] : body;
  return typeof name === 'string' ? text(name.replace(/^claude_code\./, ''), 64) : null;
}

export function logEvents(request: LogsRequest, receivedAt: Date): CapturedEvent[] {
  const events: CapturedEvent[] = [];
  for (const resourceLog of request.resourceLogs ?? []) {
    const resource = attributes(resourceLog.resource?.attributes);
    for (const scope of resourceLog.scopeLogs ?? []) {
      for (const record of scope.logRecords ?? []) {
        const attrs = { ...resource, ...attributes(record.attributes) };
        const name = eventName(attrs, plain(record.body));
        if (!name) continue;
        const nanos = record.timeUnixNano ?? record.observedTimeUnixNano;
        const time = isoTime(nanos, receivedAt);
        const session = text(attrs['session.id'], 255);
        events.push({
          source: 'otel',
          // The record's own time as sent (not when it arrived): a re-export is the same record.
          eventKey: `otel:${digest(JSON.stringify([name, String(nanos ?? ''), attrs]))}`,
          sessionId: session,
          workflowId: null,
          eventType: name,
          toolName: text(attrs.tool_name, 255),
          operation: operationFrom(attrs.tool_parameters),
          cwd: null,
          success: flag(attrs.success),
          durationMs: finiteNumber(attrs.duration_ms),
          model: text(attrs.model, 255),
          inputTokens: tokenCount(attrs.input_tokens),
          outputTokens: tokenCount(attrs.output_tokens),
          costUsd: finiteNumber(attrs.cost_usd),
          occurredAt: time,
          details: smallDetails({
            prompt_id: attrs['prompt.id'],
            decision: attrs.decision,
            error: attrs.error,
            cache_read_tokens: tokenCount(attrs.cache_read_tokens) ?? undefined,
            cache_creation_tokens: tokenCount(attrs.cache_creation_tokens) ?? undefined,
            app_version: attrs['app.version'],
          }),
        });
      }
    }
  }
  return events;
}

/** Token counts by the type Claude Code's token.usage metric names. */
const TOKEN_FIELDS: Record<string, 'inputTokens' | 'outputTokens'> = {
  input: 'inputTokens',
  output: 'outputTokens',
};

export function metricEvents(request: MetricsRequest, receivedAt: Date): CapturedEvent[] {
  const events: CapturedEvent[] = [];
  for (const resourceMetric of request.resourceMetrics ?? []) {
    const resource = attributes(resourceMetric.resource?.attributes);
    for (const scope of resourceMetric.scopeMetrics ?? []) {
      for (const metric of scope.metrics ?? []) {
        const name = text(metric.name, 128);
        if (!name) continue;
        for (const point of [
          ...(metric.sum?.dataPoints ?? []),
          ...(metric.gauge?.dataPoints ?? []),
        ]) {
          const attrs = { ...resource, ...attributes(point.attributes) };
          const value = finiteNumber(point.asDouble ?? point.asInt);
          if (value === null) continue;
          const time = isoTime(point.timeUnixNano, receivedAt);
          const nanos = String(point.timeUnixNano ?? '');
          const tokenField =
            name === 'claude_code.token.usage' ? TOKEN_FIELDS[String(attrs.type)] : undefined;
          events.push({
            source: 'otel',
            eventKey: `otelm:${digest(JSON.stringify([name, nanos, value, attrs]))}`,
            sessionId: text(attrs['session.id'], 255),
            workflowId: null,
            eventType: name,
            toolName: null,
            operation: null,
            cwd: null,
            success: null,
            durationMs: null,
            model: text(attrs.model, 255),
            inputTokens: tokenField === 'inputTokens' ? tokenCount(value) : null,
            outputTokens: tokenField === 'outputTokens' ? tokenCount(value) : null,
            costUsd: name === 'claude_code.cost.usage' ? value : null,
            occurredAt: time,
            details: smallDetails({ value, type: attrs.type }),
          });
        }
      }
    }
  }
  return events;
}
