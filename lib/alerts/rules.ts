/**
 * An alert rule: what it holds (the zod schema the forms and the actions share, and the one type
 * derived from it), the pure rules of its state, and a rule in words.
 */
import { z } from 'zod';
import { OPTIMIZATION_TYPES } from '../domain';
import { storableText } from '../text-safety';
import {
  ALERT_METRICS,
  EVERY_CHOICES,
  METRIC_LABELS,
  SCOPE_KINDS,
  WINDOW_CHOICES,
  WINDOW_LABELS,
  WINDOWED_METRICS,
  valueUnit,
  type AlertState,
} from './metrics';
import { channelIdList } from './channels';

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
  channelIds: channelIdList,
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

/**
 * A rule's definition as it is stored and read back: the input's fields, with the ones a form may
 * leave empty as null. Every reader and writer of rules uses this type (or a Pick of it).
 */
export type AlertRule = Omit<
  AlertRuleInput,
  'scopeValue' | 'qualityCheck' | 'warningThreshold' | 'criticalThreshold'
> & {
  scopeValue: string | null;
  qualityCheck: string | null;
  warningThreshold: number | null;
  criticalThreshold: number | null;
};

/** The fields that say what a rule reads (db/alerts/metrics.ts). */
export type MetricRule = Pick<
  AlertRule,
  'metric' | 'scopeKind' | 'scopeValue' | 'qualityCheck' | 'windowMinutes' | 'compare'
>;

/** A rule's fields that decide its state. */
export type RuleCondition = Pick<AlertRule, 'direction' | 'warningThreshold' | 'criticalThreshold'>;

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

/** A rule as the form sent it, as it is stored (empty fields as null). */
export function storedRule(rule: AlertRuleInput): AlertRule {
  return {
    ...rule,
    scopeValue: rule.scopeKind === 'all' ? null : rule.scopeValue || null,
    qualityCheck: rule.metric === 'quality' ? rule.qualityCheck || null : null,
    warningThreshold: rule.warningThreshold ?? null,
    criticalThreshold: rule.criticalThreshold ?? null,
  };
}

/** A rule in one line: "USD saved over 24 hours, pattern type test, above 10 / 20". */
export function describeRule(rule: MetricRule & RuleCondition): string {
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
