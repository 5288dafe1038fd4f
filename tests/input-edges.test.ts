/**
 * Edge values fed to every ingestion field, every URL parameter of the read API and exports, and
 * the text inputs of the server actions: never a 5xx, a 4xx (or a refusal) that names the field,
 * and nothing written. The values are a table per kind of field (text, number, time, JSON),
 * chosen at the edges of what the columns and PostgreSQL hold.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { createKey, revokeKey } from '@/app/admin/api-keys/actions';
import { createChannelAction } from '@/app/admin/channels/actions';
import { backtestRule, createRule, createSchedule, silenceRule } from '@/app/alerts/actions';
import { GET as getLive } from '@/app/api/live/route';
import { GET as downloadReport } from '@/app/reports/download/route';
import { renameViewAction, saveViewAction } from '@/server/actions/views';
import { createAccount } from '@/app/admin/users/actions';
import { GET as exportBreakdown } from '@/app/api/export/breakdown/route';
import { GET as exportOccurrences } from '@/app/api/export/patterns/[id]/occurrences/route';
import { GET as exportPatterns } from '@/app/api/export/patterns/route';
import { GET as exportSavings } from '@/app/api/export/savings/route';
import { GET as exportWorkflows } from '@/app/api/export/workflows/route';
import { POST as postOccurrences } from '@/app/api/v1/occurrences/route';
import { GET as getPatterns } from '@/app/api/v1/patterns/route';
import { POST as postSavings } from '@/app/api/v1/savings/route';
import { GET as getSummary } from '@/app/api/v1/summary/route';
import { submitReview } from '@/server/actions/review';
import { saveNote } from '@/server/actions/notes';
import type { Database } from '@/db/types';
import { createApiKey } from '@/db/mutations/api-keys';
import { queryRows } from '@/db/sql';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

/** Stands for JSON nested `levels` deep, written into the body as text (stringify would recurse). */
const DEEP = (levels: number) => `__deep_${levels}__`;
const withDeepJson = (body: string) =>
  body.replace(/"__deep_(\d+)__"/g, (_, levels: string) => {
    const n = Number(levels);
    return `${'{"a":'.repeat(n)}"bottom"${'}'.repeat(n)}`;
  });

const TEXT_EDGES: unknown[] = [
  '\u0000',
  'adw-\u0000-1',
  '\uD800',
  'x\uDC00y',
  '',
  '   ',
  'x'.repeat(256),
  'x'.repeat(100_000),
  42,
  null,
  {},
  [],
  true,
];
const NUMBER_EDGES: unknown[] = [
  -1,
  1e-50,
  5e-324,
  2.2250738585072014e-308,
  1e39,
  2 ** 31,
  2 ** 40,
  2 ** 53 + 2,
  '1',
  null,
  true,
  {},
];
const WHOLE_NUMBER_EDGES = [...NUMBER_EDGES, 1.5];
const TIME_EDGES: unknown[] = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-14:00',
  '1969-12-31T23:59:59Z',
  'infinity',
  '2026-02-30T00:00:00Z',
  '2026-03-01T10:00:00',
  'not a time',
  12345,
];
const JSON_EDGES: unknown[] = [
  DEEP(5_000),
  DEEP(40),
  { 'key\u0000': 1 },
  { nested: ['fine', 'bad\u0000'] },
  { nested: { half: '\uDBFF' } },
];

type Field = { name: string; edges: unknown[] };

const OCCURRENCE_FIELDS: Field[] = [
  { name: 'pattern_signature', edges: [...TEXT_EDGES, 'has space'] },
  { name: 'pattern_type', edges: TEXT_EDGES.filter((v) => v !== null) },
  { name: 'workflow_id', edges: TEXT_EDGES },
  { name: 'similarity_score', edges: [...NUMBER_EDGES, 101] },
  { name: 'matched_characteristics', edges: JSON_EDGES },
  { name: 'detected_at', edges: TIME_EDGES },
];

const SAVINGS_FIELDS: Field[] = [
  { name: 'optimization_type', edges: [...TEXT_EDGES, 'not_a_type'] },
  { name: 'workflow_id', edges: TEXT_EDGES },
  { name: 'tool_call_id', edges: TEXT_EDGES.filter((v) => v !== null) },
  { name: 'pattern_id', edges: WHOLE_NUMBER_EDGES.filter((v) => v !== null) },
  { name: 'baseline_tokens', edges: WHOLE_NUMBER_EDGES },
  { name: 'actual_tokens', edges: WHOLE_NUMBER_EDGES.filter((v) => v !== -1) },
  { name: 'cost_saved_usd', edges: NUMBER_EDGES },
  { name: 'notes', edges: ['\u0000', 'a\uD800', 'x'.repeat(10_001), 42, {}] },
  { name: 'saved_at', edges: TIME_EDGES },
];

