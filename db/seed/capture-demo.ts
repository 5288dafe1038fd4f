/**
 * The demo's captured events: two weeks of Claude Code sessions as hooks would have sent them
 * (tool calls before and after, with the commands agents run most), a few run through an
 * automated pattern's tool, and the API requests an OTel export reports for some sessions. The
 * capture step derives occurrences and savings from them when the demo server starts, as it would
 * from a team's real hooks.
 */
import type { CapturedEvent } from '@/lib/capture/event';
import { Random } from './random';

const DAY = 86_400_000;

/** [command, folder] pairs; the shipped rules recognise the first ones, not the last. */
const COMMANDS: [string, string][] = [
  ['uv run pytest backend/tests -q', '/work/app'],
  ['pytest backend/tests/test_api.py -x', '/work/app'],
  ['npx vitest run', '/work/app/frontend'],
  ['npx tsc --noEmit', '/work/app/frontend'],
  ['ruff check backend', '/work/app'],
  ['npx prettier --check src', '/work/app/frontend'],
  ['git status', '/work/app'],
  ['git diff --stat', '/work/app'],
  ['git log --oneline -10', '/work/app'],
  ['npm install', '/work/app/frontend'],
  ['ls -la backend/app', '/work/app'],
  ['cat backend/app/main.py', '/work/app'],
  ['docker compose ps', '/work/app'],
  ['make migrate', '/work/app'],
  ['curl -s localhost:8000/health', '/work/app'],
];

const OTHER_TOOLS = ['Read', 'Read', 'Grep', 'Edit', 'Glob', 'Write', 'TodoWrite'];

/**
 * `toolScripts` are the automated patterns' tool scripts (operation_patterns.tool_script_path):
 * some sessions run them instead of the command.
 */
export function demoCaptureEvents(anchor: Date, toolScripts: string[]): CapturedEvent[] {
  const r = new Random(20_261_201);
  const events: CapturedEvent[] = [];
  const event = (
    session: string,
    at: number,
    n: number,
    type: string,
    tool: string | null,
    operation: string | null,
    cwd: string,
    extra: Partial<CapturedEvent> = {},
  ): CapturedEvent => ({
    source: 'hook',
    eventKey: `demo:${session}:${n}:${type}`,
    sessionId: session,
    workflowId: null,
    eventType: type,
    toolName: tool,
    operation,
    cwd,
    success: type === 'PostToolUse' ? true : type === 'PostToolUseFailure' ? false : null,
    durationMs: null,
    model: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    occurredAt: new Date(at).toISOString(),
    details: null,
    ...extra,
  });
  for (let s = 0; s < 40; s++) {
    const session = `demo-${r.hex(8)}-${r.hex(4)}`;
    let at = anchor.getTime() - r.between(0.2, 14) * DAY;
    const reportsTokens = r.chance(0.4);
    events.push(
      event(session, at, 0, 'SessionStart', null, null, '/work/app', {
        model: 'claude-sonnet-4-5-20250929',
      }),
    );
    for (let n = 1; n <= r.int(12, 40); n++) {
      at += r.between(5, 90) * 1000;
      const bash = r.chance(0.45);
      const [command, cwd] =
        bash && toolScripts.length > 0 && r.chance(0.12)
          ? [`python ${r.pick(toolScripts)}`, '/work/app']
          : bash
            ? r.pick(COMMANDS)
            : [
                `/work/app/backend/app/${r.pick(['main', 'auth', 'models', 'api'])}.py`,
                '/work/app',
              ];
      const tool = bash ? 'Bash' : r.pick(OTHER_TOOLS);
      const failed = bash && r.chance(0.08);
      events.push(event(session, at, n, 'PreToolUse', tool, command, cwd));
      const duration = r.between(0.2, bash ? 40 : 2) * 1000;
      events.push(
        event(
          session,
          at + duration,
          n,
          failed ? 'PostToolUseFailure' : 'PostToolUse',
          tool,
          command,
          cwd,
          {
            durationMs: Math.round(duration),
          },
        ),
      );
      if (reportsTokens)
        events.push(
          event(session, at + duration + 4000, n, 'api_request', null, null, cwd, {
            source: 'otel',
            model: 'claude-sonnet-4-5-20250929',
            inputTokens: r.int(1500, 9000),
            outputTokens: r.int(100, 900),
          }),
        );
    }
    events.push(event(session, at + 10_000, 999, 'Stop', null, null, '/work/app'));
  }
  return events;
}
