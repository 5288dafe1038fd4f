'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { rederiveRule } from '@/db/capture/remove';
import { regexProblem, tryRule, type RuleTrial } from '@/db/capture/trial';
import {
  createCaptureRule,
  deleteModelPrice,
  saveModelPrice,
  setInPlaceSource,
  updateCaptureRule,
  type RuleWrite,
} from '@/db/mutations/capture';
import type { Database } from '@/db/types';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { modelPriceInput } from '@/lib/capture/prices';
import { captureRuleInput, MAX_RULES, type CaptureRuleInput } from '@/lib/capture/rules';
import { recordIdInput } from '@/lib/record-id';
import { roleAction } from '@/server/action';
import { getDb } from '@/server/database';

/** A rule's expression must be one PostgreSQL takes: asked before anything is saved. */
async function badExpression(
  db: Database,
  rule: CaptureRuleInput,
): Promise<ActionResult<never> | null> {
  const problem = await regexProblem(db, rule.match);
  return problem ? actionFailure('invalid', problem, { fieldErrors: { match: [problem] } }) : null;
}

function saved(result: RuleWrite, message: string): ActionResult<{ id: number }> {
  switch (result.status) {
    case 'ok':
      revalidatePath('/capture');
      return { ok: true, id: result.id, message };
    case 'duplicate':
      return actionFailure('conflict', 'There is a rule with this name already.', {
        fieldErrors: { name: ['There is a rule with this name already.'] },
      });
    case 'limit':
      return actionFailure('invalid', `There are ${MAX_RULES} rules; delete or reuse one first.`);
    default:
      return actionFailure('not_found', 'This rule no longer exists.');
  }
}

/** Adds a recognition rule (admins); it applies to events from the next capture step on. */
export const createRuleAction = roleAction('admin', captureRuleInput, async (rule, actor) => {
  const db = await getDb();
  const refused = await badExpression(db, rule);
  if (refused) return refused;
  return saved(
    await createCaptureRule(db, rule, actor.email, MAX_RULES),
    `Added “${rule.name}”. New events are matched from now on; “Re-derive” applies it to the events kept.`,
  );
});

/** Saves a rule as its next version (admins). What earlier versions derived stays until re-derived. */
export const updateRuleAction = roleAction(
  'admin',
  z.intersection(recordIdInput, captureRuleInput),
  async (rule, actor) => {
    const db = await getDb();
    const refused = await badExpression(db, rule);
    if (refused) return refused;
    const result = await updateCaptureRule(db, rule.id, rule, actor.email);
    return saved(result, result.status === 'ok' ? `Saved as version ${result.version}.` : 'Saved.');
  },
);

/** What a rule being edited would match among the latest events; nothing is written (admins). */
export const tryRuleAction = roleAction(
  'admin',
  captureRuleInput,
  async (rule): Promise<ActionResult<{ trial: RuleTrial }>> => {
    const db = await getDb();
    const refused = await badExpression(db, rule);
    if (refused) return refused;
    const trial = await tryRule(db, rule);
    return {
      ok: true,
      trial,
      message: `Matches ${trial.matched} of the latest ${trial.events} ${rule.toolName === '*' ? '' : `${rule.toolName} `}events.`,
    };
  },
);

/** Takes back what a rule derived and matches the events kept against its current version. */
export const rederiveRuleAction = roleAction('admin', recordIdInput, async ({ id }) => {
  const result = await rederiveRule(await getDb(), id);
  revalidatePath('/capture');
  return {
    ok: true,
    message: `Removed ${result.occurrences} occurrences it had derived; ${result.queued} events go through the rules again within seconds.`,
  };
});

const sourceInput = z.object({
  source: z.enum(['hook_events', 'task_logs'], { error: 'Choose hook_events or task_logs.' }),
  enabled: z.enum(['true', 'false'], { error: 'Say on or off.' }),
});

/** Turns reading hook_events or task_logs in place on or off (admins). */
export const setSourceAction = roleAction('admin', sourceInput, async ({ source, enabled }) => {
  await setInPlaceSource(await getDb(), source, enabled === 'true');
  revalidatePath('/capture');
  return {
    ok: true,
    message:
      enabled === 'true'
        ? `Reading ${source} again from where it stopped.`
        : `${source} is no longer read (what was read stays).`,
  };
});

/** Adds a model price, or replaces the one for the same model and date (admins). */
export const savePriceAction = roleAction('admin', modelPriceInput, async (price, actor) => {
  await saveModelPrice(await getDb(), price, actor.email);
  revalidatePath('/capture');
  return {
    ok: true,
    message: `Saved: ${price.modelPrefix} from ${price.effectiveFrom}. It prices savings derived from now on.`,
  };
});

export const deletePriceAction = roleAction('admin', recordIdInput, async ({ id }) => {
  if (!(await deleteModelPrice(await getDb(), id)))
    return actionFailure(
      'not_found',
      'That price is gone already, or it is the last price for any model.',
    );
  revalidatePath('/capture');
  return { ok: true, message: 'Price deleted.' };
});
