/**
 * The `capture` section:
 *  - the hooks endpoint's latency at a steady 500 events a second (autocannon, each event its own
 *    tool use), p50 and p99 (target ≤ 10 ms and ≤ 50 ms);
 *  - what the forwarder adds to a tool call: its whole run as settings.json starts it
 *    (`python -m pattern_ledger hook-command`), to its exit and its pipes' close, p50 and p99
 *    over 100 calls, beside a bare `python3 -S` (target ≤ 30 ms p99);
 *  - backfilling 1 M hook events in the reference system's shape (a hook_events table made for the
 *    run): from the first read to the last event through the rules, by whichever processes step
 *    capture (target ≤ 60 s);
 *  - the agents' own writes (pgbench, single-row inserts, 8 writers) alone and while capture
 *    derives occurrences into their tables from 500 hook events a second, interleaved, twice
 *    (the attach targets: at least 80 % of the throughput, p50 at most 0.3 ms slower).
 * Everything it adds is removed afterwards: its key, events, derived rows and the table; the
 * capture cursors are put back. The counts of the agents' tables are printed before and after.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { removeDerived } from '../db/capture/remove';
import { captureStep } from '../db/capture/run';
import type { Database } from '../db/types';
import { generateApiKey } from '../lib/api/keys';
import { patternCount, pgbench, removeBenchRows, settle, WORKLOADS, type Run } from './agents';

const ms = (value: number) => Math.round(value * 10) / 10;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function counts(sql: postgres.Sql) {
  const [row] = await sql<
    { occurrences: number; savings: number; patterns: number; events: number }[]
  >`
    SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
      (SELECT count(*) FROM cost_savings_log)::int AS savings,
      (SELECT count(*) FROM operation_patterns)::int AS patterns,
      (SELECT count(*) FROM pattern_ledger.capture_event)::int AS events`;
  return row!;
}

async function hooksEndpoint(
  server: string,
  key: string,
  run: string,
  seconds: number,
  { rate = 500, sessions = 50 } = {},
) {
  let n = 0;
  const result = await autocannon({
    url: `${server}/api/v1/hooks/claude-code`,
    method: 'POST',
    connections: 16,
    overallRate: rate,
    duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          n++;
          return {
            ...request,
            body: JSON.stringify({
              session_id: `bench-capture-${run}-${n % sessions}`,
              hook_event_name: n % 2 ? 'PreToolUse' : 'PostToolUse',
              cwd: '/work/app',
              tool_name: 'Bash',
              tool_input: {
                command: ['pytest backend', 'git status', 'ls -la', 'npx tsc --noEmit'][n % 4],
              },
              tool_use_id: `toolu_bench_${run}_${n}`,
            }),
          };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    perSecond: Math.round(result.requests.average),
    non2xx: result.non2xx,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

async function forwarder(server: string, key: string, run: string) {
  const exec = promisify(execFile);
  // The command settings.json runs (`hook-command` prints it): the file itself, under `-S`.
  const command = (
    await exec('python3', ['-m', 'pattern_ledger', 'hook-command'], { cwd: 'clients/python' })
  ).stdout.trim();
  const [python, ...hookArgs] = command.split(' ').map((part) => part.replace(/^"|"$/g, ''));
  // Claude Code waits for the hook to exit and its pipes to close: timed to the last of them.
  const time = (args: string[], stdin: string, env: NodeJS.ProcessEnv) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(python!, args, { cwd: 'clients/python', env, stdio: 'pipe' });
      child.on('error', reject);
      child.on('close', () => resolve(performance.now() - started));
      child.stdout.resume();
      child.stderr.resume();
      child.stdin.end(stdin);
    });
  const env = {
    ...process.env,
    PATTERN_LEDGER_URL: server,
    PATTERN_LEDGER_KEY: key,
    PATTERN_LEDGER_HOOK_SPOOL: `/tmp/pattern-ledger-bench-hooks-${run}`,
  };
  const hook: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 100; i++) {
    const event = JSON.stringify({
      session_id: `bench-forwarder-${run}`,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'git status' },
      tool_use_id: `toolu_fwd_${run}_${i}`,
    });
    bare.push(await time(['-S', '-c', 'pass'], '', env));
    hook.push(await time(hookArgs, event, env));
  }
  return {
    command,
    hookP50Ms: ms(quantile(hook, 0.5)),
    hookP99Ms: ms(quantile(hook, 0.99)),
    interpreterStartP50Ms: ms(quantile(bare, 0.5)),
    interpreterStartP99Ms: ms(quantile(bare, 0.99)),
  };
}

/** A million hook events as the reference system's hooks record them, read in place and derived. */
async function backfill(sql: postgres.Sql, url: string, rows = 1_000_000) {
  await sql.unsafe(`CREATE TABLE public.hook_events (id SERIAL PRIMARY KEY, event_id TEXT NOT NULL,
    event_type TEXT, source_app TEXT, session_id TEXT, workflow_id TEXT, timestamp TIMESTAMP DEFAULT now(),
    payload TEXT, tool_name TEXT, chat_history TEXT, processed INTEGER DEFAULT 0, processed_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT now())`);
  const loadStarted = performance.now();
  await sql.unsafe(`INSERT INTO public.hook_events (event_id, event_type, session_id, timestamp, payload, tool_name)
    SELECT 'bench-' || g, CASE WHEN g % 2 = 0 THEN 'PreToolUse' ELSE 'PostToolUse' END,
      'bench-session-' || (g / 300), now() - ((${rows} - g) * interval '250 milliseconds'),
      json_build_object('tool_name', t.tool, 'session_id', 'bench-session-' || (g / 300),
        'tool_use_id', 'toolu_' || (g / 2), 'tool_input',
        CASE WHEN t.tool = 'Bash' THEN json_build_object('command', (ARRAY['pytest backend/tests -q', 'git status',
          'git diff --stat', 'ruff check .', 'npx tsc --noEmit', 'ls -la', 'cat README.md', 'npm install'])[1 + (g / 2) % 8])
        ELSE json_build_object('file_path', '/work/app/src/file' || (g % 97) || '.ts') END,
        'context', json_build_object('cwd', '/work/app'))::text,
      t.tool
    FROM generate_series(1, ${rows}) g
    CROSS JOIN LATERAL (SELECT (ARRAY['Bash', 'Bash', 'Read', 'Grep', 'Edit'])[1 + (g / 2) % 5] AS tool) t`);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  const started = performance.now();
  let steps = 0;
  // Until a step (this loop's, or the server's capture worker's) finds nothing more to do.
  for (;;) {
    const step = await captureStep(handle.db);
    if (!step.ran) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    steps++;
    if (!step.more) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const [left] = await sql<{ waiting: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM public.hook_events h, pattern_ledger.capture_state s
        WHERE s.id = 1 AND h.id > s.hook_events_cursor)
      OR EXISTS (SELECT 1 FROM pattern_ledger.capture_event WHERE NOT derived) AS waiting`;
  if (left!.waiting) throw new Error('the backfill stopped with events still waiting');
  const [derived] = await sql<{ occurrences: number }[]>`
    SELECT count(*)::int AS occurrences FROM pattern_ledger.capture_occurrence WHERE source = 'hook_events'`;
  await handle.close();
  return {
    rows,
    loadSeconds: ms(loadSeconds),
    backfillSeconds: ms(seconds),
    eventsPerSecond: Math.round(rows / seconds),
    steps,
    occurrencesDerived: derived!.occurrences,
  };
}

/**
 * The agents' plain SQL (pgbench) alone, then while hook events arrive at `rate` a second over
 * 500 sessions and capture derives occurrences (and counter updates) into the same tables.
 */
async function agentsWhileCapturing(
  sql: postgres.Sql,
  db: Database,
  url: string,
  server: string,
  key: string,
  run: string,
  patterns: number,
) {
  // Each run from the same state: nothing derived or folded waiting, no autovacuum, a checkpoint.
  const quiet = async () => {
    await settled(sql);
    await settle(db);
  };
  const mean = (runs: Run[], field: keyof Run) =>
    runs.reduce((sum, r) => sum + r[field], 0) / runs.length;
  const rows = [];
  // Each run's sessions are new, so that what capture derives is new occurrences, not repeats.
  for (const [index, workload] of WORKLOADS.filter((w) => w.clients === 8).entries()) {
    for (const rate of [50, 500]) {
      const alone: Run[] = [];
      const capturing: Run[] = [];
      const derivedBefore = await derivedCount(sql);
      for (let round = 1; round <= 2; round++) {
        await quiet();
        alone.push(await pgbench(url, workload.script, workload.clients, 10, patterns));
        await quiet();
        const [agents] = await Promise.all([
          pgbench(url, workload.script, workload.clients, 10, patterns),
          hooksEndpoint(server, key, `${run}-agents-${index}-${rate}-${round}`, 10, {
            rate,
            sessions: 500,
          }),
        ]);
        capturing.push(agents);
      }
      await settled(sql);
      rows.push({
        workload: workload.name,
        eventsPerSecond: rate,
        tpsAlone: alone.map((r) => r.tps).join(' / '),
        tpsWhileCapturing: capturing.map((r) => r.tps).join(' / '),
        throughputRatio: Math.round((mean(capturing, 'tps') / mean(alone, 'tps')) * 100) / 100,
        p50MsAlone: alone.map((r) => r.p50Ms).join(' / '),
        p50MsWhileCapturing: capturing.map((r) => r.p50Ms).join(' / '),
        p50SlowerMs: Math.round((mean(capturing, 'p50Ms') - mean(alone, 'p50Ms')) * 1000) / 1000,
        failed: [...alone, ...capturing].reduce((n, r) => n + r.failed, 0),
        occurrencesDerived: (await derivedCount(sql)) - derivedBefore,
      });
    }
  }
  await removeBenchRows(db);
  return rows;
}

async function derivedCount(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pattern_ledger.capture_occurrence`;
  return row!.n;
}

/**
 * Waits until the server has derived every event it received and folded every change: each
 * section is timed on a quiet server, not on the previous one's backlog.
 */
async function settled(sql: postgres.Sql) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [row] = await sql<{ busy: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM pattern_ledger.capture_event WHERE NOT derived)
        OR EXISTS (SELECT 1 FROM pattern_ledger.occurrence_change)
        OR EXISTS (SELECT 1 FROM pattern_ledger.savings_change) AS busy`;
    if (!row!.busy) return;
    if (Date.now() > deadline) throw new Error('the server did not settle within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function captureCost(url: string, server: string) {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const before = await counts(sql);
  const [state] = await sql<{ hook: number; task: number }[]>`
    SELECT hook_events_cursor::float8 AS hook, task_logs_cursor::float8 AS task FROM pattern_ledger.capture_state WHERE id = 1`;
  const [existing] = await sql<
    { table: string | null }[]
  >`SELECT to_regclass('public.hook_events')::text AS table`;
  if (existing?.table)
    throw new Error(
      'this database has a hook_events table already: run the capture section on a copy without one',
    );
  const run = Date.now().toString(36);
  const { key, prefix, hash } = generateApiKey();
  await sql`INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by)
    VALUES ('bench capture', ${prefix}, ${hash}, 'capture', 'bench')`;
  const result: Record<string, unknown> = {};
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  // The data set's patterns, numbered from 1 (those capture makes below are not, and go again).
  const patterns = await patternCount(handle.db);
  try {
    // Two seconds first, not counted: the server's first requests compile its code.
    await hooksEndpoint(server, key, `${run}-warm`, 2);
    await settled(sql);
    result.hooksEndpoint = await hooksEndpoint(server, key, run, 10);
    await settled(sql);
    result.forwarder = await forwarder(server, key, run);
    await settled(sql);
    await settled(sql);
    await settle(handle.db);
    result.backfill = await backfill(sql, url);
    result.agentsWhileCapturing = await agentsWhileCapturing(
      sql,
      handle.db,
      url,
      server,
      key,
      run,
      patterns,
    );
  } finally {
    await removeDerived(handle.db);
    await handle.close();
    await sql`DELETE FROM pattern_ledger.capture_event WHERE source = 'hook_events'
      OR session_id LIKE ${`bench-%`}`;
    await sql.unsafe('DROP TABLE IF EXISTS public.hook_events');
    await sql`UPDATE pattern_ledger.capture_state SET hook_events_cursor = ${state!.hook},
      task_logs_cursor = ${state!.task} WHERE id = 1`;
    await sql`DELETE FROM pattern_ledger.api_key WHERE key_hash = ${hash}`;
    // A million events deleted leave their space: given back, so that the next run (and the
    // other sections) start from the same tables.
    await sql.unsafe('VACUUM pattern_ledger.capture_event, pattern_ledger.capture_occurrence');
    result.countsBefore = before;
    result.countsAfter = await counts(sql);
    await sql.end();
  }
  return result;
}
