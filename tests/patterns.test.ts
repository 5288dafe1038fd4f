import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDataExtent } from '@/db/queries/extent';
import {
  getLeaderboard,
  getPattern,
  getOccurrenceBuckets,
  getPatternRangeSummary,
  getPatternSavingsBuckets,
  getRecentOccurrences,
  getSimilarityHistogram,
  getSparklines,
  likePattern,
  SPARKLINE_SLOTS,
} from '@/db/queries/patterns';
import { queryRows } from '@/db/sql';
import {
  LEADERBOARD_SORTS,
  parseLeaderboardParams,
  type LeaderboardParams,
} from '@/lib/leaderboard-params';
import type { ResolvedRange } from '@/lib/time-range';
import { describeEachDatabase, TEST_ANCHOR } from './support/databases';
import { rangeOf } from './support/ranges';

const params = (overrides: Partial<LeaderboardParams> = {}): LeaderboardParams => ({
  ...parseLeaderboardParams({}),
  ...overrides,
});

// Similarity as the pages read it: a stored value above 1 is a percentage.
const ratio = sql.raw(
  '(CASE WHEN similarity_score > 1 THEN similarity_score::float8 / 100 ELSE similarity_score::float8 END)',
);

type Expected = {
  id: number;
  occurrences: number;
  avg: number | null;
  min: number | null;
  workflows: number;
  last: number | null;
  tokens: number;
  usd: number;
  estimate: number;
  confidence: number | null;
};

