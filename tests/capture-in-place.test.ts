/**
 * The reference system's own records, read where they are: a hook_events table in its shape (with
 * history in it, rows that are not JSON, odd times) and task_logs.tool_calls. Read incrementally,
 * never written (its rows and their hash unchanged, nothing attached to it), the same tool use
 * seen by the hooks endpoint stored once, and a source an admin turns off left alone.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { POST as postHook } from '@/app/api/v1/hooks/claude-code/route';
import { captureStep } from '@/db/capture/run';
import { setInPlaceSource } from '@/db/mutations/capture';
import { createApiKey } from '@/db/mutations/api-keys';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

/** hook_events as the reference system creates it (tables.md), and task_logs with its tool calls. */
const REFERENCE_TABLES = [
  `CREATE TABLE public.hook_events (id SERIAL PRIMARY KEY, event_id TEXT NOT NULL, event_type TEXT,
    source_app TEXT, session_id TEXT, workflow_id TEXT, timestamp TIMESTAMP DEFAULT now(), payload TEXT,
    tool_name TEXT, chat_history TEXT, processed INTEGER DEFAULT 0, processed_at TIMESTAMP, created_at TIMESTAMP DEFAULT now())`,
  `CREATE TABLE public.task_logs (id SERIAL PRIMARY KEY, adw_id TEXT, phase_name TEXT, tool_calls JSONB,
    created_at TIMESTAMP DEFAULT now())`,
];

const pre = (session: string, id: string, command: string) =>
  JSON.stringify({
    tool_name: 'Bash',
    tool_input: { command, description: 'run it' },
    session_id: session,
    tool_use_id: id,
    context: { cwd: '/home/dev/app' },
  });

async function hookEventsFingerprint(db: Database) {
  const [row] = await queryRows<{ rows: number; hash: string; triggers: number }>(
    db,
    sql`SELECT count(*)::int AS rows, md5(string_agg(h::text, '|' ORDER BY id)) AS hash,
        (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'public.hook_events'::regclass) AS triggers
      FROM public.hook_events h`,
  );
  return row!;
}

async function drain(db: Database) {
  for (let i = 0; i < 20 && (await captureStep(db)).more; i++);
}

