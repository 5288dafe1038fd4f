'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import {
  createAlertRule,
  createReportSchedule,
  deleteAlertRule,
  deleteReportSchedule,
  silenceAlertRule,
  updateAlertRule,
} from '@/db/mutations/alerts';
import { hasQualityCheck, readMetricSeries } from '@/db/alerts/metrics';
import {
  countAlertRules,
  getRuleSilence,
  missingChannelIds,
  patternExists,
} from '@/db/alerts/lookups';
import type { Database } from '@/db/types';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { recordIdInput } from '@/lib/record-id';
import { backtestPoints, firings, type BacktestPoint } from '@/lib/alerts/backtest';
import { BACKTEST_DAYS, MAX_RULES } from '@/lib/alerts/metrics';
import { nextReportRun, reportScheduleInput } from '@/lib/alerts/reports';
import { alertRuleInput, backtestInput, storedRule } from '@/lib/alerts/rules';
import { notStored, roleAction } from '@/server/action';
import { getDb } from '@/server/database';

const idInput = recordIdInput;

/** The refusal when a channel chosen no longer exists (deleted since the form was shown). */
async function missingChannel(db: Database, ids: number[]): Promise<ActionResult<never> | null> {
  const [missing] = await missingChannelIds(db, ids);
  if (missing === undefined) return null;
  const message = `There is no channel #${missing}; reload the page to see the channels there are.`;
  return actionFailure('invalid', message, { fieldErrors: { channelIds: [message] } });
}

/** Checks what only the database knows: the pattern, check and channels named exist. */
async function refusal(
  db: Database,
  rule: z.output<typeof backtestInput>,
): Promise<ActionResult<never> | null> {
  if (rule.metric === 'quality' && !hasQualityCheck(rule.qualityCheck))
    return actionFailure('invalid', 'Choose one of the data-quality checks.', {
      fieldErrors: { qualityCheck: ['Choose one of the data-quality checks.'] },
    });
  if (rule.scopeKind === 'pattern' && !(await patternExists(db, Number(rule.scopeValue))))
    return actionFailure('invalid', `There is no pattern #${rule.scopeValue}.`, {
      fieldErrors: { scopeValue: [`There is no pattern #${rule.scopeValue}.`] },
    });
  return missingChannel(db, rule.channelIds);
}

/** Creates an alert rule, due at once (editors). */
export const createRule = roleAction(
  'editor',
  alertRuleInput,
  async (rule, actor): Promise<ActionResult<{ id: number }>> => {
    const db = await getDb();
    const refused = await refusal(db, rule);
    if (refused) return refused;
    if ((await countAlertRules(db)) >= MAX_RULES)
      return actionFailure('invalid', `There are already ${MAX_RULES} rules; delete one first.`);
    try {
      const id = await createAlertRule(db, rule, actor.email, new Date());
      revalidatePath('/alerts');
      return { ok: true, id, message: `Created “${rule.name}”. It is evaluated within a minute.` };
    } catch (error) {
      return notStored('The rule', error);
    }
  },
);

/** Replaces a rule's definition (editors); its next evaluation is due at once. */
export const updateRule = roleAction(
  'editor',
  z.intersection(idInput, alertRuleInput),
  async (input): Promise<ActionResult<{ id: number }>> => {
    const db = await getDb();
    const refused = await refusal(db, input);
    if (refused) return refused;
    try {
      if (!(await updateAlertRule(db, input.id, input, new Date())))
        return actionFailure('not_found', 'This rule no longer exists.');
    } catch (error) {
      return notStored('The rule', error);
    }
    revalidatePath('/alerts');
    revalidatePath(`/alerts/${input.id}`);
    return { ok: true, id: input.id, message: 'Saved. The rule is evaluated again now.' };
  },
);

export const deleteRule = roleAction('editor', idInput, async ({ id }) => {
  if (!(await deleteAlertRule(await getDb(), id)))
    return actionFailure('not_found', 'This rule no longer exists.');
  revalidatePath('/alerts');
  return { ok: true, message: 'Rule deleted.' };
});

const silenceInput = z.intersection(
  idInput,
  z.object({
    mode: z.enum(['mute', 'unmute', 'snooze', 'unsnooze'], { error: 'Choose what to do.' }),
    hours: z.coerce
      .number({ error: 'Snooze for 1 to 720 hours.' })
      .int('Snooze for whole hours.')
      .min(1, 'Snooze for 1 to 720 hours.')
      .max(720, 'Snooze for 1 to 720 hours.')
      .default(1),
  }),
);

/** Mutes, unmutes or snoozes a rule's notifications (editors); it is still evaluated. */
export const silenceRule = roleAction('editor', silenceInput, async ({ id, mode, hours }) => {
  const db = await getDb();
  const rule = await getRuleSilence(db, id);
  if (!rule) return actionFailure('not_found', 'This rule no longer exists.');
  const keepSnooze = rule.snoozedUntil;
  const silence =
    mode === 'mute' || mode === 'unmute'
      ? { muted: mode === 'mute', snoozedUntil: keepSnooze }
      : {
          muted: rule.muted,
          snoozedUntil: mode === 'snooze' ? new Date(Date.now() + hours * 3_600_000) : null,
        };
  await silenceAlertRule(db, id, silence);
  revalidatePath(`/alerts/${id}`);
  revalidatePath('/alerts');
  const said = {
    mute: 'Muted: it is evaluated, but tells no one.',
    unmute: 'Unmuted.',
    snooze: `Snoozed for ${hours} hour${hours === 1 ? '' : 's'}.`,
    unsnooze: 'Snooze ended.',
  };
  return { ok: true, message: said[mode] };
});

/**
 * What a rule being edited would have read over the last 30 days, hour by hour, and when it would
 * have fired. Anyone signed in may ask; nothing is written.
 */
export const backtestRule = roleAction(
  'viewer',
  backtestInput,
  async (rule): Promise<ActionResult<{ points: BacktestPoint[]; firings: number }>> => {
    const db = await getDb();
    const refused = await refusal(db, rule);
    if (refused) return refused;
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - BACKTEST_DAYS * 86_400_000);
    const stored = storedRule(rule);
    const series = await readMetricSeries(db, stored, from, to);
    const points = backtestPoints(series, stored);
    return { ok: true, points, firings: firings(points) };
  },
);

/** Schedules a daily or weekly report (editors). */
export const createSchedule = roleAction(
  'editor',
  reportScheduleInput,
  async (schedule, actor): Promise<ActionResult<{ id: number }>> => {
    const db = await getDb();
    const refused = await missingChannel(db, schedule.channelIds);
    if (refused) return refused;
    const nextRun = nextReportRun(schedule, new Date());
    const id = await createReportSchedule(db, schedule, nextRun, actor.email);
    revalidatePath('/reports');
    return { ok: true, id, message: `Scheduled; the first is sent ${nextRun.toISOString()}.` };
  },
);

export const deleteSchedule = roleAction('editor', idInput, async ({ id }) => {
  if (!(await deleteReportSchedule(await getDb(), id)))
    return actionFailure('not_found', 'This schedule no longer exists.');
  revalidatePath('/reports');
  return { ok: true, message: 'Schedule deleted.' };
});