describe('likePattern', () => {
  it('treats % and _ and backslash literally', () => {
    expect(likePattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%');
  });
});

describeEachDatabase(
  'pattern leaderboard and pattern page',
  { seed: true, pooled: true },
  (get) => {
    const custom: ResolvedRange = rangeOf({
      range: 'custom',
      from: '2026-02-01',
      to: '2026-02-14',
    });

    async function expected(range: ResolvedRange): Promise<Expected[]> {
      const f = range.filter;
      const within = (column: string) =>
        f.from && f.to
          ? sql.raw(
              `${column} >= '${f.from.toISOString()}'::timestamptz AT TIME ZONE 'UTC' AND ${column} < '${f.to.toISOString()}'::timestamptz AT TIME ZONE 'UTC'`,
            )
          : sql.raw('TRUE');
      return queryRows<Expected>(
        get().db,
        sql`SELECT op.id,
          (SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id AND ${within('po.detected_at')})::int AS occurrences,
          (SELECT avg(${ratio}) FROM pattern_occurrences po WHERE po.pattern_id = op.id AND ${within('po.detected_at')}) AS avg,
          (SELECT min(${ratio}) FROM pattern_occurrences po WHERE po.pattern_id = op.id AND ${within('po.detected_at')}) AS min,
          (SELECT count(DISTINCT workflow_id) FROM pattern_occurrences po WHERE po.pattern_id = op.id AND ${within('po.detected_at')})::int AS workflows,
          (SELECT extract(epoch FROM max(detected_at)) * 1000 FROM pattern_occurrences po WHERE po.pattern_id = op.id)::float8 AS last,
          (SELECT coalesce(sum(tokens_saved), 0) FROM cost_savings_log s WHERE s.pattern_id = op.id AND ${within('s.saved_at')})::float8 AS tokens,
          (SELECT coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 FROM cost_savings_log s WHERE s.pattern_id = op.id AND ${within('s.saved_at')}) AS usd,
          coalesce(op.potential_monthly_savings::text::numeric, 0)::float8 AS estimate,
          (CASE WHEN op.confidence_score > 1 THEN op.confidence_score::float8 / 100 ELSE op.confidence_score::float8 END) AS confidence
        FROM operation_patterns op ORDER BY op.id`,
      );
    }

    async function wholeBoard(range: ResolvedRange, overrides: Partial<LeaderboardParams> = {}) {
      const first = await getLeaderboard(get().db, range, params({ size: 100, ...overrides }));
      const second = await getLeaderboard(
        get().db,
        range,
        params({ size: 100, page: 2, ...overrides }),
      );
      const third = await getLeaderboard(
        get().db,
        range,
        params({ size: 100, page: 3, ...overrides }),
      );
      return { ...first, rows: [...first.rows, ...second.rows, ...third.rows] };
    }

    it("agrees with the seed report's pattern statistics query, all time", async () => {
      const { db } = get();
      const range = rangeOf({ range: 'all' }, await getDataExtent(db, TEST_ANCHOR));
      const report = await queryRows<{
        pattern_signature: string;
        total_occurrences: number;
        avg_similarity: number | null;
      }>(
        db,
        // The report's query, with similarity read on one scale: the demo mixes 0–1 with the real
        // writer's 100.0, which the report's plain AVG would average as they are.
        sql`SELECT op.pattern_signature, COUNT(po.id)::int as total_occurrences,
            AVG(CASE WHEN po.similarity_score > 1 THEN po.similarity_score / 100 ELSE po.similarity_score END)::float8 as avg_similarity
          FROM operation_patterns op LEFT JOIN pattern_occurrences po ON po.pattern_id = op.id
          GROUP BY op.id, op.pattern_signature ORDER BY total_occurrences DESC LIMIT 10`,
      );
      const board = await getLeaderboard(db, range, params({ size: 10 }));
      expect(board.rows.map((r) => [r.signature, r.occurrences])).toEqual(
        report.map((r) => [r.pattern_signature, r.total_occurrences]),
      );
      for (const [index, row] of board.rows.entries()) {
        expect(row.avgSimilarity).toBeCloseTo(report[index]!.avg_similarity!, 10);
      }
    });

    it('every figure of every row equals independent SQL, in a custom range', async () => {
      const board = await wholeBoard(custom);
      const truth = new Map((await expected(custom)).map((e) => [e.id, e]));
      const total = [...truth.values()].reduce((sum, e) => sum + e.occurrences, 0);
      expect(board.total).toBe(200);
      expect(board.rows).toHaveLength(200);
      expect(board.totalOccurrences).toBe(total);
      const monthly = 30 / 14;
      for (const row of board.rows) {
        const e = truth.get(row.id)!;
        expect(row.occurrences).toBe(e.occurrences);
        expect(row.share).toBeCloseTo(e.occurrences / total, 12);
        if (e.confidence === null) expect(row.confidence).toBeNull();
        else expect(row.confidence).toBeCloseTo(e.confidence, 12);
        if (e.avg === null) expect(row.avgSimilarity).toBeNull();
        else expect(row.avgSimilarity).toBeCloseTo(e.avg, 10);
        if (e.min === null) expect(row.minSimilarity).toBeNull();
        else expect(row.minSimilarity).toBeCloseTo(e.min, 10);
        expect(row.workflows).toBe(e.workflows);
        expect(row.lastSeen).toBe(e.last);
        expect(row.tokensSaved).toBe(e.tokens);
        expect(row.usdSaved).toBeCloseTo(e.usd, 9);
        expect(row.estimatedMonthly).toBeCloseTo(e.estimate, 9);
        expect(row.actualMonthly).toBeCloseTo(e.usd * monthly, 9);
      }
      // Patterns with no occurrence in the range are listed with zeros, not dropped.
      const silent = board.rows.filter((r) => r.occurrences === 0);
      expect(silent.length).toBeGreaterThan(0);
      for (const row of silent)
        expect(row).toMatchObject({ workflows: 0, avgSimilarity: null, share: 0 });
    });

    it.each(LEADERBOARD_SORTS)('orders by %s in both directions, ties by id', async (sort) => {
      const key = sort === 'share' ? 'occurrences' : sort === 'actualMonthly' ? 'usdSaved' : sort;
      for (const dir of ['asc', 'desc'] as const) {
        const board = await wholeBoard(custom, { sort, dir });
        expect(board.rows.map((r) => r.rank)).toEqual(board.rows.map((_, i) => i + 1));
        const values = board.rows.map((r) => ({
          id: r.id,
          value: r[key as keyof typeof r] as number | null,
        }));
        const sorted = [...values].sort((a, b) => {
          if (a.value === b.value) return a.id - b.id;
          if (a.value === null) return 1;
          if (b.value === null) return -1;
          return dir === 'asc' ? a.value - b.value : b.value - a.value;
        });
        expect(values.map((v) => v.id)).toEqual(sorted.map((v) => v.id));
      }
    });

    it('filters by type, status and a literal signature search, and pages', async () => {
      const { db } = get();
      await db.execute(
        sql`INSERT INTO operation_patterns (pattern_signature, pattern_type, automation_status) VALUES
          ('odd:100%_done', 'odd', 'candidate'), ('odd:100x_done', 'odd', 'candidate')`,
      );
      try {
        const literal = await getLeaderboard(db, custom, params({ q: '100%_' }));
        expect(literal.rows.map((r) => r.signature)).toEqual(['odd:100%_done']);
        const upper = await getLeaderboard(db, custom, params({ q: 'PYTEST' }));
        const [count] = await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM operation_patterns WHERE position('pytest' in lower(pattern_signature)) > 0`,
        );
        expect(upper.total).toBe(count!.n);
        const tests = await getLeaderboard(
          db,
          custom,
          params({ type: ['test'], status: ['active', 'approved'], size: 100 }),
        );
        const [filtered] = await queryRows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM operation_patterns WHERE pattern_type = 'test' AND automation_status IN ('active', 'approved')`,
        );
        expect(tests.total).toBe(filtered!.n);
        for (const row of tests.rows) {
          expect(row.type).toBe('test');
          expect(['active', 'approved']).toContain(row.status);
        }
        const all = await getLeaderboard(db, custom, params({ size: 25 }));
        const page2 = await getLeaderboard(db, custom, params({ size: 10, page: 2 }));
        expect(page2.rows.map((r) => r.id)).toEqual(all.rows.slice(10, 20).map((r) => r.id));
        const past = await getLeaderboard(db, custom, params({ size: 100, page: 50 }));
        expect(past).toMatchObject({ rows: [], total: 202 });
      } finally {
        await db.execute(sql`DELETE FROM operation_patterns WHERE pattern_type = 'odd'`);
      }
    });

    it('sparklines split each pattern’s occurrences in the range into equal slices', async () => {
      const board = await getLeaderboard(get().db, custom, params({ size: 10 }));
      const lines = await getSparklines(
        get().db,
        custom,
        board.rows.map((r) => r.id),
      );
      for (const row of board.rows) {
        const line = lines.get(row.id)!;
        expect(line).toHaveLength(SPARKLINE_SLOTS);
        expect(line.reduce((a, b) => a + b, 0)).toBe(row.occurrences);
      }
    });

    describe('one pattern', () => {
      async function busiestPattern() {
        const board = await getLeaderboard(get().db, custom, params({ size: 1 }));
        return board.rows[0]!;
      }

      it('its facts show the counted occurrences beside the stored counter', async () => {
        const { db } = get();
        const [drifted] = await queryRows<{ id: number; stored: number; counted: number }>(
          db,
          sql`SELECT op.id, op.occurrence_count AS stored, (SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id)::int AS counted
            FROM operation_patterns op WHERE op.occurrence_count > 10 * greatest((SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id), 1) LIMIT 1`,
        );
        const facts = await getPattern(db, drifted!.id);
        expect(facts).toMatchObject({
          storedOccurrenceCount: drifted!.stored,
          countedOccurrences: drifted!.counted,
        });
        expect(await getPattern(db, 987654)).toBeNull();
      });

      it('summary, buckets, histogram and recent occurrences equal independent SQL', async () => {
        const { db } = get();
        const pattern = await busiestPattern();
        const range = rangeOf({
          range: 'custom',
          from: '2026-02-01',
          to: '2026-02-14',
          granularity: 'day',
        });
        const summary = await getPatternRangeSummary(db, range, pattern.id);
        expect(summary.occurrences).toBe(pattern.occurrences);
        expect(summary.usdSaved).toBeCloseTo(pattern.usdSaved, 9);
        expect(summary.tokensSaved).toBe(pattern.tokensSaved);

        const daily = await queryRows<{ day: string; n: number; avg: number }>(
          db,
          sql`SELECT to_char(date_trunc('day', detected_at), 'YYYY-MM-DD') AS day, count(*)::int AS n, avg(${ratio}) AS avg
            FROM pattern_occurrences WHERE pattern_id = ${pattern.id}
              AND detected_at >= '2026-02-01' AND detected_at < '2026-02-15' GROUP BY 1 ORDER BY 1`,
        );
        const buckets = await getOccurrenceBuckets(db, range, pattern.id);
        expect(buckets.buckets).toHaveLength(14);
        expect(buckets.buckets[0]).toBe(Date.UTC(2026, 1, 1));
        expect(
          buckets.rows.map((r) => [new Date(r.bucket).toISOString().slice(0, 10), r.count]),
        ).toEqual(daily.map((d) => [d.day, d.n]));
        for (const [i, row] of buckets.rows.entries())
          expect(row.avgSimilarity).toBeCloseTo(daily[i]!.avg, 10);
        expect(buckets.rows.reduce((sum, r) => sum + r.count, 0)).toBe(pattern.occurrences);

        const savings = await getPatternSavingsBuckets(db, range, pattern.id);
        expect(savings.rows.reduce((sum, r) => sum + r.usd, 0)).toBeCloseTo(pattern.usdSaved, 9);

        const histogram = await getSimilarityHistogram(db, range, pattern.id);
        const bins = await queryRows<{ bin: number; n: number }>(
          db,
          sql`SELECT least(width_bucket(${ratio}, 0, 1, 20), 20) - 1 AS bin, count(*)::int AS n FROM pattern_occurrences
            WHERE pattern_id = ${pattern.id} AND similarity_score IS NOT NULL
              AND detected_at >= '2026-02-01' AND detected_at < '2026-02-15' GROUP BY 1`,
        );
        const expectedBins = Array.from({ length: 20 }, () => 0);
        for (const b of bins) expectedBins[b.bin] = b.n;
        expect(histogram.bins).toEqual(expectedBins);
        expect(histogram.bins.reduce((a, b) => a + b, 0) + histogram.missing).toBe(
          pattern.occurrences,
        );

        const recent = await getRecentOccurrences(db, range, pattern.id, { size: 5, offset: 0 });
        const latest = await queryRows<{ id: number }>(
          db,
          sql`SELECT id FROM pattern_occurrences WHERE pattern_id = ${pattern.id}
              AND detected_at >= '2026-02-01' AND detected_at < '2026-02-15' ORDER BY detected_at DESC, id DESC LIMIT 5`,
        );
        expect(recent.map((r) => r.id)).toEqual(latest.map((r) => r.id));
      });

      it('a pattern with no occurrences has empty buckets and zero sums', async () => {
        const { db } = get();
        const [silent] = await queryRows<{ id: number }>(
          db,
          sql`SELECT id FROM operation_patterns op WHERE NOT EXISTS (SELECT 1 FROM pattern_occurrences po WHERE po.pattern_id = op.id) LIMIT 1`,
        );
        const range = rangeOf({ range: 'all' }, await getDataExtent(db, TEST_ANCHOR));
        const buckets = await getOccurrenceBuckets(db, range, silent!.id);
        expect(buckets.buckets.length).toBeGreaterThan(10);
        expect(buckets.rows).toEqual([]);
        expect(await getPatternRangeSummary(db, range, silent!.id)).toMatchObject({
          occurrences: 0,
          avgSimilarity: null,
          usdSaved: 0,
        });
      });
    });
  },
);