describeEachDatabase('capture of the reference tables in place', {}, (get) => {
  let key = '';
  beforeAll(async () => {
    for (const statement of REFERENCE_TABLES) await get().db.execute(sql.raw(statement));
    useAsAppDatabase(get());
    key = (await createApiKey(get().db, { name: 'hooks', scope: 'capture', createdBy: 'tests' }))
      .key;
    const db = get().db;
    // History: a session of the reference system's hooks, days ago, with rows a reader must survive.
    await db.execute(sql`INSERT INTO public.hook_events (event_id, event_type, session_id, workflow_id,
        timestamp, payload, tool_name) VALUES
      ('e1', 'PreToolUse', 'ref-1', 'adw-12345678', now() - interval '3 days', ${pre('ref-1', 'toolu_r1', 'pytest backend/tests')}, 'Bash'),
      ('e2', 'PostToolUse', 'ref-1', 'adw-12345678', now() - interval '3 days', ${JSON.stringify({ tool_name: 'Bash', tool_result: { stdout: 'ok' }, duration_ms: 5120, success: true, session_id: 'ref-1', tool_use_id: 'toolu_r1', tool_input: { command: 'pytest backend/tests' } })}, 'Bash'),
      ('e3', 'PreToolUse', 'ref-1', NULL, 'infinity', 'this is not JSON', 'Bash'),
      ('e4', 'PreToolUse', 'ref-1', NULL, now() - interval '3 days', ${pre('ref-1', 'toolu_r2', 'git status')}, 'Bash'),
      ('e5', 'PreToolUse', NULL, NULL, now() - interval '3 days', ${JSON.stringify({ tool_name: 'Read', tool_input: { file_path: '/a.py' } })}, 'Read')`);
    await db.execute(sql`INSERT INTO public.task_logs (adw_id, phase_name, tool_calls) VALUES
      ('adw-87654321', 'build', ${JSON.stringify([
        {
          tool_name: 'Bash',
          started_at: new Date(Date.now() - 86_400_000).toISOString(),
          duration_ms: 900,
          success: true,
          parameters: { command: 'npx tsc --noEmit' },
        },
        {
          tool_name: 'Bash',
          started_at: 'not a time',
          success: false,
          error_message: 'boom',
          parameters: { command: 'ruff check .' },
        },
        'not an object',
      ])}::jsonb),
      ('adw-87654321', 'test', '{"not": "an array"}'::jsonb)`);
  });

  it('reads the history once, never writing to the table, and derives from it', async () => {
    const db = get().db;
    const before = await hookEventsFingerprint(db);
    await drain(db);
    await drain(db);
    expect(await hookEventsFingerprint(db)).toEqual(before);
    expect(before.triggers).toBe(0);
    const events = await queryRows<{
      source: string;
      type: string;
      session: string | null;
      workflow: string | null;
      operation: string | null;
      success: boolean | null;
      duration: number | null;
    }>(
      db,
      sql`SELECT source, event_type AS type, session_id AS session, workflow_id AS workflow, operation, success,
          duration_ms AS duration FROM pattern_ledger.capture_event ORDER BY source, id`,
    );
    expect(events).toEqual([
      {
        source: 'hook_events',
        type: 'PreToolUse',
        session: 'ref-1',
        workflow: 'adw-12345678',
        operation: 'pytest backend/tests',
        success: null,
        duration: null,
      },
      {
        source: 'hook_events',
        type: 'PostToolUse',
        session: 'ref-1',
        workflow: 'adw-12345678',
        operation: 'pytest backend/tests',
        success: true,
        duration: 5120,
      },
      {
        source: 'hook_events',
        type: 'PreToolUse',
        session: 'ref-1',
        workflow: null,
        operation: null,
        success: null,
        duration: null,
      },
      {
        source: 'hook_events',
        type: 'PreToolUse',
        session: 'ref-1',
        workflow: null,
        operation: 'git status',
        success: null,
        duration: null,
      },
      {
        source: 'hook_events',
        type: 'PreToolUse',
        session: null,
        workflow: null,
        operation: '/a.py',
        success: null,
        duration: null,
      },
      {
        source: 'task_logs',
        type: 'tool_call',
        session: null,
        workflow: 'adw-87654321',
        operation: 'npx tsc --noEmit',
        success: true,
        duration: 900,
      },
      {
        source: 'task_logs',
        type: 'tool_call',
        session: null,
        workflow: 'adw-87654321',
        operation: 'ruff check .',
        success: false,
        duration: null,
      },
    ]);
    const derived = await queryRows<{ workflow: string; signature: string }>(
      db,
      sql`SELECT workflow_key AS workflow, signature FROM pattern_ledger.capture_occurrence ORDER BY 1, 2`,
    );
    expect(derived).toEqual([
      { workflow: 'adw-12345678', signature: 'test:pytest:backend' },
      { workflow: 'adw-87654321', signature: 'build:typecheck:all' },
      { workflow: 'adw-87654321', signature: 'format:ruff:all' },
      { workflow: 'ref-1', signature: 'git:status:summary' },
    ]);
    // The unreadable row's time ('infinity') is not a time: it is read as when it was read.
    const [times] = await queryRows<{ implausible: number }>(
      db,
      sql`SELECT count(*)::int AS implausible FROM pattern_ledger.capture_event
        WHERE occurred_at > now() + interval '1 day' OR occurred_at < '1990-01-01'`,
    );
    expect(times!.implausible).toBe(0);
  });

  it('reads new rows from where it stopped, and stores a tool use the hooks endpoint also saw once', async () => {
    const db = get().db;
    const stored = async () =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM pattern_ledger.capture_event`,
        )
      )[0]!.n;
    const before = await stored();
    // The same PreToolUse, posted by an HTTP hook and recorded by the reference system's hook.
    const input = {
      session_id: 'ref-2',
      hook_event_name: 'PreToolUse',
      cwd: '/app',
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_use_id: 'toolu_both',
    };
    const answer = await postHook(
      new Request('http://127.0.0.1:3000/api/v1/hooks/claude-code', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    );
    expect(answer.status).toBe(200);
    await db.execute(sql`INSERT INTO public.hook_events (event_id, event_type, session_id, payload, tool_name)
      VALUES ('e6', 'PreToolUse', 'ref-2', ${JSON.stringify(input)}, 'Bash')`);
    await drain(db);
    expect(await stored()).toBe(before + 1);
  });

  it('leaves a source an admin turned off, and reads it again from where it stopped', async () => {
    const db = get().db;
    await setInPlaceSource(db, 'hook_events', false);
    await db.execute(sql`INSERT INTO public.hook_events (event_id, event_type, session_id, payload, tool_name)
      VALUES ('e7', 'PreToolUse', 'ref-3', ${pre('ref-3', 'toolu_r7', 'git log')}, 'Bash')`);
    await drain(db);
    const read = async () =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM pattern_ledger.capture_event WHERE session_id = 'ref-3'`,
        )
      )[0]!.n;
    expect(await read()).toBe(0);
    await setInPlaceSource(db, 'hook_events', true);
    await drain(db);
    expect(await read()).toBe(1);
  });
});
