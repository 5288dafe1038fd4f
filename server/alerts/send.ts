/**
 * Carrying one queued message to its channel: a webhook POST (signed with HMAC-SHA256) or a mail
 * through the configured SMTP server (nodemailer). Each send has its own time limit, so a slow
 * channel holds up only itself.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ClaimedDelivery } from '@/db/mutations/alerts';
import { emailAddresses } from '@/lib/alerts';
import { webhookBody, type AlertMessage } from '@/lib/alert-messages';

export const SEND_TIMEOUT_MS = 10_000;

export type Mail = { smtpUrl: string | undefined; from: string };

/**
 * The signature a receiver checks: hex HMAC-SHA256, keyed by the channel's secret, of
 * `<timestamp>.<body>`, so a captured request cannot be replayed later under a new timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function postWebhook(delivery: ClaimedDelivery, message: AlertMessage, now: Date) {
  const body = webhookBody(message, delivery.format, delivery.id);
  const timestamp = Math.floor(now.getTime() / 1000);
  const response = await fetch(delivery.target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'PatternLedger-Webhook/1',
      'x-pattern-ledger-delivery': String(delivery.id),
      'x-pattern-ledger-timestamp': String(timestamp),
      ...(delivery.secret
        ? { 'x-pattern-ledger-signature': webhookSignature(delivery.secret, timestamp, body) }
        : {}),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  // Read (and drop) the answer so the connection is released.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300)
    throw new Error(`the receiver answered HTTP ${response.status}`);
}

async function sendMail(delivery: ClaimedDelivery, message: AlertMessage, mail: Mail) {
  if (!mail.smtpUrl) throw new Error('no mail server is configured (set SMTP_URL)');
  // nodemailer reads transport options from the URL's query.
  const url = new URL(mail.smtpUrl);
  for (const option of ['connectionTimeout', 'greetingTimeout', 'socketTimeout'])
    if (!url.searchParams.has(option)) url.searchParams.set(option, String(SEND_TIMEOUT_MS));
  const transport = nodemailer.createTransport(url.toString());
  try {
    await transport.sendMail({
      from: mail.from,
      to: emailAddresses(delivery.target),
      subject: message.subject,
      text: message.text,
      // The delivery's id makes the Message-ID, so a resend after a crash is recognisably the same mail.
      messageId: `<delivery-${delivery.id}@pattern-ledger>`,
    });
  } finally {
    transport.close();
  }
}

/** Sends one claimed delivery; throws with a reason a person can act on. */
export async function send(delivery: ClaimedDelivery, now: Date, mail: Mail): Promise<void> {
  const message = JSON.parse(delivery.message) as AlertMessage;
  if (delivery.channelKind === 'webhook') await postWebhook(delivery, message, now);
  else await sendMail(delivery, message, mail);
}
