import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { LeaderboardParams, LeaderboardSort } from '@/lib/leaderboard-params';
import { rangeDays, type ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { liveOccurrenceTotals, liveSavingsTotals } from '../rollups/views';
import { reviewVersion } from './review-version';
import {
  filterSpans,
  getBucketSpans,
  lastSeenOf,
  occurrencePieces,
  savingsPerPattern,
  savingsPieces,
} from './rollup';
import { inRange, scoreRatio } from './time';

export type LeaderboardRow = {
  rank: number;
  id: number;
  signature: string;
  type: string;
  status: string | null;
  occurrences: number;
  /** Of all occurrences in the range, 0–1; null when the range has none. */
  share: number | null;
  /** 0–1, whatever the stored scale; null without occurrences. */
  avgSimilarity: number | null;
  minSimilarity: number | null;
  workflows: number;
  /** Latest occurrence at any time, epoch ms; null when it never occurred. */
  lastSeen: number | null;
  /** operation_patterns.occurrence_count, as the agents' writer keeps it (it drifts). */
  storedCount: number | null;
  /** operation_patterns.last_seen, as stored. */
  storedLastSeen: number | null;
  tokensSaved: number;
  usdSaved: number;
  estimatedMonthly: number;
  /** USD saved in the range scaled to 30 days. */
  actualMonthly: number;
  /** 0–1, whatever the stored scale. */
  confidence: number | null;
  /** actualMonthly ÷ estimatedMonthly; null without a positive estimate. */
  roi: number | null;
};

export type Leaderboard = { rows: LeaderboardRow[]; total: number; totalOccurrences: number };

const SORT_COLUMNS: Record<LeaderboardSort, string> = {
  occurrences: 'occurrences',
  share: 'occurrences',
  avgSimilarity: '"avgSimilarity"',
  minSimilarity: '"minSimilarity"',
  workflows: 'workflows',
  lastSeen: '"lastSeen"',
  tokensSaved: '"tokensSaved"',
  usdSaved: '"usdSaved"',
  estimatedMonthly: '"estimatedMonthly"',
  actualMonthly: '"usdSaved"',
  confidence: 'confidence',
  roi: 'roi',
};

/** `%` and `_` in a search are literal characters, not wildcards. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The type, status and signature filters of a list of patterns (alias `op`). */
export function patternFilters(params: Pick<LeaderboardParams, 'type' | 'status' | 'q'>): SQL {
  const parts: SQL[] = [sql`TRUE`];
  if (params.type.length > 0)
    parts.push(
      sql`op.pattern_type::text IN (${sql.join(
        params.type.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (params.status.length > 0)
    parts.push(
      sql`coalesce(op.automation_status::text, '') IN (${sql.join(
        params.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (params.q)
    parts.push(sql`op.pattern_signature::text ILIKE ${likePattern(params.q)} ESCAPE '\\'`);
  return sql.join(parts, sql` AND `);
}

/**
 * One row per pattern (including those with no occurrence in the range), filtered and sorted in
 * SQL, ties broken by id so the order is stable; `page` limits it (null: every row, for exports).
 * Counts, similarities and savings come from the rollups; distinct workflows of a bounded range
 * are not additive, so they are counted from the raw rows, for the page's rows only unless the
 * board is sorted by them.
 */
export function leaderboardQuery(
  range: ResolvedRange,
  params: LeaderboardParams,
  page: { limit: number; offset: number } | null,
): SQL {
  const spans = filterSpans(range.filter);
  const monthly = 30 / Math.max(rangeDays(range), 1 / 24);
  const direction = sql.raw(params.dir === 'asc' ? 'ASC' : 'DESC');
  const order = sql.raw(SORT_COLUMNS[params.sort]);
  const occurred = inRange(sql`po.detected_at`, range.filter);
  // Distinct workflows per pattern: from the all-time rollup, for every row when sorted by them
  // (or exported), else only for the rows of the page.
  const workflowsOnPage = spans !== null && page !== null && params.sort !== 'workflows';
  const occ = spans
    ? sql`SELECT pattern_id, sum(occurrences)::int AS n, sum(similarity_sum) / nullif(sum(scored), 0) AS avg_sim,
          min(similarity_min) AS min_sim
        FROM ${occurrencePieces(spans, undefined, 'pattern', { minimum: true })} pieces GROUP BY pattern_id`
    : sql`SELECT pattern_id, occurrences AS n, similarity_sum / nullif(scored, 0) AS avg_sim, similarity_min AS min_sim,
          workflows FROM ${liveOccurrenceTotals()} t`;
  const wf = spans
    ? sql`SELECT pattern_id, count(*)::int AS workflows
        FROM (SELECT DISTINCT po.pattern_id, po.workflow_id FROM pattern_occurrences po WHERE ${occurred}) pairs GROUP BY pattern_id`
    : sql`SELECT pattern_id, workflows FROM occ`;
  return sql`WITH occ AS (${occ}),
      ${workflowsOnPage ? sql`` : sql`wf AS (${wf}),`}
      sav AS ${savingsPerPattern(range.filter)},
      total AS (SELECT coalesce(sum(n), 0)::float8 AS n FROM occ),
      board AS (
        SELECT op.id::int AS id, op.pattern_signature::text AS signature, op.pattern_type::text AS type,
          op.automation_status::text AS status,
          coalesce(occ.n, 0) AS occurrences,
          CASE WHEN total.n > 0 THEN coalesce(occ.n, 0) / total.n END AS share,
          occ.avg_sim AS "avgSimilarity", occ.min_sim AS "minSimilarity",
          ${workflowsOnPage ? sql`` : sql`coalesce(wf.workflows, 0) AS workflows,`}
          (date_part('epoch', ${lastSeenOf(sql`op.id`)}) * 1000)::float8 AS "lastSeen",
          op.occurrence_count::float8 AS "storedCount",
          (date_part('epoch', op.last_seen) * 1000)::float8 AS "storedLastSeen",
          coalesce(sav.tokens, 0) AS "tokensSaved", coalesce(sav.usd, 0) AS "usdSaved",
          coalesce(pattern_ledger.money(op.potential_monthly_savings)::float8, 0) AS "estimatedMonthly",
          coalesce(sav.usd, 0) * ${monthly}::float8 AS "actualMonthly",
          CASE WHEN pattern_ledger.money(op.potential_monthly_savings)::float8 > 0
            THEN coalesce(sav.usd, 0) * ${monthly}::float8 / pattern_ledger.money(op.potential_monthly_savings)::float8 END AS roi,
          ${scoreRatio(sql`op.confidence_score`)} AS confidence,
          total.n::int AS "totalOccurrences"
        FROM operation_patterns op
        CROSS JOIN total
        LEFT JOIN occ ON occ.pattern_id = op.id
        ${workflowsOnPage ? sql`` : sql`LEFT JOIN wf ON wf.pattern_id = op.id`}
        LEFT JOIN sav ON sav.pattern_id = op.id
        WHERE ${patternFilters(params)}
      ), ranked AS (
        SELECT *, (row_number() OVER (ORDER BY ${order} ${direction} NULLS LAST, id ASC))::int AS rank,
          (count(*) OVER ())::int AS total
        FROM board
        ORDER BY rank
        ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}
      )
      SELECT ranked.*${
        workflowsOnPage
          ? sql`, (SELECT count(DISTINCT po.workflow_id)::int FROM pattern_occurrences po
                WHERE po.pattern_id = ranked.id AND ${occurred}) AS workflows`
          : sql``
      }
      FROM ranked ORDER BY rank`;
}

export async function getLeaderboard(
  db: Database,
  range: ResolvedRange,
  params: LeaderboardParams,
): Promise<Leaderboard> {
  const offset = (params.page - 1) * params.size;
  const page = { limit: params.size, offset };
  const rows = await readRows<LeaderboardRow & { total: number; totalOccurrences: number }>(
    db,
    question('leaderboard', [range, params, page], () => leaderboardQuery(range, params, page)),
  );
  if (rows.length === 0 && offset > 0) {
    // Past the last page: report the total so the page can offer a way back.
    const [count] = await readRows<{ total: number }>(
      db,
      sql`SELECT count(*)::int AS total FROM operation_patterns op WHERE ${patternFilters(params)}`,
    );
    return { rows: [], total: count?.total ?? 0, totalOccurrences: 0 };
  }
  return {
    rows: rows.map(({ total: _t, totalOccurrences: _o, ...row }) => row),
    total: rows[0]?.total ?? 0,
    totalOccurrences: rows[0]?.totalOccurrences ?? 0,
  };
}

export type SparklinePoint = { patternId: number; slot: number; count: number };
export const SPARKLINE_SLOTS = 24;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Occurrences of the given patterns in SPARKLINE_SLOTS equal slices of the range (to the hour). */
export async function getSparklines(
  db: Database,
  range: ResolvedRange,
  patternIds: number[],
): Promise<Map<number, number[]>> {
  const series = new Map<number, number[]>(
    patternIds.map((id) => [id, Array.from({ length: SPARKLINE_SLOTS }, () => 0)]),
  );
  if (patternIds.length === 0) return series;
  const from = range.from.getTime();
  const to = range.to.getTime();
  const width = (to - from) / SPARKLINE_SLOTS;
  // Inner boundaries on whole days or hours when slices are long enough, so the rollups answer them.
  const unit = width >= 2 * DAY ? DAY : width >= 2 * HOUR ? HOUR : 1;
  const boundary = (slot: number) =>
    slot === 0
      ? from
      : slot === SPARKLINE_SLOTS
        ? to
        : Math.round((from + slot * width) / unit) * unit;
  const slices = Array.from({ length: SPARKLINE_SLOTS }, (_, slot) => ({
    key: slot,
    from: boundary(slot),
    to: boundary(slot + 1),
  }));
  const ids = sql.join(
    patternIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const points = await readRows<SparklinePoint>(
    db,
    question(
      'sparklines',
      [slices, patternIds],
      () => sql`SELECT pattern_id::int AS "patternId", key::int AS slot, sum(occurrences)::int AS count
        FROM ${occurrencePieces(slices, (column) => sql`${column} IN (${ids})`)} pieces
        GROUP BY 1, 2`,
    ),
  );
  for (const point of points) {
    const line = series.get(point.patternId);
    if (line) line[point.slot] = point.count;
  }
  return series;
}

export type FilterOptions = { types: string[]; statuses: string[] };

export async function getPatternFilterOptions(db: Database): Promise<FilterOptions> {
  const rows = await readRows<{ kind: 'type' | 'status'; value: string }>(
    db,
    sql`SELECT DISTINCT 'type' AS kind, pattern_type::text AS value FROM operation_patterns
        UNION SELECT DISTINCT 'status', coalesce(automation_status::text, '') FROM operation_patterns
        ORDER BY 1, 2`,
  );
  return {
    types: rows.filter((r) => r.kind === 'type').map((r) => r.value),
    statuses: rows.filter((r) => r.kind === 'status').map((r) => r.value),
  };
}

export type PatternFacts = {
  id: number;
  signature: string;
  type: string;
  status: string | null;
  firstDetected: number | null;
  lastSeen: number | null;
  storedOccurrenceCount: number | null;
  countedOccurrences: number;
  confidence: number | null;
  toolName: string | null;
  toolScriptPath: string | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewNotes: string | null;
  avgTokensWithLlm: number | null;
  avgTokensWithTool: number | null;
  avgCostWithLlm: number | null;
  avgCostWithTool: number | null;
  estimatedMonthly: number;
  typicalInputPattern: string | null;
  /** The review state a review must still find to apply. */
  reviewVersion: string;
};

const epoch = (column: string) => sql.raw(`(date_part('epoch', ${column}) * 1000)::float8`);

export async function getPattern(db: Database, id: number): Promise<PatternFacts | null> {
  const [row] = await readRows<PatternFacts>(
    db,
    sql`SELECT op.id::int AS id, op.pattern_signature::text AS signature, op.pattern_type::text AS type,
        op.automation_status::text AS status,
        ${epoch('op.first_detected')} AS "firstDetected", ${epoch('op.last_seen')} AS "lastSeen",
        op.occurrence_count::int AS "storedOccurrenceCount",
        coalesce((SELECT occurrences FROM ${liveOccurrenceTotals((c) => sql`${c} = op.id`)} t), 0)::int AS "countedOccurrences",
        ${scoreRatio(sql`op.confidence_score`)} AS confidence, op.tool_name::text AS "toolName",
        op.tool_script_path::text AS "toolScriptPath", op.reviewed_by::text AS "reviewedBy",
        ${epoch('op.reviewed_at')} AS "reviewedAt", op.review_notes::text AS "reviewNotes",
        op.avg_tokens_with_llm::float8 AS "avgTokensWithLlm", op.avg_tokens_with_tool::float8 AS "avgTokensWithTool",
        pattern_ledger.money(op.avg_cost_with_llm)::float8 AS "avgCostWithLlm", pattern_ledger.money(op.avg_cost_with_tool)::float8 AS "avgCostWithTool",
        coalesce(pattern_ledger.money(op.potential_monthly_savings)::float8, 0) AS "estimatedMonthly",
        op.typical_input_pattern::text AS "typicalInputPattern",
        ${reviewVersion(sql`op`)} AS "reviewVersion"
      FROM operation_patterns op WHERE op.id = ${id}`,
  );
  return row ?? null;
}

export type PatternRangeSummary = {
  occurrences: number;
  undated: number;
  avgSimilarity: number | null;
  workflows: number;
  tokensSaved: number;
  usdSaved: number;
  savingsEntries: number;
  actualMonthly: number;
};

export async function getPatternRangeSummary(
  db: Database,
  range: ResolvedRange,
  id: number,
): Promise<PatternRangeSummary> {
  const [row] = await readRows<PatternRangeSummary>(
    db,
    question('patternRangeSummary', [range, id], () => patternRangeSummaryQuery(range, id)),
  );
  if (!row) throw new Error('pattern summary query returned nothing');
  return row;
}

function patternRangeSummaryQuery(range: ResolvedRange, id: number): SQL {
  const monthly = 30 / Math.max(rangeDays(range), 1 / 24);
  const spans = filterSpans(range.filter);
  const occurrences = spans
    ? sql`SELECT coalesce(sum(occurrences), 0)::int AS n, sum(similarity_sum) / nullif(sum(scored), 0) AS avg,
          (SELECT count(DISTINCT workflow_id)::int FROM pattern_occurrences
            WHERE pattern_id = ${id} AND ${inRange(sql`detected_at`, range.filter)}) AS workflows
        FROM ${occurrencePieces(spans, (column) => sql`${column} = ${id}`)} pieces`
    : sql`SELECT coalesce(sum(occurrences), 0)::int AS n, sum(similarity_sum) / nullif(sum(scored), 0) AS avg,
          coalesce(sum(workflows), 0)::int AS workflows
        FROM ${liveOccurrenceTotals((c) => sql`${c} = ${id}`)} t`;
  const savings = spans
    ? savingsPieces(spans, (t) => sql`${t}.pattern_id = ${id}`)
    : liveSavingsTotals((t) => sql`${t}.pattern_id = ${id}`);
  return sql`SELECT o.n AS occurrences,
        coalesce((SELECT undated FROM ${liveOccurrenceTotals((c) => sql`${c} = ${id}`)} t), 0)::int AS undated,
        o.avg AS "avgSimilarity", o.workflows,
        s."tokensSaved", s."usdSaved", s."savingsEntries", s."usdSaved" * ${monthly}::float8 AS "actualMonthly"
      FROM (${occurrences}) o,
        (SELECT coalesce(sum(tokens_saved), 0)::float8 AS "tokensSaved",
            coalesce(sum(cost_saved_usd), 0)::float8 AS "usdSaved",
            coalesce(sum(entries), 0)::int AS "savingsEntries" FROM ${savings} s) s`;
}

export type BucketRows<T> = { buckets: number[]; rows: (T & { bucket: number })[] };

/** Occurrences and their average similarity per bucket, of one pattern or of all. */
export async function getOccurrenceBuckets(
  db: Database,
  range: ResolvedRange,
  patternId?: number,
): Promise<BucketRows<{ count: number; avgSimilarity: number }>> {
  const { buckets, spans } = await getBucketSpans(db, range);
  const rows = await readRows<{ bucket: number; count: number; avgSimilarity: number }>(
    db,
    question(
      'occurrenceBuckets',
      [spans, patternId ?? null],
      () => sql`SELECT key AS bucket, sum(occurrences)::int AS count,
          sum(similarity_sum) / nullif(sum(scored), 0) AS "avgSimilarity"
        FROM ${
          patternId === undefined
            ? occurrencePieces(spans, undefined, 'all')
            : occurrencePieces(spans, (column) => sql`${column} = ${patternId}`)
        } pieces
        GROUP BY 1 ORDER BY 1`,
    ),
  );
  return { buckets, rows };
}

/** USD and tokens attributed to one pattern per bucket. */
export async function getPatternSavingsBuckets(
  db: Database,
  range: ResolvedRange,
  id: number,
): Promise<BucketRows<{ usd: number; tokens: number }>> {
  const { buckets, spans } = await getBucketSpans(db, range);
  const rows = await readRows<{ bucket: number; usd: number; tokens: number }>(
    db,
    question(
      'patternSavingsBuckets',
      [spans, id],
      () => sql`SELECT key AS bucket, sum(cost_saved_usd)::float8 AS usd, sum(tokens_saved)::float8 AS tokens
        FROM ${savingsPieces(spans, (t) => sql`${t}.pattern_id = ${id}`)} pieces
        GROUP BY 1 ORDER BY 1`,
    ),
  );
  return { buckets, rows };
}

export const HISTOGRAM_BINS = 20;

/** Similarity in HISTOGRAM_BINS bins of 5 % each (100 % in the last bin); nulls counted apart. */
export async function getSimilarityHistogram(
  db: Database,
  range: ResolvedRange,
  id: number,
): Promise<{ bins: number[]; missing: number }> {
  const rows = await readRows<{ bin: number | null; count: number }>(
    db,
    sql`SELECT CASE WHEN similarity_score IS NULL THEN NULL
          ELSE least(greatest(floor(${scoreRatio(sql`similarity_score`)} * ${HISTOGRAM_BINS}), 0), ${HISTOGRAM_BINS - 1})::int END AS bin,
        count(*)::int AS count
      FROM pattern_occurrences WHERE pattern_id = ${id} AND ${inRange(sql`detected_at`, range.filter)}
      GROUP BY 1`,
  );
  const bins = Array.from({ length: HISTOGRAM_BINS }, () => 0);
  let missing = 0;
  for (const row of rows) {
    if (row.bin === null) missing += row.count;
    else bins[row.bin] = row.count;
  }
  return { bins, missing };
}

export type OccurrenceRow = {
  id: number;
  workflowId: string;
  detectedAt: number | null;
  similarity: number | null;
  matchedCharacteristics: string | null;
};

/** One pattern's occurrences in the range, newest first; `page` limits it (null: all, for exports). */
export function occurrencesQuery(
  range: ResolvedRange,
  patternId: number,
  page: { limit: number; offset: number } | null,
): SQL {
  return sql`SELECT id::int AS id, workflow_id::text AS "workflowId",
        (date_part('epoch', detected_at) * 1000)::float8 AS "detectedAt",
        ${scoreRatio(sql`similarity_score`)} AS similarity,
        matched_characteristics::text AS "matchedCharacteristics"
      FROM pattern_occurrences
      WHERE pattern_id = ${patternId} AND ${inRange(sql`detected_at`, range.filter)}
      ORDER BY detected_at DESC NULLS LAST, id DESC
      ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`;
}

/** A page of one pattern's occurrences; their number is the range summary's `occurrences`. */
export async function getRecentOccurrences(
  db: Database,
  range: ResolvedRange,
  patternId: number,
  page: { size: number; offset: number },
): Promise<OccurrenceRow[]> {
  return readRows<OccurrenceRow>(
    db,
    occurrencesQuery(range, patternId, { limit: page.size, offset: page.offset }),
  );
}
