import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMetric, readMetrics, readMetricSeries } from '@/db/alerts/metrics';
import { createAlertRule, createChannel, updateAlertRule } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import {
  alertRuleInput,
  percentChange,
  stateFor,
  type AlertRuleInput,
  type MetricRule,
} from '@/lib/alerts/rules';
import { evaluateDueRules } from '@/server/alerts/evaluate';
import { describeEachDatabase, TEST_ANCHOR } from './support/databases';

const HOUR = 3_600_000;
const at = new Date(TEST_ANCHOR.getTime() - 37 * 60_000); // 11:23, not on an hour

function rule(overrides: Partial<MetricRule>): MetricRule {
  return {
    metric: 'usd_saved',
    scopeKind: 'all',
    scopeValue: null,
    qualityCheck: null,
    windowMinutes: 1440,
    compare: 'value',
    ...overrides,
  };
}

const ts = (d: Date) => sql.raw(`'${d.toISOString()}'::timestamptz AT TIME ZONE 'UTC'`);

/** The same figure straight from the raw tables. */
async function truth(db: Database, r: MetricRule, end: Date): Promise<number | null> {
  const from = ts(new Date(end.getTime() - r.windowMinutes * 60_000));
  const to = ts(end);
  const patterns =
    r.scopeKind === 'pattern'
      ? sql`pattern_id = ${Number(r.scopeValue)}`
      : r.scopeKind === 'pattern_type'
        ? sql`pattern_id IN (SELECT id FROM operation_patterns WHERE pattern_type = ${r.scopeValue})`
        : r.scopeKind === 'optimization_type'
          ? sql`optimization_type = ${r.scopeValue}`
          : sql`TRUE`;
  const ratio = sql`CASE WHEN similarity_score::float8 > 1 THEN similarity_score::float8 / 100 ELSE similarity_score::float8 END`;
  const queries: Record<string, () => ReturnType<typeof sql>> = {
    usd_saved: () =>
      sql`SELECT coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 AS v FROM cost_savings_log
        WHERE saved_at >= ${from} AND saved_at < ${to} AND ${patterns}`,
    tokens_saved: () =>
      sql`SELECT coalesce(sum(tokens_saved), 0)::float8 AS v FROM cost_savings_log
        WHERE saved_at >= ${from} AND saved_at < ${to} AND ${patterns}`,
    occurrences: () =>
      sql`SELECT count(*)::float8 AS v FROM pattern_occurrences
        WHERE detected_at >= ${from} AND detected_at < ${to} AND ${patterns}`,
    avg_similarity: () =>
      sql`SELECT avg(${ratio}) FILTER (WHERE similarity_score::float8 NOT IN ('NaN', 'Infinity', '-Infinity'))::float8 AS v
        FROM pattern_occurrences WHERE detected_at >= ${from} AND detected_at < ${to} AND ${patterns}`,
    roi: () =>
      sql`SELECT (coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 * ${43200 / r.windowMinutes}::float8
          / nullif((SELECT sum(potential_monthly_savings::text::numeric) FROM operation_patterns WHERE ${
            r.scopeKind === 'pattern'
              ? sql`id = ${Number(r.scopeValue)}`
              : r.scopeKind === 'pattern_type'
                ? sql`pattern_type = ${r.scopeValue}`
                : sql`TRUE`
          })::float8, 0))::float8 AS v
        FROM cost_savings_log WHERE saved_at >= ${from} AND saved_at < ${to}
          AND pattern_id IS NOT NULL AND ${patterns}`,
  };
  const [row] = await queryRows<{ v: number | null }>(db, queries[r.metric]!());
  return row?.v ?? null;
}

const validRule = (overrides: Partial<Record<keyof AlertRuleInput, unknown>> = {}) =>
  alertRuleInput.parse({
    name: 'USD saved drops',
    metric: 'usd_saved',
    windowMinutes: '1440',
    direction: 'above',
    criticalThreshold: '0',
    everyMinutes: '5',
    ...overrides,
  });

