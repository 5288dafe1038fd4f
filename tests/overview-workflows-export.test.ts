import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { GET as exportPatterns } from '@/app/api/export/patterns/route';
import { GET as exportOccurrences } from '@/app/api/export/patterns/[id]/occurrences/route';
import { GET as exportSavings } from '@/app/api/export/savings/route';
import { GET as exportWorkflows } from '@/app/api/export/workflows/route';
import { getKpis, getRecentNotes } from '@/db/queries/overview';
import { getLeaderboard, getRecentOccurrences } from '@/db/queries/patterns';
import { getSavingsLog } from '@/db/queries/savings';
import { getWorkflowTotals, getWorkflows, resolveWorkflow } from '@/db/queries/workflows';
import { queryRows } from '@/db/sql';
import { parseCsv } from '@/lib/csv';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseSavingsParams } from '@/lib/savings-params';
import { parseTimeParams, resolveTimeRange } from '@/lib/time-range';
import { parseWorkflowParams } from '@/lib/workflow-params';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, TEST_ANCHOR, useAsAppDatabase } from './support/databases';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
import { rangeOf } from './support/ranges';

const NASTY = `=HYPERLINK("http://x","click"), "quoted"\nnew line; -1+2 @at`;

describeEachDatabase('overview, workflows and exports', { seed: true }, (get) => {
  beforeAll(async () => {
    useAsAppDatabase(get());
    await signInAs(await getAuth(), 'viewer');
    const { db } = get();
    // Nasty text in every kind of text column that an export writes.
    await db.execute(
      sql`UPDATE cost_savings_log SET notes = ${NASTY} WHERE id IN (SELECT id FROM cost_savings_log ORDER BY id LIMIT 3)`,
    );
    await db.execute(
      sql`INSERT INTO operation_patterns (pattern_signature, pattern_type, automation_status) VALUES (${'+cmd:"a,b"\nc'}, 'odd', 'candidate')`,
    );
    await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, matched_characteristics, detected_at)
      SELECT id, ${'@wf,"x"'}, 0.5, ${NASTY}, '2026-02-20 10:00' FROM operation_patterns WHERE pattern_type = 'odd'`);
  });

  it('KPIs and their deltas equal independent SQL over both periods', async () => {
    const { db } = get();
    const range = rangeOf({ range: 'custom', from: '2026-02-01', to: '2026-02-14' });
    const kpis = await getKpis(db, range);
    const period = async (from: string, to: string) => {
      const [row] = await queryRows<{
        usd: number;
        tokens: number;
        occ: number;
        patterns: number;
        avg: number;
      }>(
        db,
        sql`SELECT (SELECT sum(cost_saved_usd::text::numeric)::float8 FROM cost_savings_log WHERE saved_at >= ${from}::timestamp AND saved_at < ${to}::timestamp) AS usd,
            (SELECT sum(tokens_saved)::float8 FROM cost_savings_log WHERE saved_at >= ${from}::timestamp AND saved_at < ${to}::timestamp) AS tokens,
            (SELECT count(*)::int FROM pattern_occurrences WHERE detected_at >= ${from}::timestamp AND detected_at < ${to}::timestamp) AS occ,
            (SELECT count(DISTINCT pattern_id)::int FROM pattern_occurrences WHERE detected_at >= ${from}::timestamp AND detected_at < ${to}::timestamp) AS patterns,
            (SELECT avg(CASE WHEN similarity_score > 1 THEN similarity_score / 100 ELSE similarity_score END::float8) FROM pattern_occurrences
              WHERE detected_at >= ${from}::timestamp AND detected_at < ${to}::timestamp) AS avg`,
      );
      return row!;
    };
    const current = await period('2026-02-01', '2026-02-15');
    const previous = await period('2026-01-18', '2026-02-01');
    expect(kpis.current).toMatchObject({
      tokens: current.tokens,
      occurrences: current.occ,
      activePatterns: current.patterns,
    });
    expect(kpis.current.usd).toBeCloseTo(current.usd, 9);
    expect(kpis.current.avgSimilarity).toBeCloseTo(current.avg, 10);
    expect(kpis.current.actualMonthly).toBeCloseTo((current.usd / 14) * 30, 9);
    expect(kpis.previous).toMatchObject({
      tokens: previous.tokens,
      occurrences: previous.occ,
      activePatterns: previous.patterns,
    });
    expect(kpis.previous!.usd).toBeCloseTo(previous.usd, 9);
    const [estimate] = await queryRows<{ e: number }>(
      db,
      sql`SELECT sum(potential_monthly_savings::text::numeric)::float8 AS e FROM operation_patterns`,
    );
    expect(kpis.estimatedMonthly).toBeCloseTo(estimate!.e, 9);
  });

  it('says "no data" (null) when the previous period is empty, never 0 %', async () => {
    const { db } = get();
    // The demo data starts 120 days before the anchor (2025-11-02 12:00): the day before is empty.
    const range = rangeOf({ range: 'custom', from: '2025-11-02', to: '2025-11-02' });
    expect((await getKpis(db, range)).previous).toBeNull();
    const all = resolveTimeRange(parseTimeParams({ range: 'all' }), TEST_ANCHOR, {
      min: new Date('2025-11-01'),
      max: TEST_ANCHOR,
    });
    expect((await getKpis(db, all)).previous).toBeNull();
  });

  it('recent notes list edits here and notes the agents wrote, newest first', async () => {
    const { db } = get();
    const before = await getRecentNotes(db);
    expect(before.length).toBe(6);
    expect(before.every((r) => r.notes && !r.edited)).toBe(true);
    const [entry] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id FROM cost_savings_log ORDER BY id DESC LIMIT 1`,
    );
    await db.execute(
      sql`INSERT INTO pattern_ledger.note_history (savings_id, previous_notes, new_notes, changed_by) VALUES (${entry!.id}, NULL, 'x', 'tester')`,
    );
    const after = await getRecentNotes(db);
    // The edit comes first (it is the newest), and the agents' notes still follow it.
    expect(after[0]).toMatchObject({ savingsId: entry!.id, changedBy: 'tester', edited: true });
    expect(after.length).toBe(6);
    expect(after.slice(1).map((r) => r.savingsId)).toEqual(
      before
        .filter((r) => r.savingsId !== entry!.id)
        .slice(0, 5)
        .map((r) => r.savingsId),
    );
    await db.execute(sql`DELETE FROM pattern_ledger.note_history`);
  });

  it('lists workflow ids from occurrences and savings, with or without a history row', async () => {
    const { db } = get();
    const range = rangeOf({ range: 'custom', from: '2026-02-01', to: '2026-02-14' });
    const truth = await queryRows<{ id: string; occ: number; usd: number | null }>(
      db,
      sql`WITH ids AS (SELECT workflow_id FROM pattern_occurrences WHERE detected_at >= '2026-02-01' AND detected_at < '2026-02-15'
                       UNION SELECT workflow_id FROM cost_savings_log WHERE saved_at >= '2026-02-01' AND saved_at < '2026-02-15')
          SELECT ids.workflow_id AS id,
            (SELECT count(*)::int FROM pattern_occurrences p WHERE p.workflow_id = ids.workflow_id AND detected_at >= '2026-02-01' AND detected_at < '2026-02-15') AS occ,
            (SELECT sum(cost_saved_usd::text::numeric)::float8 FROM cost_savings_log s WHERE s.workflow_id = ids.workflow_id AND saved_at >= '2026-02-01' AND saved_at < '2026-02-15') AS usd
          FROM ids ORDER BY occ DESC, id`,
    );
    const list = await getWorkflows(db, range, {
      ...parseWorkflowParams({}),
      sort: 'occurrences',
      size: 100,
    });
    expect(list.total).toBe(truth.length);
    expect(list.rows.map((r) => [r.workflowId, r.occurrences])).toEqual(
      truth.slice(0, 100).map((t) => [t.id, t.occ]),
    );
    for (const [i, row] of list.rows.entries()) expect(row.usd).toBeCloseTo(truth[i]!.usd ?? 0, 9);

    const orphans = await getWorkflows(
      db,
      rangeOf({ range: 'custom', from: '2025-11-01', to: '2026-03-02' }),
      {
        ...parseWorkflowParams({}),
        history: 'without',
        size: 100,
      },
    );
    expect(orphans.total).toBeGreaterThan(0);
    for (const row of orphans.rows) expect(row.adwId).toBeNull();
  });

  it('pages workflows by last activity and by savings in the order of the raw rows', async () => {
    const { db } = get();
    // A workflow whose new occurrence is still in the journal (read from raw rows), and one that
    // straddles the range's start (read from raw rows too), beside the stored ones.
    const added = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
      SELECT min(id), 'wf-paging-straddle', 0.9, '2026-01-31 23:00'::timestamp FROM operation_patterns
      UNION ALL SELECT min(id), 'wf-paging-straddle', 0.9, '2026-02-14 23:59:59'::timestamp FROM operation_patterns
      UNION ALL SELECT min(id), (SELECT min(workflow_id) FROM pattern_occurrences WHERE detected_at >= '2026-02-03' AND detected_at < '2026-02-04'),
        0.5, '2026-02-14 12:00'::timestamp FROM operation_patterns
      RETURNING id::int AS id`,
    );
    const range = rangeOf({ range: 'custom', from: '2026-02-01', to: '2026-02-14' });
    const within = (column: string) =>
      sql.raw(`${column} >= '2026-02-01' AND ${column} < '2026-02-15'`);
    const truth = await queryRows<{ id: string; byLast: number; byUsd: number }>(
      db,
      sql`WITH o AS (SELECT workflow_id, max(detected_at) AS last FROM pattern_occurrences WHERE ${within('detected_at')} GROUP BY 1),
            s AS (SELECT workflow_id, max(saved_at) AS last, sum(cost_saved_usd::text::numeric) AS usd FROM cost_savings_log WHERE ${within('saved_at')} GROUP BY 1),
            w AS (SELECT coalesce(o.workflow_id, s.workflow_id)::text AS id, greatest(o.last, s.last) AS last, coalesce(s.usd, 0) AS usd
                  FROM o FULL JOIN s ON s.workflow_id = o.workflow_id)
          SELECT id, (row_number() OVER (ORDER BY last DESC NULLS LAST, id))::int AS "byLast",
            (row_number() OVER (ORDER BY usd DESC, id))::int AS "byUsd"
          FROM w`,
    );
    const byLast = [...truth].sort((a, b) => a.byLast - b.byLast);
    const byUsd = [...truth].sort((a, b) => a.byUsd - b.byUsd);
    expect(byLast.slice(0, 7).map((t) => t.id)).toContain('wf-paging-straddle');
    for (const [sort, expected] of [
      ['lastActivity', byLast],
      ['usd', byUsd],
    ] as const) {
      for (const page of [1, 2, 3]) {
        const list = await getWorkflows(db, range, {
          ...parseWorkflowParams({ sort, page: String(page) }),
          size: 7,
        });
        expect(list.total).toBe(truth.length);
        expect(list.rows.map((r) => r.workflowId)).toEqual(
          expected.slice((page - 1) * 7, page * 7).map((t) => t.id),
        );
      }
    }
    await db.execute(
      sql`DELETE FROM pattern_occurrences WHERE id IN (${sql.join(
        added.map((row) => sql`${row.id}`),
        sql`, `,
      )})`,
    );
  });

  it('one workflow gathers the rows recorded under its adw id and its wf- id', async () => {
    const { db } = get();
    const [pair] = await queryRows<{ adw: string; wf: string }>(
      db,
      sql`SELECT wh.adw_id AS adw, wh.workflow_id AS wf FROM workflow_history wh
          WHERE EXISTS (SELECT 1 FROM pattern_occurrences po WHERE po.workflow_id = wh.workflow_id) LIMIT 1`,
    );
    for (const id of [pair!.adw, pair!.wf]) {
      const { ids, history } = await resolveWorkflow(db, id);
      expect(history?.adwId).toBe(pair!.adw);
      expect(new Set(ids)).toEqual(new Set([pair!.adw, pair!.wf]));
      const totals = await getWorkflowTotals(db, ids);
      const [count] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM pattern_occurrences WHERE workflow_id IN (${pair!.adw}, ${pair!.wf})`,
      );
      expect(totals.occurrences).toBe(count!.n);
    }
  });

  async function csv(response: Response) {
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await response.text());
    return { header: header!, rows };
  }
  const request = (path: string) => new Request(`http://localhost${path}`);

  it('exports refuse anonymous callers', async () => {
    signOutOfTests();
    const response = await exportSavings(request('/api/export/savings'));
    expect(response.status).toBe(401);
    await signInAs(await getAuth(), 'viewer');
  });

  it('the savings CSV equals the table rows for the same URL, nasty characters included', async () => {
    const { db } = get();
    const query = 'range=all&sort=usd&dir=asc&notes=with';
    const { header, rows } = await csv(
      await exportSavings(request(`/api/export/savings?${query}`)),
    );
    const range = rangeOf({ range: 'all' }, { min: new Date('2025-01-01'), max: TEST_ANCHOR });
    const table = await getSavingsLog(db, range, {
      ...parseSavingsParams(Object.fromEntries(new URLSearchParams(query))),
      size: 100,
    });
    expect(rows).toHaveLength(table.total);
    expect(rows.slice(0, 100).map((r) => Number(r[header.indexOf('id')]))).toEqual(
      table.rows.map((r) => r.id),
    );
    const noteColumn = header.indexOf('notes');
    const nasty = rows.filter((r) => r[noteColumn] === `'${NASTY}`);
    expect(nasty).toHaveLength(3);
  });

  it('the leaderboard, occurrences and workflows CSVs equal their tables', async () => {
    const { db } = get();
    const patterns = await csv(
      await exportPatterns(request('/api/export/patterns?range=all&sort=workflows&dir=asc')),
    );
    const range = rangeOf({ range: 'all' }, { min: new Date('2025-01-01'), max: TEST_ANCHOR });
    const board = await getLeaderboard(db, range, {
      ...parseLeaderboardParams({ sort: 'workflows', dir: 'asc' }),
      size: 100,
    });
    expect(patterns.rows).toHaveLength(board.total);
    expect(patterns.rows.slice(0, 100).map((r) => r[patterns.header.indexOf('signature')])).toEqual(
      board.rows.map((r) => (/^[=+\-@]/.test(r.signature) ? `'${r.signature}` : r.signature)),
    );
    expect(
      patterns.rows.some((r) => r[patterns.header.indexOf('signature')] === `'+cmd:"a,b"\nc`),
    ).toBe(true);

    const [odd] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id FROM operation_patterns WHERE pattern_type = 'odd'`,
    );
    const occurrences = await csv(
      await exportOccurrences(request('/x?range=all'), {
        params: Promise.resolve({ id: String(odd!.id) }),
      }),
    );
    const table = await getRecentOccurrences(db, range, odd!.id, { size: 10, offset: 0 });
    expect(occurrences.rows.map((r) => Number(r[0]))).toEqual(table.map((r) => r.id));
    expect(occurrences.rows[0]![occurrences.header.indexOf('workflow_id')]).toBe(`'@wf,"x"`);
    expect(occurrences.rows[0]![occurrences.header.indexOf('matched_characteristics')]).toBe(
      `'${NASTY}`,
    );
    const missing = await exportOccurrences(request('/x'), {
      params: Promise.resolve({ id: 'abc' }),
    });
    expect(missing.status).toBe(404);

    const workflows = await csv(
      await exportWorkflows(request('/api/export/workflows?range=all&sort=usd')),
    );
    const list = await getWorkflows(db, range, {
      ...parseWorkflowParams({ sort: 'usd' }),
      size: 50,
    });
    expect(workflows.rows).toHaveLength(list.total);
    expect(workflows.rows.slice(0, 50).map((r) => r[0])).toEqual(
      list.rows.map((r) => (/^[=+\-@]/.test(r.workflowId) ? `'${r.workflowId}` : r.workflowId)),
    );
  });
});
