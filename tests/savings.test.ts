import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { saveNote } from '@/server/actions/notes';
import {
  getNoteHistory,
  getSavingsBuckets,
  getSavingsByType,
  getSavingsEntry,
  getSavingsLog,
  getTopSavers,
} from '@/db/queries/savings';
import { foldChanges } from '@/db/rollups/runner';
import { queryRows } from '@/db/sql';
import {
  baselineActualChart,
  cumulativeChart,
  savingsByTypeChart,
} from '@/lib/charts/savings-charts';
import { parseSavingsParams, SAVINGS_SORTS, type SavingsParams } from '@/lib/savings-params';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
import { rangeOf } from './support/ranges';

const params = (overrides: Partial<SavingsParams> = {}): SavingsParams => ({
  ...parseSavingsParams({}),
  ...overrides,
});
const range = rangeOf({
  range: 'custom',
  from: '2026-01-10',
  to: '2026-02-08',
  granularity: 'day',
});
const WITHIN = sql.raw(`saved_at >= '2026-01-10' AND saved_at < '2026-02-09'`);

describeEachDatabase('savings page figures', { seed: true, pooled: true }, (get) => {
  it('totals by type equal independent SQL, and the chart stacks add up to them', async () => {
    const { db } = get();
    const byType = await getSavingsByType(db, range);
    const truth = await queryRows<{
      type: string;
      entries: number;
      usd: number;
      tokens: number;
      baseline: number;
      actual: number;
    }>(
      db,
      sql`SELECT optimization_type AS type, count(*)::int AS entries, sum(cost_saved_usd::text::numeric)::float8 AS usd, sum(tokens_saved)::float8 AS tokens,
          sum(baseline_tokens)::float8 AS baseline, sum(actual_tokens)::float8 AS actual
          FROM cost_savings_log WHERE ${WITHIN} GROUP BY 1 ORDER BY 1`,
    );
    expect(byType.map((t) => [t.type, t.entries, t.tokens, t.baseline, t.actual])).toEqual(
      truth.map((t) => [t.type, t.entries, t.tokens, t.baseline, t.actual]),
    );
    for (const [i, t] of byType.entries()) expect(t.usd).toBeCloseTo(truth[i]!.usd, 9);

    const buckets = await getSavingsBuckets(db, range);
    expect(buckets.buckets).toHaveLength(30);
    for (const metric of ['usd', 'tokens'] as const) {
      const chart = savingsByTypeChart(buckets, range, metric);
      expect(chart.points).toHaveLength(30);
      for (const type of truth) {
        const drawn = chart.points.reduce((sum, p) => sum + (p[type.type] as number), 0);
        expect(drawn).toBeCloseTo(type[metric], 6);
      }
    }
    const daily = await queryRows<{ day: string; usd: number }>(
      db,
      sql`SELECT to_char(date_trunc('day', saved_at), 'YYYY-MM-DD') AS day, sum(cost_saved_usd::text::numeric)::float8 AS usd
          FROM cost_savings_log WHERE ${WITHIN} GROUP BY 1 ORDER BY 1`,
    );
    const cumulative = cumulativeChart(buckets, range);
    let running = 0;
    for (const point of cumulative.points) {
      running +=
        daily.find((d) => d.day === new Date(point.bucket).toISOString().slice(0, 10))?.usd ?? 0;
      expect(point.cumulative).toBeCloseTo(running, 9);
    }
    const baseline = baselineActualChart(buckets, range);
    expect(baseline.points.reduce((s, p) => s + (p.baseline as number), 0)).toBe(
      truth.reduce((s, t) => s + t.baseline, 0),
    );
  });

  it('top workflows and patterns equal independent SQL', async () => {
    const { db } = get();
    const top = await getTopSavers(db, range);
    const workflows = await queryRows<{ id: string; usd: number }>(
      db,
      sql`SELECT workflow_id AS id, sum(cost_saved_usd::text::numeric)::float8 AS usd FROM cost_savings_log WHERE ${WITHIN}
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
    );
    expect(top.workflows.map((w) => w.workflowId)).toEqual(workflows.map((w) => w.id));
    const patterns = await queryRows<{ id: number; usd: number }>(
      db,
      sql`SELECT pattern_id AS id, sum(cost_saved_usd::text::numeric)::float8 AS usd FROM cost_savings_log WHERE ${WITHIN} AND pattern_id IS NOT NULL
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
    );
    expect(top.patterns.map((p) => p.patternId)).toEqual(patterns.map((p) => p.id));
    for (const [i, p] of top.patterns.entries()) expect(p.usd).toBeCloseTo(patterns[i]!.usd, 9);
  });

  it('top workflows reach past workflows without savings to the smallest and negative savers', async () => {
    const { db } = get();
    const day = rangeOf({ range: 'custom', from: '2026-01-20', to: '2026-01-20' });
    const dayRows = sql.raw(`saved_at >= '2026-01-20' AND saved_at < '2026-01-21'`);
    // A refund-like negative entry, and occurrences (no savings) of many workflows that day.
    const [negative] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, tokens_saved, cost_saved_usd, saved_at)
        VALUES ('tool_call', 'wf-top-negative', -10, -0.25, '2026-01-20 12:00'::timestamp) RETURNING id::int AS id`,
    );
    const occurrences = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
        SELECT (SELECT min(id) FROM operation_patterns), 'wf-top-occurrences-' || n, 0.5, '2026-01-20 06:00'::timestamp
        FROM generate_series(1, 30) n RETURNING id::int AS id`,
    );
    const savers = await queryRows<{ id: string }>(
      db,
      sql`SELECT workflow_id AS id FROM cost_savings_log WHERE ${dayRows}
          GROUP BY 1 ORDER BY sum(cost_saved_usd::text::numeric) DESC, 1`,
    );
    expect(savers.map((s) => s.id)).toContain('wf-top-negative');
    // Read once from the journal and once folded into the stored rollup.
    for (const folded of [false, true]) {
      if (folded) await foldChanges(db);
      const top = await getTopSavers(db, day, savers.length + 5);
      expect(top.workflows.map((w) => w.workflowId)).toEqual(savers.map((s) => s.id));
    }
    await db.execute(sql`DELETE FROM cost_savings_log WHERE id = ${negative!.id}`);
    await db.execute(
      sql`DELETE FROM pattern_occurrences WHERE id IN (${sql.join(
        occurrences.map((o) => sql`${o.id}`),
        sql`, `,
      )})`,
    );
  });

  it('the log filters, sorts (ties by id) and pages like independent SQL', async () => {
    const { db } = get();
    const [sample] = await queryRows<{ workflow: string; pattern: number }>(
      db,
      sql`SELECT workflow_id AS workflow, pattern_id AS pattern FROM cost_savings_log WHERE ${WITHIN} AND pattern_id IS NOT NULL LIMIT 1`,
    );
    const cases: [Partial<SavingsParams>, ReturnType<typeof sql.raw>][] = [
      [{}, sql.raw('TRUE')],
      [
        { type: ['tool_call', 'input_split'] },
        sql.raw(`optimization_type IN ('tool_call', 'input_split')`),
      ],
      [{ workflow: sample!.workflow }, sql.raw(`workflow_id = '${sample!.workflow}'`)],
      [{ pattern: sample!.pattern }, sql.raw(`pattern_id = ${sample!.pattern}`)],
      [{ notes: 'with' }, sql.raw(`coalesce(notes, '') <> ''`)],
      [{ notes: 'without' }, sql.raw(`coalesce(notes, '') = ''`)],
      [
        { usdMin: 0.05, usdMax: 0.1 },
        sql.raw(`cost_saved_usd::text::numeric BETWEEN 0.05 AND 0.1`),
      ],
    ];
    for (const [filter, where] of cases) {
      const log = await getSavingsLog(db, range, params({ ...filter, size: 100 }));
      const truth = await queryRows<{ id: number; usd: number; tokens: number }>(
        db,
        sql`SELECT id, cost_saved_usd::text::numeric::float8 AS usd, tokens_saved::float8 AS tokens
          FROM cost_savings_log WHERE ${WITHIN} AND ${where} ORDER BY saved_at DESC, id DESC`,
      );
      expect(log.total).toBe(truth.length);
      // What the matching entries saved together, as the log's header says.
      expect(log.usd).toBeCloseTo(
        truth.reduce((sum, r) => sum + r.usd, 0),
        6,
      );
      expect(log.tokens).toBe(truth.reduce((sum, r) => sum + r.tokens, 0));
      expect(log.rows.map((r) => r.id)).toEqual(truth.slice(0, 100).map((r) => r.id));
    }
    const columns = {
      savedAt: 'saved_at',
      baseline: 'baseline_tokens',
      actual: 'actual_tokens',
      tokensSaved: 'tokens_saved',
      usd: 'cost_saved_usd',
    };
    for (const sort of SAVINGS_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const page2 = await getSavingsLog(db, range, params({ sort, dir, size: 50, page: 2 }));
        const truth = await queryRows<{ id: number }>(
          db,
          sql`SELECT id FROM cost_savings_log WHERE ${WITHIN}
              ORDER BY ${sql.raw(columns[sort])} ${sql.raw(dir)} NULLS LAST, id ${sql.raw(dir)} LIMIT 50 OFFSET 50`,
        );
        expect(page2.rows.map((r) => r.id)).toEqual(truth.map((r) => r.id));
      }
    }
  });

  it('a log row carries its pattern signature and whether its tool call exists', async () => {
    const { db } = get();
    const [orphan] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id FROM cost_savings_log s WHERE tool_call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tool_calls t WHERE t.tool_call_id = s.tool_call_id) LIMIT 1`,
    );
    expect(await getSavingsEntry(db, orphan!.id)).toMatchObject({ toolCallKnown: false });
    const [attributed] = await queryRows<{ id: number; signature: string }>(
      db,
      sql`SELECT s.id, op.pattern_signature AS signature FROM cost_savings_log s JOIN operation_patterns op ON op.id = s.pattern_id LIMIT 1`,
    );
    expect(await getSavingsEntry(db, attributed!.id)).toMatchObject({
      signature: attributed!.signature,
    });
    expect(await getSavingsEntry(db, 99_999_999)).toBeNull();
  });
});

describeEachDatabase('annotating notes', { seed: false, pooled: true }, (get, kind) => {
  let id = 0;
  beforeAll(async () => {
    const { db } = get();
    useAsAppDatabase(get());
    await signInAs(await getAuth(), 'editor');
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, notes) VALUES ('tool_call', 'adw-notes', 'first') RETURNING id`,
    );
    id = row!.id;
  });

  const state = async () => {
    const [row] = await queryRows<{ notes: string | null; history: number }>(
      get().db,
      sql`SELECT (SELECT notes FROM cost_savings_log WHERE id = ${id}) AS notes,
          (SELECT count(*)::int FROM pattern_ledger.note_history) AS history`,
    );
    return row!;
  };

  it('saves a trimmed note, records the change, and clears an empty note to NULL', async () => {
    const saved = await saveNote({ id, expected: 'first', note: '  second line\r\nthird  ' });
    expect(saved).toEqual({ ok: true, notes: 'second line\nthird' });
    const history = await getNoteHistory(get().db, id);
    expect(history[0]).toMatchObject({
      previousNotes: 'first',
      newNotes: 'second line\nthird',
      changedBy: 'editor@tests.local',
    });
    expect(await saveNote({ id, expected: 'second line\nthird', note: '   ' })).toEqual({
      ok: true,
      notes: null,
    });
    expect((await state()).notes).toBeNull();
    expect(await saveNote({ id, expected: null, note: '<script>alert(1)</script>' })).toEqual({
      ok: true,
      notes: '<script>alert(1)</script>',
    });
  });

  it.each([
    [
      'too long',
      () => ({ id, expected: '<script>alert(1)</script>', note: 'x'.repeat(2001) }),
      /at most 2,000 characters/,
    ],
    [
      'a wrong note type',
      () => ({ id, expected: '<script>alert(1)</script>', note: 42 }),
      /must be text/,
    ],
    ['a wrong id type', () => ({ id: 'abc', expected: null, note: 'x' }), /id must be a number/],
    ['a negative id', () => ({ id: -1, expected: null, note: 'x' }), /id|Too small|>=/i],
    ['no object at all', () => 'note', /malformed|expected object|Invalid/i],
  ])('refuses %s with a clear message and writes nothing', async (_name, input, message) => {
    const before = await state();
    const result = await saveNote(input());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.kind).toBe('invalid');
      expect(result.message).toMatch(message);
    }
    expect(await state()).toEqual(before);
  });

  it('refuses an unknown id and the id of a deleted row, writing nothing', async () => {
    const { db } = get();
    const [doomed] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO cost_savings_log (optimization_type, workflow_id) VALUES ('tool_call', 'adw-gone') RETURNING id`,
    );
    await db.execute(sql`DELETE FROM cost_savings_log WHERE id = ${doomed!.id}`);
    const before = await state();
    for (const target of [doomed!.id, 2_000_000_000]) {
      expect(await saveNote({ id: target, expected: null, note: 'hello' })).toMatchObject({
        ok: false,
        kind: 'not_found',
      });
    }
    expect(await state()).toEqual(before);
  });

  it('refuses a save whose starting text is stale and returns the current text', async () => {
    const before = await state();
    const result = await saveNote({ id, expected: 'an old version', note: 'mine' });
    expect(result).toMatchObject({
      ok: false,
      kind: 'conflict',
      current: '<script>alert(1)</script>',
    });
    expect(await state()).toEqual(before);
  });

  it(`two concurrent saves from the same text: exactly one wins, every time [${kind}]`, async () => {
    const { db } = get();
    for (let round = 0; round < 30; round++) {
      const start = `round ${round}`;
      await db.execute(sql`UPDATE cost_savings_log SET notes = ${start} WHERE id = ${id}`);
      const historyBefore = (await state()).history;
      const results = await Promise.all([
        saveNote({ id, expected: start, note: `A${round}` }),
        saveNote({ id, expected: start, note: `B${round}` }),
      ]);
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = winners[0] as { ok: true; notes: string };
      expect(losers[0]).toMatchObject({ kind: 'conflict', current: winner.notes });
      const after = await state();
      expect(after.notes).toBe(winner.notes);
      expect(after.history).toBe(historyBefore + 1);
    }
  });

  it('refuses anonymous callers and viewers, writing nothing; editors and admins may write', async () => {
    const before = await state();
    const auth = await getAuth();
    signOutOfTests();
    expect(await saveNote({ id, expected: before.notes, note: 'x' })).toMatchObject({
      ok: false,
      kind: 'forbidden',
      message: 'Sign in first.',
    });
    await signInAs(auth, 'viewer');
    const viewer = await saveNote({ id, expected: before.notes, note: 'x' });
    expect(viewer).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(viewer.ok ? '' : viewer.message).toMatch(/needs the editor role/);
    expect(await state()).toEqual(before);
    await signInAs(auth, 'admin');
    expect(await saveNote({ id, expected: before.notes, note: 'by the admin' })).toEqual({
      ok: true,
      notes: 'by the admin',
    });
    await signInAs(auth, 'editor');
  });
});
