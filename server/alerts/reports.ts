/**
 * Scheduled reports: a due schedule is claimed (FOR UPDATE SKIP LOCKED), its period's report is
 * read and queued to its channels, and its next run set, in one transaction, so each run is
 * queued once across processes and restarts.
 */
import { claimDueSchedule, enqueueDeliveries, markScheduleRun } from '@/db/mutations/alerts';
import { getReport, type ReportData } from '@/db/queries/report';
import type { Database } from '@/db/types';
import { nextReportRun, periodOfRun } from '@/lib/alerts/reports';
import { reportMessage, type ReportSummary } from '@/lib/alert-messages';
import { formatCount, formatDateTime, formatPercent, formatUsd } from '@/lib/format';

function change(current: number | null, previous: number | null | undefined): string {
  if (previous === null || previous === undefined || current === null) return 'no data before';
  if (previous === 0) return 'none before';
  const ratio = (current - previous) / previous;
  const rounded = Math.round(ratio * 1000) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(1)} % against the period before`;
}

/** The report's figures in words, as the page, the download and the digests show them. */
export function summarizeReport(report: ReportData, link: string | null): ReportSummary {
  const { current, previous } = report.kpis;
  const tz = report.period.tz;
  const title = `${report.cadence === 'daily' ? 'Daily' : 'Weekly'} report, ${report.period.start}`;
  return {
    title,
    period: { start: report.period.start, end: report.period.end, tz },
    figures: [
      {
        label: 'USD saved',
        value: formatUsd(current.usd),
        change: change(current.usd, previous?.usd),
      },
      {
        label: 'Tokens saved',
        value: formatCount(current.tokens),
        change: change(current.tokens, previous?.tokens),
      },
      {
        label: 'Occurrences',
        value: formatCount(current.occurrences),
        change: change(current.occurrences, previous?.occurrences),
      },
      {
        label: 'Average similarity',
        value: formatPercent(current.avgSimilarity),
        change:
          previous?.avgSimilarity != null && current.avgSimilarity != null
            ? `${((current.avgSimilarity - previous.avgSimilarity) * 100).toFixed(1)} points against the period before`
            : 'no data before',
      },
    ],
    sections: [
      {
        title: 'Top patterns',
        lines: report.topPatterns.map(
          (p) =>
            `${p.signature ?? `#${p.patternId}`}: ${formatUsd(p.usd)} from ${formatCount(p.entries)} entries`,
        ),
      },
      {
        title: 'Largest savings',
        lines: report.largestSavings.map(
          (s) =>
            `#${s.id} ${s.type} in ${s.workflowId}: ${formatUsd(s.usd)} at ${formatDateTime(s.savedAt, tz)}`,
        ),
      },
      {
        title: 'New notes',
        lines: report.notes.map(
          (n) =>
            `#${n.savingsId} by ${n.changedBy ?? 'someone'} at ${formatDateTime(n.changedAt, tz)}: ${(n.notes ?? '(cleared)').slice(0, 140)}`,
        ),
      },
      {
        title: 'Alerts that fired',
        lines: report.alerts.map((a) => `${a.name}: ${a.toState} at ${formatDateTime(a.at, tz)}`),
      },
    ],
    link,
  };
}

/** Runs every schedule due at `now`; answers the ids run. */
export async function runDueReports(
  db: Database,
  now: Date,
  options: { origin?: string } = {},
): Promise<number[]> {
  const ran: number[] = [];
  for (;;) {
    const id = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const schedule = await claimDueSchedule(tx, now);
      if (!schedule) return null;
      // Missed runs (no process was up) are not all sent: the latest one is.
      let runAt = new Date(schedule.nextRunAt);
      for (
        let next = nextReportRun(schedule, runAt);
        next <= now;
        next = nextReportRun(schedule, next)
      )
        runAt = next;
      const period = periodOfRun(schedule, runAt);
      const report = await getReport(tx, period, schedule.cadence);
      const query = `cadence=${schedule.cadence}&start=${period.start}&tz=${encodeURIComponent(period.tz)}`;
      const summary = summarizeReport(
        report,
        options.origin ? `${options.origin}/reports?${query}` : null,
      );
      await enqueueDeliveries(tx, {
        kind: 'report',
        message: reportMessage(summary),
        at: now,
        scheduleId: schedule.id,
      });
      await markScheduleRun(tx, schedule.id, runAt, nextReportRun(schedule, runAt));
      return schedule.id;
    });
    if (id === null) break;
    ran.push(id);
  }
  return ran;
}
