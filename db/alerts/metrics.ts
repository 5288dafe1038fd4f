/**
 * The figures alert rules watch, read inside the evaluation's transaction with queryRows (never the
 * read cache, whose snapshot is the request's, not the transaction's). They are read from the live rollups (db/queries/rollup.ts) so that a rule's
 * value equals the pages' figures for the same span. A window is [at − window, at); "change"
 * compares it with the window before it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { WINDOWED_METRICS } from '@/lib/alerts/metrics';
import type { MetricRule } from '@/lib/alerts/rules';
import type { Database } from '../types';
import { queryRows } from '../sql';
import { money } from '../rollups/sql';
import { findQualityCheck } from '../queries/data-quality';
import { occurrencePieces, savingsPieces, type Span } from '../queries/rollup';
import { utcTimestamp } from '../queries/time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MONTH_MINUTES = 30 * 24 * 60;

/** The ids of the rule's patterns (for `pattern` and `pattern_type` scopes), as a condition. */
function patternCondition(rule: MetricRule, column: SQL): SQL {
  if (rule.scopeKind === 'pattern') return sql`${column} = ${Number(rule.scopeValue)}::bigint`;
  if (rule.scopeKind === 'pattern_type')
    return sql`${column} IN (SELECT op.id FROM operation_patterns op WHERE op.pattern_type::text = ${rule.scopeValue})`;
  return sql`TRUE`;
}

/** The scope's patterns' estimates added up (ROI's denominator); null without a positive one. */
function estimateOf(rule: MetricRule): SQL {
  return sql`(SELECT nullif(greatest(sum(${money(sql`op.potential_monthly_savings`)})::float8, 0), 0)
    FROM operation_patterns op WHERE ${patternCondition(rule, sql`op.id`)})`;
}

/**
 * Per span key: the sums a windowed metric is made of, as rows `(key, a, b)`; the value is
 * `combine(a, b)` (below). Savings: a = USD or tokens. Occurrences: a = count, b = scored count
 * or similarity sum.
 */
function sumsPerSpan(rule: MetricRule, spans: Span[]): SQL {
  const whole = rule.scopeKind === 'all';
  switch (rule.metric) {
    case 'usd_saved':
    case 'tokens_saved':
    case 'roi': {
      const figure = rule.metric === 'tokens_saved' ? sql`tokens_saved` : sql`cost_saved_usd`;
      const byType = rule.scopeKind === 'optimization_type' || (whole && rule.metric !== 'roi');
      const where = (t: SQL) =>
        rule.scopeKind === 'optimization_type'
          ? sql`${t}.optimization_type::text = ${rule.scopeValue}`
          : rule.metric === 'roi' && whole
            ? sql`${t}.pattern_id IS NOT NULL`
            : patternCondition(rule, sql`${t}.pattern_id`);
      return sql`SELECT key, sum(${figure})::float8 AS a, 0::float8 AS b
        FROM ${savingsPieces(spans, where, byType ? 'type' : 'pattern')} p GROUP BY key`;
    }
    case 'occurrences':
    case 'avg_similarity': {
      const pieces = occurrencePieces(
        spans,
        (column) => patternCondition(rule, column),
        whole ? 'all' : 'pattern',
      );
      return rule.metric === 'occurrences'
        ? sql`SELECT key, sum(occurrences)::float8 AS a, 0::float8 AS b FROM ${pieces} p GROUP BY key`
        : sql`SELECT key, sum(similarity_sum)::float8 AS a, sum(scored)::float8 AS b FROM ${pieces} p GROUP BY key`;
    }
    default:
      throw new Error(`${rule.metric} is not a sum over a window`);
  }
}

/** The metric's value from its window sums `a` and `b` (SQL expressions). */
function combine(rule: MetricRule, a: SQL, b: SQL): SQL {
  if (rule.metric === 'avg_similarity') return sql`(${a} / nullif(${b}, 0))`;
  if (rule.metric === 'roi')
    return sql`(${a} * ${MONTH_MINUTES / rule.windowMinutes}::float8 / ${estimateOf(rule)})`;
  return a;
}

/** Hours since the scope's latest occurrence at or before `at`; null if it never occurred. */
function hoursSinceSeen(rule: MetricRule, at: Date): SQL {
  const moment = utcTimestamp(at);
  const latest = (condition: SQL) => sql`(SELECT po.detected_at FROM pattern_occurrences po
    WHERE ${condition} AND po.detected_at <= ${moment}
    ORDER BY po.detected_at DESC LIMIT 1)`;
  const last =
    rule.scopeKind === 'pattern'
      ? latest(sql`po.pattern_id = ${Number(rule.scopeValue)}::bigint`)
      : rule.scopeKind === 'pattern_type'
        ? sql`(SELECT max(${latest(sql`po.pattern_id = op.id`)}) FROM operation_patterns op
            WHERE op.pattern_type::text = ${rule.scopeValue})`
        : latest(sql`TRUE`);
  return sql`SELECT (date_part('epoch', ${moment} - ${last}) / 3600)::float8 AS value`;
}

