import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { ROI_THRESHOLDS, type RoiRating } from '@/lib/roi';
import { rangeDays, type ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { savingsPerPattern } from './rollup';

export type RoiRow = {
  id: number;
  signature: string;
  type: string;
  status: string | null;
  estimatedMonthly: number;
  actualMonthly: number;
  ratio: number | null;
  rating: RoiRating;
};

/** Every pattern's estimate, actual monthly rate over the range, ratio and rating, as a subquery. */
function ratedPatterns(range: ResolvedRange): SQL {
  const monthly = 30 / Math.max(rangeDays(range), 1 / 24);
  return sql`(SELECT r.*, CASE
        WHEN ratio IS NULL THEN 'no-estimate'
        WHEN ratio >= ${ROI_THRESHOLDS.exceeds}::float8 THEN 'exceeds'
        WHEN ratio >= ${ROI_THRESHOLDS.onTrack}::float8 THEN 'on-track'
        WHEN ratio >= ${ROI_THRESHOLDS.farShort}::float8 THEN 'below'
        ELSE 'far-short' END AS rating
      FROM (
        SELECT op.id::int AS id, op.pattern_signature::text AS signature,
          op.pattern_type::text AS type, op.automation_status::text AS status,
          coalesce(pattern_ledger.money(op.potential_monthly_savings)::float8, 0) AS "estimatedMonthly",
          coalesce(sav.usd, 0) * ${monthly}::float8 AS "actualMonthly",
          CASE WHEN pattern_ledger.money(op.potential_monthly_savings)::float8 > 0
            THEN coalesce(sav.usd, 0) * ${monthly}::float8 / pattern_ledger.money(op.potential_monthly_savings)::float8 END AS ratio
        FROM operation_patterns op
        LEFT JOIN ${savingsPerPattern(range.filter)} sav ON sav.pattern_id = op.id
      ) r) AS rated`;
}

export type RoiSummaryRow = {
  rating: RoiRating;
  patterns: number;
  estimatedMonthly: number;
  actualMonthly: number;
};

export type RoiOverview = {
  byRating: RoiSummaryRow[];
  /** Highest actual-to-estimate ratio first, among patterns with an estimate and savings. */
  top: RoiRow[];
  /** Far short of the estimate, the largest monthly gap first. */
  shortfalls: RoiRow[];
};

export async function getRoiOverview(
  db: Database,
  range: ResolvedRange,
  limit = 15,
): Promise<RoiOverview> {
  const ask = (name: string, build: (rated: SQL) => SQL) =>
    question(name, [range, limit], () => build(ratedPatterns(range)));
  const [byRating, top, shortfalls] = await Promise.all([
    readRows<RoiSummaryRow>(
      db,
      ask(
        'roiByRating',
        (
          rated,
        ) => sql`SELECT rating, count(*)::int AS patterns, sum("estimatedMonthly") AS "estimatedMonthly",
            sum("actualMonthly") AS "actualMonthly"
          FROM ${rated} GROUP BY rating`,
      ),
    ),
    readRows<RoiRow>(
      db,
      ask(
        'roiTop',
        (rated) => sql`SELECT * FROM ${rated} WHERE ratio IS NOT NULL AND "actualMonthly" > 0
          ORDER BY ratio DESC, id LIMIT ${limit}`,
      ),
    ),
    readRows<RoiRow>(
      db,
      ask(
        'roiShortfalls',
        (rated) => sql`SELECT * FROM ${rated} WHERE rating = 'far-short'
          ORDER BY "estimatedMonthly" - "actualMonthly" DESC, id LIMIT ${limit}`,
      ),
    ),
  ]);
  return { byRating, top, shortfalls };
}