const occurrence = (overrides: Record<string, unknown> = {}) => ({
  pattern_signature: 'edge:ingest:ok',
  workflow_id: 'adw-edge-1',
  similarity_score: 0.9,
  matched_characteristics: { keywords: ['pytest'] },
  ...overrides,
});

const saving = (overrides: Record<string, unknown> = {}) => ({
  optimization_type: 'pattern_offload',
  workflow_id: 'adw-edge-1',
  baseline_tokens: 5000,
  actual_tokens: 5000,
  cost_saved_usd: 0.0114,
  ...overrides,
});

async function rowCounts(db: Database) {
  const [row] = await queryRows<{ rows: string }>(
    db,
    sql`SELECT concat_ws(',', (SELECT count(*) FROM operation_patterns), (SELECT count(*) FROM pattern_occurrences),
          (SELECT count(*) FROM cost_savings_log), (SELECT count(*) FROM pattern_ledger.api_idempotency_key),
          (SELECT count(*) FROM pattern_ledger.api_key), (SELECT count(*) FROM pattern_ledger.auth_user),
          (SELECT count(*) FROM pattern_ledger.note_history),
          (SELECT count(*) FROM pattern_ledger.review_history)) AS rows`,
  );
  return row!.rows;
}

const describeValue = (value: unknown) => {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'undefined');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