export type MetricReading = { current: number | null; previous: number | null };

/** Sums per scope: `all`, `attributed` (savings naming a pattern), or a pattern, type or optimization type. */
type ScopeSums = { key: number; scope: string; value: string | null; a: number; b: number };

const SCOPE_OF = sql`CASE WHEN grouping(pattern_id) = 0 THEN 'pattern'
  WHEN grouping(ptype) = 0 THEN 'pattern_type'
  WHEN grouping(otype) = 0 THEN 'optimization_type'
  WHEN grouping(attributed) = 0 THEN 'attributed' ELSE 'all' END`;

/**
 * Every scope's sums over two windows ending at `at` (key 1, and the one before, key 0), in one
 * statement per source: the rules of a round that share a window share its reads.
 */
function scopeSums(source: 'savings' | 'occurrences', spans: Span[]): SQL {
  const rows =
    source === 'savings'
      ? sql`SELECT p.key, p.pattern_id, p.optimization_type AS otype, p.cost_saved_usd AS a, p.tokens_saved AS b
          FROM ${savingsPieces(spans, () => sql`TRUE`, 'pattern')} p`
      : sql`SELECT p.key, p.pattern_id, NULL::text AS otype, p.occurrences AS a, p.scored AS b
          FROM ${occurrencePieces(spans, () => sql`TRUE`, 'pattern')} p`;
  return sql`SELECT key, ${SCOPE_OF} AS scope,
      coalesce(pattern_id::text, ptype, otype, attributed::text) AS value,
      coalesce(sum(a), 0)::float8 AS a, coalesce(sum(b), 0)::float8 AS b
    FROM (SELECT r.key, r.pattern_id, op.pattern_type::text AS ptype, r.otype,
        r.pattern_id IS NOT NULL AS attributed, r.a, r.b
      FROM (${rows}) r LEFT JOIN operation_patterns op ON op.id = r.pattern_id) x
    GROUP BY GROUPING SETS ((key), (key, pattern_id), (key, ptype), (key, otype), (key, attributed))`;
}

/** The similarity sums, apart: they need the scored count beside them. */
function similaritySums(spans: Span[]): SQL {
  return sql`SELECT key, ${SCOPE_OF} AS scope,
      coalesce(pattern_id::text, ptype, otype, attributed::text) AS value,
      coalesce(sum(a), 0)::float8 AS a, coalesce(sum(b), 0)::float8 AS b
    FROM (SELECT r.key, r.pattern_id, op.pattern_type::text AS ptype, NULL::text AS otype,
        r.pattern_id IS NOT NULL AS attributed, r.similarity_sum AS a, r.scored AS b
      FROM ${occurrencePieces(spans, () => sql`TRUE`, 'pattern')} r
      LEFT JOIN operation_patterns op ON op.id = r.pattern_id) x
    GROUP BY GROUPING SETS ((key), (key, pattern_id), (key, ptype), (key, otype), (key, attributed))`;
}

/** The estimates (ROI's denominator) per pattern, per type and in all. */
const ESTIMATES = sql`SELECT ${SCOPE_OF} AS scope, coalesce(pattern_id::text, ptype, otype, attributed::text) AS value,
    sum(e)::float8 AS e
  FROM (SELECT op.id AS pattern_id, op.pattern_type::text AS ptype, NULL::text AS otype, true AS attributed,
      ${money(sql`op.potential_monthly_savings`)} AS e FROM operation_patterns op) x
  GROUP BY GROUPING SETS ((), (pattern_id), (ptype), (otype), (attributed))`;

const scopeKey = (scope: string, value: string | null) => `${scope}\u0000${value ?? ''}`;

/**
 * The metrics of many rules at one moment `at`, read with a few statements per window length
 * (not one per rule): each rule's current window and the one before it. Figures are summed per
 * scope in SQL; each rule then takes its scope's sums.
 */
