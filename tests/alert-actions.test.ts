import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createChannelAction, sendTestAction } from '@/app/admin/channels/actions';
import { backtestRule, createRule, silenceRule, updateRule } from '@/app/alerts/actions';
import { createChannel } from '@/db/mutations/alerts';
import { getAlertRule, getChannels } from '@/db/queries/alerts';
import { queryRows } from '@/db/sql';
import { getAuth } from '@/server/auth/auth';
import { UNREACHABLE } from '@/server/outbound';
import { reloadSettings } from '@/server/settings';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { freePort } from './support/ports';
import { startWebhookReceiver, type WebhookReceiver } from './support/receivers';
import { signInAs } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
};

const RULE = {
  name: 'Savings fell',
  metric: 'usd_saved',
  scopeKind: 'all',
  windowMinutes: '1440',
  compare: 'value',
  direction: 'below',
  warningThreshold: '5',
  criticalThreshold: '1',
  everyMinutes: '5',
};

/** Channels the tests add point at loopback, allowed here, so nothing can leave the machine. */
const allowLoopback = (allowed: boolean) => {
  if (allowed) process.env.WEBHOOK_ALLOW = '127.0.0.1';
  else delete process.env.WEBHOOK_ALLOW;
  reloadSettings();
};

describeEachDatabase('alert actions', { seed: true }, (get) => {
  let receiver: WebhookReceiver;
  const TYPED_SECRET = 'whsec_typed_by_the_admin_0123456789';
  beforeAll(async () => {
    useAsAppDatabase(get());
    allowLoopback(true);
    receiver = await startWebhookReceiver(TYPED_SECRET);
  });
  afterAll(async () => {
    allowLoopback(false);
    await receiver.close();
  });
  const counts = async () =>
    (
      await queryRows<{ rules: number; channels: number }>(
        get().db,
        sql`SELECT (SELECT count(*)::int FROM pattern_ledger.alert_rule) AS rules,
          (SELECT count(*)::int FROM pattern_ledger.alert_channel) AS channels`,
      )
    )[0]!;

  it('an admin adds channels; a generated secret is answered once and never listed', async () => {
    await signInAs(await getAuth(), 'admin');
    const answer = await createChannelAction(
      null,
      form({
        name: 'ops hook',
        kind: 'webhook',
        target: receiver.url('/ops'),
        format: 'json',
      }),
    );
    expect(answer).toMatchObject({ ok: true });
    expect((answer as { secret: string }).secret).toMatch(/^whsec_[\w-]{32}$/);
    const given = await createChannelAction(
      null,
      form({ name: 'mail', kind: 'email', target: 'a@example.test, b@example.test' }),
    );
    expect(given).toMatchObject({ ok: true });
    expect(given).not.toHaveProperty('secret');
    const listed = await getChannels(get().db);
    expect(JSON.stringify(listed)).not.toContain((answer as { secret: string }).secret);
    expect(listed.find((c) => c.name === 'ops hook')?.hasSecret).toBe(true);
  });

  it('refuses channels it must not send to, changing nothing', async () => {
    await signInAs(await getAuth(), 'admin');
    const before = await counts();
    for (const target of [
      'javascript:alert(1)',
      'ftp://example.test/x',
      'file:///etc/passwd',
      'not a url',
      'x'.repeat(3000),
    ]) {
      const answer = await createChannelAction(
        null,
        form({ name: 'bad', kind: 'webhook', target }),
      );
      expect(answer, target.slice(0, 30)).toMatchObject({ ok: false, kind: 'invalid' });
    }
    const email = await createChannelAction(
      null,
      form({ name: 'bad', kind: 'email', target: 'nobody' }),
    );
    expect(email).toMatchObject({
      ok: false,
      fieldErrors: { target: [expect.stringMatching(/not an email/)] },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a webhook to any loopback spelling unless the operator allows it', async () => {
    await signInAs(await getAuth(), 'admin');
    allowLoopback(false);
    try {
      const before = await counts();
      const port = new URL(receiver.url('/')).port;
      for (const host of [
        '127.0.0.1',
        '127.1',
        '2130706433',
        '0x7f.0.0.1',
        '[::ffff:127.0.0.1]',
        '[::1]',
        'localhost',
        '0.0.0.0',
      ]) {
        const answer = await createChannelAction(
          null,
          form({ name: 'inside', kind: 'webhook', target: `http://${host}:${port}/x` }),
        );
        expect(answer, host).toMatchObject({
          ok: false,
          kind: 'invalid',
          fieldErrors: { target: [expect.stringMatching(/WEBHOOK_ALLOW/)] },
        });
      }
      expect(await counts()).toEqual(before);
      expect(receiver.received).toHaveLength(0);
    } finally {
      allowLoopback(true);
    }
  });

  it('stores a typed secret encrypted and never answers it back, accepted or refused', async () => {
    await signInAs(await getAuth(), 'admin');
    const refused = await createChannelAction(
      null,
      form({ name: '', kind: 'webhook', target: receiver.url('/typed'), secret: TYPED_SECRET }),
    );
    expect(refused).toMatchObject({ ok: false, kind: 'invalid' });
    expect(JSON.stringify(refused)).not.toContain(TYPED_SECRET);
    const accepted = await createChannelAction(
      null,
      form({
        name: 'typed',
        kind: 'webhook',
        target: receiver.url('/typed'),
        secret: TYPED_SECRET,
      }),
    );
    expect(accepted).toMatchObject({ ok: true });
    expect(JSON.stringify(accepted)).not.toContain(TYPED_SECRET);
    const [stored] = await queryRows<{ id: number; secret: string }>(
      get().db,
      sql`SELECT id::int AS id, secret FROM pattern_ledger.alert_channel WHERE name = 'typed'`,
    );
    expect(stored!.secret).toMatch(/^enc:v1:/);
    expect(stored!.secret).not.toContain(TYPED_SECRET);
    // The test message is signed with the typed secret, which the receiver checks.
    const sent = await sendTestAction(null, form({ id: String(stored!.id) }));
    expect(sent).toMatchObject({ ok: true });
    expect(receiver.received.at(-1)).toMatchObject({ path: '/typed', signed: true });
  });

  it('checks the target again at each send, and says the same of a refused and a closed one', async () => {
    await signInAs(await getAuth(), 'admin');
    // Saved before the rules tightened (written directly, as an older version would have).
    const inside = await createChannel(
      get().db,
      {
        name: 'old inside',
        kind: 'webhook',
        target: receiver.url('/inside'),
        format: 'json',
        secret: null,
      },
      'test',
    );
    const closed = await createChannel(
      get().db,
      {
        name: 'old closed',
        kind: 'webhook',
        target: `http://127.0.0.1:${await freePort()}/never`,
        format: 'json',
        secret: null,
      },
      'test',
    );
    const before = receiver.received.length;
    // Allowed, but nothing listens there.
    const closedAnswer = await sendTestAction(null, form({ id: String(closed) }));
    allowLoopback(false);
    try {
      // A live receiver, but no longer allowed.
      const insideAnswer = await sendTestAction(null, form({ id: String(inside) }));
      const answers = [insideAnswer, closedAnswer];
      expect(receiver.received.length).toBe(before);
      for (const answer of answers) {
        expect(answer.ok).toBe(false);
        expect((answer as { message: string }).message).toContain(UNREACHABLE);
      }
      expect((answers[0] as { message: string }).message).toBe(
        (answers[1] as { message: string }).message,
      );
    } finally {
      allowLoopback(true);
    }
  });

  it('an editor creates a rule sending to two channels, from a form', async () => {
    await signInAs(await getAuth(), 'editor');
    const channels = (await getChannels(get().db)).map((c) => String(c.id));
    const answer = await createRule(null, form({ ...RULE, channelIds: channels }));
    expect(answer).toMatchObject({ ok: true });
    const rule = await getAlertRule(get().db, (answer as { id: number }).id);
    expect(rule).toMatchObject({
      name: 'Savings fell',
      direction: 'below',
      warningThreshold: 5,
      criticalThreshold: 1,
    });
    expect(rule!.channelIds.map(String).sort()).toEqual(channels.sort());
    const edited = await updateRule(
      null,
      form({ ...RULE, id: String(rule!.id), name: 'Renamed', channelIds: channels[0]! }),
    );
    expect(edited).toMatchObject({ ok: true });
    expect((await getAlertRule(get().db, rule!.id))!.channelIds).toHaveLength(1);
    expect(
      await silenceRule(null, form({ id: String(rule!.id), mode: 'snooze', hours: '4' })),
    ).toMatchObject({ ok: true });
    expect((await getAlertRule(get().db, rule!.id))!.snoozedUntil).toBeGreaterThan(Date.now());
  });

  it('refuses bad rules with a message per field, writing nothing', async () => {
    await signInAs(await getAuth(), 'editor');
    const before = await counts();
    const bad: Record<string, string>[] = [
      { name: 'nul\u0000' },
      { criticalThreshold: '1e400' },
      { warningThreshold: 'abc' },
      { scopeKind: 'pattern', scopeValue: '99999999' },
      { metric: 'quality', qualityCheck: 'no-such-check' },
      { windowMinutes: '-1' },
      { metric: 'drop table' },
    ];
    for (const overrides of bad) {
      const answer = await createRule(null, form({ ...RULE, ...overrides }));
      expect(answer, JSON.stringify(overrides)).toMatchObject({ ok: false, kind: 'invalid' });
      expect((answer as { message: string }).message.length).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
  });

  it('a viewer may backtest without thresholds, and it reads 30 days hour by hour', async () => {
    await signInAs(await getAuth(), 'viewer');
    const { warningThreshold, criticalThreshold, ...draft } = RULE;
    void warningThreshold;
    void criticalThreshold;
    const answer = await backtestRule({ ...draft, windowMinutes: 60 });
    expect(answer).toMatchObject({ ok: true, firings: 0 });
    expect((answer as { points: unknown[] }).points.length).toBeGreaterThanOrEqual(30 * 24);
  });
});
