/**
 * Breakdowns against independent SQL (and, for characteristics, against the raw JSON read in
 * JavaScript): every group in every New York day of the range, and every group's total.
 */
import { sql, type SQL } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { getBreakdown, getBreakdownOptions } from '@/db/queries/breakdown';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import { parseDimension, type BreakdownSubject } from '@/lib/breakdown';
import { breakdownChart, breakdownTable } from '@/lib/charts/breakdown-chart';
import { describeEachDatabase } from './support/databases';
import { rangeOf } from './support/ranges';

const TZ = 'America/New_York';
const range = rangeOf({ range: '30d', tz: TZ, granularity: 'day' });
const at = (instant: Date) => instant.toISOString();

/** A stored UTC time's New York day start, in epoch ms. */
const dayOf = (column: string) =>
  sql.raw(
    `(date_part('epoch', date_trunc('day', (${column} AT TIME ZONE 'UTC') AT TIME ZONE '${TZ}') AT TIME ZONE '${TZ}') * 1000)::float8`,
  );
const within = (column: string) =>
  sql`${sql.raw(column)} >= ${at(range.filter.from!)}::timestamptz AT TIME ZONE 'UTC'
    AND ${sql.raw(column)} < ${at(range.filter.to!)}::timestamptz AT TIME ZONE 'UTC'`;

type Cell = { bucket: number | null; group: string | null; value: number };
const keyOf = (cell: Cell) => `${cell.bucket}|${cell.group}`;

/** The truth's cells per (day, group), plus each group's total (bucket null). */
function withTotals(cells: Cell[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, value: number) => out.set(key, (out.get(key) ?? 0) + value);
  for (const cell of cells) {
    add(keyOf(cell), cell.value);
    add(keyOf({ ...cell, bucket: null }), cell.value);
  }
  for (const [key, value] of out) if (Math.abs(value) < 1e-9) out.delete(key);
  return out;
}

async function expectBreakdown(
  db: Database,
  subject: BreakdownSubject,
  by: string,
  measure: 'count' | 'usd',
  truth: Cell[],
) {
  const dimension = parseDimension(by, subject)!;
  const { rows } = await getBreakdown(db, range, subject, dimension, measure);
  const mine = new Map(rows.map((row) => [keyOf(row), row.value]));
  const expected = withTotals(truth);
  expect([...mine.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, value] of expected) expect(mine.get(key), key).toBeCloseTo(value, 6);
  return rows;
}

/** A JSON number's bin, written again here: the breakdown's labels. */
function numberBin(n: number): string {
  if (n < 0) return '< 0';
  if (n === 0) return '0';
  if (n < 1) return '0–1';
  for (let e = 0; e < 6; e++) if (n < 10 ** (e + 1)) return `${10 ** e}–${10 ** (e + 1) - 1}`;
  return '1000000 and more';
}

function listBin(length: number): string {
  if (length === 0) return 'no items';
  if (length === 1) return '1 item';
  return length < 5 ? '2–4 items' : length < 10 ? '5–9 items' : '10 items and more';
}

function characteristicOf(text: string | null, key: string): string | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  if (!(key in parsed)) return null;
  const value = (parsed as Record<string, unknown>)[key];
  if (typeof value === 'string') return value.slice(0, 100);
  if (typeof value === 'number') return numberBin(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? listBin(value.length) : 'object';
}

const cells = (db: Database, query: SQL) => queryRows<Cell>(db, query);

describeEachDatabase('breakdowns', { seed: true }, (get) => {
  it('occurrences by pattern type and by status equal independent SQL per day and in total', async () => {
    const { db } = get();
    for (const [by, column] of [
      ['pattern_type', 'op.pattern_type'],
      ['status', 'op.automation_status'],
    ] as const) {
      const truth = await cells(
        db,
        sql`SELECT ${dayOf('o.detected_at')} AS bucket, ${sql.raw(column)}::text AS "group", count(*)::float8 AS value
          FROM pattern_occurrences o LEFT JOIN operation_patterns op ON op.id = o.pattern_id
          WHERE ${within('o.detected_at')} GROUP BY 1, 2`,
      );
      expect(truth.length).toBeGreaterThan(30);
      await expectBreakdown(db, 'occurrences', by, 'count', truth);
    }
  });

  it('occurrences by matched_characteristics keys equal the raw JSON read in JavaScript', async () => {
    const { db } = get();
    const raw = await queryRows<{ bucket: number; json: string | null }>(
      db,
      sql`SELECT ${dayOf('detected_at')} AS bucket, matched_characteristics::text AS json
        FROM pattern_occurrences WHERE ${within('detected_at')}`,
    );
    const options = await getBreakdownOptions(db);
    expect(options.characteristicKeys).toEqual(
      expect.arrayContaining(['complexity', 'error_count', 'keywords', 'input_length']),
    );
    for (const key of ['complexity', 'error_count', 'keywords', 'input_length']) {
      const truth = raw.map((row) => ({
        bucket: row.bucket,
        group: characteristicOf(row.json, key),
        value: 1,
      }));
      const rows = await expectBreakdown(db, 'occurrences', `mc.${key}`, 'count', truth);
      // Some rows have no such key (null JSON, truncated JSON): they are a group of their own.
      expect(rows.some((row) => row.bucket === null && row.group === null)).toBe(true);
    }
  });

  // A workflow is matched by adw_id, else by workflow_id (docs: tables.md).
  it('savings by optimization type, pattern type and model equal independent SQL', async () => {
    const { db } = get();
    const usd = sql.raw(`coalesce(nullif(c.cost_saved_usd::text, 'NaN')::numeric, 0)::float8`);
    const cases: [string, SQL][] = [
      ['optimization_type', sql`c.optimization_type::text`],
      ['pattern_type', sql`op.pattern_type::text`],
      ['model', sql`h.model_used::text`],
    ];
    for (const [by, group] of cases) {
      const truth = await cells(
        db,
        sql`SELECT ${dayOf('c.saved_at')} AS bucket, ${group} AS "group", sum(${usd}) AS value
          FROM cost_savings_log c LEFT JOIN operation_patterns op ON op.id = c.pattern_id
          LEFT JOIN LATERAL (SELECT x.model_used FROM workflow_history x
            WHERE x.adw_id = c.workflow_id OR x.workflow_id = c.workflow_id
            ORDER BY (x.adw_id = c.workflow_id) DESC, x.id LIMIT 1) h ON true
          WHERE ${within('c.saved_at')} GROUP BY 1, 2`,
      );
      expect(truth.length).toBeGreaterThan(30);
      await expectBreakdown(db, 'savings', by, 'usd', truth);
    }
  });

  it('draws the largest groups with Other, and its table adds up to the chart', async () => {
    const { db } = get();
    const dimension = parseDimension('pattern', 'occurrences')!;
    const data = await getBreakdown(db, range, 'occurrences', dimension, 'count');
    const chart = breakdownChart(data, range, dimension, 'count');
    expect(chart.series.length).toBe(7);
    expect(chart.series.at(-1)!.label).toMatch(/^Other \(\d+\)$/);
    const drawn = chart.points.reduce(
      (sum, point) =>
        sum + chart.series.reduce((s, series) => s + ((point[series.key] as number) ?? 0), 0),
      0,
    );
    const table = breakdownTable(data, dimension);
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pattern_occurrences WHERE ${within('detected_at')}`,
    );
    expect(drawn).toBe(count!.n);
    expect(table.total).toBe(count!.n);
    expect(table.rows.reduce((sum, row) => sum + row.value, 0)).toBe(count!.n);
  });
});
