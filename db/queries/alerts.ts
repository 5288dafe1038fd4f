/** Reads of alert rules, their history and deliveries, channels and report schedules. */
import { sql } from 'drizzle-orm';
import type { AlertState } from '@/lib/alerts/metrics';
import type { ReportCadence } from '@/lib/alerts/reports';
import type { AlertRule } from '@/lib/alerts/rules';
import type { Database } from '../types';
import { queryRows } from '../sql';

const epoch = (column: string) => sql.raw(`(date_part('epoch', ${column}) * 1000)::float8`);

export type AlertRuleRow = AlertRule & {
  id: number;
  muted: boolean;
  snoozedUntil: number | null;
  state: AlertState;
  lastValue: number | null;
  lastEvaluatedAt: number | null;
  nextEvaluationAt: number;
  createdBy: string | null;
  /** Deliveries that gave up, and pending ones that failed at least once. */
  failedDeliveries: number;
};

const ruleColumns = sql`r.id::int AS id, r.name, r.metric, r.scope_kind AS "scopeKind",
  r.scope_value AS "scopeValue", r.quality_check AS "qualityCheck", r.window_minutes AS "windowMinutes",
  r.compare, r.direction, r.warning_threshold AS "warningThreshold",
  r.critical_threshold AS "criticalThreshold", r.every_minutes AS "everyMinutes", r.muted,
  ${epoch('r.snoozed_until')} AS "snoozedUntil", r.state, r.last_value AS "lastValue",
  ${epoch('r.last_evaluated_at')} AS "lastEvaluatedAt", ${epoch('r.next_evaluation_at')} AS "nextEvaluationAt",
  r.created_by AS "createdBy",
  coalesce((SELECT array_agg(rc.channel_id::int ORDER BY rc.channel_id) FROM pattern_ledger.alert_rule_channel rc
    WHERE rc.rule_id = r.id), '{}') AS "channelIds",
  (SELECT count(*)::int FROM pattern_ledger.alert_delivery d WHERE d.rule_id = r.id
    AND (d.status = 'failed' OR (d.status = 'pending' AND d.last_error IS NOT NULL))) AS "failedDeliveries"`;

/** Rules, firing first (critical, then warning), then by name. */
export async function getAlertRules(db: Database): Promise<AlertRuleRow[]> {
  return queryRows<AlertRuleRow>(
    db,
    sql`SELECT ${ruleColumns} FROM pattern_ledger.alert_rule r
      ORDER BY CASE r.state WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, lower(r.name), r.id`,
  );
}

export async function getAlertRule(db: Database, id: number): Promise<AlertRuleRow | null> {
  const [row] = await queryRows<AlertRuleRow>(
    db,
    sql`SELECT ${ruleColumns} FROM pattern_ledger.alert_rule r WHERE r.id = ${id}`,
  );
  return row ?? null;
}

export type AlertEventRow = {
  id: number;
  at: number;
  fromState: AlertState;
  toState: AlertState;
  value: number | null;
  threshold: number | null;
  notified: boolean;
};

export async function getAlertEvents(
  db: Database,
  ruleId: number,
  limit = 50,
): Promise<AlertEventRow[]> {
  return queryRows<AlertEventRow>(
    db,
    sql`SELECT id::int AS id, ${epoch('at')} AS at, from_state AS "fromState", to_state AS "toState",
        value, threshold, notified
      FROM pattern_ledger.alert_event WHERE rule_id = ${ruleId} ORDER BY at DESC, id DESC LIMIT ${limit}`,
  );
}

export type DeliveryRow = {
  id: number;
  channel: string;
  kind: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  nextAttemptAt: number;
};

/** A rule's (or, with no rule, every) recent deliveries, newest first. */
export async function getDeliveries(
  db: Database,
  ruleId: number | null,
  limit = 20,
): Promise<DeliveryRow[]> {
  return queryRows<DeliveryRow>(
    db,
    sql`SELECT d.id::int AS id, c.name AS channel, d.kind, (d.message::json ->> 'subject') AS subject,
        d.status, d.attempts, d.last_error AS "lastError", ${epoch('d.created_at')} AS "createdAt",
        ${epoch('d.sent_at')} AS "sentAt", ${epoch('d.next_attempt_at')} AS "nextAttemptAt"
      FROM pattern_ledger.alert_delivery d JOIN pattern_ledger.alert_channel c ON c.id = d.channel_id
      WHERE ${ruleId === null ? sql`TRUE` : sql`d.rule_id = ${ruleId}`}
      ORDER BY d.id DESC LIMIT ${limit}`,
  );
}

export type ChannelRow = {
  id: number;
  name: string;
  kind: 'webhook' | 'email';
  target: string;
  format: 'json' | 'slack';
  hasSecret: boolean;
  createdBy: string | null;
  createdAt: number;
  rules: number;
};

/** Channels, without their secrets. */
export async function getChannels(db: Database): Promise<ChannelRow[]> {
  return queryRows<ChannelRow>(
    db,
    sql`SELECT c.id::int AS id, c.name, c.kind, c.target, c.format, c.secret IS NOT NULL AS "hasSecret",
        c.created_by AS "createdBy", ${epoch('c.created_at')} AS "createdAt",
        (SELECT count(*)::int FROM pattern_ledger.alert_rule_channel rc WHERE rc.channel_id = c.id) AS rules
      FROM pattern_ledger.alert_channel c ORDER BY lower(c.name), c.id`,
  );
}

/** How many rules are firing, by state: the header's badge. */
export async function getFiringCounts(
  db: Database,
): Promise<{ critical: number; warning: number }> {
  const [row] = await queryRows<{ critical: number; warning: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE state = 'critical')::int AS critical,
        count(*) FILTER (WHERE state = 'warning')::int AS warning
      FROM pattern_ledger.alert_rule WHERE state <> 'ok'`,
  );
  return row ?? { critical: 0, warning: 0 };
}

export type ScheduleRow = {
  id: number;
  name: string;
  cadence: ReportCadence;
  weekday: number;
  hour: number;
  tz: string;
  nextRunAt: number;
  lastRunAt: number | null;
  channels: string[];
};

export async function getReportSchedules(db: Database): Promise<ScheduleRow[]> {
  return queryRows<ScheduleRow>(
    db,
    sql`SELECT s.id::int AS id, s.name, s.cadence, s.weekday, s.hour, s.tz,
        ${epoch('s.next_run_at')} AS "nextRunAt", ${epoch('s.last_run_at')} AS "lastRunAt",
        coalesce((SELECT array_agg(c.name ORDER BY c.name) FROM pattern_ledger.report_schedule_channel sc
          JOIN pattern_ledger.alert_channel c ON c.id = sc.channel_id WHERE sc.schedule_id = s.id), '{}') AS channels
      FROM pattern_ledger.report_schedule s ORDER BY lower(s.name), s.id`,
  );
}
