/**
 * Alert rules, channels and report schedules: what they may hold (zod, shared by the forms and the
 * actions) and the pure rules of their states. The database side is db/queries/alerts.ts and
 * server/alerts/.
 */
import { z } from 'zod';
import { OPTIMIZATION_TYPES } from './domain';
import { storableText } from './text-safety';
import { isValidTimeZone, wallTimeToInstant, zoneOffset } from './time-range';

export const ALERT_METRICS = [
  'usd_saved',
  'tokens_saved',
  'occurrences',
  'avg_similarity',
  'roi',
  'quality',
  'not_seen',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const METRIC_LABELS: Record<AlertMetric, string> = {
  usd_saved: 'USD saved',
  tokens_saved: 'Tokens saved',
  occurrences: 'Occurrences',
  avg_similarity: 'Average similarity',
  roi: 'ROI (actual ÷ estimate)',
  quality: 'Data-quality check count',
  not_seen: 'Hours since last seen',
};

/** Metrics that are sums over the window (and so have a previous window and a backtest). */
export const WINDOWED_METRICS: readonly AlertMetric[] = [
  'usd_saved',
  'tokens_saved',
  'occurrences',
  'avg_similarity',
  'roi',
];

export const SCOPE_KINDS = ['all', 'pattern_type', 'pattern', 'optimization_type'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export const SCOPE_LABELS: Record<ScopeKind, string> = {
  all: 'Everything',
  pattern_type: 'A pattern type',
  pattern: 'A pattern',
  optimization_type: 'An optimization type',
};

/** Rolling windows, in minutes. */
export const WINDOW_CHOICES = [15, 60, 360, 1440, 10080] as const;
export const WINDOW_LABELS: Record<number, string> = {
  15: '15 minutes',
  60: '1 hour',
  360: '6 hours',
  1440: '24 hours',
  10080: '7 days',
};
export const EVERY_CHOICES = [1, 5, 15, 60] as const;

/** Rules firing now, by level: the header's badge. */
export type FiringCounts = { critical: number; warning: number };

export const ALERT_STATES = ['ok', 'warning', 'critical'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const MAX_RULES = 1000;
/** How far back a rule being edited is backtested. */
export const BACKTEST_DAYS = 30;
export const MAX_CHANNELS = 50;
export const MAX_CHANNELS_PER_RULE = 10;

const LIMIT = 1e15;
const threshold = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.coerce
    .number({ error: 'A threshold is a number.' })
    .refine(Number.isFinite, 'A threshold is a finite number.')
    .min(-LIMIT, 'That threshold is out of range.')
    .max(LIMIT, 'That threshold is out of range.')
    .optional(),
);

const id = z.coerce
  .number({ error: 'That is not an id.' })
  .int('That is not an id.')
  .positive('That is not an id.')
  .max(Number.MAX_SAFE_INTEGER, 'That is not an id.');

/** Form checkboxes and multi-selects arrive as one value or many; ids as strings. */
const idList = z.preprocess(
  (value): unknown[] =>
    value === undefined || value === ''
      ? []
      : Array.isArray(value)
        ? (value as unknown[])
        : typeof value === 'string'
          ? value.split(',').filter(Boolean)
          : [value],
  z
    .array(id)
    .max(MAX_CHANNELS_PER_RULE, `A rule sends to at most ${MAX_CHANNELS_PER_RULE} channels.`),
);

const choice = <T extends readonly number[]>(values: T, message: string) =>
  z.coerce.number({ error: message }).refine((v): v is T[number] => values.includes(v), message);

const ruleFields = z.object({
  name: storableText(z.string().trim().min(1, 'Name the rule.').max(120)),
  metric: z.enum(ALERT_METRICS, { error: 'Choose a metric.' }),
  scopeKind: z.enum(SCOPE_KINDS, { error: 'Choose a scope.' }).default('all'),
  scopeValue: storableText(z.string().trim().max(200)).optional().default(''),
  qualityCheck: storableText(z.string().trim().max(100)).optional().default(''),
  windowMinutes: choice(WINDOW_CHOICES, 'Choose a window.'),
  compare: z.enum(['value', 'change'], { error: 'Choose value or change.' }).default('value'),
  direction: z.enum(['above', 'below'], { error: 'Choose above or below.' }),
  warningThreshold: threshold,
  criticalThreshold: threshold,
  everyMinutes: choice(EVERY_CHOICES, 'Evaluate every 1, 5, 15 or 60 minutes.'),
  channelIds: idList,
});

function checkRule(
  rule: z.output<typeof ruleFields>,
  ctx: z.RefinementCtx,
  needsThreshold: boolean,
): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (needsThreshold && rule.warningThreshold === undefined && rule.criticalThreshold === undefined)
    issue('warningThreshold', 'Set a warning or a critical threshold (or both).');
  if (rule.warningThreshold !== undefined && rule.criticalThreshold !== undefined) {
    const ordered =
      rule.direction === 'above'
        ? rule.criticalThreshold >= rule.warningThreshold
        : rule.criticalThreshold <= rule.warningThreshold;
    if (!ordered)
      issue(
        'criticalThreshold',
        `The critical threshold must be ${rule.direction === 'above' ? 'at or above' : 'at or below'} the warning threshold.`,
      );
  }
  if (rule.scopeKind !== 'all' && rule.scopeValue === '')
    issue('scopeValue', 'Name the pattern type, pattern id or optimization type.');
  if (
    rule.scopeKind === 'pattern' &&
    !(/^[1-9]\d{0,15}$/.test(rule.scopeValue) && Number(rule.scopeValue) <= Number.MAX_SAFE_INTEGER)
  )
    issue('scopeValue', 'A pattern is named by its id, e.g. 12.');
  if (
    rule.scopeKind === 'optimization_type' &&
    !(OPTIMIZATION_TYPES as readonly string[]).includes(rule.scopeValue)
  )
    issue('scopeValue', `An optimization type is one of ${OPTIMIZATION_TYPES.join(', ')}.`);
  if (
    rule.scopeKind === 'optimization_type' &&
    !['usd_saved', 'tokens_saved'].includes(rule.metric)
  )
    issue('scopeKind', 'Only savings (USD or tokens) have an optimization type.');
  if (rule.metric === 'quality') {
    if (rule.qualityCheck === '') issue('qualityCheck', 'Choose the data-quality check.');
    if (rule.scopeKind !== 'all') issue('scopeKind', 'A data-quality check counts everything.');
  }
  if (rule.compare === 'change' && !WINDOWED_METRICS.includes(rule.metric))
    issue('compare', 'Only metrics over a window have a previous window to compare with.');
}

export const alertRuleInput = ruleFields.superRefine((rule, ctx) => checkRule(rule, ctx, true));
/** A rule being edited, backtested before its thresholds are chosen. */
export const backtestInput = ruleFields.superRefine((rule, ctx) => checkRule(rule, ctx, false));
export type AlertRuleInput = z.output<typeof alertRuleInput>;

/** A rule's fields that decide its state. */
export type RuleCondition = {
  direction: 'above' | 'below';
  warningThreshold: number | null;
  criticalThreshold: number | null;
};

/** The state a value puts a rule in, and the threshold it crossed. No value (no data) is ok. */
export function stateFor(
  value: number | null,
  rule: RuleCondition,
): { state: AlertState; threshold: number | null } {
  if (value === null || !Number.isFinite(value)) return { state: 'ok', threshold: null };
  const crosses = (limit: number | null) =>
    limit !== null && (rule.direction === 'above' ? value > limit : value < limit);
  if (crosses(rule.criticalThreshold))
    return { state: 'critical', threshold: rule.criticalThreshold };
  if (crosses(rule.warningThreshold)) return { state: 'warning', threshold: rule.warningThreshold };
  return { state: 'ok', threshold: null };
}

/** The percent change from `previous` to `current`; null when there was nothing before. */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

/** The next evaluation after `at`: the next multiple of the rule's interval (UTC minutes). */
export function nextEvaluation(at: Date, everyMinutes: number): Date {
  const step = everyMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / step) * step + step);
}