export async function readMetrics(
  db: Database,
  rules: MetricRule[],
  at: Date,
): Promise<MetricReading[]> {
  const end = at.getTime();
  const cache = new Map<string, Promise<Map<string, ScopeSums>>>();
  const sums = (what: 'savings' | 'occurrences' | 'similarity', windowMinutes: number) => {
    const id = `${what}|${windowMinutes}`;
    let found = cache.get(id);
    if (!found) {
      const width = windowMinutes * MINUTE;
      const spans: Span[] = [
        { key: 0, from: end - 2 * width, to: end - width },
        { key: 1, from: end - width, to: end },
      ];
      const query = what === 'similarity' ? similaritySums(spans) : scopeSums(what, spans);
      found = queryRows<ScopeSums>(db, query).then(
        (rows) => new Map(rows.map((r) => [`${r.key}|${scopeKey(r.scope, r.value)}`, r])),
      );
      cache.set(id, found);
    }
    return found;
  };
  let estimates: Promise<Map<string, number | null>> | undefined;
  const estimateOf = () =>
    (estimates ??= queryRows<{ scope: string; value: string | null; e: number | null }>(
      db,
      ESTIMATES,
    ).then((rows) => new Map(rows.map((r) => [scopeKey(r.scope, r.value), r.e]))));

  return Promise.all(
    rules.map(async (rule): Promise<MetricReading> => {
      if (rule.metric === 'quality') {
        const check = findQualityCheck(rule.qualityCheck ?? '');
        if (!check) return { current: null, previous: null };
        const [row] = await queryRows<{ n: number }>(db, check.count(at));
        return { current: row?.n ?? 0, previous: null };
      }
      if (rule.metric === 'not_seen') {
        const [row] = await queryRows<{ value: number | null }>(db, hoursSinceSeen(rule, at));
        return { current: row?.value ?? null, previous: null };
      }
      const scope =
        rule.scopeKind === 'all' && rule.metric === 'roi'
          ? scopeKey('attributed', 'true')
          : scopeKey(rule.scopeKind, rule.scopeKind === 'all' ? null : rule.scopeValue);
      const source =
        rule.metric === 'occurrences'
          ? 'occurrences'
          : rule.metric === 'avg_similarity'
            ? 'similarity'
            : 'savings';
      const figures = await sums(source, rule.windowMinutes);
      const estimate =
        rule.metric === 'roi'
          ? ((await estimateOf()).get(
              scopeKey(
                rule.scopeKind === 'all' ? 'all' : rule.scopeKind,
                rule.scopeKind === 'all' ? null : rule.scopeValue,
              ),
            ) ?? null)
          : null;
      const valueAt = (key: number): number | null => {
        const row = figures.get(`${key}|${scope}`);
        const a = row?.a ?? 0;
        const b = row?.b ?? 0;
        switch (rule.metric) {
          case 'usd_saved':
          case 'occurrences':
            return a;
          case 'tokens_saved':
            return b;
          case 'avg_similarity':
            return b > 0 ? a / b : null;
          default:
            return estimate !== null && estimate > 0
              ? (a * (MONTH_MINUTES / rule.windowMinutes)) / estimate
              : null;
        }
      };
      return { current: valueAt(1), previous: valueAt(0) };
    }),
  );
}

/** One rule's metric at `at` (and, for windowed metrics, over the window before). */
export async function readMetric(db: Database, rule: MetricRule, at: Date): Promise<MetricReading> {
  return (await readMetrics(db, [rule], at))[0]!;
}

/**
 * The rule's metric at every step end in [from, to): what it would have read then. Windowed
 * metrics only; the step is an hour (or the window, when shorter), so a 30-day backtest reads the
 * hourly rollups once and slides the window over them in SQL.
 */
export async function readMetricSeries(
  db: Database,
  rule: MetricRule,
  from: Date,
  to: Date,
): Promise<{ at: number; current: number | null; previous: number | null }[]> {
  if (!WINDOWED_METRICS.includes(rule.metric)) return [];
  const width = rule.windowMinutes * MINUTE;
  const step = Math.min(width, HOUR);
  const perWindow = width / step;
  const first = Math.ceil(from.getTime() / step) * step;
  const last = Math.floor(to.getTime() / step) * step;
  if (last < first) return [];
  const start = first - 2 * width;
  const spans: Span[] = [];
  for (let t = start; t < last; t += step) spans.push({ key: t, from: t, to: t + step });
  const keys = `{${spans.map((s) => s.key).join(',')}}`;
  const a = sql`sum(a) OVER (ORDER BY key ROWS BETWEEN ${sql.raw(String(perWindow - 1))} PRECEDING AND CURRENT ROW)`;
  const b = sql`sum(b) OVER (ORDER BY key ROWS BETWEEN ${sql.raw(String(perWindow - 1))} PRECEDING AND CURRENT ROW)`;
  const pa = sql`sum(a) OVER (ORDER BY key ROWS BETWEEN ${sql.raw(String(2 * perWindow - 1))} PRECEDING AND ${sql.raw(String(perWindow))} PRECEDING)`;
  const pb = sql`sum(b) OVER (ORDER BY key ROWS BETWEEN ${sql.raw(String(2 * perWindow - 1))} PRECEDING AND ${sql.raw(String(perWindow))} PRECEDING)`;
  return queryRows(
    db,
    sql`WITH k AS (SELECT unnest(${keys}::float8[]) AS key),
      s AS (${sumsPerSpan(rule, spans)}),
      f AS (SELECT k.key, coalesce(s.a, 0) AS a, coalesce(s.b, 0) AS b FROM k LEFT JOIN s USING (key)),
      w AS (SELECT key, ${a} AS a, ${b} AS b, ${pa} AS pa, ${pb} AS pb FROM f)
    SELECT (key + ${step})::float8 AS at,
      ${combine(rule, sql`w.a`, sql`w.b`)}::float8 AS current,
      ${combine(rule, sql`w.pa`, sql`w.pb`)}::float8 AS previous
    FROM w WHERE key + ${step} >= ${first} ORDER BY key`,
  );
}

/** Whether a data-quality check of that id exists (for a rule naming one). */
export function hasQualityCheck(id: string): boolean {
  return findQualityCheck(id) !== undefined;
}
