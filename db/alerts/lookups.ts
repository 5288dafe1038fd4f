import 'server-only';
/**
 * What the alert and channel actions check before they write, read uncached (an action's page is
 * rendered after its write in the same request: docs/architecture.md, "The read cache").
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { queryRows } from '../sql';

/** Whether a pattern has this id; any whole number may be asked, whatever the id column's type. */
export async function patternExists(db: Database, id: number): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM operation_patterns WHERE id = ${id}::bigint) AS found`,
  );
  return row?.found ?? false;
}

/** The ids among `ids` that name no channel. */
export async function missingChannelIds(db: Database, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: number }>(
    db,
    sql`SELECT wanted::float8 AS id FROM unnest(${`{${ids.join(',')}}`}::bigint[]) wanted
      WHERE NOT EXISTS (SELECT 1 FROM pattern_ledger.alert_channel c WHERE c.id = wanted)`,
  );
  return rows.map((row) => row.id);
}

export async function countChannels(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM pattern_ledger.alert_channel`,
  );
  return row?.n ?? 0;
}

export async function getChannelName(db: Database, id: number): Promise<string | null> {
  const [row] = await queryRows<{ name: string }>(
    db,
    sql`SELECT name FROM pattern_ledger.alert_channel WHERE id = ${id}`,
  );
  return row?.name ?? null;
}

/** How the latest test message to a channel went. */
export async function getLatestTestDelivery(
  db: Database,
  channelId: number,
): Promise<{ status: string; error: string | null } | null> {
  const [row] = await queryRows<{ status: string; error: string | null }>(
    db,
    sql`SELECT status, last_error AS error FROM pattern_ledger.alert_delivery
      WHERE channel_id = ${channelId} AND kind = 'test' ORDER BY id DESC LIMIT 1`,
  );
  return row ?? null;
}

export async function countAlertRules(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM pattern_ledger.alert_rule`,
  );
  return row?.n ?? 0;
}

/** Whether a rule is muted and until when it is snoozed; null when it is gone. */
export async function getRuleSilence(
  db: Database,
  id: number,
): Promise<{ muted: boolean; snoozedUntil: Date | null } | null> {
  const [row] = await queryRows<{ muted: boolean; until: number | null }>(
    db,
    sql`SELECT muted, (date_part('epoch', snoozed_until) * 1000)::float8 AS until
      FROM pattern_ledger.alert_rule WHERE id = ${id}`,
  );
  return row
    ? { muted: row.muted, snoozedUntil: row.until === null ? null : new Date(row.until) }
    : null;
}
