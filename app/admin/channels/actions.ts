'use server';

import { randomBytes } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { createChannel, deleteChannel, enqueueDeliveries } from '@/db/mutations/alerts';
import { countChannels, getChannelName, getLatestTestDelivery } from '@/db/alerts/lookups';
import { actionFailure, type ActionResult } from '@/lib/action-result';
import { channelInput } from '@/lib/alerts/channels';
import { MAX_CHANNELS } from '@/lib/alerts/metrics';
import { testMessage } from '@/lib/alert-messages';
import { recordIdInput } from '@/lib/record-id';
import { roleAction } from '@/server/action';
import { deliverDue } from '@/server/alerts/deliver';
import { sendersFrom } from '@/server/alerts/send';
import { getDb } from '@/server/database';
import { resolveTarget } from '@/server/outbound';
import { sealSecret } from '@/server/secret-box';
import { settings } from '@/server/settings';

const NOT_ALLOWED =
  'Webhooks go to public addresses on ports 80, 443 or 1024–65535, and this one is not allowed or does not resolve. An internal receiver must be listed in WEBHOOK_ALLOW by whoever runs the server.';

/**
 * Adds a channel (admins). A webhook's address is checked as it will be at every send; one
 * without a secret gets a generated one, in the answer once and never shown again. Secrets are
 * stored encrypted.
 */
export const createChannelAction = roleAction(
  'admin',
  channelInput,
  async (channel, actor): Promise<ActionResult<{ secret?: string }>> => {
    const db = await getDb();
    if ((await countChannels(db)) >= MAX_CHANNELS)
      return actionFailure(
        'invalid',
        `There are already ${MAX_CHANNELS} channels; delete one first.`,
      );
    if (
      channel.kind === 'webhook' &&
      !(await resolveTarget(channel.target, settings().webhookPolicy))
    )
      return actionFailure('invalid', NOT_ALLOWED, { fieldErrors: { target: [NOT_ALLOWED] } });
    const secret =
      channel.kind === 'webhook'
        ? channel.secret || `whsec_${randomBytes(24).toString('base64url')}`
        : null;
    await createChannel(
      db,
      { ...channel, secret: secret === null ? null : sealSecret(secret) },
      actor.email,
    );
    revalidatePath('/admin/channels');
    return {
      ok: true,
      message: `Added the ${channel.kind} channel “${channel.name}”.`,
      ...(secret && !channel.secret ? { secret } : {}),
    };
  },
);

export const deleteChannelAction = roleAction('admin', recordIdInput, async ({ id }) => {
  if (!(await deleteChannel(await getDb(), id)))
    return actionFailure('not_found', 'This channel no longer exists.');
  revalidatePath('/admin/channels');
  return { ok: true, message: 'Channel deleted; rules and reports no longer send to it.' };
});

/** Sends a test message to a channel now (admins) and says how it went. */
export const sendTestAction = roleAction('admin', recordIdInput, async ({ id }) => {
  const db = await getDb();
  const name = await getChannelName(db, id);
  if (name === null) return actionFailure('not_found', 'This channel no longer exists.');
  const now = new Date();
  await enqueueDeliveries(db, {
    kind: 'test',
    channelId: id,
    message: testMessage(name, now),
    at: now,
  });
  await deliverDue(db, now, { senders: sendersFrom(settings()) });
  const latest = await getLatestTestDelivery(db, id);
  revalidatePath('/admin/channels');
  if (latest?.status === 'sent') return { ok: true, message: `Sent a test to “${name}”.` };
  return actionFailure(
    'error',
    latest?.error
      ? `The test was not delivered: ${latest.error}. It is retried with backoff.`
      : 'The test is queued and is sent within seconds.',
  );
});