/** Whether a rule's notifications are held at `at`. */
export function isSilenced(rule: { muted: boolean; snoozedUntil: Date | null }, at: Date): boolean {
  return rule.muted || (rule.snoozedUntil !== null && rule.snoozedUntil.getTime() > at.getTime());
}

/* Channels */

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
const email = z.email('Each address must be an email address.');

export const channelInput = z
  .object({
    name: storableText(z.string().trim().min(1, 'Name the channel.').max(100)),
    kind: z.enum(CHANNEL_KINDS, { error: 'Choose webhook or email.' }),
    target: storableText(z.string().trim().min(1, 'Give the URL or the addresses.').max(2000)),
    format: z.enum(['json', 'slack'], { error: 'Choose JSON or Slack.' }).default('json'),
    secret: storableText(z.string().max(200, 'A secret is at most 200 characters.'))
      .optional()
      .default(''),
  })
  .superRefine((channel, ctx) => {
    if (channel.kind === 'webhook') {
      let url: URL | null = null;
      try {
        url = new URL(channel.target);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        ctx.addIssue({
          code: 'custom',
          path: ['target'],
          message: 'A webhook URL starts with http:// or https://.',
        });
    } else {
      const addresses = emailAddresses(channel.target);
      if (addresses.length === 0 || addresses.length > 20)
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'Give 1 to 20 addresses.' });
      for (const address of addresses) {
        if (!email.safeParse(address).success) {
          ctx.addIssue({
            code: 'custom',
            path: ['target'],
            message: `“${address.slice(0, 80)}” is not an email address.`,
          });
          break;
        }
      }
    }
  });
