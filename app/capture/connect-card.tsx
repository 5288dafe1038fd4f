import Link from 'next/link';
import { Card } from '@/components/card';

const events = [
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'UserPromptSubmit',
  'SessionStart',
  'SessionEnd',
  'Stop',
];

/** How to point the agents at Pattern Ledger, with this server's address filled in. */
export function ConnectCard({ origin }: { origin: string }) {
  const hook = {
    type: 'http',
    url: `${origin}/api/v1/hooks/claude-code`,
    headers: { Authorization: 'Bearer $PATTERN_LEDGER_KEY' },
    allowedEnvVars: ['PATTERN_LEDGER_KEY'],
    timeout: 2,
  };
  const settingsJson = JSON.stringify(
    {
      hooks: Object.fromEntries(events.map((event) => [event, [{ matcher: '*', hooks: [hook] }]])),
    },
    null,
    2,
  );
  return (
    <Card title="Connect the agents" testId="capture-connect" className="min-w-0">
      <p className="text-xs text-slate-600 dark:text-slate-400">
        With a key of the <strong>capture</strong> scope from{' '}
        <Link className="text-link underline" href="/admin/api-keys">
          Admin → API keys
        </Link>{' '}
        in <code>PATTERN_LEDGER_KEY</code>. Claude Code posts each hook event here itself (
        <code>.claude/settings.json</code>); its answer is always an empty decision, so the agent
        goes on as before:
      </p>
      <pre
        tabIndex={0}
        aria-label="Hook settings for .claude/settings.json"
        className="mt-2 max-h-48 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-950"
      >
        {settingsJson}
      </pre>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Or as a command hook that spools while the server is away:{' '}
        <code>python3 -m pattern_ledger hook</code> (the Python client; it always exits 0). Claude
        Code&apos;s own telemetry goes here too:
      </p>
      <pre
        tabIndex={0}
        aria-label="Telemetry settings"
        className="mt-2 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-950"
      >
        {`CLAUDE_CODE_ENABLE_TELEMETRY=1
OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp
OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
OTEL_EXPORTER_OTLP_ENDPOINT=${origin}
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $PATTERN_LEDGER_KEY"`}
      </pre>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        A <code>hook_events</code> or <code>task_logs</code> table in this database is read in
        place, history included, with nothing written to it.
      </p>
    </Card>
  );
}
