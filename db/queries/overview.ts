import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { rangeDays, type ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { question, readRows } from '../read-cache';
import { liveOccurrenceTotals, liveSavingsTotals } from '../rollups/views';
import { activePatternCount, filterSpans, occurrencePieces, savingsPieces } from './rollup';

export type PeriodFigures = {
  usd: number;
  tokens: number;
  savingsEntries: number;
  occurrences: number;
  activePatterns: number;
  avgSimilarity: number | null;
  actualMonthly: number;
};

export type Kpis = {
  current: PeriodFigures;
  /** The period of equal length just before; null when it holds no row at all ("no data"). */
  previous: PeriodFigures | null;
  /** Sum of the stored monthly estimates of every pattern. */
  estimatedMonthly: number;
};

type Raw = {
  usd: number;
  tokens: number;
  entries: number;
  occurrences: number;
  patterns: number;
  avg: number | null;
};

async function figures(db: Database, filter: ResolvedRange['filter']): Promise<Raw> {
  const [row] = await readRows<Raw>(
    db,
    question('kpis', [filter], () => figuresQuery(filter)),
  );
  if (!row) throw new Error('KPI query returned nothing');
  return row;
}

function figuresQuery(filter: ResolvedRange['filter']): SQL {
  const spans = filterSpans(filter);
  const occurrences = spans
    ? sql`SELECT coalesce(sum(occurrences), 0)::int AS occurrences, ${activePatternCount(spans)} AS patterns,
          sum(similarity_sum) / nullif(sum(scored), 0) AS avg
        FROM ${occurrencePieces(spans, undefined, 'all')} pieces`
    : sql`SELECT coalesce(sum(occurrences), 0)::int AS occurrences, count(*)::int AS patterns,
          sum(similarity_sum) / nullif(sum(scored), 0) AS avg
        FROM ${liveOccurrenceTotals()} t`;
  const savings = spans ? savingsPieces(spans, undefined, 'type') : liveSavingsTotals();
  return sql`SELECT s.usd, s.tokens, s.entries, o.occurrences, o.patterns, o.avg
      FROM (SELECT coalesce(sum(cost_saved_usd), 0)::float8 AS usd, coalesce(sum(tokens_saved), 0)::float8 AS tokens,
              coalesce(sum(entries), 0)::int AS entries FROM ${savings} s) s,
           (${occurrences}) o`;
}

/** The range's figures beside those of the period of equal length before it. */
export async function getKpis(db: Database, range: ResolvedRange): Promise<Kpis> {
  const days = Math.max(rangeDays(range), 1 / 24);
  const monthly = (usd: number) => (usd / days) * 30;
  const span = range.to.getTime() - range.from.getTime();
  const all = range.filter.from === null;
  const [current, previous, estimate] = await Promise.all([
    figures(db, range.filter),
    // "All time" has no earlier period.
    all ? null : figures(db, { from: new Date(range.from.getTime() - span), to: range.from }),
    readRows<{ estimate: number }>(
      db,
      sql`SELECT coalesce(sum(pattern_ledger.money(potential_monthly_savings)::float8), 0) AS estimate FROM operation_patterns`,
    ),
  ]);
  const shape = (raw: Raw): PeriodFigures => ({
    usd: raw.usd,
    tokens: raw.tokens,
    savingsEntries: raw.entries,
    occurrences: raw.occurrences,
    activePatterns: raw.patterns,
    avgSimilarity: raw.avg,
    actualMonthly: monthly(raw.usd),
  });
  return {
    current: shape(current),
    previous: previous && previous.entries + previous.occurrences > 0 ? shape(previous) : null,
    estimatedMonthly: estimate[0]?.estimate ?? 0,
  };
}

export type RecentNote = {
  savingsId: number;
  notes: string | null;
  /** When the note was last changed here, else when the agents wrote the entry. */
  changedAt: number | null;
  changedBy: string | null;
  workflowId: string;
  usd: number | null;
  /** Changed in Pattern Ledger (with who), rather than written with the entry by an agent. */
  edited: boolean;
};

/**
 * The latest notes, whoever wrote them: entries whose note was changed in Pattern Ledger (at the
 * change, with who) and entries the agents wrote with a note (at the entry's time), newest first.
 */
export async function getRecentNotes(db: Database, limit = 6): Promise<RecentNote[]> {
  return readRows<RecentNote>(
    db,
    sql`WITH changed AS (
        SELECT DISTINCT ON (savings_id) savings_id, changed_at, changed_by FROM pattern_ledger.note_history
        ORDER BY savings_id, changed_at DESC, id DESC),
      latest AS (
        (SELECT savings_id AS id, (date_part('epoch', changed_at) * 1000)::float8 AS at, changed_by AS by, true AS edited
          FROM changed ORDER BY changed_at DESC, savings_id DESC LIMIT ${limit})
        UNION ALL
        (SELECT s.id, (date_part('epoch', s.saved_at) * 1000)::float8, NULL::text, false
          FROM cost_savings_log s
          WHERE coalesce(s.notes, '') <> '' AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.savings_id = s.id)
          ORDER BY s.saved_at DESC NULLS LAST, s.id DESC LIMIT ${limit}))
      SELECT l.id::int AS "savingsId", s.notes::text AS notes, l.at AS "changedAt", l.by AS "changedBy",
        s.workflow_id::text AS "workflowId", pattern_ledger.money(s.cost_saved_usd)::float8 AS usd, l.edited
      FROM latest l JOIN cost_savings_log s ON s.id = l.id
      ORDER BY l.at DESC NULLS LAST, l.id DESC LIMIT ${limit}`,
  );
}

export type RecordingState = {
  /** Rows of pattern_occurrences, all time. */
  occurrences: number;
  patterns: number;
  /** The patterns' stored counters added up (operation_patterns.occurrence_count). */
  storedCount: number;
  savingsEntries: number;
};

/** Whether anything records occurrences: a database whose writer fails still has stored counters. */
export async function getRecordingState(db: Database): Promise<RecordingState> {
  const [row] = await readRows<RecordingState>(
    db,
    sql`SELECT (SELECT coalesce(sum(occurrences), 0) FROM ${liveOccurrenceTotals()} t)::int AS occurrences,
        (SELECT count(*) FROM operation_patterns)::int AS patterns,
        (SELECT coalesce(sum(occurrence_count::float8), 0) FROM operation_patterns)::float8 AS "storedCount",
        (SELECT coalesce(sum(entries), 0) FROM ${liveSavingsTotals()} s)::int AS "savingsEntries"`,
  );
  if (!row) throw new Error('recording state query returned nothing');
  return row;
}
