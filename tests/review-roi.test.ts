import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { submitReview } from '@/server/actions/review';
import { getLeaderboard } from '@/db/queries/patterns';
import { getReviewHistory, getReviewQueue } from '@/db/queries/review';
import { getRoiOverview } from '@/db/queries/roi';
import { queryRows } from '@/db/sql';
import { getAuth } from '@/server/auth/auth';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseReviewParams } from '@/lib/review-params';
import { roiRating } from '@/lib/roi';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { rangeOf } from './support/ranges';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const range = rangeOf({
  range: 'custom',
  from: '2026-01-01',
  to: '2026-02-28',
  granularity: 'day',
});
const WITHIN = sql.raw(`saved_at >= '2026-01-01' AND saved_at < '2026-03-01'`);
const MONTHLY = 30 / 59;

describeEachDatabase('pattern review', { seed: true }, (get) => {
  beforeAll(() => useAsAppDatabase(get()));

  async function state(id: number) {
    const [row] = await queryRows<{
      status: string | null;
      by: string | null;
      at: boolean;
      notes: string | null;
      version: string;
    }>(
      get().db,
      sql`SELECT automation_status AS status, reviewed_by AS by, reviewed_at IS NOT NULL AS at,
            review_notes AS notes,
            coalesce(automation_status, '') || '|' || coalesce(reviewed_at::text, '') AS version
          FROM operation_patterns WHERE id = ${id}`,
    );
    return row!;
  }
  const historyCount = async () =>
    (
      await queryRows<{ n: number }>(
        get().db,
        sql`SELECT count(*)::int AS n FROM pattern_ledger.review_history`,
      )
    )[0]!.n;
  async function candidate(): Promise<number> {
    const queue = await getReviewQueue(get().db, parseReviewParams({}));
    return queue.rows[0]!.id;
  }

  it('lists candidates by occurrences × estimate × confidence, equal to SQL', async () => {
    const queue = await getReviewQueue(get().db, parseReviewParams({ size: '100' }));
    const truth = await queryRows<{ id: number; priority: number }>(
      get().db,
      sql`SELECT op.id, (SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id)
            * coalesce(potential_monthly_savings::text::numeric, 0)
            * coalesce(CASE WHEN confidence_score > 1 THEN confidence_score / 100.0 ELSE confidence_score END, 0) AS priority
          FROM operation_patterns op
          WHERE coalesce(automation_status, '') NOT IN ('approved', 'implemented', 'active', 'deprecated')
          ORDER BY priority DESC, op.id LIMIT 100`,
    );
    expect(queue.rows.map((r) => r.id)).toEqual(truth.map((t) => t.id));
    for (const [i, row] of queue.rows.entries())
      expect(row.priority).toBeCloseTo(truth[i]!.priority, 6);
    // Unknown stored statuses await review too.
    expect(queue.rows.map((r) => r.status)).toEqual(
      expect.arrayContaining(['in_review', 'predicted', 'rejected']),
    );
  });

  it('refuses viewers and anonymous callers, writing nothing', async () => {
    const id = await candidate();
    const before = await state(id);
    const history = await historyCount();
    signOutOfTests();
    const anonymous = await submitReview({
      patternId: id,
      action: 'approve',
      note: '',
      expectedVersion: before.version,
    });
    expect(anonymous).toMatchObject({ ok: false, kind: 'forbidden' });
    await signInAs(await getAuth(), 'viewer');
    const viewer = await submitReview({
      patternId: id,
      action: 'approve',
      note: '',
      expectedVersion: before.version,
    });
    expect(viewer).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await state(id)).toEqual(before);
    expect(await historyCount()).toBe(history);
  });

  it('approves without a reason, filling reviewed_by/at and a history row', async () => {
    const email = await signInAs(await getAuth(), 'editor');
    const id = await candidate();
    const before = await state(id);
    const result = await submitReview({
      patternId: id,
      action: 'approve',
      note: '',
      expectedVersion: before.version,
    });
    expect(result).toMatchObject({ ok: true, status: 'approved' });
    const after = await state(id);
    expect(after).toMatchObject({ status: 'approved', by: email, at: true });
    const [latest] = await getReviewHistory(get().db, id);
    expect(latest).toMatchObject({
      action: 'approve',
      previousStatus: before.status,
      newStatus: 'approved',
      reviewedBy: email,
      note: null,
    });
    // It left the queue.
    const queue = await getReviewQueue(get().db, parseReviewParams({ size: '100' }));
    expect(queue.rows.map((r) => r.id)).not.toContain(id);
  });

  it('requires a reason to reject and a text to comment; a comment keeps the status', async () => {
    await signInAs(await getAuth(), 'editor');
    const id = await candidate();
    const before = await state(id);
    const history = await historyCount();
    const noReason = await submitReview({
      patternId: id,
      action: 'reject',
      note: '  ',
      expectedVersion: before.version,
    });
    expect(noReason).toMatchObject({ ok: false, kind: 'invalid' });
    expect(noReason.ok === false && noReason.fieldErrors?.note).toBeTruthy();
    const noStatus = await submitReview({
      patternId: id,
      action: 'set_status',
      note: '',
      expectedVersion: before.version,
    });
    expect(noStatus).toMatchObject({ ok: false, kind: 'invalid' });
    const badStatus = await submitReview({
      patternId: id,
      action: 'set_status',
      status: 'rejected',
      note: '',
      expectedVersion: before.version,
    });
    expect(badStatus).toMatchObject({ ok: false, kind: 'invalid' });
    expect(await state(id)).toEqual(before);
    expect(await historyCount()).toBe(history);

    const comment = await submitReview({
      patternId: id,
      action: 'comment',
      note: 'Needs a look at flaky runs.',
      expectedVersion: before.version,
    });
    expect(comment).toMatchObject({ ok: true, status: before.status });
    const commented = await state(id);
    expect(commented.notes).toBe('Needs a look at flaky runs.');
    const rejected = await submitReview({
      patternId: id,
      action: 'reject',
      note: 'Too broad',
      expectedVersion: commented.version,
    });
    expect(rejected).toMatchObject({ ok: true, status: 'deprecated' });
    const [last, first] = await getReviewHistory(get().db, id);
    expect([first!.action, first!.previousStatus, first!.newStatus]).toEqual([
      'comment',
      before.status,
      before.status,
    ]);
    expect([last!.action, last!.newStatus, last!.note]).toEqual([
      'reject',
      'deprecated',
      'Too broad',
    ]);
  });

  it('detects a conflicting review like a conflicting note edit', async () => {
    await signInAs(await getAuth(), 'admin');
    const id = await candidate();
    const seen = await state(id);
    const first = await submitReview({
      patternId: id,
      action: 'set_status',
      status: 'candidate',
      note: '',
      expectedVersion: seen.version,
    });
    expect(first.ok).toBe(true);
    const stale = await submitReview({
      patternId: id,
      action: 'approve',
      note: '',
      expectedVersion: seen.version,
    });
    expect(stale).toMatchObject({
      ok: false,
      kind: 'conflict',
      current: { status: 'candidate', reviewedBy: 'admin@tests.local' },
    });
    expect((await state(id)).status).toBe('candidate');
    const missing = await submitReview({
      patternId: 99_999_999,
      action: 'approve',
      note: '',
      expectedVersion: '',
    });
    expect(missing).toMatchObject({ ok: false, kind: 'not_found' });
  });

  it('lets exactly one of many concurrent reviews from the same state win', async () => {
    await signInAs(await getAuth(), 'editor');
    const id = await candidate();
    const seen = await state(id);
    const history = await historyCount();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        submitReview({
          patternId: id,
          action: i % 2 ? 'approve' : 'reject',
          note: `reason ${i}`,
          expectedVersion: seen.version,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.kind === 'conflict')).toHaveLength(11);
    expect(await historyCount()).toBe(history + 1);
  });
});

