/**
 * Claude Code's OpenTelemetry export into capture: the OpenTelemetry JavaScript SDK's own OTLP/HTTP
 * exporters (protobuf and JSON) send logs and metrics to the receivers, served by a real HTTP
 * server on 127.0.0.1; malformed bodies are refused storing nothing; and the api_request events'
 * tokens measure what an offloaded run saved.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { POST as postHook } from '@/app/api/v1/hooks/claude-code/route';
import { POST as postLogs } from '@/app/v1/logs/route';
import { POST as postMetrics } from '@/app/v1/metrics/route';
import { captureStep } from '@/db/capture/run';
import { createApiKey } from '@/db/mutations/api-keys';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';

type Handler = (request: Request) => Promise<Response>;

/** A real HTTP server in front of the route handlers, as Next.js would serve them. */
async function serve(
  routes: Record<string, Handler>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const handler = routes[incoming.url ?? ''];
      if (!handler) {
        outgoing.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === 'string') headers.set(name, value);
      void handler(
        new Request(`http://127.0.0.1${incoming.url}`, {
          method: incoming.method,
          headers,
          body: Buffer.concat(chunks),
        }),
      ).then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const CLAUDE_CODE = resourceFromAttributes({
  'service.name': 'claude-code',
  'service.version': '2.0.0',
});

/** Claude Code's events, as its telemetry names them. */
function emitSession(provider: LoggerProvider, session: string, at: number) {
  const logger = provider.getLogger('com.anthropic.claude_code.events');
  const common = { 'session.id': session, 'app.version': '2.0.0', 'prompt.id': `${session}-p1` };
  logger.emit({
    body: 'claude_code.tool_result',
    timestamp: new Date(at),
    attributes: {
      ...common,
      'event.name': 'tool_result',
      tool_name: 'Bash',
      success: 'true',
      duration_ms: '4210',
      tool_parameters: JSON.stringify({
        bash_command: 'pytest',
        full_command: 'pytest backend/tests -q',
      }),
    },
  });
  logger.emit({
    body: 'claude_code.api_request',
    timestamp: new Date(at + 5_000),
    attributes: {
      ...common,
      'event.name': 'api_request',
      model: 'claude-sonnet-4-5-20250929',
      cost_usd: 0.0213,
      duration_ms: 3100,
      input_tokens: 5000,
      output_tokens: 600,
      cache_read_tokens: 12000,
    },
  });
}

async function events(db: Database, session: string) {
  return queryRows<{
    source: string;
    type: string;
    tool: string | null;
    operation: string | null;
    success: boolean | null;
    duration: number | null;
    model: string | null;
    input: number | null;
    output: number | null;
    cost: number | null;
  }>(
    db,
    sql`SELECT source, event_type AS type, tool_name AS tool, operation, success, duration_ms AS duration,
        model, input_tokens::float8 AS input, output_tokens::float8 AS output, cost_usd AS cost
      FROM pattern_ledger.capture_event WHERE session_id = ${session} ORDER BY occurred_at, id`,
  );
}

describeEachDatabase('capture from OpenTelemetry', {}, (get) => {
  let key = '';
  let receiver: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    useAsAppDatabase(get());
    key = (await createApiKey(get().db, { name: 'otel', scope: 'capture', createdBy: 'tests' }))
      .key;
    receiver = await serve({ '/v1/logs': postLogs, '/v1/metrics': postMetrics });
  });
  afterAll(() => receiver.close());

  for (const [encoding, Exporter] of [
    ['protobuf', ProtoLogExporter],
    ['JSON', JsonLogExporter],
  ] as const) {
    it(`stores Claude Code's events sent by the SDK's OTLP ${encoding} exporter, once`, async () => {
      const session = `otel-${encoding}`;
      const exporter = new Exporter({
        url: `${receiver.url}/v1/logs`,
        headers: { Authorization: `Bearer ${key}` },
      });
      const provider = new LoggerProvider({
        resource: CLAUDE_CODE,
        processors: [new SimpleLogRecordProcessor(exporter)],
      });
      const at = Date.UTC(2026, 2, 1, 10, 0, 0);
      emitSession(provider, session, at);
      emitSession(provider, session, at);
      await provider.forceFlush();
      await provider.shutdown();
      expect(await events(get().db, session)).toEqual([
        {
          source: 'otel',
          type: 'tool_result',
          tool: 'Bash',
          operation: 'pytest backend/tests -q',
          success: true,
          duration: 4210,
          model: null,
          input: null,
          output: null,
          cost: null,
        },
        {
          source: 'otel',
          type: 'api_request',
          tool: null,
          operation: null,
          success: null,
          duration: 3100,
          model: 'claude-sonnet-4-5-20250929',
          input: 5000,
          output: 600,
          cost: 0.0213,
        },
      ]);
    });
  }

  it("stores Claude Code's token and cost metrics sent by the SDK's protobuf exporter", async () => {
    const exporter = new ProtoMetricExporter({
      url: `${receiver.url}/v1/metrics`,
      headers: { Authorization: `Bearer ${key}` },
    });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ resource: CLAUDE_CODE, readers: [reader] });
    const meter = provider.getMeter('com.anthropic.claude_code');
    const session = { 'session.id': 'otel-metrics', model: 'claude-sonnet-4-5-20250929' };
    meter.createCounter('claude_code.token.usage').add(1800, { ...session, type: 'input' });
    meter.createCounter('claude_code.token.usage').add(240, { ...session, type: 'output' });
    meter.createCounter('claude_code.cost.usage').add(0.0091, session);
    // Shutting down exports once (cumulative counters re-exported would be new data points).
    await provider.shutdown();
    const rows = await events(get().db, 'otel-metrics');
    expect(rows.map((row) => [row.type, row.input, row.output, row.cost]).sort()).toEqual(
      [
        ['claude_code.cost.usage', null, null, 0.0091],
        ['claude_code.token.usage', 1800, null, null],
        ['claude_code.token.usage', null, 240, null],
      ].sort(),
    );
  });

  it('refuses malformed, oversized-when-unzipped and wrongly typed bodies, storing nothing', async () => {
    const [before] = await queryRows<{ n: number }>(
      get().db,
      sql`SELECT count(*)::int AS n FROM pattern_ledger.capture_event`,
    );
    const send = (body: Uint8Array | string, headers: Record<string, string>) =>
      fetch(`${receiver.url}/v1/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...headers },
        body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
      });
    const cases: [Uint8Array | string, Record<string, string>, number][] = [
      [
        new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        { 'content-type': 'application/x-protobuf' },
        400,
      ],
      ['{"resourceLogs": [', { 'content-type': 'application/json' }, 400],
      ['{"resourceLogs": 7}', { 'content-type': 'application/json' }, 400],
      [
        `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"event.name","value":{"stringValue":"tool_result\\u0000"}}]}]}]}]}`,
        { 'content-type': 'application/json' },
        400,
      ],
      [`{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`, { 'content-type': 'application/json' }, 400],
      [
        gzipSync(Buffer.alloc(40 * 1024 * 1024)),
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        400,
      ],
      ['not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400],
      ['{}', { 'content-type': 'application/json', 'content-encoding': 'br' }, 400],
      ['{}', { 'content-type': 'text/plain' }, 415],
    ];
    for (const [body, headers, status] of cases) {
      const answer = await send(body, headers);
      expect(answer.status, `${JSON.stringify(headers)} ${String(body).slice(0, 40)}`).toBe(status);
    }
    const unauthorised = await fetch(`${receiver.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unauthorised.status).toBe(401);
    const [after] = await queryRows<{ n: number }>(
      get().db,
      sql`SELECT count(*)::int AS n FROM pattern_ledger.capture_event`,
    );
    expect(after!.n).toBe(before!.n);
  });

  it('measures an offloaded run against the model path from the api_request tokens', async () => {
    const db = get().db;
    await db.execute(
      sql`INSERT INTO operation_patterns (pattern_signature, pattern_type, tool_script_path,
          avg_tokens_with_llm, avg_tokens_with_tool)
        VALUES ('test:pytest:backend', 'test', 'scripts/run_tests.sh', 9000, 100)
        ON CONFLICT (pattern_signature) DO UPDATE SET tool_script_path = excluded.tool_script_path`,
    );
    const hook = (session: string, n: number, command: string, at: Date) =>
      postHook(
        new Request('http://127.0.0.1:3000/api/v1/hooks/claude-code', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            session_id: session,
            hook_event_name: 'PostToolUse',
            cwd: '/app',
            tool_name: 'Bash',
            tool_input: { command },
            tool_use_id: `toolu_${session}_${n}`,
            captured_at: at.toISOString(),
          }),
        }),
      );
    const exporter = new ProtoLogExporter({
      url: `${receiver.url}/v1/logs`,
      headers: { Authorization: `Bearer ${key}` },
    });
    const provider = new LoggerProvider({
      resource: CLAUDE_CODE,
      processors: [new SimpleLogRecordProcessor(exporter)],
    });
    const logger = provider.getLogger('com.anthropic.claude_code.events');
    const request = (session: string, at: number, input: number, output: number) =>
      logger.emit({
        body: 'claude_code.api_request',
        timestamp: new Date(at),
        attributes: {
          'session.id': session,
          'event.name': 'api_request',
          model: 'claude-sonnet-4-5-20250929',
          input_tokens: input,
          output_tokens: output,
        },
      });
    const base = Date.now() - 3_600_000;
    // Three runs through the model (pytest, the rule's match), each read back in 5,000 / 400 tokens.
    for (const n of [1, 2, 3]) {
      const at = base + n * 600_000;
      expect((await hook('measured-model', n, 'pytest backend/tests', new Date(at))).status).toBe(
        200,
      );
      request('measured-model', at + 10_000, 3000 + n * 1000, 400);
    }
    // One run through the tool, read back in 800 / 100 tokens.
    const offloaded = base + 2_400_000;
    await hook('measured-tool', 1, 'bash scripts/run_tests.sh backend/tests', new Date(offloaded));
    request('measured-tool', offloaded + 8_000, 800, 100);
    await provider.forceFlush();
    await provider.shutdown();
    for (let i = 0; i < 5 && (await captureStep(db)).more; i++);
    const [saving] = await queryRows<{
      baseline: number;
      actual: number;
      usd: number;
      notes: string;
      measured: boolean;
    }>(
      db,
      sql`SELECT c.baseline_tokens::int AS baseline, c.actual_tokens::int AS actual, c.cost_saved_usd::float8 AS usd,
          c.notes, s.measured FROM pattern_ledger.capture_saving s JOIN cost_savings_log c ON c.id = s.savings_id
        WHERE s.session_id = 'measured-tool'`,
    );
    // Median model path: 5,000 input (4,000, 5,000, 6,000) and 400 output tokens; this run 800 / 100.
    expect(saving).toMatchObject({ baseline: 5400, actual: 900, measured: true });
    // Sonnet 4.5: $3 per million input, $15 per million output tokens.
    expect(saving!.usd).toBeCloseTo((4200 * 3 + 300 * 15) / 1_000_000, 4);
    expect(saving!.notes).toMatch(
      /measured: the model path took a median 5,400 tokens over 3 runs/,
    );
    expect(saving!.notes).toMatch(/priced as claude-sonnet-4-5 \(\$3\/\$15/);
  });
});
