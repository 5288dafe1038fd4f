/**
 * Scheduled reports: what a schedule holds, and the report periods (local days in a zone, from
 * lib/time-range.ts's calendar) a run reports and a page shows.
 */
import { z } from 'zod';
import { storableText } from '../text-safety';
import { addDays, isValidTimeZone, isoWeekday, localDate, wallTimeToInstant } from '../time-range';
import { channelIdList } from './channels';

export const REPORT_CADENCES = ['daily', 'weekly'] as const;
export type ReportCadence = (typeof REPORT_CADENCES)[number];

export const reportScheduleInput = z.object({
  name: storableText(z.string().trim().min(1, 'Name the report.').max(120)),
  cadence: z.enum(REPORT_CADENCES, { error: 'Choose daily or weekly.' }),
  weekday: z.coerce
    .number({ error: 'Choose a weekday.' })
    .int()
    .min(1, 'Choose a weekday.')
    .max(7, 'Choose a weekday.')
    .default(1),
  hour: z.coerce
    .number({ error: 'Choose an hour.' })
    .int('Choose an hour.')
    .min(0, 'Choose an hour from 0 to 23.')
    .max(23, 'Choose an hour from 0 to 23.'),
  tz: z
    .string()
    .trim()
    .max(64)
    .refine(isValidTimeZone, 'Choose a time zone such as Europe/Berlin.'),
  channelIds: channelIdList,
});
export type ReportScheduleInput = z.output<typeof reportScheduleInput>;

const pad = (n: number) => String(n).padStart(2, '0');

export type ReportPeriod = { start: string; end: string; from: Date; to: Date; tz: string };

/**
 * A report's period: local days [start, end) in `tz`, so a day across a daylight-saving change is
 * 23 or 25 hours long and still midnight to midnight.
 */
export function reportPeriod(start: string, cadence: ReportCadence, tz: string): ReportPeriod {
  const end = addDays(start, cadence === 'daily' ? 1 : 7);
  return {
    start,
    end,
    tz,
    from: wallTimeToInstant(`${start}T00:00`, tz),
    to: wallTimeToInstant(`${end}T00:00`, tz),
  };
}

type Schedule = { cadence: ReportCadence; weekday: number; hour: number; tz: string };

/** The first run of a schedule strictly after `after`: the local hour on the right day. */
export function nextReportRun(schedule: Schedule, after: Date): Date {
  let date = localDate(after, schedule.tz);
  for (let i = 0; i < 9; i++) {
    const runAt = wallTimeToInstant(`${date}T${pad(schedule.hour)}:00`, schedule.tz);
    const rightDay = schedule.cadence === 'daily' || isoWeekday(date) === schedule.weekday;
    if (rightDay && runAt.getTime() > after.getTime()) return runAt;
    date = addDays(date, 1);
  }
  throw new Error('no run within nine days');
}

/** The period a run at `runAt` reports: the local day, or the seven local days, just ended. */
export function periodOfRun(schedule: Schedule, runAt: Date): ReportPeriod {
  const runDate = localDate(runAt, schedule.tz);
  return reportPeriod(
    addDays(runDate, schedule.cadence === 'daily' ? -1 : -7),
    schedule.cadence,
    schedule.tz,
  );
}

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The /reports page's and download's parameters: a cadence, the period's first local day, a zone. */
export const reportParams = z.object({
  cadence: z.enum(REPORT_CADENCES, { error: 'cadence must be daily or weekly' }).default('daily'),
  start: z
    .string()
    .regex(DATE, 'start must be a date, YYYY-MM-DD')
    .refine((value) => {
      const [y, m, d] = value.split('-').map(Number);
      const date = new Date(Date.UTC(y!, m! - 1, d));
      return date.getUTCMonth() === m! - 1 && y! >= 1990 && y! <= 2200;
    }, 'start must be a real date between 1990 and 2200')
    .optional(),
  tz: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'tz must be a time zone such as Europe/Berlin')
    .default('UTC'),
});
export type ReportParams = z.output<typeof reportParams>;

/** The period asked for, or the last whole one (yesterday; the seven days to the last Monday). */
export function reportPeriodOf(params: ReportParams, now: Date): ReportPeriod {
  if (params.start) return reportPeriod(params.start, params.cadence, params.tz);
  const today = localDate(now, params.tz);
  const start =
    params.cadence === 'daily' ? addDays(today, -1) : addDays(today, -(isoWeekday(today) - 1) - 7);
  return reportPeriod(start, params.cadence, params.tz);
}
