/**
 * Writes of alert rules, channels, report schedules and the outbox (pattern_ledger.alert_*). Every
 * multi-row write is one statement or one transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ChannelInput } from '@/lib/alerts/channels';
import type { AlertState } from '@/lib/alerts/metrics';
import type { ReportCadence, ReportScheduleInput } from '@/lib/alerts/reports';
import { storedRule, type AlertRule, type AlertRuleInput } from '@/lib/alerts/rules';
import type { AlertMessage } from '@/lib/alert-messages';
import type { Database } from '../types';
import { queryRows } from '../sql';

const channelRows = (table: string, owner: string, id: SQL, channelIds: number[]) =>
  sql`INSERT INTO ${sql.raw(`pattern_ledger.${table}`)} (${sql.raw(owner)}, channel_id)
    SELECT ${id}, c.id FROM pattern_ledger.alert_channel c
    WHERE c.id = ANY(${`{${channelIds.join(',')}}`}::bigint[])`;

/** Creates a rule and links its channels; due at once. Answers its id. */
export async function createAlertRule(
  db: Database,
  rule: AlertRuleInput,
  createdBy: string,
  now: Date,
): Promise<number> {
  const v = storedRule(rule);
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`WITH rule AS (
        INSERT INTO pattern_ledger.alert_rule (name, metric, scope_kind, scope_value, quality_check,
          window_minutes, compare, direction, warning_threshold, critical_threshold, every_minutes,
          next_evaluation_at, created_by, created_at, updated_at)
        VALUES (${rule.name}, ${rule.metric}, ${rule.scopeKind}, ${v.scopeValue}, ${v.qualityCheck},
          ${rule.windowMinutes}, ${rule.compare}, ${rule.direction}, ${v.warningThreshold}, ${v.criticalThreshold},
          ${rule.everyMinutes}, ${now.toISOString()}::timestamptz, ${createdBy},
          ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        RETURNING id),
      links AS (${channelRows('alert_rule_channel', 'rule_id', sql`(SELECT id FROM rule)`, rule.channelIds)})
      SELECT id::int AS id FROM rule`,
  );
  return row!.id;
}

/**
 * Replaces a rule's definition and channels. Its state stays (the next evaluation, due at once,
 * moves it by the new definition and notifies as usual). False when the rule is gone.
 */
export async function updateAlertRule(
  db: Database,
  id: number,
  rule: AlertRuleInput,
  now: Date,
): Promise<boolean> {
  const v = storedRule(rule);
  // Two statements in one transaction: a statement's CTEs share one snapshot, so a link deleted
  // and inserted again in one statement would collide.
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const rows = await queryRows<{ id: number }>(
      tx,
      sql`UPDATE pattern_ledger.alert_rule SET name = ${rule.name}, metric = ${rule.metric},
          scope_kind = ${rule.scopeKind}, scope_value = ${v.scopeValue}, quality_check = ${v.qualityCheck},
          window_minutes = ${rule.windowMinutes}, compare = ${rule.compare}, direction = ${rule.direction},
          warning_threshold = ${v.warningThreshold}, critical_threshold = ${v.criticalThreshold},
          every_minutes = ${rule.everyMinutes}, next_evaluation_at = ${now.toISOString()}::timestamptz,
          updated_at = ${now.toISOString()}::timestamptz
        WHERE id = ${id} RETURNING id::int AS id`,
    );
    if (rows.length === 0) return false;
    await tx.execute(sql`DELETE FROM pattern_ledger.alert_rule_channel WHERE rule_id = ${id}`);
    await tx.execute(channelRows('alert_rule_channel', 'rule_id', sql`${id}`, rule.channelIds));
    return true;
  });
}

