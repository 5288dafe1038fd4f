import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { SavingsParams, SavingsSort } from '@/lib/savings-params';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { liveSavingsTotals } from '../rollups/views';
import { filterSpans, getBucketSpans, savingsPerPattern, savingsPieces } from './rollup';
import { inRange } from './time';
import { figureOrder, workflowFigures } from './workflows';
import type { SavingsBucketRow } from '@/lib/charts/savings-charts';

export type TypeBreakdown = {
  type: string;
  entries: number;
  usd: number;
  tokens: number;
  baseline: number;
  actual: number;
};

/** Totals per optimization type in the range (types with no entry are absent). */
export async function getSavingsByType(
  db: Database,
  range: ResolvedRange,
): Promise<TypeBreakdown[]> {
  return readRows<TypeBreakdown>(
    db,
    question('savingsByType', [range.filter], () => {
      const spans = filterSpans(range.filter);
      const pieces = spans ? savingsPieces(spans, undefined, 'type') : liveSavingsTotals();
      return sql`SELECT optimization_type AS type, sum(entries)::int AS entries,
          coalesce(sum(cost_saved_usd), 0)::float8 AS usd, coalesce(sum(tokens_saved), 0)::float8 AS tokens,
          coalesce(sum(baseline_tokens), 0)::float8 AS baseline, coalesce(sum(actual_tokens), 0)::float8 AS actual
        FROM ${pieces} pieces GROUP BY 1 ORDER BY 1`;
    }),
  );
}

