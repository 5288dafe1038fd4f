/**
 * Evaluating due alert rules, once each, whatever the number of processes: a batch of due rules is
 * claimed with FOR UPDATE SKIP LOCKED in a transaction that also reads their metrics (a few
 * statements per window length for the whole batch, db/alerts/metrics.ts), records each
 * change of state, queues the notifications (the outbox) and moves the next evaluations on.
 * Another process skips the locked rules and, after the commit, finds them no longer due; a
 * process killed before the commit leaves them due and nothing written.
 */
import { readMetrics, type MetricReading } from '@/db/alerts/metrics';
import {
  claimDueRules,
  enqueueDeliveries,
  recordStateChange,
  saveRuleStates,
  type ClaimedRule,
} from '@/db/mutations/alerts';
import type { Database } from '@/db/types';
import { type AlertState } from '@/lib/alerts/metrics';
import { isSilenced, nextEvaluation, percentChange, stateFor } from '@/lib/alerts/rules';
import { stateChangeMessage } from '@/lib/alert-messages';

export type EvaluationOptions = {
  /** At most this many rules in one call. */
  limit?: number;
  /** The base of links in messages (the server's public origin). */
  origin?: string;
  /** Called inside each batch's transaction, after every write and before the commit (tests kill here). */
  beforeCommit?: () => Promise<void> | void;
};

export type Evaluation = {
  ruleId: number;
  at: Date;
  value: number | null;
  from: AlertState;
  to: AlertState;
  queued: number;
};

/** Rules claimed per transaction. */
const BATCH = 100;

type Settled = Evaluation & { notified: AlertState; next: Date };

/**
 * The moment a due rule is evaluated at: its latest slot not after `now` (a rule due long ago,
 * while no process ran, is evaluated once, at the latest slot, not once per missed slot).
 */
function slotOf(rule: ClaimedRule, now: Date): Date {
  const step = rule.everyMinutes * 60_000;
  return new Date(Math.max(rule.nextEvaluationAt, Math.floor(now.getTime() / step) * step));
}

/** Records what one rule read: a change of state, a notification, its next evaluation. */
async function settle(
  tx: Database,
  rule: ClaimedRule,
  at: Date,
  reading: MetricReading,
  now: Date,
  options: EvaluationOptions,
): Promise<Settled> {
  const value =
    rule.compare === 'change' ? percentChange(reading.current, reading.previous) : reading.current;
  const { state, threshold } = stateFor(value, rule);
  const silenced = isSilenced(
    { muted: rule.muted, snoozedUntil: rule.snoozedUntil ? new Date(rule.snoozedUntil) : null },
    at,
  );
  const notify = !silenced && state !== rule.notifiedState;
  let eventId: number | null = null;
  if (state !== rule.state)
    eventId = await recordStateChange(tx, {
      ruleId: rule.id,
      at,
      from: rule.state,
      to: state,
      value,
      threshold,
      notified: notify,
    });
  let queued = 0;
  if (notify) {
    const message = stateChangeMessage({
      rule,
      from: rule.notifiedState,
      to: state,
      value,
      threshold,
      at,
      link: options.origin ? `${options.origin}/alerts/${rule.id}` : null,
    });
    queued = await enqueueDeliveries(tx, {
      kind: 'alert',
      message,
      at: now,
      ruleId: rule.id,
      eventId,
    });
  }
  return {
    ruleId: rule.id,
    at,
    value,
    from: rule.state,
    to: state,
    queued,
    notified: notify ? state : rule.notifiedState,
    next: nextEvaluation(at, rule.everyMinutes),
  };
}

/** A claimed batch: metrics read per evaluation moment, then each rule settled in turn. */
async function evaluateBatch(
  tx: Database,
  rules: ClaimedRule[],
  now: Date,
  options: EvaluationOptions,
): Promise<Evaluation[]> {
  const bySlot = new Map<number, ClaimedRule[]>();
  for (const rule of rules) {
    const slot = slotOf(rule, now).getTime();
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), rule]);
  }
  const done: Settled[] = [];
  for (const [slot, group] of bySlot) {
    const at = new Date(slot);
    const readings = await readMetrics(tx, group, at);
    for (const [i, rule] of group.entries())
      done.push(await settle(tx, rule, at, readings[i]!, now, options));
  }
  await saveRuleStates(
    tx,
    done.map((e) => ({
      ruleId: e.ruleId,
      state: e.to,
      notified: e.notified,
      value: e.value,
      at: e.at,
      next: e.next,
    })),
  );
  await options.beforeCommit?.();
  return done;
}

/** Evaluates every rule due at `now` (up to `limit`), a batch per transaction. */
export async function evaluateDueRules(
  db: Database,
  now: Date,
  options: EvaluationOptions = {},
): Promise<Evaluation[]> {
  const done: Evaluation[] = [];
  const limit = options.limit ?? 1000;
  while (done.length < limit) {
    const batch = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const rules = await claimDueRules(tx, now, Math.min(BATCH, limit - done.length));
      return rules.length > 0 ? evaluateBatch(tx, rules, now, options) : null;
    });
    if (!batch) break;
    done.push(...batch);
  }
  return done;
}