export async function deleteAlertRule(db: Database, id: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.alert_rule WHERE id = ${id} RETURNING id::int AS id`,
  );
  return rows.length > 0;
}

/** Mutes or unmutes a rule, or snoozes it until a moment (null: no snooze). */
export async function silenceAlertRule(
  db: Database,
  id: number,
  silence: { muted: boolean; snoozedUntil: Date | null },
): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`UPDATE pattern_ledger.alert_rule SET muted = ${silence.muted},
        snoozed_until = ${silence.snoozedUntil?.toISOString() ?? null}::timestamptz
      WHERE id = ${id} RETURNING id::int AS id`,
  );
  return rows.length > 0;
}

/** Creates a channel; answers its id. */
export async function createChannel(
  db: Database,
  channel: Omit<ChannelInput, 'secret'> & { secret: string | null },
  createdBy: string,
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`INSERT INTO pattern_ledger.alert_channel (name, kind, target, format, secret, created_by)
      VALUES (${channel.name}, ${channel.kind}, ${channel.target},
        ${channel.kind === 'webhook' ? channel.format : 'json'}, ${channel.secret}, ${createdBy})
      RETURNING id::int AS id`,
  );
  return row!.id;
}

/** Every channel's stored secret (webhooks with one), for re-encrypting them. */
export async function channelSecrets(db: Database): Promise<{ id: number; secret: string }[]> {
  return queryRows(
    db,
    sql`SELECT id::int AS id, secret FROM pattern_ledger.alert_channel
      WHERE secret IS NOT NULL ORDER BY id`,
  );
}

/** Replaces a channel's stored secret if it is still `expected` (another process may have). */
export async function replaceChannelSecret(
  db: Database,
  id: number,
  expected: string,
  secret: string,
): Promise<void> {
  await db.execute(
    sql`UPDATE pattern_ledger.alert_channel SET secret = ${secret}
      WHERE id = ${id} AND secret = ${expected}`,
  );
}

export async function deleteChannel(db: Database, id: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.alert_channel WHERE id = ${id} RETURNING id::int AS id`,
  );
  return rows.length > 0;
}

export async function createReportSchedule(
  db: Database,
  schedule: ReportScheduleInput,
  nextRunAt: Date,
  createdBy: string,
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`WITH schedule AS (
        INSERT INTO pattern_ledger.report_schedule (name, cadence, weekday, hour, tz, next_run_at, created_by)
        VALUES (${schedule.name}, ${schedule.cadence}, ${schedule.weekday}, ${schedule.hour}, ${schedule.tz},
          ${nextRunAt.toISOString()}::timestamptz, ${createdBy})
        RETURNING id),
      links AS (${channelRows('report_schedule_channel', 'schedule_id', sql`(SELECT id FROM schedule)`, schedule.channelIds)})
      SELECT id::int AS id FROM schedule`,
  );
  return row!.id;
}

export async function deleteReportSchedule(db: Database, id: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`DELETE FROM pattern_ledger.report_schedule WHERE id = ${id} RETURNING id::int AS id`,
  );
  return rows.length > 0;
}

/* The outbox */

/** A message to queue: a rule's change of state, a scheduled report, or a channel's test. */
export type Enqueue = { message: AlertMessage; at: Date } & (
  | { kind: 'alert'; ruleId: number; eventId: number | null }
  | { kind: 'report'; scheduleId: number }
  | { kind: 'test'; channelId: number }
);

/** The channels a message goes to: its rule's, its schedule's, or the one tested. */
function channelsOf(item: Enqueue): SQL {
  switch (item.kind) {
    case 'alert':
      return sql`SELECT channel_id FROM pattern_ledger.alert_rule_channel WHERE rule_id = ${item.ruleId}`;
    case 'report':
      return sql`SELECT channel_id FROM pattern_ledger.report_schedule_channel WHERE schedule_id = ${item.scheduleId}`;
    default:
      return sql`${item.channelId}`;
  }
}

