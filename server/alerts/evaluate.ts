/**
 * Evaluating due alert rules, once each, whatever the number of processes: a batch of due rules is
 * claimed with FOR UPDATE SKIP LOCKED in a transaction that also reads their metrics (a few
 * statements per window length for the whole batch, db/alerts/metrics.ts), records each
 * change of state, queues the notifications (the outbox) and moves the next evaluations on.
 * Another process skips the locked rules and, after the commit, finds them no longer due; a
 * process killed before the commit leaves them due and nothing written.
 */
import { sql } from 'drizzle-orm';
import { readMetrics, type MetricReading, type MetricRule } from '@/db/alerts/metrics';
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

async function claimDueRules(tx: Database, now: Date, limit: number): Promise<ClaimedRule[]> {
  return queryRows<ClaimedRule>(
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
      ORDER BY next_evaluation_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

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

/** Every settled rule's new state and next evaluation, in one statement. */
async function saveStates(tx: Database, settled: Settled[]): Promise<void> {
  if (settled.length === 0) return;
  const rows = JSON.stringify(
    settled.map((e) => ({
      id: e.ruleId,
      state: e.to,
      notified: e.notified,
      value: e.value,
      at: e.at.toISOString(),
      next: e.next.toISOString(),
    })),
  );
  await tx.execute(sql`UPDATE pattern_ledger.alert_rule r SET state = s.state,
      notified_state = s.notified, last_value = s.value, last_evaluated_at = s.at,
      next_evaluation_at = s.next
    FROM json_to_recordset(${rows}::json)
      AS s(id bigint, state text, notified text, value float8, at timestamptz, next timestamptz)
    WHERE r.id = s.id`);
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
  await saveStates(tx, done);
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
