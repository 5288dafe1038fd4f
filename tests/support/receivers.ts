/**
 * Real servers for what alerts talk to: an HTTP server that receives webhooks and checks their
 * signatures, and an SMTP server (smtp-server) that receives mail.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseAllowList } from '@/lib/outbound-policy';

/** The outbound policy of the tests' senders: the receivers below, on loopback, and nothing else. */
export const RECEIVERS = parseAllowList('127.0.0.1');

export type ReceivedHook = {
  path: string;
  delivery: string | undefined;
  body: string;
  json: Record<string, unknown>;
  /** The signature header matched an HMAC of `<timestamp>.<body>` under the secret. */
  signed: boolean;
};

export type WebhookReceiver = {
  url: (path: string) => string;
  received: ReceivedHook[];
  /** Answers per path: a status, or a promise to wait for before answering 200. */
  behave: Map<string, number | Promise<void>>;
  close: () => Promise<void>;
};

function verify(secret: string, request: IncomingMessage, body: string): boolean {
  const header = request.headers['x-pattern-ledger-signature'];
  const timestamp = request.headers['x-pattern-ledger-timestamp'];
  if (typeof header !== 'string' || typeof timestamp !== 'string') return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return (
    header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected))
  );
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const behave = new Map<string, number | Promise<void>>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const answer = behave.get(path) ?? 200;
      const record = () =>
        received.push({
          path,
          delivery: request.headers['x-pattern-ledger-delivery'] as string | undefined,
          body,
          json: JSON.parse(body) as Record<string, unknown>,
          signed: verify(secret, request, body),
        });
      if (typeof answer === 'number') {
        if (answer < 300) record();
        response.writeHead(answer).end();
      } else {
        void answer.then(() => {
          record();
          response.writeHead(200).end();
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    behave,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

export async function startSmtpServer(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