describeEachDatabase('edge values', { seed: true }, (get) => {
  let key = '';
  let readKey = '';
  beforeAll(async () => {
    useAsAppDatabase(get());
    key = (await createApiKey(get().db, { name: 'edges', scope: 'write', createdBy: 'tests' })).key;
    readKey = (
      await createApiKey(get().db, { name: 'edges-read', scope: 'read', createdBy: 'tests' })
    ).key;
  });

  const post = (handler: (request: Request) => Promise<Response>, path: string, body: string) =>
    handler(
      new Request(`http://127.0.0.1:3000/api/v1/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      }),
    );

  for (const [endpoint, handler, fields, item] of [
    ['occurrences', postOccurrences, OCCURRENCE_FIELDS, occurrence],
    ['savings', postSavings, SAVINGS_FIELDS, saving],
  ] as const) {
    it(`refuses every edge value of every ${endpoint} field with a 400 naming it, writing nothing`, async () => {
      const { db } = get();
      const before = await rowCounts(db);
      const failures: string[] = [];
      for (const field of fields) {
        for (const value of field.edges) {
          const bad = item({ [field.name]: value });
          const response = await post(
            handler,
            endpoint,
            withDeepJson(JSON.stringify({ [endpoint]: [item(), bad] })),
          );
          const text = await response.text();
          if (response.status !== 400 || !text.includes(field.name))
            failures.push(
              `${field.name}=${describeValue(value)}: ${response.status} ${text.slice(0, 160)}`,
            );
        }
      }
      expect(failures).toEqual([]);
      expect(await rowCounts(db)).toBe(before);
    });
  }

  it('refuses a batch of 1,000 whose last item holds a NUL, naming that item', async () => {
    const { db } = get();
    const before = await rowCounts(db);
    const items = Array.from({ length: 1000 }, (_, i) =>
      occurrence({ workflow_id: i === 999 ? 'adw-\u0000' : `adw-edge-${i}` }),
    );
    const response = await post(
      postOccurrences,
      'occurrences',
      JSON.stringify({ occurrences: items }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { item: number; field: string }[] };
    expect(body.issues).toContainEqual(
      expect.objectContaining({ item: 999, field: 'workflow_id' }),
    );
    expect(await rowCounts(db)).toBe(before);
  });

  const READS: [string, (request: Request) => Promise<Response>][] = [
    ['/api/v1/patterns', getPatterns],
    ['/api/v1/summary', getSummary],
  ];
  const PARAM_EDGES: [string, string][] = [
    ['q', '\u0000'],
    ['q', 'x'.repeat(201)],
    ['type', '\u0000'],
    ['status', 'a\u0000b'],
    ['sort', '__proto__'],
    ['dir', 'sideways'],
    ['page', '-1'],
    ['page', '1e400'],
    ['size', '1000000'],
    ['tz', 'Mars/Olympus'],
    ['range', 'forever'],
    ['from', '0100-01-01'],
    ['to', '9999-12-31'],
    ['from', '2026-02-30'],
    ['granularity', 'second'],
  ];

  it('answers every bad URL parameter of the read API with a 400 naming it', async () => {
    const failures: string[] = [];
    for (const [path, handler] of READS) {
      for (const [name, value] of PARAM_EDGES) {
        if (
          path.endsWith('summary') &&
          !['tz', 'range', 'from', 'to', 'granularity'].includes(name)
        )
          continue;
        const url = new URL(`http://127.0.0.1:3000${path}`);
        url.searchParams.set(name, value);
        if (name === 'from' || name === 'to') url.searchParams.set('range', 'custom');
        const response = await handler(
          new Request(url, { headers: { authorization: `Bearer ${readKey}` } }),
        );
        const text = await response.text();
        if (response.status !== 400 || !text.includes(name))
          failures.push(
            `${path}?${name}=${describeValue(value)}: ${response.status} ${text.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every bad URL parameter of the exports with a 400 naming it', async () => {
    const auth = await getAuth();
    await signInAs(auth, 'viewer');
    const [pattern] = await queryRows<{ id: number }>(
      get().db,
      sql`SELECT id::int FROM operation_patterns ORDER BY id LIMIT 1`,
    );
    const exports: [string, (request: Request) => Promise<Response>][] = [
      ['/api/export/patterns', exportPatterns],
      ['/api/export/savings', exportSavings],
      ['/api/export/workflows', exportWorkflows],
      ['/api/export/breakdown', exportBreakdown],
      [
        `/api/export/patterns/${pattern?.id ?? 1}/occurrences`,
        (request) =>
          exportOccurrences(request, { params: Promise.resolve({ id: String(pattern?.id ?? 1) }) }),
      ],
    ];
    const failures: string[] = [];
    for (const [path, handler] of exports) {
      for (const [name, value] of [
        ['tz', 'Mars/Olympus'],
        ['from', '0100-01-01'],
        ['to', '9999-12-31'],
        ['range', 'forever'],
        ...(path === '/api/export/patterns' || path === '/api/export/workflows'
          ? [['q', '\u0000'] as const, ['sort', '__proto__'] as const]
          : []),
        ...(path === '/api/export/savings' ? [['workflow', '\u0000'] as const] : []),
        ...(path === '/api/export/breakdown'
          ? [
              ['by', 'mc.\u0000'] as const,
              ['by', `mc.${'k'.repeat(300)}`] as const,
              ['subject', '__proto__'] as const,
              ['metric', 'euros'] as const,
            ]
          : []),
      ] as [string, string][]) {
        const url = new URL(`http://127.0.0.1:3000${path}`);
        url.searchParams.set(name, value);
        if (name === 'from' || name === 'to') url.searchParams.set('range', 'custom');
        const response = await handler(new Request(url));
        const text = await response.text();
        if (response.status !== 400 || !text.includes(name))
          failures.push(
            `${path}?${name}=${describeValue(value)}: ${response.status} ${text.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses NUL, half surrogates and ids past the column in every action input, writing nothing', async () => {
    const { db } = get();
    const auth = await getAuth();
    await signInAs(auth, 'admin');
    const before = await rowCounts(db);
    const [entry] = await queryRows<{ id: number; notes: string | null }>(
      db,
      sql`SELECT id::int, notes FROM cost_savings_log ORDER BY id LIMIT 1`,
    );
    const [pattern] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id::int FROM operation_patterns ORDER BY id LIMIT 1`,
    );
    const refusals: { what: string; result: unknown }[] = [];
    for (const text of ['a\u0000b', 'x\uD800']) {
      refusals.push({
        what: `note ${describeValue(text)}`,
        result: await saveNote({ id: entry?.id ?? 1, expected: entry?.notes ?? null, note: text }),
      });
      refusals.push({
        what: `note expected ${describeValue(text)}`,
        result: await saveNote({ id: entry?.id ?? 1, expected: text, note: 'fine' }),
      });
      refusals.push({
        what: `review note ${describeValue(text)}`,
        result: await submitReview({
          patternId: pattern?.id ?? 1,
          action: 'comment',
          note: text,
          expectedVersion: 'x',
        }),
      });
      const form = (fields: Record<string, string>) => {
        const data = new FormData();
        for (const [name, value] of Object.entries(fields)) data.set(name, value);
        return data;
      };
      // A form cannot carry half a surrogate pair (FormData makes it U+FFFD): NUL only.
      if (!text.includes('\u0000')) continue;
      refusals.push({
        what: `key name ${describeValue(text)}`,
        result: await createKey({}, form({ name: text, scope: 'read' })),
      });
      refusals.push({
        what: `account name ${describeValue(text)}`,
        result: await createAccount(
          {},
          form({ email: 'edge@tests.local', name: text, role: 'viewer', password: '' }),
        ),
      });
    }
    refusals.push({
      what: 'review of pattern 2^40',
      result: await submitReview({
        patternId: 2 ** 40,
        action: 'comment',
        note: 'fine',
        expectedVersion: 'x',
      }),
    });
    refusals.push({
      what: 'revoking key 2^40',
      result: await revokeKey(
        {},
        (() => {
          const data = new FormData();
          data.set('id', String(2 ** 40));
          return data;
        })(),
      ),
    });
    refusals.push({
      what: 'revoking key 2^60',
      result: await revokeKey(
        {},
        (() => {
          const data = new FormData();
          data.set('id', String(2 ** 60));
          return data;
        })(),
      ),
    });
    for (const { what, result } of refusals) {
      const shown = JSON.stringify(result);
      // A refusal with a reason: never success, never "the database did not accept it".
      expect(shown, what).not.toMatch(/"ok":true|did not accept|Try again/);
      expect(shown, what).toMatch(
        /NUL|surrogate|Unicode|no longer exists|malformed|does not exist/i,
      );
    }
    expect(await rowCounts(db)).toBe(before);
  });

  const formOf = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return data;
  };

  it('refuses NUL in every field of the alert, channel, schedule and view actions, naming it', async () => {
    const { db } = get();
    await signInAs(await getAuth(), 'admin');
    const before = await rowCounts(db);
    const RULE = {
      name: 'Edge',
      metric: 'usd_saved',
      scopeKind: 'all',
      scopeValue: '',
      qualityCheck: '',
      windowMinutes: '1440',
      compare: 'value',
      direction: 'below',
      warningThreshold: '5',
      criticalThreshold: '1',
      everyMinutes: '5',
      channelIds: '',
    };
    const forms: [string, Record<string, string>, (data: FormData) => Promise<unknown>][] = [
      ['createRule', RULE, (data) => createRule(null, data)],
      ['backtestRule', RULE, (data) => backtestRule(data)],
      ['silenceRule', { id: '1', mode: 'snooze', hours: '2' }, (data) => silenceRule(null, data)],
      [
        'createChannelAction',
        {
          name: 'Edge',
          kind: 'webhook',
          target: 'http://127.0.0.1:1024/',
          format: 'json',
          secret: '',
        },
        (data) => createChannelAction(null, data),
      ],
      [
        'createSchedule',
        { name: 'Edge', cadence: 'weekly', weekday: '1', hour: '8', tz: 'UTC', channelIds: '' },
        (data) => createSchedule(null, data),
      ],
      [
        'saveViewAction',
        { name: 'Edge', path: '/savings', query: 'range=7d', shared: 'on' },
        (data) => saveViewAction(data),
      ],
      ['renameViewAction', { id: '1', name: 'Edge' }, (data) => renameViewAction(data)],
    ];
    const failures: string[] = [];
    for (const [what, fields, call] of forms) {
      for (const name of Object.keys(fields)) {
        for (const bad of ['\u0000', `${fields[name]}\u0000x`]) {
          const answer = (await call(formOf({ ...fields, [name]: bad }))) as {
            ok: boolean;
            fieldErrors?: Record<string, string[]>;
          };
          if (answer.ok || !answer.fieldErrors?.[name]?.some((m) => /NUL/.test(m)))
            failures.push(
              `${what} ${name}=${describeValue(bad)}: ${JSON.stringify(answer).slice(0, 160)}`,
            );
        }
      }
    }
    // NUL written percent-encoded inside a saved view's address is refused too, naming it.
    const encoded = (await saveViewAction(
      formOf({ name: 'Edge', path: '/savings', query: 'range=%00' }),
    )) as { ok: boolean; fieldErrors?: Record<string, string[]> };
    if (encoded.ok || !encoded.fieldErrors?.query?.some((m) => /"range".*NUL/.test(m)))
      failures.push(`saveViewAction query=range=%00: ${JSON.stringify(encoded).slice(0, 160)}`);
    expect(failures).toEqual([]);
    expect(await rowCounts(db)).toBe(before);
  });

  it('answers every bad parameter of the report download with a 400 naming it, and live with its version', async () => {
    await signInAs(await getAuth(), 'viewer');
    const failures: string[] = [];
    for (const [name, value] of [
      ['cadence', '\u0000'],
      ['cadence', 'hourly'],
      ['start', '0100-01-01'],
      ['start', '2026-02-30'],
      ['start', '\u0000'],
      ['tz', 'Mars/Olympus'],
      ['tz', 'x'.repeat(300)],
      ['tz', '\u0000'],
    ] as [string, string][]) {
      const url = new URL('http://127.0.0.1:3000/reports/download');
      url.searchParams.set(name, value);
      const response = await downloadReport(new Request(url));
      const text = await response.text();
      if (response.status !== 400 || !text.includes(name))
        failures.push(`${name}=${describeValue(value)}: ${response.status} ${text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    const live = await getLive();
    expect(live.status).toBe(200);
    expect(await live.json()).toHaveProperty('version');
  });
});
