'use server';

import { randomBytes } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createChannel, deleteChannel, enqueueDeliveries } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { channelInput, MAX_CHANNELS } from '@/lib/alerts';
import { testMessage } from '@/lib/alert-messages';
import { roleAction } from '@/server/action';
import { deliverDue } from '@/server/alerts/deliver';
import { getDb } from '@/server/database';
import { settings } from '@/server/settings';

const notAnId = { error: 'The request was malformed: that is not an id.' };
const idInput = z.object({
  id: z.coerce.number(notAnId).int(notAnId).positive(notAnId).max(Number.MAX_SAFE_INTEGER, notAnId),
});

/**
 * Adds a channel (admins). A webhook without a secret gets a generated one; the secret is in the
 * answer once and never shown again.
 */
export const createChannelAction = roleAction(
  'admin',
  channelInput,
  async (channel, actor): Promise<ActionResult<{ secret?: string }>> => {
    const db = await getDb();
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pattern_ledger.alert_channel`,
    );
    if ((count?.n ?? 0) >= MAX_CHANNELS)
      return actionFailure(
        'invalid',
        `There are already ${MAX_CHANNELS} channels; delete one first.`,
      );
    const secret =
      channel.kind === 'webhook'
        ? channel.secret || `whsec_${randomBytes(24).toString('base64url')}`
        : null;
    await createChannel(db, { ...channel, secret }, actor.email);
    revalidatePath('/admin/channels');
    return {
      ok: true,
      message: `Added the ${channel.kind} channel “${channel.name}”.`,
      ...(secret && !channel.secret ? { secret } : {}),
    };
  },
);

export const deleteChannelAction = roleAction('admin', idInput, async ({ id }) => {
  if (!(await deleteChannel(await getDb(), id)))
    return actionFailure('not_found', 'This channel no longer exists.');
  revalidatePath('/admin/channels');
  return { ok: true, message: 'Channel deleted; rules and reports no longer send to it.' };
});

/** Sends a test message to a channel now (admins) and says how it went. */
export const sendTestAction = roleAction('admin', idInput, async ({ id }) => {
  const db = await getDb();
  const [channel] = await queryRows<{ name: string }>(
    db,
    sql`SELECT name FROM pattern_ledger.alert_channel WHERE id = ${id}`,
  );
  if (!channel) return actionFailure('not_found', 'This channel no longer exists.');
  const now = new Date();
  await enqueueDeliveries(db, sql`${id}`, {
    kind: 'test',
    message: testMessage(channel.name, now),
    at: now,
  });
  const env = settings();
  await deliverDue(db, now, {
    mail: { smtpUrl: env.smtpUrl, from: env.mailFrom },
  });
  const [latest] = await queryRows<{ status: string; error: string | null }>(
    db,
    sql`SELECT status, last_error AS error FROM pattern_ledger.alert_delivery
      WHERE channel_id = ${id} AND kind = 'test' ORDER BY id DESC LIMIT 1`,
  );
  revalidatePath('/admin/channels');
  if (latest?.status === 'sent') return { ok: true, message: `Sent a test to “${channel.name}”.` };
  return actionFailure(
    'error',
    latest?.error
      ? `The test was not delivered: ${latest.error}. It is retried with backoff.`
      : 'The test is queued and is sent within seconds.',
  );
});