describe('alert rule input', () => {
  it('refuses rules that cannot be evaluated, naming the field', () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ criticalThreshold: '' }, 'warningThreshold'],
      [{ warningThreshold: '10', criticalThreshold: '5' }, 'criticalThreshold'],
      [{ windowMinutes: '7' }, 'windowMinutes'],
      [{ everyMinutes: '2' }, 'everyMinutes'],
      [{ scopeKind: 'pattern', scopeValue: 'x' }, 'scopeValue'],
      [
        { metric: 'occurrences', scopeKind: 'optimization_type', scopeValue: 'tool_call' },
        'scopeKind',
      ],
      [{ metric: 'not_seen', compare: 'change' }, 'compare'],
      [{ metric: 'quality' }, 'qualityCheck'],
      [{ criticalThreshold: '1e300' }, 'criticalThreshold'],
      [{ name: 'a\u0000b' }, 'name'],
      [{ name: 'x'.repeat(500) }, 'name'],
      [{ channelIds: Array.from({ length: 11 }, (_, i) => String(i + 1)) }, 'channelIds'],
    ];
    for (const [overrides, field] of refusals) {
      const result = alertRuleInput.safeParse({
        name: 'r',
        metric: 'usd_saved',
        windowMinutes: '60',
        direction: 'above',
        criticalThreshold: '1',
        everyMinutes: '1',
        ...overrides,
      });
      expect(result.success, JSON.stringify(overrides)).toBe(false);
      expect(
        result.error!.issues.map((i) => i.path[0]),
        JSON.stringify(overrides),
      ).toContain(field);
    }
  });

  it('decides states by the thresholds, strictly, and treats no data as ok', () => {
    const above = { direction: 'above' as const, warningThreshold: 10, criticalThreshold: 20 };
    expect(stateFor(10, above).state).toBe('ok');
    expect(stateFor(10.5, above)).toEqual({ state: 'warning', threshold: 10 });
    expect(stateFor(21, above)).toEqual({ state: 'critical', threshold: 20 });
    expect(stateFor(null, above).state).toBe('ok');
    const below = { direction: 'below' as const, warningThreshold: 5, criticalThreshold: null };
    expect(stateFor(4, below).state).toBe('warning');
    expect(stateFor(-100, below).state).toBe('warning');
    expect(percentChange(50, 100)).toBe(-50);
    expect(percentChange(5, 0)).toBeNull();
  });
});

