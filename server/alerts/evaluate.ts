/**
 * Evaluating due alert rules, once each, whatever the number of processes: a rule is claimed with
 * FOR UPDATE SKIP LOCKED in a transaction that also reads its metric, records a change of state,
 * queues the notification (the outbox) and moves its next evaluation on. Another process skips the
 * locked rule and, after the commit, finds it no longer due; a process killed before the commit
 * leaves the rule due and nothing written.
 */
import { sql } from 'drizzle-orm';
import { readMetric, type MetricRule } from '@/db/queries/alert-metrics';
import { enqueueDeliveries } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import type { Database } from '@/db/types';
import { isSilenced, nextEvaluation, percentChange, stateFor, type AlertState } from '@/lib/alerts';
import { stateChangeMessage } from '@/lib/alert-messages';

type ClaimedRule = MetricRule & {
  id: number;
  name: string;
  direction: 'above' | 'below';
  warningThreshold: number | null;
  criticalThreshold: number | null;
  everyMinutes: number;
  muted: boolean;
  snoozedUntil: number | null;
  state: AlertState;
  notifiedState: AlertState;
  nextEvaluationAt: number;
};

export type EvaluationOptions = {
  /** At most this many rules in one call. */
  limit?: number;
  /** The base of links in messages (the server's public origin). */
  origin?: string;
  /** Called inside the transaction, after every write and before the commit (tests kill here). */
  beforeCommit?: (ruleId: number) => Promise<void> | void;
};

export type Evaluation = {
  ruleId: number;
  at: Date;
  value: number | null;
  from: AlertState;
  to: AlertState;
  queued: number;
};

async function claimDueRule(tx: Database, now: Date): Promise<ClaimedRule | undefined> {
  const [rule] = await queryRows<ClaimedRule>(
    tx,
    sql`SELECT id::int AS id, name, metric, scope_kind AS "scopeKind", scope_value AS "scopeValue",
        quality_check AS "qualityCheck", window_minutes AS "windowMinutes", compare, direction,
        warning_threshold AS "warningThreshold", critical_threshold AS "criticalThreshold",
        every_minutes AS "everyMinutes", muted,
        (date_part('epoch', snoozed_until) * 1000)::float8 AS "snoozedUntil",
        state, notified_state AS "notifiedState",
        (date_part('epoch', next_evaluation_at) * 1000)::float8 AS "nextEvaluationAt"
      FROM pattern_ledger.alert_rule
      WHERE next_evaluation_at <= ${now.toISOString()}::timestamptz
      ORDER BY next_evaluation_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return rule;
}

/**
 * The moment a due rule is evaluated at: its latest slot not after `now` (a rule due long ago,
 * while no process ran, is evaluated once, at the latest slot, not once per missed slot).
 */
function slotOf(rule: ClaimedRule, now: Date): Date {
  const step = rule.everyMinutes * 60_000;
  return new Date(Math.max(rule.nextEvaluationAt, Math.floor(now.getTime() / step) * step));
}

async function evaluateOne(
  tx: Database,
  rule: ClaimedRule,
  now: Date,
  options: EvaluationOptions,
): Promise<Evaluation> {
  const at = slotOf(rule, now);
  const reading = await readMetric(tx, rule, at);
  const value =
    rule.compare === 'change' ? percentChange(reading.current, reading.previous) : reading.current;
  const { state, threshold } = stateFor(value, rule);
  const silenced = isSilenced(
    { muted: rule.muted, snoozedUntil: rule.snoozedUntil ? new Date(rule.snoozedUntil) : null },
    at,
  );
  const notify = !silenced && state !== rule.notifiedState;
  let eventId: number | null = null;
  if (state !== rule.state) {
    const [event] = await queryRows<{ id: number }>(
      tx,
      sql`INSERT INTO pattern_ledger.alert_event (rule_id, at, from_state, to_state, value, threshold, notified)
        VALUES (${rule.id}, ${at.toISOString()}::timestamptz, ${rule.state}, ${state}, ${value}, ${threshold}, ${notify})
        RETURNING id::int AS id`,
    );
    eventId = event!.id;
  }
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
    queued = await enqueueDeliveries(
      tx,
      sql`SELECT channel_id FROM pattern_ledger.alert_rule_channel WHERE rule_id = ${rule.id}`,
      { kind: 'alert', message, at: now, ruleId: rule.id, eventId },
    );
  }
  await tx.execute(sql`UPDATE pattern_ledger.alert_rule SET state = ${state},
      notified_state = ${notify ? state : rule.notifiedState}, last_value = ${value},
      last_evaluated_at = ${at.toISOString()}::timestamptz,
      next_evaluation_at = ${nextEvaluation(at, rule.everyMinutes).toISOString()}::timestamptz
    WHERE id = ${rule.id}`);
  await options.beforeCommit?.(rule.id);
  return { ruleId: rule.id, at, value, from: rule.state, to: state, queued };
}

/** Evaluates every rule due at `now` (up to `limit`), one transaction per rule. */
export async function evaluateDueRules(
  db: Database,
  now: Date,
  options: EvaluationOptions = {},
): Promise<Evaluation[]> {
  const done: Evaluation[] = [];
  const limit = options.limit ?? 1000;
  while (done.length < limit) {
    const evaluation = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const rule = await claimDueRule(tx, now);
      return rule ? evaluateOne(tx, rule, now, options) : null;
    });
    if (!evaluation) break;
    done.push(evaluation);
  }
  return done;
}