describeEachDatabase('ROI per pattern', { seed: true }, (get) => {
  it('equals estimate against actual savings computed in SQL, with the stated ratings', async () => {
    const roi = await getRoiOverview(get().db, range, 500);
    const truth = await queryRows<{ id: number; estimate: number; actual: number }>(
      get().db,
      sql`SELECT op.id, coalesce(potential_monthly_savings::text::numeric, 0)::float8 AS estimate,
            coalesce((SELECT sum(cost_saved_usd::text::numeric)::float8 FROM cost_savings_log s WHERE s.pattern_id = op.id AND ${WITHIN}), 0) * ${MONTHLY}::float8 AS actual
          FROM operation_patterns op`,
    );
    const byId = new Map(truth.map((t) => [t.id, t]));
    const counts = new Map<string, number>();
    for (const t of truth) {
      const rating = roiRating(t.estimate > 0 ? t.actual / t.estimate : null);
      counts.set(rating, (counts.get(rating) ?? 0) + 1);
    }
    expect(new Map(roi.byRating.map((r) => [r.rating, r.patterns]))).toEqual(counts);
    expect(roi.top.length).toBeGreaterThan(0);
    expect(roi.shortfalls.length).toBeGreaterThan(0);
    for (const row of [...roi.top, ...roi.shortfalls]) {
      const t = byId.get(row.id)!;
      expect(row.estimatedMonthly).toBeCloseTo(t.estimate, 9);
      expect(row.actualMonthly).toBeCloseTo(t.actual, 9);
      expect(row.rating).toBe(roiRating(row.ratio));
    }
    for (const row of roi.shortfalls) expect(row.rating).toBe('far-short');
    const ratios = roi.top.map((r) => r.ratio!);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
    const gaps = roi.shortfalls.map((r) => r.estimatedMonthly - r.actualMonthly);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
  });

  it('sorts the leaderboard by ROI, patterns without an estimate last', async () => {
    const board = await getLeaderboard(
      get().db,
      range,
      parseLeaderboardParams({ sort: 'roi', size: '100' }),
    );
    const ratios = board.rows.map((r) => r.roi);
    const known = ratios.filter((r): r is number => r !== null);
    expect(known).toEqual([...known].sort((a, b) => b - a));
    expect(ratios.slice(known.length).every((r) => r === null)).toBe(true);
    for (const row of board.rows) {
      expect(row.roi).toBe(
        row.estimatedMonthly > 0 ? row.actualMonthly / row.estimatedMonthly : null,
      );
    }
  });
});