describeEachDatabase('alert metrics and evaluation', { seed: true }, (get) => {
  let pattern: { id: number; type: string };
  beforeAll(async () => {
    [pattern] = (await queryRows<{ id: number; type: string }>(
      get().db,
      sql`SELECT po.pattern_id::int AS id, op.pattern_type AS type FROM pattern_occurrences po
        JOIN operation_patterns op ON op.id = po.pattern_id
        GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    )) as [{ id: number; type: string }];
  });

  it('reads every windowed metric and scope as the raw rows say', async () => {
    const cases: MetricRule[] = [];
    for (const metric of [
      'usd_saved',
      'tokens_saved',
      'occurrences',
      'avg_similarity',
      'roi',
    ] as const) {
      cases.push(rule({ metric }));
      cases.push(rule({ metric, scopeKind: 'pattern', scopeValue: String(pattern.id) }));
      cases.push(
        rule({ metric, scopeKind: 'pattern_type', scopeValue: pattern.type, windowMinutes: 10080 }),
      );
    }
    cases.push(
      rule({ scopeKind: 'optimization_type', scopeValue: 'tool_call', windowMinutes: 60 }),
    );
    cases.push(rule({ metric: 'tokens_saved', windowMinutes: 15 }));
    for (const r of cases) {
      const reading = await readMetric(get().db, r, at);
      const expected = await truth(get().db, r, at);
      const previous = await truth(get().db, r, new Date(at.getTime() - r.windowMinutes * 60_000));
      const label = JSON.stringify(r);
      if (expected === null) expect(reading.current, label).toBeNull();
      else expect(reading.current, label).toBeCloseTo(expected, 6);
      if (previous === null) expect(reading.previous, label).toBeNull();
      else expect(reading.previous, label).toBeCloseTo(previous, 6);
    }
    // Read together, as an evaluation round reads them, each rule gets its own scope's figures.
    const together = await readMetrics(get().db, cases, at);
    for (const [i, r] of cases.entries())
      expect(together[i], JSON.stringify(r)).toEqual(await readMetric(get().db, r, at));
    // The seed has savings in the day before the anchor: the check compares something.
    expect((await readMetric(get().db, rule({}), at)).current).toBeGreaterThan(0);
  });

  it('reads hours since last seen and a data-quality count', async () => {
    const seen = await readMetric(
      get().db,
      rule({ metric: 'not_seen', scopeKind: 'pattern', scopeValue: String(pattern.id) }),
      at,
    );
    const [last] = await queryRows<{ h: number }>(
      get().db,
      sql`SELECT (date_part('epoch', ${ts(at)} - max(detected_at)) / 3600)::float8 AS h
        FROM pattern_occurrences WHERE pattern_id = ${pattern.id} AND detected_at <= ${ts(at)}`,
    );
    expect(seen.current).toBeCloseTo(last!.h, 6);
    const quality = await readMetric(
      get().db,
      rule({ metric: 'quality', qualityCheck: 'invalid-json' }),
      at,
    );
    expect(quality.current).toBeTypeOf('number');
  });

  it('backtests with the values an evaluation at each step end would read', async () => {
    for (const r of [
      rule({ windowMinutes: 360 }),
      rule({
        metric: 'avg_similarity',
        scopeKind: 'pattern',
        scopeValue: String(pattern.id),
        compare: 'change',
      }),
      rule({ metric: 'occurrences', windowMinutes: 15 }),
    ]) {
      const from = new Date(TEST_ANCHOR.getTime() - 3 * 24 * HOUR);
      const series = await readMetricSeries(get().db, r, from, TEST_ANCHOR);
      const step = Math.min(r.windowMinutes * 60_000, HOUR);
      expect(series.length).toBe(Math.floor((TEST_ANCHOR.getTime() - from.getTime()) / step) + 1);
      for (const point of [series[0]!, series[Math.floor(series.length / 2)]!, series.at(-1)!]) {
        const reading = await readMetric(get().db, r, new Date(point.at));
        if (reading.current === null) expect(point.current).toBeNull();
        else expect(point.current).toBeCloseTo(reading.current, 6);
        if (reading.previous === null) expect(point.previous).toBeNull();
        else expect(point.previous).toBeCloseTo(reading.previous, 6);
      }
    }
  });

  it('records each change of state once and queues one notification per change', async () => {
    const db = get().db;
    const channel = await createChannel(
      db,
      {
        name: 'hook',
        kind: 'webhook',
        target: 'http://127.0.0.1:9/hook',
        format: 'json',
        secret: 's',
      },
      'test',
    );
    const start = new Date('2026-03-02T11:00:00Z');
    const id = await createAlertRule(
      db,
      validRule({ channelIds: [String(channel)] }),
      'test',
      start,
    );
    const counts = async () =>
      (
        await queryRows<{ events: number; deliveries: number; state: string; next: string }>(
          db,
          sql`SELECT (SELECT count(*)::int FROM pattern_ledger.alert_event WHERE rule_id = ${id}) AS events,
            (SELECT count(*)::int FROM pattern_ledger.alert_delivery WHERE rule_id = ${id}) AS deliveries,
            (SELECT state FROM pattern_ledger.alert_rule WHERE id = ${id}) AS state,
            (SELECT next_evaluation_at::text FROM pattern_ledger.alert_rule WHERE id = ${id}) AS next`,
        )
      )[0]!;

    const first = await evaluateDueRules(db, new Date('2026-03-02T11:02:10Z'));
    expect(first.map((e) => e.ruleId)).toEqual([id]);
    expect(first[0]!.to).toBe('critical');
    expect(first[0]!.at.toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(await counts()).toMatchObject({ events: 1, deliveries: 1, state: 'critical' });

    // Not due again before its next slot; at the next slot, unchanged: nothing new.
    expect(await evaluateDueRules(db, new Date('2026-03-02T11:04:59Z'))).toEqual([]);
    expect(await evaluateDueRules(db, new Date('2026-03-02T11:05:00Z'))).toHaveLength(1);
    expect(await counts()).toMatchObject({ events: 1, deliveries: 1, state: 'critical' });

    // Muted, it still changes state but tells no one; unmuted, it tells the change since.
    await db.execute(sql`UPDATE pattern_ledger.alert_rule SET muted = true WHERE id = ${id}`);
    await updateAlertRule(
      db,
      id,
      validRule({ criticalThreshold: '1e12', channelIds: [String(channel)] }),
      new Date('2026-03-02T11:06:00Z'),
    );
    await evaluateDueRules(db, new Date('2026-03-02T11:06:00Z'));
    expect(await counts()).toMatchObject({ events: 2, deliveries: 1, state: 'ok' });
    await db.execute(sql`UPDATE pattern_ledger.alert_rule SET muted = false WHERE id = ${id}`);
    await evaluateDueRules(db, new Date('2026-03-02T11:10:00Z'));
    expect(await counts()).toMatchObject({ events: 2, deliveries: 2, state: 'ok' });
    const [resolved] = await queryRows<{ message: string }>(
      db,
      sql`SELECT message FROM pattern_ledger.alert_delivery WHERE rule_id = ${id} ORDER BY id DESC LIMIT 1`,
    );
    expect((JSON.parse(resolved!.message) as { data: unknown }).data).toMatchObject({
      type: 'alert.resolved',
      state: 'ok',
      from: 'critical',
    });
    await db.execute(sql`DELETE FROM pattern_ledger.alert_rule WHERE id = ${id}`);
  });

  it('evaluates a rule due while no process ran once, at its latest slot', async () => {
    const db = get().db;
    const id = await createAlertRule(
      db,
      validRule({ everyMinutes: '15' }),
      't',
      new Date('2026-03-01T00:00:00Z'),
    );
    const done = await evaluateDueRules(db, new Date('2026-03-02T11:20:00Z'));
    expect(done.filter((e) => e.ruleId === id).map((e) => e.at.toISOString())).toEqual([
      '2026-03-02T11:15:00.000Z',
    ]);
    await db.execute(sql`DELETE FROM pattern_ledger.alert_rule WHERE id = ${id}`);
  });
});
