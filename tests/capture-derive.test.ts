/**
 * Capture from Claude Code hooks to the tracking tables: a session's hook inputs posted to the
 * endpoint are stored once each, the shipped rules turn them into occurrences (one per workflow
 * and pattern, new signatures as detected patterns, the table's similarity scale, the usual
 * characteristics) and a tool's runs into offload savings; figures equal independent SQL, bad
 * input stores nothing, and `capture:remove` takes back exactly what capture wrote.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { POST as postHook } from '@/app/api/v1/hooks/claude-code/route';
import { captureStep } from '@/db/capture/run';
import { removeDerived } from '@/db/capture/remove';
import { createApiKey } from '@/db/mutations/api-keys';
import {
  getCaptureSources,
  getDerivedSummary,
  getToolActivity,
  getUnrecognisedCommands,
} from '@/db/queries/capture';
import { parseTimeParams, resolveTimeRange } from '@/lib/time-range';
import { readTrackingCatalog } from '@/db/catalog';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { BUG_FIX_SIGNATURES, bugFixSession, type HookInput } from './fixtures/claude-code-hooks';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const post = (key: string | null, body: unknown, headers: Record<string, string> = {}) =>
  postHook(
    new Request('http://127.0.0.1:3000/api/v1/hooks/claude-code', {
      method: 'POST',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

/** Steps capture until nothing waits. */
async function drain(db: Database) {
  for (let i = 0; i < 20; i++) {
    const step = await captureStep(db);
    if (!step.more) return;
  }
}

async function agentsRows(db: Database) {
  const [row] = await queryRows<{
    occurrences: number;
    savings: number;
    patterns: number;
    stored: number;
  }>(
    db,
    sql`SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
        (SELECT count(*) FROM cost_savings_log)::int AS savings,
        (SELECT count(*) FROM operation_patterns)::int AS patterns,
        (SELECT coalesce(sum(occurrence_count), 0)::int FROM operation_patterns) AS stored`,
  );
  return row!;
}

