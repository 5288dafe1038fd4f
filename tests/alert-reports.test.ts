import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createChannel, createReportSchedule } from '@/db/mutations/alerts';
import { getReport } from '@/db/queries/report';
import { queryRows } from '@/db/sql';
import {
  nextReportRun,
  periodOfRun,
  reportPeriod,
  reportScheduleInput,
} from '@/lib/alerts/reports';
import { runDueReports } from '@/server/alerts/reports';
import { describeEachDatabase, TEST_ANCHOR } from './support/databases';

const HOUR = 3_600_000;

describe('report schedules in local time', () => {
  const berlin = { cadence: 'daily' as const, weekday: 1, hour: 8, tz: 'Europe/Berlin' };

  it('runs at the local hour on both sides of a daylight-saving change', () => {
    expect(nextReportRun(berlin, new Date('2026-03-28T06:00:00Z')).toISOString()).toBe(
      '2026-03-28T07:00:00.000Z',
    );
    // 29 March 2026: clocks go forward in Berlin; 08:00 is now 06:00 UTC.
    expect(nextReportRun(berlin, new Date('2026-03-28T07:00:00Z')).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
    expect(nextReportRun(berlin, new Date('2026-10-25T05:00:00Z')).toISOString()).toBe(
      '2026-10-25T07:00:00.000Z',
    );
  });

  it('reports whole local days, 23 and 25 hours long across the changes', () => {
    const spring = periodOfRun(berlin, new Date('2026-03-30T06:00:00Z'));
    expect(spring.start).toBe('2026-03-29');
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * HOUR);
    const autumn = reportPeriod('2026-10-25', 'daily', 'Europe/Berlin');
    expect(autumn.to.getTime() - autumn.from.getTime()).toBe(25 * HOUR);
    expect(autumn.from.toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  it('runs a weekly report on its weekday, covering the seven days before', () => {
    const weekly = { cadence: 'weekly' as const, weekday: 1, hour: 9, tz: 'America/New_York' };
    const run = nextReportRun(weekly, new Date('2026-11-05T00:00:00Z')); // a Thursday
    expect(run.toISOString()).toBe('2026-11-09T14:00:00.000Z'); // Monday 09:00 EST
    const period = periodOfRun(weekly, run);
    expect([period.start, period.end]).toEqual(['2026-11-02', '2026-11-09']);
    expect(period.to.getTime() - period.from.getTime()).toBe(7 * 24 * HOUR);
    // The week before held the change back to EST (1 November): 7 days and an hour.
    const before = periodOfRun(weekly, new Date('2026-11-02T14:00:00Z'));
    expect(before.to.getTime() - before.from.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });

  it('refuses a zone that does not exist and an hour out of range', () => {
    expect(
      reportScheduleInput.safeParse({ name: 'r', cadence: 'daily', hour: '8', tz: 'Mars/Base' })
        .success,
    ).toBe(false);
    expect(
      reportScheduleInput.safeParse({ name: 'r', cadence: 'daily', hour: '24', tz: 'UTC' }).success,
    ).toBe(false);
  });
});

describeEachDatabase('reports', { seed: true }, (get) => {
  it("equal the raw rows of the zone's local day, beside the day before", async () => {
    const period = reportPeriod('2026-03-01', 'daily', 'Asia/Kolkata');
    const report = await getReport(get().db, period, 'daily');
    const sum = async (from: Date, to: Date) =>
      (
        await queryRows<{ usd: number; n: number }>(
          get().db,
          sql`SELECT coalesce(sum(cost_saved_usd::text::numeric), 0)::float8 AS usd,
            (SELECT count(*)::int FROM pattern_occurrences WHERE detected_at >= ${from.toISOString()}::timestamptz AT TIME ZONE 'UTC'
              AND detected_at < ${to.toISOString()}::timestamptz AT TIME ZONE 'UTC') AS n
          FROM cost_savings_log WHERE saved_at >= ${from.toISOString()}::timestamptz AT TIME ZONE 'UTC'
            AND saved_at < ${to.toISOString()}::timestamptz AT TIME ZONE 'UTC'`,
        )
      )[0]!;
    const day = await sum(period.from, period.to);
    expect(period.from.toISOString()).toBe('2026-02-28T18:30:00.000Z');
    expect(report.kpis.current.usd).toBeCloseTo(day.usd, 6);
    expect(report.kpis.current.occurrences).toBe(day.n);
    expect(day.n).toBeGreaterThan(0);
    const before = await sum(new Date(period.from.getTime() - 24 * HOUR), period.from);
    expect(report.kpis.previous?.usd ?? 0).toBeCloseTo(before.usd, 6);
    const [largest] = await queryRows<{ id: number }>(
      get().db,
      sql`SELECT id::int AS id FROM cost_savings_log WHERE saved_at >= ${period.from.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        AND saved_at < ${period.to.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        ORDER BY cost_saved_usd::text::numeric DESC NULLS LAST, id LIMIT 1`,
    );
    expect(report.largestSavings[0]?.id).toBe(largest?.id);
  });

  it('queues a due report once, even when two runners race, and schedules the next run', async () => {
    const db = get().db;
    const channel = await createChannel(
      db,
      { name: 'r', kind: 'webhook', target: 'http://127.0.0.1:9/r', format: 'json', secret: 's' },
      't',
    );
    const input = reportScheduleInput.parse({
      name: 'daily',
      cadence: 'daily',
      hour: '8',
      tz: 'Europe/Berlin',
      channelIds: String(channel),
    });
    const runAt = nextReportRun(input, new Date(TEST_ANCHOR.getTime() - 48 * HOUR));
    const id = await createReportSchedule(db, input, runAt, 't');
    const [a, b] = await Promise.all([
      runDueReports(db, TEST_ANCHOR),
      runDueReports(db, TEST_ANCHOR),
    ]);
    expect([...a, ...b]).toEqual([id]);
    const [row] = await queryRows<{ n: number; next: string; message: string }>(
      db,
      sql`SELECT count(*)::int AS n, max(message) AS message,
          (SELECT next_run_at FROM pattern_ledger.report_schedule WHERE id = ${id})::text AS next
        FROM pattern_ledger.alert_delivery WHERE schedule_id = ${id}`,
    );
    expect(row!.n).toBe(1);
    // Missed runs are not all sent: the latest one is (the day before the anchor), and the next is tomorrow 08:00.
    expect((JSON.parse(row!.message) as { subject: string }).subject).toBe(
      '[Pattern Ledger] Daily report, 2026-03-01',
    );
    expect(new Date(row!.next).toISOString()).toBe('2026-03-03T07:00:00.000Z');
  });
});