/** Per bucket and optimization type: USD, tokens saved, baseline and actual tokens. */
export async function getSavingsBuckets(
  db: Database,
  range: ResolvedRange,
): Promise<{ buckets: number[]; rows: SavingsBucketRow[] }> {
  const { buckets, spans } = await getBucketSpans(db, range);
  const rows = await readRows<SavingsBucketRow>(
    db,
    question(
      'savingsBuckets',
      [spans],
      () => sql`SELECT key AS bucket, optimization_type AS type, sum(cost_saved_usd)::float8 AS usd,
          sum(tokens_saved)::float8 AS tokens, sum(baseline_tokens)::float8 AS baseline,
          sum(actual_tokens)::float8 AS actual
        FROM ${savingsPieces(spans, undefined, 'type')} pieces GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
  return { buckets, rows };
}

export type TopWorkflow = {
  workflowId: string;
  entries: number;
  usd: number;
  tokens: number;
  known: boolean;
};
export type TopPattern = {
  patternId: number;
  signature: string | null;
  entries: number;
  usd: number;
  tokens: number;
};

export async function getTopSavers(
  db: Database,
  range: ResolvedRange,
  limit = 10,
): Promise<{ workflows: TopWorkflow[]; patterns: TopPattern[] }> {
  const [workflows, patterns] = await Promise.all([
    readRows<TopWorkflow>(
      db,
      question(
        'topWorkflows',
        [range.filter, limit],
        () => sql`SELECT s.workflow_id::text AS "workflowId", s.entries, s.usd::float8 AS usd, s.tokens::float8 AS tokens,
          pattern_ledger.has_history(s.workflow_id::text) AS known
        FROM (SELECT workflow_id, entries, usd, tokens
              FROM ${workflowFigures(range.filter, { by: 'usd', limit, where: (w) => sql`${w}.entries > 0` })} f
              WHERE entries > 0 ORDER BY ${figureOrder('usd', 'DESC')} LIMIT ${limit}) s
        ORDER BY ${figureOrder('usd', 'DESC', 's')}`,
      ),
    ),
    readRows<TopPattern>(
      db,
      question(
        'topPatterns',
        [range.filter, limit],
        () => sql`SELECT s.pattern_id::int AS "patternId", op.pattern_signature::text AS signature, s.entries, s.usd, s.tokens
        FROM (SELECT * FROM ${savingsPerPattern(range.filter)} per_pattern
              ORDER BY usd DESC NULLS LAST, pattern_id LIMIT ${limit}) s
        LEFT JOIN operation_patterns op ON op.id = s.pattern_id
        ORDER BY s.usd DESC NULLS LAST, "patternId"`,
      ),
    ),
  ]);
  return { workflows, patterns };
}

export type SavingsEntry = {
  id: number;
  savedAt: number | null;
  type: string;
  workflowId: string;
  patternId: number | null;
  signature: string | null;
  toolCallId: string | null;
  toolCallKnown: boolean;
  baseline: number | null;
  actual: number | null;
  tokensSaved: number | null;
  usd: number | null;
  /** The same amount as an exact decimal (for exports). */
  usdExact: string | null;
  notes: string | null;
};

const SORT_COLUMNS: Record<SavingsSort, string> = {
  savedAt: 's.saved_at',
  baseline: 's.baseline_tokens',
  actual: 's.actual_tokens',
  tokensSaved: 's.tokens_saved',
  usd: 's.cost_saved_usd',
};

const entryColumns = sql`s.id::int AS id, (date_part('epoch', s.saved_at) * 1000)::float8 AS "savedAt",
  s.optimization_type::text AS type, s.workflow_id::text AS "workflowId", s.pattern_id::int AS "patternId",
  op.pattern_signature::text AS signature, s.tool_call_id::text AS "toolCallId",
  (s.tool_call_id IS NOT NULL AND pattern_ledger.tool_call_exists(s.tool_call_id::text)) AS "toolCallKnown",
  s.baseline_tokens::float8 AS baseline, s.actual_tokens::float8 AS actual, s.tokens_saved::float8 AS "tokensSaved",
  pattern_ledger.money(s.cost_saved_usd)::float8 AS usd, pattern_ledger.money(s.cost_saved_usd)::text AS "usdExact",
  s.notes::text AS notes`;

export function savingsFilters(
  range: ResolvedRange,
  params: Omit<SavingsParams, 'sort' | 'dir' | 'page' | 'size' | 'metric'>,
): SQL {
  const parts: SQL[] = [inRange(sql`s.saved_at`, range.filter)];
  if (params.type.length > 0)
    parts.push(
      sql`s.optimization_type IN (${sql.join(
        params.type.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (params.pattern !== undefined) parts.push(sql`s.pattern_id = ${params.pattern}`);
  if (params.workflow !== undefined) parts.push(sql`s.workflow_id = ${params.workflow}`);
  if (params.notes === 'with') parts.push(sql`coalesce(s.notes, '') <> ''`);
  if (params.notes === 'without') parts.push(sql`coalesce(s.notes, '') = ''`);
  if (params.usdMin !== undefined)
    parts.push(sql`pattern_ledger.money(s.cost_saved_usd)::float8 >= ${params.usdMin}`);
  if (params.usdMax !== undefined)
    parts.push(sql`pattern_ledger.money(s.cost_saved_usd)::float8 <= ${params.usdMax}`);
  return sql.join(parts, sql` AND `);
}

/** The savings log, filtered and sorted (ties by id); `page` limits it (null: every row, for exports). */
export function savingsLogQuery(
  range: ResolvedRange,
  params: SavingsParams,
  page: { limit: number; offset: number } | null,
): SQL {
  const direction = sql.raw(params.dir === 'asc' ? 'ASC' : 'DESC');
  return sql`SELECT ${entryColumns}
    FROM cost_savings_log s LEFT JOIN operation_patterns op ON op.id = s.pattern_id
    WHERE ${savingsFilters(range, params)}
    ORDER BY ${sql.raw(SORT_COLUMNS[params.sort])} ${direction} NULLS LAST, s.id ${direction}
    ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`;
}

/** How many entries the log's filters keep: from the rollups when they can answer it. */
export async function countSavings(db: Database, range: ResolvedRange, params: SavingsParams) {
  const spans = filterSpans(range.filter);
  const byRollup =
    params.workflow === undefined &&
    params.notes === undefined &&
    params.usdMin === undefined &&
    params.usdMax === undefined;
  const kept = (t: SQL) =>
    sql.join(
      [
        sql`TRUE`,
        ...(params.type.length > 0
          ? [
              sql`${t}.optimization_type IN (${sql.join(
                params.type.map((type) => sql`${type}`),
                sql`, `,
              )})`,
            ]
          : []),
        ...(params.pattern !== undefined ? [sql`${t}.pattern_id = ${params.pattern}`] : []),
      ],
      sql` AND `,
    );
  const figures = sql`coalesce(sum(entries), 0)::int AS total,
    coalesce(sum(cost_saved_usd), 0)::float8 AS usd, coalesce(sum(tokens_saved), 0)::float8 AS tokens`;
  const query = () =>
    !byRollup
      ? sql`SELECT count(*)::int AS total,
          coalesce(sum(pattern_ledger.money(s.cost_saved_usd)), 0)::float8 AS usd,
          coalesce(sum(s.tokens_saved::float8), 0)::float8 AS tokens
        FROM cost_savings_log s WHERE ${savingsFilters(range, params)}`
      : spans
        ? sql`SELECT ${figures} FROM ${savingsPieces(spans, kept, params.pattern === undefined ? 'type' : 'pattern')} pieces`
        : sql`SELECT ${figures} FROM ${liveSavingsTotals(kept)} pieces`;
  const [row] = await readRows<SavingsTotals>(db, question('savingsCount', [range, params], query));
  return row ?? { total: 0, usd: 0, tokens: 0 };
}

/** How many entries match the log's filters, and what they saved together. */
export type SavingsTotals = { total: number; usd: number; tokens: number };

export async function getSavingsLog(
  db: Database,
  range: ResolvedRange,
  params: SavingsParams,
): Promise<{ rows: SavingsEntry[] } & SavingsTotals> {
  const [rows, totals] = await Promise.all([
    readRows<SavingsEntry>(
      db,
      question('savingsLog', [range, params], () =>
        savingsLogQuery(range, params, {
          limit: params.size,
          offset: (params.page - 1) * params.size,
        }),
      ),
    ),
    countSavings(db, range, params),
  ]);
  return { rows, ...totals };
}

export async function getSavingsEntry(db: Database, id: number): Promise<SavingsEntry | null> {
  const [row] = await readRows<SavingsEntry>(
    db,
    sql`SELECT ${entryColumns} FROM cost_savings_log s LEFT JOIN operation_patterns op ON op.id = s.pattern_id WHERE s.id = ${id}`,
  );
  return row ?? null;
}

export type NoteChange = {
  id: number;
  previousNotes: string | null;
  newNotes: string | null;
  changedAt: number;
  changedBy: string | null;
};

export async function getNoteHistory(db: Database, savingsId: number): Promise<NoteChange[]> {
  return readRows<NoteChange>(
    db,
    sql`SELECT id, previous_notes AS "previousNotes", new_notes AS "newNotes",
        (date_part('epoch', changed_at) * 1000)::float8 AS "changedAt", changed_by AS "changedBy"
      FROM pattern_ledger.note_history WHERE savings_id = ${savingsId} ORDER BY changed_at DESC, id DESC`,
  );
}