export type ChannelInput = z.output<typeof channelInput>;

export function emailAddresses(target: string): string[] {
  return target
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/* Scheduled reports */

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
  channelIds: idList,
});
export type ReportScheduleInput = z.output<typeof reportScheduleInput>;

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date (YYYY-MM-DD) in `tz` at `instant`. */
export function localDate(instant: Date, tz: string): string {
  const shifted = new Date(instant.getTime() + zoneOffset(instant.getTime(), tz));
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

/** A wall-clock date `days` later (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`;
}

/** ISO weekday of a wall-clock date (1 = Monday … 7 = Sunday). */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y!, m! - 1, d)).getUTCDay() + 6) % 7) + 1;
}

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

/** The period before `period`, of the same length in local days. */
export function previousPeriod(period: ReportPeriod, cadence: ReportCadence): ReportPeriod {
  return reportPeriod(addDays(period.start, cadence === 'daily' ? -1 : -7), cadence, period.tz);
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

export type BacktestPoint = { at: number; value: number | null; state: AlertState };

/** What a rule would have read and been at each step of a series (db/alerts/metrics.ts). */
export function backtestPoints(
  series: { at: number; current: number | null; previous: number | null }[],
  rule: RuleCondition & { compare: 'value' | 'change' },
): BacktestPoint[] {
  return series.map((point) => {
    const value =
      rule.compare === 'change' ? percentChange(point.current, point.previous) : point.current;
    return { at: point.at, value, state: stateFor(value, rule).state };
  });
}

/** How often the state went from ok to firing in a backtest. */
export function firings(points: BacktestPoint[]): number {
  let count = 0;
  let previous: AlertState = 'ok';
  for (const point of points) {
    if (previous === 'ok' && point.state !== 'ok') count++;
    previous = point.state;
  }
  return count;
}

/** The rule's condition as a condition object (nulls for thresholds not set). */
export function conditionOf(rule: AlertRuleInput): RuleCondition & { compare: 'value' | 'change' } {
  return {
    direction: rule.direction,
    compare: rule.compare,
    warningThreshold: rule.warningThreshold ?? null,
    criticalThreshold: rule.criticalThreshold ?? null,
  };
}

/** The unit a rule's value is in (its thresholds' unit). */
export function valueUnit(rule: { metric: AlertMetric; compare: 'value' | 'change' }): string {
  if (rule.compare === 'change') return '% change';
  const units: Record<AlertMetric, string> = {
    usd_saved: 'USD',
    tokens_saved: 'tokens',
    occurrences: 'occurrences',
    avg_similarity: 'ratio 0–1',
    roi: 'actual ÷ estimate',
    quality: 'rows',
    not_seen: 'hours',
  };
  return units[rule.metric];
}

/** A rule in one line: "USD saved over 24 hours, pattern type test, above 10 / 20". */
export function describeRule(rule: {
  metric: AlertMetric;
  scopeKind: ScopeKind;
  scopeValue: string | null;
  qualityCheck: string | null;
  windowMinutes: number;
  compare: 'value' | 'change';
  direction: 'above' | 'below';
  warningThreshold: number | null;
  criticalThreshold: number | null;
}): string {
  const windowed = WINDOWED_METRICS.includes(rule.metric);
  const what =
    rule.metric === 'quality'
      ? `Data-quality check ${rule.qualityCheck ?? ''}`
      : `${METRIC_LABELS[rule.metric]}${windowed ? ` over ${WINDOW_LABELS[rule.windowMinutes] ?? `${rule.windowMinutes} min`}` : ''}`;
  const scope =
    rule.scopeKind === 'all'
      ? 'everything'
      : rule.scopeKind === 'pattern'
        ? `pattern #${rule.scopeValue}`
        : `${rule.scopeKind === 'pattern_type' ? 'pattern type' : 'optimization type'} ${rule.scopeValue}`;
  const change = rule.compare === 'change' ? ', change against the window before,' : '';
  const limits = [
    rule.warningThreshold !== null ? `warning ${rule.warningThreshold}` : null,
    rule.criticalThreshold !== null ? `critical ${rule.criticalThreshold}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${what}, ${scope}${change} ${rule.direction} ${limits} ${valueUnit(rule)}`;
}

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
