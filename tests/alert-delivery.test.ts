import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAlertRule, createChannel, enqueueDeliveries } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import { alertRuleInput } from '@/lib/alerts/rules';
import { testMessage } from '@/lib/alert-messages';
import { deliverDue, MAX_ATTEMPTS, retryDelay } from '@/server/alerts/deliver';
import { evaluateDueRules } from '@/server/alerts/evaluate';
import { describeEachDatabase } from './support/databases';
import {
  RECEIVERS,
  startSmtpServer,
  startWebhookReceiver,
  type WebhookReceiver,
} from './support/receivers';

const SECRET = 'whsec_test_secret';
const NOW = new Date('2026-03-02T11:00:00Z');

describeEachDatabase('alert delivery', { seed: true }, (get) => {
  let hooks: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    hooks = await startWebhookReceiver(SECRET);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await hooks.close();
    await smtp.close();
  });
  const senders = () => ({
    mail: { smtpUrl: smtp.url, from: 'Ledger <ledger@example.test>' },
    webhooks: RECEIVERS,
  });

  const webhook = (path: string, format: 'json' | 'slack' = 'json') =>
    createChannel(
      get().db,
      { name: path, kind: 'webhook', target: hooks.url(path), format, secret: SECRET },
      'test',
    );
  const queueTest = (channel: number, at = NOW) =>
    enqueueDeliveries(get().db, {
      kind: 'test',
      channelId: channel,
      message: testMessage(`channel ${channel}`, at),
      at,
    });
  const status = async (channel: number) =>
    (
      await queryRows<{ status: string; attempts: number; error: string | null; next: number }>(
        get().db,
        sql`SELECT status, attempts, last_error AS error,
            (date_part('epoch', next_attempt_at) * 1000)::float8 AS next
          FROM pattern_ledger.alert_delivery WHERE channel_id = ${channel} ORDER BY id DESC LIMIT 1`,
      )
    )[0]!;

  it('fires a rule and sends one signed webhook, one Slack body and one mail', async () => {
    const db = get().db;
    const json = await webhook('/json');
    const slack = await webhook('/slack', 'slack');
    const email = await createChannel(
      db,
      {
        name: 'ops',
        kind: 'email',
        target: 'ops@example.test, lead@example.test',
        format: 'json',
        secret: '',
      },
      'test',
    );
    const rule = alertRuleInput.parse({
      name: 'Any savings',
      metric: 'usd_saved',
      windowMinutes: '1440',
      direction: 'above',
      criticalThreshold: '0',
      everyMinutes: '1',
      channelIds: [String(json), String(slack), String(email)],
    });
    const id = await createAlertRule(db, rule, 'test', NOW);
    await evaluateDueRules(db, NOW, { origin: 'http://ledger.test' });
    const outcomes = await deliverDue(db, NOW, { senders: senders() });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    // Sent once: nothing is due any more.
    expect(
      await deliverDue(db, new Date(NOW.getTime() + 3_600_000), { senders: senders() }),
    ).toEqual([]);

    const signed = hooks.received.filter((h) => h.path === '/json');
    expect(signed).toHaveLength(1);
    expect(signed[0]!.signed).toBe(true);
    expect(signed[0]!.json).toMatchObject({
      type: 'alert.firing',
      state: 'critical',
      rule: { id, name: 'Any savings', metric: 'usd_saved' },
      link: `http://ledger.test/alerts/${id}`,
    });
    expect(signed[0]!.delivery).toBe(String(signed[0]!.json.id));
    const slackBody = hooks.received.filter((h) => h.path === '/slack');
    expect(Object.keys(slackBody[0]!.json)).toEqual(['text']);
    expect(slackBody[0]!.json.text).toMatch(/^Critical: Any savings/);

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to.sort()).toEqual(['lead@example.test', 'ops@example.test']);
    expect(smtp.mails[0]!.raw).toMatch(/Subject: \[Pattern Ledger\] Critical: Any savings/);
    expect(smtp.mails[0]!.raw).toMatch(/Message-ID: <delivery-\d+@pattern-ledger>/i);
    await db.execute(sql`DELETE FROM pattern_ledger.alert_rule WHERE id = ${id}`);
  });

  it('a forged or missing signature does not verify', async () => {
    const unsigned = await createChannel(
      get().db,
      {
        name: 'nosig',
        kind: 'webhook',
        target: hooks.url('/nosig'),
        format: 'json',
        secret: null,
      },
      'test',
    );
    await queueTest(unsigned);
    await deliverDue(get().db, NOW, { senders: senders() });
    expect(hooks.received.find((h) => h.path === '/nosig')?.signed).toBe(false);
  });

  it('retries a failing channel with a doubling pause, then gives up and says why', async () => {
    const failing = await webhook('/down');
    hooks.behave.set('/down', 503);
    await queueTest(failing);
    let clock = NOW.getTime();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcomes = await deliverDue(get().db, new Date(clock), { senders: senders() });
      expect(outcomes.filter((o) => !o.ok)).toHaveLength(1);
      const row = await status(failing);
      expect(row.attempts).toBe(attempt);
      expect(row.error).toBe('the receiver answered HTTP 503');
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe('pending');
        expect(row.next).toBe(clock + retryDelay(attempt));
        // Not before its time.
        expect(await deliverDue(get().db, new Date(row.next - 1), { senders: senders() })).toEqual(
          [],
        );
        clock = row.next;
      } else expect(row.status).toBe('failed');
    }
    expect(retryDelay(1)).toBe(30_000);
    expect(retryDelay(3)).toBe(120_000);
    // Once the receiver is back, a new message goes through.
    hooks.behave.delete('/down');
    await queueTest(failing, new Date(clock));
    expect((await deliverDue(get().db, new Date(clock), { senders: senders() }))[0]!.ok).toBe(true);
  });

  it('a mail with no mail server configured fails with the reason', async () => {
    const email = await createChannel(
      get().db,
      { name: 'nomail', kind: 'email', target: 'a@example.test', format: 'json', secret: '' },
      'test',
    );
    await queueTest(email);
    await deliverDue(get().db, NOW, {
      senders: { mail: { smtpUrl: undefined, from: 'x@example.test' }, webhooks: RECEIVERS },
    });
    expect((await status(email)).error).toMatch(/no mail server is configured/);
  });

  it('a slow channel delays neither another channel nor an evaluation', async () => {
    const db = get().db;
    const slow = await webhook('/slow');
    const fast = await webhook('/fast');
    let release!: () => void;
    hooks.behave.set('/slow', new Promise<void>((resolve) => (release = resolve)));
    await queueTest(slow);
    await queueTest(fast);
    const sending = deliverDue(db, NOW, { senders: senders() });
    // The fast one arrives and is marked sent while the slow one is still waiting for its answer.
    await expect.poll(async () => (await status(fast)).status, { timeout: 10_000 }).toBe('sent');
    expect((await status(slow)).status).toBe('pending');
    const rule = await createAlertRule(
      db,
      alertRuleInput.parse({
        name: 'meanwhile',
        metric: 'occurrences',
        windowMinutes: '60',
        direction: 'above',
        criticalThreshold: '1e9',
        everyMinutes: '1',
      }),
      'test',
      NOW,
    );
    expect((await evaluateDueRules(db, NOW)).map((e) => e.ruleId)).toContain(rule);
    expect((await status(slow)).status).toBe('pending');
    release();
    await sending;
    expect((await status(slow)).status).toBe('sent');
  });
});
