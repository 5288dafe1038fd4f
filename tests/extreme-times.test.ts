/**
 * Rows the agents write with their own SQL may hold any time PostgreSQL stores: 'infinity',
 * '-infinity', year 1, year 10000, year 294276, dates BC. Every page read survives them, "all
 * time" does not stretch to them, and the data-quality page counts them.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { getQualitySummary } from '@/db/queries/data-quality';
import { getKpis, getRecentNotes } from '@/db/queries/overview';
import {
  getLeaderboard,
  getOccurrenceBuckets,
  getPatternRangeSummary,
  getRecentOccurrences,
  getSimilarityHistogram,
  getSparklines,
} from '@/db/queries/patterns';
import { resolvePageRange } from '@/db/queries/range';
import { getRoiOverview } from '@/db/queries/roi';
import {
  getSavingsBuckets,
  getSavingsByType,
  getSavingsLog,
  getTopSavers,
} from '@/db/queries/savings';
import { getWorkflowMatches, getWorkflows, getWorkflowSavings } from '@/db/queries/workflows';
import { foldChanges } from '@/db/rollups/runner';
import { queryRows } from '@/db/sql';
import { formatDateTime } from '@/lib/format';
import { parseLeaderboardParams } from '@/lib/leaderboard-params';
import { parseSavingsParams } from '@/lib/savings-params';
import { parseWorkflowParams } from '@/lib/workflow-params';
import { describeEachDatabase, TEST_ANCHOR } from './support/databases';

const EXTREMES = [
  'infinity',
  '-infinity',
  '0001-01-01 00:00:00',
  '0044-03-15 12:00:00 BC',
  '9999-12-31 23:59:59',
  '10000-01-01 00:00:00',
  '294276-12-31 23:59:59',
];

describeEachDatabase('times at the edges of what PostgreSQL stores', { seed: true }, (get) => {
  let pattern = 0;
  beforeAll(async () => {
    const { db } = get();
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`SELECT id::int FROM operation_patterns ORDER BY id LIMIT 1`,
    );
    pattern = row!.id;
    for (const at of EXTREMES) {
      await db.execute(sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
        VALUES (${pattern}, 'adw-extreme', 0.5, ${at}::timestamp)`);
      await db.execute(sql`INSERT INTO cost_savings_log (optimization_type, workflow_id, pattern_id,
          baseline_tokens, actual_tokens, tokens_saved, cost_saved_usd, saved_at, notes)
        VALUES ('input_split', 'adw-extreme', ${pattern}, 10, 5, 5, 0.01, ${at}::timestamp, 'edge')`);
    }
    await db.execute(sql`UPDATE operation_patterns SET last_seen = 'infinity', first_detected = '0001-01-01'
      WHERE id = ${pattern}`);
  });

  const URLS: Record<string, string | undefined>[] = [
    { range: 'all' },
    { range: '30d' },
    { range: 'all', tz: 'Asia/Kolkata', granularity: 'day' },
    { range: 'custom', from: '1970-01-01', to: '2200-12-31' },
  ];

  it('lets every page read answer, before and after the journals are folded', async () => {
    const { db } = get();
    for (const folded of [false, true]) {
      if (folded) await foldChanges(db);
      for (const url of URLS) {
        const range = await resolvePageRange(db, url, TEST_ANCHOR);
        // The "all time" axis holds plausible dates only.
        expect(range.from.getUTCFullYear()).toBeGreaterThanOrEqual(1970);
        expect(range.to.getUTCFullYear()).toBeLessThanOrEqual(2201);
        const board = await getLeaderboard(db, range, parseLeaderboardParams({}));
        await Promise.all([
          getKpis(db, range),
          getRecentNotes(db),
          getSparklines(
            db,
            range,
            board.rows.map((r) => r.id),
          ),
          getOccurrenceBuckets(db, range),
          getOccurrenceBuckets(db, range, pattern),
          getPatternRangeSummary(db, range, pattern),
          getSimilarityHistogram(db, range, pattern),
          getRecentOccurrences(db, range, pattern, { size: 25, offset: 0 }),
          getSavingsByType(db, range),
          getSavingsBuckets(db, range),
          getTopSavers(db, range),
          getSavingsLog(db, range, parseSavingsParams({ sort: 'savedAt', dir: 'asc' })),
          getSavingsLog(db, range, parseSavingsParams({})),
          getWorkflows(db, range, parseWorkflowParams({})),
          getWorkflows(db, range, parseWorkflowParams({ q: 'extreme', sort: 'lastActivity' })),
          getRoiOverview(db, range),
        ]);
      }
      const [matches, savings] = await Promise.all([
        getWorkflowMatches(db, ['adw-extreme']),
        getWorkflowSavings(db, ['adw-extreme']),
      ]);
      expect(matches.length).toBe(EXTREMES.length);
      expect(savings.length).toBe(EXTREMES.length);
      // Each time can be shown: in words where a date cannot hold it.
      for (const row of [...matches, ...savings]) {
        const time = 'detectedAt' in row ? row.detectedAt : row.savedAt;
        expect(typeof formatDateTime(time as number, 'UTC')).toBe('string');
      }
    }
  });

  it('counts the implausible times on the data-quality page', async () => {
    const summary = await getQualitySummary(get().db, 5, TEST_ANCHOR);
    const future = summary.filter((check) => check.id === 'implausible-values');
    const flagged = future.reduce((sum, check) => sum + check.count, 0);
    expect(flagged).toBeGreaterThanOrEqual(EXTREMES.length);
  });
});
