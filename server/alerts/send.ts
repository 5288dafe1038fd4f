/**
 * Carrying one queued message to its channel: a webhook POST (signed with HMAC-SHA256) or a mail
 * through the configured SMTP server (nodemailer). Each send has its own time limit, so a slow
 * channel holds up only itself.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ClaimedDelivery } from '@/db/mutations/alerts';
import { emailAddresses } from '@/lib/alerts/channels';
import { webhookBody, type AlertMessage } from '@/lib/alert-messages';
import type { OutboundPolicy } from '@/lib/outbound-policy';
import { postChecked, type Resolver } from '../outbound';
import { openSecret } from '../secret-box';
import type { Settings } from '../settings';

export const SEND_TIMEOUT_MS = 10_000;

export type Mail = { smtpUrl: string | undefined; from: string };

/** How messages leave: the mail server, and where webhooks may go. */
export type Senders = {
  mail: Mail;
  webhooks: OutboundPolicy;
  /** Resolves webhook host names (tests supply their own). */
  resolve?: Resolver;
};

export function sendersFrom(env: Settings): Senders {
  return { mail: { smtpUrl: env.smtpUrl, from: env.mailFrom }, webhooks: env.webhookPolicy };
}

/**
 * The signature a receiver checks: hex HMAC-SHA256, keyed by the channel's secret, of
 * `<timestamp>.<body>`, so a captured request cannot be replayed later under a new timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function postWebhook(
  delivery: ClaimedDelivery,
  message: AlertMessage,
  now: Date,
  senders: Senders,
) {
  const body = webhookBody(message, delivery.format, delivery.id);
  const timestamp = Math.floor(now.getTime() / 1000);
  const secret = delivery.secret ? openSecret(delivery.secret) : null;
  // Checked again at every send: the name may point elsewhere now than when it was saved.
  const response = await postChecked(
    delivery.target,
    senders.webhooks,
    {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'PatternLedger-Webhook/1',
        'x-pattern-ledger-delivery': String(delivery.id),
        'x-pattern-ledger-timestamp': String(timestamp),
        ...(secret
          ? { 'x-pattern-ledger-signature': webhookSignature(secret, timestamp, body) }
          : {}),
      },
      body,
      timeoutMs: SEND_TIMEOUT_MS,
    },
    senders.resolve,
  );
  // A redirect is not followed: it is an answer like any other that is not 2xx.
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
export async function send(delivery: ClaimedDelivery, now: Date, senders: Senders): Promise<void> {
  const message = JSON.parse(delivery.message) as AlertMessage;
  if (delivery.channelKind === 'webhook') await postWebhook(delivery, message, now, senders);
  else await sendMail(delivery, message, senders.mail);
}
