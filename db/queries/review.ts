import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { ReviewParams, ReviewSort } from '@/lib/review-params';
import { DECIDED_STATUSES } from '@/lib/review';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { patternFilters } from './patterns';
import { reviewVersion } from './review-version';
import { liveOccurrenceTotals } from '../rollups/views';
import { lastSeenOf } from './rollup';
import { scoreRatio } from './time';

export type ReviewQueueRow = {
  id: number;
  signature: string;
  type: string;
  status: string | null;
  occurrences: number;
  estimatedMonthly: number;
  /** 0–1, whatever the stored scale; null when none is stored. */
  confidence: number | null;
  /** occurrences × estimated monthly savings × confidence (0–1). */
  priority: number;
  lastSeen: number | null;
  version: string;
  reviewNotes: string | null;
};

const SORT_COLUMNS: Record<ReviewSort, string> = {
  priority: 'priority',
  occurrences: 'occurrences',
  estimatedMonthly: '"estimatedMonthly"',
  confidence: 'confidence',
  lastSeen: '"lastSeen"',
};

const decided = sql.join(
  DECIDED_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

/** Patterns awaiting a decision: any status but the decided ones (unknown stored values included). */
export const AWAITING_REVIEW = sql`coalesce(op.automation_status::text, '') NOT IN (${decided})`;

function queueFilters(params: ReviewParams): SQL {
  return sql`${AWAITING_REVIEW} AND ${patternFilters(params)}`;
}

/** The review queue, all time: occurrences are counted rows, not the stored counter. */
export async function getReviewQueue(
  db: Database,
  params: ReviewParams,
): Promise<{ rows: ReviewQueueRow[]; total: number }> {
  const direction = sql.raw(params.dir === 'asc' ? 'ASC' : 'DESC');
  const order = sql.raw(SORT_COLUMNS[params.sort]);
  const rows = await readRows<ReviewQueueRow & { total: number }>(
    db,
    sql`WITH queue AS (
          SELECT op.id::int AS id, op.pattern_signature::text AS signature,
            op.pattern_type::text AS type, op.automation_status::text AS status,
            coalesce(c.occurrences, 0) AS occurrences,
            coalesce(pattern_ledger.money(op.potential_monthly_savings)::float8, 0) AS "estimatedMonthly",
            ${scoreRatio(sql`op.confidence_score`)} AS confidence,
            coalesce(c.occurrences, 0) * coalesce(pattern_ledger.money(op.potential_monthly_savings)::float8, 0)
              * coalesce(${scoreRatio(sql`op.confidence_score`)}, 0) AS priority,
            (date_part('epoch', ${lastSeenOf(sql`op.id`)}) * 1000)::float8 AS "lastSeen",
            ${reviewVersion(sql`op`)} AS version,
            op.review_notes::text AS "reviewNotes"
          FROM operation_patterns op LEFT JOIN ${liveOccurrenceTotals()} c ON c.pattern_id = op.id
          WHERE ${queueFilters(params)}
        )
        SELECT *, (count(*) OVER ())::int AS total FROM queue
        ORDER BY ${order} ${direction} NULLS LAST, id ASC
        LIMIT ${params.size} OFFSET ${(params.page - 1) * params.size}`,
  );
  if (rows.length === 0 && params.page > 1) {
    const [count] = await readRows<{ total: number }>(
      db,
      sql`SELECT count(*)::int AS total FROM operation_patterns op WHERE ${queueFilters(params)}`,
    );
    return { rows: [], total: count?.total ?? 0 };
  }
  return { rows: rows.map(({ total: _t, ...row }) => row), total: rows[0]?.total ?? 0 };
}

/** The statuses present among patterns awaiting review, for the queue's filter. */
export async function getQueueStatuses(
  db: Database,
): Promise<{ types: string[]; statuses: string[] }> {
  const rows = await readRows<{ kind: string; value: string }>(
    db,
    sql`SELECT DISTINCT 'type' AS kind, op.pattern_type::text AS value FROM operation_patterns op WHERE ${AWAITING_REVIEW}
        UNION SELECT DISTINCT 'status', coalesce(op.automation_status::text, '') FROM operation_patterns op WHERE ${AWAITING_REVIEW}
        ORDER BY 1, 2`,
  );
  return {
    types: rows.filter((r) => r.kind === 'type').map((r) => r.value),
    statuses: rows.filter((r) => r.kind === 'status').map((r) => r.value),
  };
}

export type ReviewHistoryRow = {
  id: string;
  /** Pattern Ledger's review, or an entry of the real system's own review tables. */
  source: 'pattern-ledger' | 'agents';
  action: string;
  previousStatus: string | null;
  newStatus: string | null;
  note: string | null;
  reviewedBy: string;
  reviewedAt: number;
};

/**
 * A pattern's reviews, newest first: those made in Pattern Ledger, and the entries of the real
 * system's own review tables (pattern_review_history, pattern_approvals) for its signature.
 */
export async function getReviewHistory(
  db: Database,
  patternId: number,
): Promise<ReviewHistoryRow[]> {
  return readRows<ReviewHistoryRow>(
    db,
    sql`SELECT id, source, action, "previousStatus", "newStatus", note, "reviewedBy", "reviewedAt" FROM (
        SELECT 'pl-' || id::text AS id, 'pattern-ledger' AS source, action, previous_status AS "previousStatus",
          new_status AS "newStatus", note, reviewed_by AS "reviewedBy",
          (date_part('epoch', reviewed_at) * 1000)::float8 AS "reviewedAt", id AS seq
        FROM pattern_ledger.review_history WHERE pattern_id = ${patternId}
        UNION ALL
        SELECT x.id, 'agents', x.action, NULL, x.status, x.note, coalesce(x.reviewed_by, '—'),
          (date_part('epoch', x.reviewed_at) * 1000)::float8, 0
        FROM operation_patterns op, pattern_ledger.external_reviews(op.pattern_signature::text) x
        WHERE op.id = ${patternId} AND x.reviewed_at IS NOT NULL
      ) r ORDER BY "reviewedAt" DESC NULLS LAST, seq DESC, id DESC LIMIT 200`,
  );
}
