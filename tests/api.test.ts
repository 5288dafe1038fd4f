import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKey, revokeKey } from '@/app/admin/api-keys/actions';
import { POST as postOccurrences } from '@/app/api/v1/occurrences/route';
import { GET as openApi } from '@/app/api/v1/openapi.json/route';
import { GET as getPatterns } from '@/app/api/v1/patterns/route';
import { POST as postSavings } from '@/app/api/v1/savings/route';
import { GET as getSummary } from '@/app/api/v1/summary/route';
import type { Database } from '@/db/types';
import { createApiKey, revokeApiKey } from '@/db/mutations/api-keys';
import { queryRows } from '@/db/sql';
import { MAX_BATCH_ITEMS } from '@/lib/api/ingest-schemas';
import { LEADERBOARD_SORTS, leaderboardParamsSchema } from '@/lib/leaderboard-params';
import { timeParamsSchema } from '@/lib/time-range';
import { PAGE_SIZES } from '@/lib/url-params';
import { reloadSettings } from '@/server/settings';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const BASE = 'http://127.0.0.1:3000/api/v1';

type Send = { key?: string | null; headers?: Record<string, string>; body?: string | object };

function request(path: string, { key, headers = {}, body }: Send, method = 'POST'): Request {
  return new Request(`${BASE}/${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const occurrence = (overrides: Record<string, unknown> = {}) => ({
  pattern_signature: 'test:pytest:backend',
  workflow_id: 'adw-api-1',
  similarity_score: 0.9,
  matched_characteristics: { keywords: ['pytest'], error_count: 0 },
  ...overrides,
});

const saving = (overrides: Record<string, unknown> = {}) => ({
  optimization_type: 'pattern_offload',
  workflow_id: 'adw-api-1',
  baseline_tokens: 5000,
  actual_tokens: 1200,
  cost_saved_usd: 0.0114,
  ...overrides,
});

async function counts(db: Database) {
  const [row] = await queryRows<{
    patterns: number;
    stored: number;
    occurrences: number;
    savings: number;
    idempotency: number;
  }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM operation_patterns) AS patterns,
          (SELECT coalesce(sum(occurrence_count), 0)::int FROM operation_patterns) AS stored,
          (SELECT count(*)::int FROM pattern_occurrences) AS occurrences,
          (SELECT count(*)::int FROM cost_savings_log) AS savings,
          (SELECT count(*)::int FROM pattern_ledger.api_idempotency_key) AS idempotency`,
  );
  return row!;
}

