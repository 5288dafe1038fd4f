import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getNoteEvents } from '@/db/queries/chart-events';
import { getSavingsBuckets } from '@/db/queries/savings';
import { queryRows } from '@/db/sql';
import { EVENTS_SHOWN, reviewEvents, withEvents } from '@/lib/charts/events';
import type { ChartData } from '@/lib/charts/prepare';
import { cumulativeChart } from '@/lib/charts/savings-charts';
import { describeEachDatabase } from './support/databases';
import { rangeOf } from './support/ranges';

const chart = (buckets: number[]): ChartData => ({
  points: buckets.map((bucket) => ({ bucket, label: String(bucket), tooltipLabel: '' })),
  series: [],
  empty: null,
});

describe('events on a chart', () => {
  it('fall in the bucket that holds them, the newest few described and the rest counted', () => {
    const events = [
      { at: 100, kind: 'note' as const, text: 'on the first edge' },
      { at: 199, kind: 'review' as const, text: 'approve → approved by a' },
      { at: 200, kind: 'note' as const, text: 'second bucket' },
      ...Array.from({ length: EVENTS_SHOWN + 2 }, (_, i) => ({
        at: 300 + i,
        kind: 'note' as const,
        text: `late ${i}`,
      })),
      { at: 99, kind: 'note' as const, text: 'before the chart' },
      { at: 400, kind: 'note' as const, text: 'at the end, outside' },
    ];
    const points = withEvents(chart([100, 200, 300]), events, 400).points;
    expect(points.map((p) => p.events ?? 0)).toEqual([2, 1, EVENTS_SHOWN + 2]);
    expect(points[0]!.eventText).toBe('Review: approve → approved by a\nNote: on the first edge');
    expect(String(points[2]!.eventText).split('\n')).toEqual([
      `Note: late ${EVENTS_SHOWN + 1}`,
      `Note: late ${EVENTS_SHOWN}`,
      `Note: late ${EVENTS_SHOWN - 1}`,
      'and 2 more',
    ]);
  });

  it('say what a review decided, by whom, with its note', () => {
    expect(
      reviewEvents([
        { reviewedAt: 5, action: 'approve', newStatus: 'approved', note: 'ok', reviewedBy: 'ann' },
        { reviewedAt: null, action: 'comment', newStatus: null, note: 'x', reviewedBy: 'bo' },
        { reviewedAt: 6, action: 'comment', newStatus: null, note: null, reviewedBy: 'cy' },
      ]),
    ).toEqual([
      { at: 5, kind: 'review', text: 'approve → approved by ann: ok' },
      { at: 6, kind: 'review', text: 'comment by cy' },
    ]);
  });
});

const range = rangeOf({ range: '30d', tz: 'America/New_York', granularity: 'day' });

describeEachDatabase('note markers', { seed: true }, (get) => {
  it('mark each New York day with the notes written on it, as independent SQL counts them', async () => {
    const { db } = get();
    const [entry] = await queryRows<{ id: number; pattern: number }>(
      db,
      sql`SELECT id::int AS id, pattern_id::int AS pattern FROM cost_savings_log
        WHERE pattern_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    // Three notes inside the range (two on one day), one before it.
    const from = range.filter.from!.getTime();
    for (const [offset, text] of [
      [3 * 86_400_000 + 3_600_000, 'checked'],
      [3 * 86_400_000 + 7_200_000, 'checked again'],
      [10 * 86_400_000, ''],
      [-86_400_000, 'too early'],
    ] as const) {
      await db.execute(sql`INSERT INTO pattern_ledger.note_history (savings_id, previous_notes, new_notes, changed_at, changed_by)
        VALUES (${entry!.id}, NULL, ${text}, ${new Date(from + offset).toISOString()}::timestamptz AT TIME ZONE 'UTC', 'ann@example.com')`);
    }
    const notes = await getNoteEvents(db, range);
    expect(notes.map((n) => n.text)).toContain(`#${entry!.id} checked again (ann@example.com)`);
    expect(notes.map((n) => n.text)).toContain(`#${entry!.id} (note cleared) (ann@example.com)`);
    expect(notes.some((n) => n.text.includes('too early'))).toBe(false);
    expect((await getNoteEvents(db, range, entry!.pattern)).length).toBeGreaterThanOrEqual(3);
    expect(await getNoteEvents(db, range, -1)).toEqual([]);

    const marked = withEvents(
      cumulativeChart(await getSavingsBuckets(db, range), range),
      notes,
      range.to.getTime(),
    );
    const truth = await queryRows<{ bucket: number; n: number }>(
      db,
      sql`SELECT (date_part('epoch', greatest(date_trunc('day', (changed_at AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York') AT TIME ZONE 'America/New_York',
            ${range.from.toISOString()}::timestamptz)) * 1000)::float8 AS bucket, count(*)::int AS n
        FROM pattern_ledger.note_history
        WHERE changed_at >= ${range.filter.from!.toISOString()}::timestamptz AT TIME ZONE 'UTC'
          AND changed_at < ${range.filter.to!.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        GROUP BY 1`,
    );
    const byBucket = new Map(truth.map((row) => [row.bucket, row.n]));
    // The first bucket may start before the range: the truth keys it by the range's start.
    for (const point of marked.points)
      expect(point.events ?? 0, point.tooltipLabel).toBe(
        byBucket.get(Math.max(point.bucket, range.from.getTime())) ?? 0,
      );
    expect(marked.points.filter((p) => p.events !== undefined).length).toBeGreaterThanOrEqual(2);
  });
});