describeEachDatabase('capture from hooks', {}, (get) => {
  let captureKey = '';
  let readKey = '';
  beforeAll(async () => {
    useAsAppDatabase(get());
    captureKey = (
      await createApiKey(get().db, { name: 'hooks', scope: 'capture', createdBy: 'tests' })
    ).key;
    readKey = (await createApiKey(get().db, { name: 'reader', scope: 'read', createdBy: 'tests' }))
      .key;
  });

  const events = async () =>
    (
      await queryRows<{ n: number }>(
        get().db,
        sql`SELECT count(*)::int AS n FROM pattern_ledger.capture_event`,
      )
    )[0]!.n;

  it('stores every hook input once, whatever is re-sent, and answers an empty decision', async () => {
    const session = bugFixSession('sess-aaaaaaaa-1');
    for (const input of session) {
      const answer = await post(captureKey, input);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({});
    }
    const stored = await events();
    // Tool events name themselves (tool_use_id): sent again, alone or in a list, nothing doubles.
    const tools = session.filter((input) => typeof input.tool_use_id === 'string');
    expect((await post(captureKey, tools)).status).toBe(200);
    expect(await events()).toBe(stored);
    expect(stored).toBe(session.length);
  });

  it('refuses what is not a hook input, a wrong key and a key of another scope, storing nothing', async () => {
    const before = await events();
    const good: HookInput = bugFixSession('sess-bad')[2]!;
    const refusals: [string | null, unknown, number][] = [
      [null, good, 401],
      ['pl_not_a_key', good, 401],
      [readKey, good, 403],
      [captureKey, '{"session_id": "s", "hook_event_name": ', 400],
      [captureKey, { ...good, session_id: undefined }, 400],
      [captureKey, { ...good, session_id: '' }, 400],
      [captureKey, { ...good, session_id: 'a\u0000b' }, 400],
      [captureKey, { ...good, hook_event_name: 'Pre Tool Use!' }, 400],
      [captureKey, { ...good, tool_input: { command: 'x\u0000' } }, 400],
      [
        captureKey,
        `{"session_id":"s","hook_event_name":"Stop","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        400,
      ],
      [captureKey, { ...good, session_id: 'x'.repeat(256) }, 400],
      [captureKey, [], 400],
      [captureKey, Array.from({ length: 1001 }, () => good), 400],
      [captureKey, 42, 400],
      [captureKey, { ...good, captured_at: 'yesterday' }, 400],
    ];
    for (const [key, body, status] of refusals) {
      const answer = await post(key, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect((await answer.json()) as object).toHaveProperty('error');
    }
    const wrongType = await post(captureKey, good, { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(await events()).toBe(before);
  });

  it('derives one occurrence per session and pattern, as the ingestion API writes them', async () => {
    const db = get().db;
    const before = await agentsRows(db);
    await drain(db);
    const derived = await queryRows<{
      signature: string;
      workflow: string;
      status: string;
      similarity: number;
      characteristics: string;
    }>(
      db,
      sql`SELECT p.pattern_signature::text AS signature, po.workflow_id::text AS workflow,
          p.automation_status::text AS status, po.similarity_score::float8 AS similarity,
          po.matched_characteristics::text AS characteristics
        FROM pattern_ledger.capture_occurrence c
        JOIN pattern_occurrences po ON po.id = c.occurrence_id
        JOIN operation_patterns p ON p.id = po.pattern_id
        ORDER BY 1`,
    );
    expect(derived.map((row) => row.signature)).toEqual(BUG_FIX_SIGNATURES);
    expect(new Set(derived.map((row) => row.workflow))).toEqual(new Set(['sess-aaaaaaaa-1']));
    for (const row of derived) {
      expect(row.status).toBe('detected');
      expect([1, 100]).toContain(row.similarity);
      const characteristics = JSON.parse(row.characteristics) as Record<string, unknown>;
      expect(Object.keys(characteristics)).toEqual(
        expect.arrayContaining([
          'input_length',
          'keywords',
          'files_mentioned',
          'duration_range',
          'complexity',
          'error_count',
          'source',
          'rule',
        ]),
      );
      expect(characteristics.source).toBe('hook');
    }
    const after = await agentsRows(db);
    expect(after.occurrences - before.occurrences).toBe(BUG_FIX_SIGNATURES.length);
    // The stored counters moved by as much as rows were added, as the real writer's would.
    expect(after.stored - before.stored).toBe(BUG_FIX_SIGNATURES.length);
    // A second session of the same work adds one occurrence per pattern again; a replay none.
    for (const input of bugFixSession('sess-bbbbbbbb-2')) await post(captureKey, input);
    for (const input of bugFixSession('sess-bbbbbbbb-2')) await post(captureKey, input);
    await drain(db);
    expect((await agentsRows(db)).occurrences - after.occurrences).toBe(BUG_FIX_SIGNATURES.length);
    // Against the raw tables: capture's bookkeeping says exactly what the agents' table holds.
    const [check] = await queryRows<{ mismatched: number }>(
      db,
      sql`SELECT count(*)::int AS mismatched FROM pattern_ledger.capture_occurrence c
        LEFT JOIN pattern_occurrences po ON po.id = c.occurrence_id
        LEFT JOIN operation_patterns p ON p.id = po.pattern_id
        WHERE po.id IS NULL OR p.pattern_signature::text <> c.signature OR po.workflow_id::text <> c.workflow_key`,
    );
    expect(check!.mismatched).toBe(0);
  });

  it('lists the commands no rule recognises, most frequent first', async () => {
    const rows = await getUnrecognisedCommands(get().db, await readTrackingCatalog(get().db), {
      filter: { from: null, to: null },
    });
    const heads = rows.map((row) => row.head);
    expect(heads.slice(0, 2).sort()).toEqual(['docker', 'ls']);
    const docker = rows.find((row) => row.head === 'docker')!;
    // Two docker commands per session, two sessions, each seen once as it started (PreToolUse).
    expect(docker.runs).toBe(4);
    expect(docker.sessions).toBe(2);
    expect(heads).not.toContain('pytest');
    expect(heads).not.toContain('git');
  });

  it('shows on the Capture page exactly what the raw tables hold', async () => {
    const db = get().db;
    const range = resolveTimeRange(
      parseTimeParams({ range: '24h' }),
      new Date(Date.now() + 60_000),
    );
    const [sources, summary, activity] = await Promise.all([
      getCaptureSources(db, range, new Date()),
      getDerivedSummary(db, range),
      getToolActivity(db, range),
    ]);
    const [raw] = await queryRows<{
      hook: number;
      occurrences: number;
      patterns: number;
      workflows: number;
      calls: number;
    }>(
      db,
      sql`SELECT (SELECT count(*) FROM pattern_ledger.capture_event WHERE source = 'hook')::float8 AS hook,
          (SELECT count(*) FROM pattern_occurrences po JOIN pattern_ledger.capture_occurrence c ON c.occurrence_id = po.id)::float8 AS occurrences,
          (SELECT count(DISTINCT pattern_id) FROM pattern_occurrences po
            WHERE po.id IN (SELECT occurrence_id FROM pattern_ledger.capture_occurrence))::float8 AS patterns,
          (SELECT count(DISTINCT workflow_id) FROM pattern_occurrences po
            WHERE po.id IN (SELECT occurrence_id FROM pattern_ledger.capture_occurrence))::float8 AS workflows,
          (SELECT count(*) FROM pattern_ledger.capture_event
            WHERE event_type IN ('PostToolUse', 'PostToolUseFailure'))::float8 AS calls`,
    );
    expect(sources.find((row) => row.source === 'hook')).toMatchObject({
      events: raw!.hook,
      lastHour: raw!.hook,
    });
    expect(summary).toMatchObject({
      occurrences: raw!.occurrences,
      patterns: raw!.patterns,
      workflows: raw!.workflows,
    });
    // Every tool call once, in its bucket and in its tool's total.
    const totals = activity.rows.filter((row) => row.bucket === null);
    expect(totals.reduce((sum, row) => sum + row.value, 0)).toBe(raw!.calls);
    expect(
      activity.rows.filter((row) => row.bucket !== null).reduce((sum, row) => sum + row.value, 0),
    ).toBe(raw!.calls);
  });

  it('pays a run of a pattern’s tool as an offload saving, estimated from its averages', async () => {
    const db = get().db;
    await db.execute(
      sql`UPDATE operation_patterns SET tool_script_path = 'scripts/run_backend_tests.sh',
          avg_tokens_with_llm = 5200, avg_tokens_with_tool = 400
        WHERE pattern_signature = 'test:pytest:backend'`,
    );
    const session = 'sess-cccccccc-3';
    const run = (n: number, event: string) => ({
      session_id: session,
      transcript_path: '/tmp/t.jsonl',
      cwd: '/home/dev/app',
      hook_event_name: event,
      tool_name: 'Bash',
      tool_input: { command: 'bash scripts/run_backend_tests.sh backend/tests' },
      tool_use_id: `toolu_run_${n}`,
      ...(event === 'PostToolUse' ? { tool_response: { stdout: '12 passed' } } : {}),
    });
    for (const n of [1, 2]) {
      await post(captureKey, run(n, 'PreToolUse'));
      await post(captureKey, run(n, 'PostToolUse'));
    }
    await post(captureKey, run(2, 'PostToolUse'));
    await drain(db);
    const savings = await queryRows<{
      type: string;
      baseline: number;
      actual: number;
      saved: number;
      usd: number;
      notes: string;
      workflow: string;
    }>(
      db,
      sql`SELECT c.optimization_type AS type, c.baseline_tokens::int AS baseline, c.actual_tokens::int AS actual,
          c.tokens_saved::int AS saved, c.cost_saved_usd::float8 AS usd, c.notes, c.workflow_id::text AS workflow
        FROM pattern_ledger.capture_saving s JOIN cost_savings_log c ON c.id = s.savings_id ORDER BY c.id`,
    );
    // Two runs (each seen before and after, one after twice): two entries.
    expect(savings).toHaveLength(2);
    for (const saving of savings) {
      expect(saving).toMatchObject({
        type: 'pattern_offload',
        baseline: 5200,
        actual: 400,
        saved: 4800,
        workflow: session,
      });
      // The session's model is unknown to hooks: priced as any model, $3 per million input tokens.
      expect(saving.usd).toBeCloseTo((4800 * 3) / 1_000_000, 4);
      expect(saving.notes).toMatch(
        /^Pattern: test:pytest:backend · offloaded to scripts\/run_backend_tests\.sh · estimated/,
      );
    }
  });

  it('takes back exactly what it derived, and nothing the agents wrote', async () => {
    const db = get().db;
    const [before] = await queryRows<{ occurrences: number; savings: number; patterns: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM pattern_occurrences WHERE id NOT IN
            (SELECT occurrence_id FROM pattern_ledger.capture_occurrence))::int AS occurrences,
          (SELECT count(*) FROM cost_savings_log WHERE id NOT IN
            (SELECT savings_id FROM pattern_ledger.capture_saving))::int AS savings,
          (SELECT count(*) FROM operation_patterns WHERE id NOT IN
            (SELECT pattern_id FROM pattern_ledger.capture_pattern))::int AS patterns`,
    );
    const removed = await removeDerived(db);
    expect(removed.occurrences).toBe(2 * BUG_FIX_SIGNATURES.length);
    expect(removed.savings).toBe(2);
    // test:pytest:backend keeps a tool and averages set above, but nothing uses it: removed too.
    expect(removed.patterns).toBe(BUG_FIX_SIGNATURES.length);
    const after = await agentsRows(db);
    expect(after).toEqual({ ...before, stored: after.stored });
    expect(after.stored).toBe(
      (
        await queryRows<{ n: number }>(
          db,
          sql`SELECT coalesce(sum(occurrence_count), 0)::int AS n FROM operation_patterns`,
        )
      )[0]!.n,
    );
  });
});