describeEachDatabase('ingestion API', { pooled: true }, (get) => {
  let writeKey = '';
  let readKey = '';

  beforeAll(async () => {
    useAsAppDatabase(get());
    const { db } = get();
    writeKey = (await createApiKey(db, { name: 'agent', scope: 'write', createdBy: 'tests' })).key;
    readKey = (await createApiKey(db, { name: 'reader', scope: 'read', createdBy: 'tests' })).key;
  });

  afterEach(() => {
    delete process.env.API_RATE_LIMIT;
    delete process.env.API_MAX_BODY_BYTES;
    reloadSettings();
  });

  /** Sends the request and checks that it wrote nothing at all. */
  async function refused(send: () => Promise<Response>, status: number): Promise<Response> {
    const before = await counts(get().db);
    const response = await send();
    expect(response.status).toBe(status);
    expect(await counts(get().db)).toEqual(before);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return response;
  }

  it('records occurrences like record_pattern_occurrence: new pattern, counts and times', async () => {
    const { db } = get();
    const response = await postOccurrences(
      request('occurrences', {
        key: writeKey,
        body: {
          occurrences: [
            occurrence({ detected_at: '2026-03-01T10:00:00+05:30' }),
            occurrence({ workflow_id: 'adw-api-2', detected_at: '2026-03-01T06:00:00Z' }),
            occurrence({
              pattern_signature: 'deploy:ship:all',
              similarity_score: 100,
              matched_characteristics: [1, 'two', null],
              detected_at: '2026-02-28T23:59:59.250Z',
            }),
          ],
        },
      }),
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      inserted: number;
      ids: number[];
      pattern_ids: number[];
      patterns_created: string[];
    };
    expect(body.inserted).toBe(3);
    expect(body.patterns_created).toEqual(['deploy:ship:all', 'test:pytest:backend']);

    const patterns = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT pattern_signature AS sig, pattern_type AS type, occurrence_count AS n,
            to_char(first_detected, 'YYYY-MM-DD HH24:MI:SS.MS') AS first,
            to_char(last_seen, 'YYYY-MM-DD HH24:MI:SS.MS') AS last
          FROM operation_patterns ORDER BY 1`,
    );
    expect(patterns).toEqual([
      {
        sig: 'deploy:ship:all',
        type: 'deploy',
        n: 1,
        first: '2026-02-28 23:59:59.250',
        last: '2026-02-28 23:59:59.250',
      },
      {
        sig: 'test:pytest:backend',
        type: 'test',
        n: 2,
        first: '2026-03-01 04:30:00.000',
        last: '2026-03-01 06:00:00.000',
      },
    ]);
    const rows = await queryRows<{
      id: number;
      patternId: number;
      workflow: string;
      json: string | null;
    }>(
      db,
      sql`SELECT id, pattern_id::int AS "patternId", workflow_id AS workflow,
            matched_characteristics AS json
          FROM pattern_occurrences ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(body.ids);
    // Each item's pattern, in item order: what an agent's writer returns as the pattern id.
    expect(rows.map((r) => r.patternId)).toEqual(body.pattern_ids);
    expect(new Set(body.pattern_ids).size).toBe(2);
    expect(JSON.parse(rows[0]!.json!)).toEqual({ keywords: ['pytest'], error_count: 0 });
    expect(JSON.parse(rows[2]!.json!)).toEqual([1, 'two', null]);

    // A second batch on an existing pattern adds to its counter and moves last_seen forward only.
    await postOccurrences(
      request('occurrences', {
        key: writeKey,
        body: {
          occurrences: [
            occurrence({
              pattern_type: 'ignored-for-existing',
              detected_at: '2026-03-02T00:00:00Z',
            }),
            occurrence({ detected_at: '2026-01-01T00:00:00Z' }),
          ],
        },
      }),
    );
    const [after] = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT pattern_type AS type, occurrence_count AS n, to_char(first_detected, 'YYYY-MM-DD') AS first,
            to_char(last_seen, 'YYYY-MM-DD') AS last,
            (SELECT count(*)::int FROM pattern_occurrences o WHERE o.pattern_id = p.id) AS counted
          FROM operation_patterns p WHERE pattern_signature = 'test:pytest:backend'`,
    );
    expect(after).toEqual({
      type: 'test',
      n: 4,
      first: '2026-01-01',
      last: '2026-03-02',
      counted: 4,
    });
  });

  it('stamps occurrences without a time with the time of writing, in UTC', async () => {
    const { db } = get();
    const before = Date.now();
    const response = await postOccurrences(
      request('occurrences', {
        key: writeKey,
        body: { occurrences: [occurrence({ pattern_signature: 'git:diff:summary' })] },
      }),
    );
    expect(response.status).toBe(201);
    const [row] = await queryRows<{ at: number }>(
      db,
      sql`SELECT (extract(epoch FROM detected_at) * 1000)::float8 AS at FROM pattern_occurrences
          WHERE workflow_id = 'adw-api-1' ORDER BY id DESC LIMIT 1`,
    );
    expect(row!.at).toBeGreaterThanOrEqual(before - 1000);
    expect(row!.at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('refuses a batch with bad items, listing every item and field, and writes nothing', async () => {
    const response = await refused(
      () =>
        postOccurrences(
          request('occurrences', {
            key: writeKey,
            body: {
              occurrences: [
                occurrence({ pattern_signature: 'brand:new:one' }),
                occurrence({ similarity_score: 101 }),
                occurrence({ workflow_id: '', detected_at: 'yesterday' }),
                occurrence({ extra: true }),
              ],
            },
          }),
        ),
      400,
    );
    const body = (await response.json()) as {
      error: string;
      issues: { item: number; field: string | null; message: string }[];
    };
    expect(body.error).toMatch(/nothing was written/);
    expect(body.issues.map((i) => [i.item, i.field])).toEqual([
      [1, 'similarity_score'],
      [2, 'workflow_id'],
      [2, 'detected_at'],
      [3, null],
    ]);
    expect(body.issues[3]!.message).toMatch(/unknown field.*extra/);
  });

  it('refuses empty and oversized batches, malformed JSON and wrong content types', async () => {
    await refused(
      () => postOccurrences(request('occurrences', { key: writeKey, body: { occurrences: [] } })),
      400,
    );
    const many = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) =>
      occurrence({ workflow_id: `adw-${i}` }),
    );
    const tooMany = await refused(
      () => postOccurrences(request('occurrences', { key: writeKey, body: { occurrences: many } })),
      400,
    );
    expect(
      ((await tooMany.json()) as { issues: { message: string }[] }).issues[0]!.message,
    ).toMatch(/at most 1000/);
    const malformed = await refused(
      () => postOccurrences(request('occurrences', { key: writeKey, body: '{"occurrences": [' })),
      400,
    );
    expect(((await malformed.json()) as { error: string }).error).toMatch(/not valid JSON/);
    await refused(
      () =>
        postOccurrences(
          request('occurrences', {
            key: writeKey,
            body: JSON.stringify({ occurrences: [occurrence()] }),
            headers: { 'content-type': 'text/plain' },
          }),
        ),
      415,
    );
  });

  it('answers 413 past the size limit, whether Content-Length says so or not', async () => {
    process.env.API_MAX_BODY_BYTES = '2048';
    reloadSettings();
    const big = {
      occurrences: [occurrence({ matched_characteristics: { blob: 'x'.repeat(4000) } })],
    };
    await refused(() => postOccurrences(request('occurrences', { key: writeKey, body: big })), 413);
    // A streamed body carries no Content-Length: the reader stops at the limit.
    const text = new TextEncoder().encode(JSON.stringify(big));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < text.length; i += 512) controller.enqueue(text.slice(i, i + 512));
        controller.close();
      },
    });
    await refused(
      () =>
        postOccurrences(
          new Request(`${BASE}/occurrences`, {
            method: 'POST',
            headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
            body: stream,
            duplex: 'half',
          } as RequestInit),
        ),
      413,
    );
  });

  it('answers 401 without a valid key, 403 for a read key, and writes nothing', async () => {
    const body = { occurrences: [occurrence()] };
    const none = await refused(() => postOccurrences(request('occurrences', { body })), 401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await refused(
      () => postOccurrences(request('occurrences', { key: 'pl_not-a-key', body })),
      401,
    );
    await refused(
      () => postSavings(request('savings', { key: readKey, body: { savings: [saving()] } })),
      403,
    );
    const { db } = get();
    const revoked = await createApiKey(db, { name: 'old', scope: 'write', createdBy: 'tests' });
    await revokeApiKey(db, revoked.id, 'tests');
    await refused(() => postOccurrences(request('occurrences', { key: revoked.key, body })), 401);
    expect((await getSummary(request('summary', {}, 'GET'))).status).toBe(401);
  });

  it('answers 429 once a key has used its requests for the minute', async () => {
    process.env.API_RATE_LIMIT = '2';
    reloadSettings();
    const { key } = await createApiKey(get().db, {
      name: 'busy',
      scope: 'write',
      createdBy: 'tests',
    });
    const bad = { occurrences: [] };
    expect((await postOccurrences(request('occurrences', { key, body: bad }))).status).toBe(400);
    expect((await postOccurrences(request('occurrences', { key, body: bad }))).status).toBe(400);
    const limited = await refused(
      () => postOccurrences(request('occurrences', { key, body: { occurrences: [occurrence()] } })),
      429,
    );
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other keys are not affected.
    expect((await getSummary(request('summary', { key: readKey }, 'GET'))).status).toBe(200);
  });

  it('makes a retried batch with the same Idempotency-Key a no-op that answers the same', async () => {
    const { db } = get();
    const send = (body: object, idempotencyKey: string) =>
      postOccurrences(
        request('occurrences', {
          key: writeKey,
          body,
          headers: { 'idempotency-key': idempotencyKey },
        }),
      );
    const body = {
      occurrences: [
        occurrence({ pattern_signature: 'docs:generate:all' }),
        occurrence({ pattern_signature: 'docs:generate:all', workflow_id: 'adw-api-9' }),
      ],
    };
    const first = await send(body, 'batch-0001');
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    const afterFirst = await counts(db);

    const retried = await send(body, 'batch-0001');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.text()).toBe(firstBody);
    expect(await counts(db)).toEqual(afterFirst);

    const reused = await refused(() => send({ occurrences: [occurrence()] }, 'batch-0001'), 422);
    expect(((await reused.json()) as { error: string }).error).toMatch(/different request/);

    // A refused batch does not use up its key: the corrected batch goes through.
    await refused(
      () => send({ occurrences: [occurrence({ similarity_score: -1 })] }, 'batch-0002'),
      400,
    );
    expect((await send({ occurrences: [occurrence()] }, 'batch-0002')).status).toBe(201);
  });

  it('writes a batch once when the same Idempotency-Key arrives several times at once', async () => {
    const { db } = get();
    const before = await counts(db);
    const body = {
      occurrences: [occurrence({ pattern_signature: 'deps:npm:update', workflow_id: 'adw-twice' })],
    };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        postOccurrences(
          request('occurrences', {
            key: writeKey,
            body,
            headers: { 'idempotency-key': 'same-batch' },
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(
      4,
    );
    const after = await counts(db);
    expect(after.occurrences).toBe(before.occurrences + 1);
    expect(after.idempotency).toBe(before.idempotency + 1);
  });

  it('creates one pattern and exact counts when concurrent batches bring the same new signatures', async () => {
    const { db } = get();
    const signatures = ['sdlc:full:all', 'review:code:all', 'fix:bug'];
    const batches = Array.from({ length: 8 }, (_, b) => ({
      occurrences: Array.from({ length: 25 }, (_, i) =>
        occurrence({
          // Each batch meets the signatures in a different order.
          pattern_signature: signatures[(i + b) % signatures.length],
          workflow_id: `adw-c${b}-${i}`,
        }),
      ),
    }));
    const responses = await Promise.all(
      batches.map((body) => postOccurrences(request('occurrences', { key: writeKey, body }))),
    );
    expect(responses.map((r) => r.status)).toEqual(batches.map(() => 201));
    const created = await Promise.all(
      responses.map(
        async (r) => ((await r.json()) as { patterns_created: string[] }).patterns_created,
      ),
    );
    expect(created.flat().sort()).toEqual([...signatures].sort());
    const rows = await queryRows<{ sig: string; stored: number; counted: number }>(
      db,
      sql`SELECT pattern_signature AS sig, occurrence_count AS stored,
            (SELECT count(*)::int FROM pattern_occurrences o WHERE o.pattern_id = p.id) AS counted
          FROM operation_patterns p WHERE pattern_signature IN ('sdlc:full:all', 'review:code:all', 'fix:bug')
          ORDER BY 1`,
    );
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row.stored).toBe(row.counted);
    expect(rows.reduce((sum, r) => sum + r.counted, 0)).toBe(8 * 25);
  });

  it('logs savings, deriving tokens_saved and resolving a pattern by id or signature', async () => {
    const { db } = get();
    const [pattern] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id FROM operation_patterns WHERE pattern_signature = 'test:pytest:backend'`,
    );
    const response = await postSavings(
      request('savings', {
        key: writeKey,
        body: {
          savings: [
            saving({
              pattern_signature: 'test:pytest:backend',
              notes: 'Pattern: test:pytest:backend',
              saved_at: '2026-03-01T12:00:00-05:00',
            }),
            saving({
              pattern_id: pattern!.id,
              tokens_saved: 3800,
              tool_call_id: 'call-1',
              optimization_type: 'tool_call',
            }),
            saving({ baseline_tokens: 10, actual_tokens: 10, cost_saved_usd: 0 }),
          ],
        },
      }),
    );
    expect(response.status).toBe(201);
    const { ids } = (await response.json()) as { ids: number[] };
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT optimization_type AS type, pattern_id AS pattern, tokens_saved AS saved, tool_call_id AS call,
            notes, to_char(saved_at, 'YYYY-MM-DD HH24:MI') AS at
          FROM cost_savings_log WHERE id IN (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )}) ORDER BY id`,
    );
    expect(rows.map((r) => [r.type, r.pattern, r.saved, r.call])).toEqual([
      ['pattern_offload', pattern!.id, 3800, null],
      ['tool_call', pattern!.id, 3800, 'call-1'],
      ['pattern_offload', null, 0, null],
    ]);
    expect(rows[0]!.at).toBe('2026-03-01 17:00');
    expect(rows[0]!.notes).toBe('Pattern: test:pytest:backend');
  });

  it('refuses savings whose figures disagree or whose pattern does not exist, writing nothing', async () => {
    const response = await refused(
      () =>
        postSavings(
          request('savings', {
            key: writeKey,
            body: {
              savings: [
                saving(),
                saving({ tokens_saved: 1 }),
                saving({ actual_tokens: 6000 }),
                saving({ optimization_type: 'magic', cost_saved_usd: -1 }),
                saving({ pattern_id: 1, pattern_signature: 'x' }),
              ],
            },
          }),
        ),
      400,
    );
    const issues = ((await response.json()) as { issues: { item: number; field: string }[] })
      .issues;
    expect(issues.map((i) => [i.item, i.field])).toEqual([
      [1, 'tokens_saved'],
      [2, 'actual_tokens'],
      [3, 'optimization_type'],
      [3, 'cost_saved_usd'],
      [4, 'pattern_signature'],
    ]);
    // Valid in shape, but naming patterns that do not exist: found in the database, still nothing written.
    const unknown = await refused(
      () =>
        postSavings(
          request('savings', {
            key: writeKey,
            body: {
              savings: [
                saving(),
                saving({ pattern_id: 999999 }),
                saving({ pattern_signature: 'no:such:pattern' }),
              ],
            },
          }),
        ),
      400,
    );
    expect(((await unknown.json()) as { issues: unknown[] }).issues).toEqual([
      { item: 1, field: 'pattern_id', message: 'no pattern has id 999999' },
      {
        item: 2,
        field: 'pattern_signature',
        message: 'no pattern has the signature no:such:pattern',
      },
    ]);
  });

  it('reads the leaderboard and summary figures with the pages’ filters, equal to SQL', async () => {
    const { db } = get();
    const query = 'range=custom&from=2026-01-01&to=2026-03-31&tz=UTC';
    const response = await getPatterns(
      request(
        `patterns?${query}&type=test,deploy&sort=occurrences&dir=desc`,
        { key: readKey },
        'GET',
      ),
    );
    expect(response.status).toBe(200);
    const board = (await response.json()) as {
      total: number;
      patterns: { signature: string; occurrences: number; lastSeen: string | null }[];
    };
    const truth = await queryRows<{ signature: string; occurrences: number }>(
      db,
      sql`SELECT p.pattern_signature AS signature, count(o.id)::int AS occurrences
          FROM operation_patterns p LEFT JOIN pattern_occurrences o ON o.pattern_id = p.id
            AND o.detected_at >= '2026-01-01' AND o.detected_at < '2026-04-01'
          WHERE p.pattern_type IN ('test', 'deploy')
          GROUP BY p.id ORDER BY occurrences DESC, p.id`,
    );
    expect(board.total).toBe(truth.length);
    expect(board.patterns.map((p) => [p.signature, p.occurrences])).toEqual(
      truth.map((t) => [t.signature, t.occurrences]),
    );
    expect(board.patterns[0]!.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const summary = (await (
      await getSummary(request(`summary?${query}`, { key: writeKey }, 'GET'))
    ).json()) as {
      from: string;
      current: { usd: number; tokens: number; savingsEntries: number; occurrences: number };
    };
    const [sums] = await queryRows<{
      usd: number;
      tokens: number;
      entries: number;
      occurrences: number;
    }>(
      db,
      sql`SELECT (SELECT coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 FROM cost_savings_log WHERE saved_at >= '2026-01-01' AND saved_at < '2026-04-01') AS usd,
            (SELECT coalesce(sum(tokens_saved), 0)::float8 FROM cost_savings_log WHERE saved_at >= '2026-01-01' AND saved_at < '2026-04-01') AS tokens,
            (SELECT count(*)::int FROM cost_savings_log WHERE saved_at >= '2026-01-01' AND saved_at < '2026-04-01') AS entries,
            (SELECT count(*)::int FROM pattern_occurrences WHERE detected_at >= '2026-01-01' AND detected_at < '2026-04-01') AS occurrences`,
    );
    expect(summary.from).toBe('2026-01-01T00:00:00.000Z');
    expect(summary.current.usd).toBeCloseTo(sums!.usd, 9);
    expect([
      summary.current.tokens,
      summary.current.savingsEntries,
      summary.current.occurrences,
    ]).toEqual([sums!.tokens, sums!.entries, sums!.occurrences]);
    expect(sums!.occurrences).toBeGreaterThan(0);
  });

  it('records when a key was last used', async () => {
    const { db } = get();
    const [row] = await queryRows<{ used: boolean }>(
      db,
      sql`SELECT last_used_at IS NOT NULL AS used FROM pattern_ledger.api_key WHERE name = 'reader'`,
    );
    expect(row!.used).toBe(true);
  });
});

describeEachDatabase('API key administration', {}, (get) => {
  beforeAll(() => useAsAppDatabase(get()));

  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return data;
  };
  const keyCount = async () =>
    (
      await queryRows<{ n: number }>(
        get().db,
        sql`SELECT count(*)::int AS n FROM pattern_ledger.api_key`,
      )
    )[0]!.n;

  it('lets only admins create and revoke keys, storing a hash and never the key', async () => {
    const auth = await getAuth();
    signOutOfTests();
    expect((await createKey({}, form({ name: 'x', scope: 'write' }))).message).toMatch(/Sign in/);
    await signInAs(auth, 'editor');
    expect((await createKey({}, form({ name: 'x', scope: 'write' }))).message).toMatch(
      /admin role/,
    );
    expect(await keyCount()).toBe(0);

    await signInAs(auth, 'admin');
    const invalid = await createKey({}, form({ name: ' ', scope: 'everything' }));
    expect(Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual(['name', 'scope']);
    expect(await keyCount()).toBe(0);

    const created = await createKey({}, form({ name: 'ci runner', scope: 'write' }));
    if (!created.ok) throw new Error(`not created: ${created.message}`);
    const key = created.secret;
    expect(key).toMatch(/^pl_[A-Za-z0-9_-]{43}$/);
    const [stored] = await queryRows<{ id: number; hash: string; prefix: string; by: string }>(
      get().db,
      sql`SELECT id, key_hash AS hash, prefix, created_by AS by FROM pattern_ledger.api_key`,
    );
    expect(stored!.hash).not.toContain(key.slice(3));
    expect(key.startsWith(stored!.prefix)).toBe(true);
    expect(stored!.by).toBe('admin@tests.local');
    const ok = await postOccurrences(
      request('occurrences', { key, body: { occurrences: [occurrence()] } }),
    );
    expect(ok.status).toBe(201);

    await signInAs(auth, 'editor');
    expect((await revokeKey({}, form({ id: String(stored!.id) }))).ok).toBe(false);
    await signInAs(auth, 'admin');
    expect((await revokeKey({}, form({ id: String(stored!.id) }))).ok).toBe(true);
    expect((await revokeKey({}, form({ id: String(stored!.id) }))).message).toMatch(
      /already revoked/,
    );
    const after = await postOccurrences(
      request('occurrences', { key, body: { occurrences: [occurrence()] } }),
    );
    expect(after.status).toBe(401);
  });
});

describe('OpenAPI document', () => {
  it('describes every endpoint with request schemas taken from the validators', async () => {
    const doc = (await openApi(
      new Request('http://127.0.0.1:3000/api/v1/openapi.json'),
    ).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: {
        schemas: Record<
          string,
          {
            properties: Record<
              string,
              { items: { required: string[]; properties: Record<string, unknown> } }
            >;
          }
        >;
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0]!.url).toBe('http://127.0.0.1:3000');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/occurrences',
      '/api/v1/patterns',
      '/api/v1/savings',
      '/api/v1/summary',
    ]);
    expect(Object.keys(doc.paths['/api/v1/occurrences']!.post!.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '413', '415', '422', '429']),
    );
    const item = doc.components.schemas.OccurrenceBatch!.properties.occurrences!.items;
    expect(item.required.sort()).toEqual(['pattern_signature', 'similarity_score', 'workflow_id']);
    const savings = doc.components.schemas.SavingsBatch!.properties.savings!.items;
    expect(Object.keys(savings.properties)).toContain('tokens_saved');
    // Every internal reference resolves inside the document.
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('lists exactly the query parameters the read endpoints parse, with their allowed values', async () => {
    const doc = (await openApi(
      new Request('http://127.0.0.1:3000/api/v1/openapi.json'),
    ).json()) as {
      paths: Record<
        string,
        {
          get?: {
            parameters: { name: string; description?: string; schema: { enum?: unknown[] } }[];
          };
        }
      >;
    };
    const parameters = doc.paths['/api/v1/patterns']!.get!.parameters;
    expect(parameters.map((p) => p.name).sort()).toEqual(
      [
        ...Object.keys(timeParamsSchema.shape),
        ...Object.keys(leaderboardParamsSchema.shape),
      ].sort(),
    );
    const byName = new Map(parameters.map((p) => [p.name, p]));
    expect(byName.get('size')!.schema.enum).toEqual([...PAGE_SIZES]);
    expect(byName.get('sort')!.schema.enum).toEqual([...LEADERBOARD_SORTS]);
    for (const parameter of parameters) expect(parameter.description, parameter.name).toBeTruthy();
    expect(doc.paths['/api/v1/summary']!.get!.parameters.map((p) => p.name).sort()).toEqual(
      Object.keys(timeParamsSchema.shape).sort(),
    );
  });
});