/** Queues the message to its channels (those that still exist). Answers how many. */
export async function enqueueDeliveries(db: Database, item: Enqueue): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH queued AS (
        INSERT INTO pattern_ledger.alert_delivery (channel_id, rule_id, event_id, schedule_id, kind, message,
          next_attempt_at, created_at)
        SELECT c.id, ${item.kind === 'alert' ? item.ruleId : null}, ${item.kind === 'alert' ? item.eventId : null},
          ${item.kind === 'report' ? item.scheduleId : null}, ${item.kind},
          ${JSON.stringify(item.message)}, ${item.at.toISOString()}::timestamptz, ${item.at.toISOString()}::timestamptz
        FROM pattern_ledger.alert_channel c WHERE c.id IN (${channelsOf(item)})
        RETURNING 1)
      SELECT count(*)::int AS n FROM queued`,
  );
  return rows[0]?.n ?? 0;
}

export type ClaimedDelivery = {
  id: number;
  kind: string;
  message: string;
  attempts: number;
  channelId: number;
  channelKind: 'webhook' | 'email';
  target: string;
  format: 'json' | 'slack';
  secret: string | null;
};

/**
 * Claims up to `limit` due deliveries for `leaseMs`: no other process takes them meanwhile, and
 * one whose sender died is taken again once its lease ends.
 */
export async function claimDeliveries(
  db: Database,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  return queryRows<ClaimedDelivery>(
    db,
    sql`WITH due AS (
        SELECT id FROM pattern_ledger.alert_delivery
        WHERE status = 'pending' AND next_attempt_at <= ${at} AND (locked_until IS NULL OR locked_until <= ${at})
        ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE pattern_ledger.alert_delivery d SET attempts = d.attempts + 1,
          locked_until = ${at} + make_interval(secs => ${leaseMs / 1000})
        FROM due WHERE d.id = due.id
        RETURNING d.id, d.kind, d.message, d.attempts, d.channel_id)
      SELECT claimed.id::int AS id, claimed.kind, claimed.message, claimed.attempts,
        c.id::int AS "channelId", c.kind AS "channelKind", c.target, c.format, c.secret
      FROM claimed JOIN pattern_ledger.alert_channel c ON c.id = claimed.channel_id
      ORDER BY claimed.id`,
  );
}

export async function markDelivered(db: Database, id: number, at: Date): Promise<void> {
  await db.execute(sql`UPDATE pattern_ledger.alert_delivery SET status = 'sent',
      sent_at = ${at.toISOString()}::timestamptz, locked_until = NULL, last_error = NULL
    WHERE id = ${id} AND status = 'pending'`);
}

/** A failed attempt: tried again at `retryAt`, or given up (`retryAt` null). */
export async function markFailed(
  db: Database,
  id: number,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db.execute(sql`UPDATE pattern_ledger.alert_delivery SET
      status = ${retryAt ? 'pending' : 'failed'}, locked_until = NULL, last_error = ${error.slice(0, 1000)},
      next_attempt_at = coalesce(${retryAt?.toISOString() ?? null}::timestamptz, next_attempt_at)
    WHERE id = ${id} AND status = 'pending'`);
}

/* The evaluation's writes (server/alerts/evaluate.ts), inside its transaction. */

/** A due rule as the evaluation reads it, locked until its transaction ends. */
export type ClaimedRule = Omit<AlertRule, 'channelIds'> & {
  id: number;
  muted: boolean;
  snoozedUntil: number | null;
  state: AlertState;
  notifiedState: AlertState;
  nextEvaluationAt: number;
};

/** Locks up to `limit` rules due at `now`, skipping those another process holds. */
export async function claimDueRules(
  tx: Database,
  now: Date,
  limit: number,
): Promise<ClaimedRule[]> {
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

/** Records a rule's change of state; answers the event's id. */
export async function recordStateChange(
  tx: Database,
  change: {
    ruleId: number;
    at: Date;
    from: AlertState;
    to: AlertState;
    value: number | null;
    threshold: number | null;
    notified: boolean;
  },
): Promise<number> {
  const [event] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO pattern_ledger.alert_event (rule_id, at, from_state, to_state, value, threshold, notified)
      VALUES (${change.ruleId}, ${change.at.toISOString()}::timestamptz, ${change.from}, ${change.to},
        ${change.value}, ${change.threshold}, ${change.notified})
      RETURNING id::int AS id`,
  );
  return event!.id;
}

/** Every evaluated rule's new state and next evaluation, in one statement. */
export async function saveRuleStates(
  tx: Database,
  settled: {
    ruleId: number;
    state: AlertState;
    notified: AlertState;
    value: number | null;
    at: Date;
    next: Date;
  }[],
): Promise<void> {
  if (settled.length === 0) return;
  const rows = JSON.stringify(
    settled.map((e) => ({
      id: e.ruleId,
      state: e.state,
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

/* The reports' writes (server/alerts/reports.ts), inside their transaction. */

export type DueSchedule = {
  id: number;
  cadence: ReportCadence;
  weekday: number;
  hour: number;
  tz: string;
  nextRunAt: number;
};

/** Locks one schedule due at `now` (the longest due first), or null. */
export async function claimDueSchedule(tx: Database, now: Date): Promise<DueSchedule | null> {
  const [schedule] = await queryRows<DueSchedule>(
    tx,
    sql`SELECT id::int AS id, cadence, weekday, hour, tz,
        (date_part('epoch', next_run_at) * 1000)::float8 AS "nextRunAt"
      FROM pattern_ledger.report_schedule WHERE next_run_at <= ${now.toISOString()}::timestamptz
      ORDER BY next_run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return schedule ?? null;
}

export async function markScheduleRun(
  tx: Database,
  id: number,
  runAt: Date,
  nextRunAt: Date,
): Promise<void> {
  await tx.execute(sql`UPDATE pattern_ledger.report_schedule SET
      last_run_at = ${runAt.toISOString()}::timestamptz, next_run_at = ${nextRunAt.toISOString()}::timestamptz
    WHERE id = ${id}`);
}
