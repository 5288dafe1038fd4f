/**
 * A report of a period (a local day or seven local days in a zone): the period's figures beside
 * the period before, the top patterns, the largest savings, the notes changed and the alerts that
 * fired. The same reads back the /reports page, its download and the scheduled digests.
 */
import { sql } from 'drizzle-orm';
import type { ReportCadence, ReportPeriod } from '@/lib/alerts/reports';
import type { ResolvedRange } from '@/lib/time-range';
import type { Database } from '../types';
import { readRows } from '../read-cache';
import { getKpis, type Kpis } from './overview';
import { getTopSavers, type TopPattern } from './savings';
import { utcTimestamp } from './time';

export type ReportData = {
  period: { start: string; end: string; tz: string; from: number; to: number };
  cadence: ReportCadence;
  kpis: Kpis;
  topPatterns: TopPattern[];
  largestSavings: {
    id: number;
    workflowId: string;
    type: string;
    usd: number;
    tokens: number;
    savedAt: number;
  }[];
  notes: { savingsId: number; notes: string | null; changedBy: string | null; changedAt: number }[];
  alerts: { ruleId: number; name: string; toState: string; value: number | null; at: number }[];
};

/** The period as a range the other queries read (bounded, in its zone). */
export function periodRange(period: ReportPeriod, cadence: ReportCadence): ResolvedRange {
  return {
    params: { range: 'custom', from: period.start, tz: period.tz, granularity: 'day' },
    filter: { from: period.from, to: period.to },
    from: period.from,
    to: period.to,
    granularity: cadence === 'daily' ? 'hour' : 'day',
    tz: period.tz,
  };
}

export async function getReport(
  db: Database,
  period: ReportPeriod,
  cadence: ReportCadence,
  limit = 5,
): Promise<ReportData> {
  const range = periodRange(period, cadence);
  const from = utcTimestamp(period.from);
  const to = utcTimestamp(period.to);
  const fromTz = sql`${period.from.toISOString()}::timestamptz`;
  const toTz = sql`${period.to.toISOString()}::timestamptz`;
  const [kpis, top, largestSavings, notes, alerts] = await Promise.all([
    getKpis(db, range),
    getTopSavers(db, range, limit),
    readRows<ReportData['largestSavings'][number]>(
      db,
      sql`SELECT s.id::int AS id, s.workflow_id::text AS "workflowId", s.optimization_type::text AS type,
          coalesce(pattern_ledger.money(s.cost_saved_usd), 0)::float8 AS usd,
          coalesce(s.tokens_saved, 0)::float8 AS tokens,
          (date_part('epoch', s.saved_at) * 1000)::float8 AS "savedAt"
        FROM cost_savings_log s WHERE s.saved_at >= ${from} AND s.saved_at < ${to}
        ORDER BY pattern_ledger.money(s.cost_saved_usd) DESC NULLS LAST, s.id LIMIT ${limit}`,
    ),
    readRows<ReportData['notes'][number]>(
      db,
      sql`SELECT h.savings_id::int AS "savingsId", h.new_notes AS notes, h.changed_by AS "changedBy",
          (date_part('epoch', h.changed_at) * 1000)::float8 AS "changedAt"
        FROM pattern_ledger.note_history h WHERE h.changed_at >= ${from} AND h.changed_at < ${to}
        ORDER BY h.changed_at DESC, h.id DESC LIMIT ${limit * 4}`,
    ),
    readRows<ReportData['alerts'][number]>(
      db,
      sql`SELECT e.rule_id::int AS "ruleId", r.name, e.to_state AS "toState", e.value,
          (date_part('epoch', e.at) * 1000)::float8 AS at
        FROM pattern_ledger.alert_event e JOIN pattern_ledger.alert_rule r ON r.id = e.rule_id
        WHERE e.at >= ${fromTz} AND e.at < ${toTz} AND e.to_state <> 'ok'
        ORDER BY e.at, e.id LIMIT 100`,
    ),
  ]);
  return {
    period: {
      start: period.start,
      end: period.end,
      tz: period.tz,
      from: period.from.getTime(),
      to: period.to.getTime(),
    },
    cadence,
    kpis,
    topPatterns: top.patterns,
    largestSavings,
    notes,
    alerts,
  };
}
