/**
 * Exactly once across processes and crashes (PostgreSQL): real processes evaluate and send, and are
 * killed with SIGKILL at each step between deciding and sending.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertRule, createChannel } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import { alertRuleInput } from '@/lib/alerts/rules';
import { LEASE_MS } from '@/server/alerts/deliver';
import { createTestDatabase, type TestDatabase } from './support/databases';
import { startWebhookReceiver, type WebhookReceiver } from './support/receivers';

const run = promisify(execFile);
const NOW = new Date('2026-03-02T11:00:00Z');
const TSX = path.resolve('node_modules/.bin/tsx');
const WORKER = path.resolve('tests/support/alert-worker.ts');

describe.skipIf(!process.env.TEST_DATABASE_URL)('alerts across processes and crashes', () => {
  let database: TestDatabase;
  let hooks: WebhookReceiver;
  let channel: number;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { seed: true });
    hooks = await startWebhookReceiver('crash-secret');
    channel = await createChannel(
      database.db,
      {
        name: 'hook',
        kind: 'webhook',
        target: hooks.url('/crash'),
        format: 'json',
        secret: 'crash-secret',
      },
      'test',
    );
  });
  afterAll(async () => {
    await hooks.close();
    await database.dispose();
  });
  beforeEach(async () => {
    await database.db.execute(sql`DELETE FROM pattern_ledger.alert_rule`);
    await database.db.execute(sql`DELETE FROM pattern_ledger.alert_delivery`);
    hooks.received.length = 0;
  });

  /** Runs the worker; answers whether it was killed. */
  async function worker(action: 'evaluate' | 'deliver', at: Date, kill = 'none') {
    try {
      await run(
        TSX,
        ['--conditions=react-server', WORKER, database.url!, action, at.toISOString(), kill],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      );
      return false;
    } catch (error) {
      // tsx runs the script in a child and passes its death on as the signal or as 128 + 9.
      const { signal, code } = error as { signal?: string; code?: number };
      if (signal === 'SIGKILL' || code === 137) return true;
      throw error;
    }
  }

  const addRules = async (n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        await createAlertRule(
          database.db,
          alertRuleInput.parse({
            name: `rule ${i}`,
            metric: i % 2 ? 'usd_saved' : 'occurrences',
            windowMinutes: '1440',
            direction: 'above',
            criticalThreshold: '0',
            everyMinutes: '1',
            channelIds: [String(channel)],
          }),
          'test',
          NOW,
        ),
      );
    return ids;
  };
  const counts = async () =>
    (
      await queryRows<{ events: number; deliveries: number; due: number }>(
        database.db,
        sql`SELECT (SELECT count(*)::int FROM pattern_ledger.alert_event) AS events,
          (SELECT count(*)::int FROM pattern_ledger.alert_delivery) AS deliveries,
          (SELECT count(*)::int FROM pattern_ledger.alert_rule WHERE next_evaluation_at <= ${NOW.toISOString()}::timestamptz) AS due`,
      )
    )[0]!;

  it('two processes evaluating and sending at once: each rule once, each message once', async () => {
    await addRules(30);
    await Promise.all([worker('evaluate', NOW), worker('evaluate', NOW)]);
    expect(await counts()).toEqual({ events: 30, deliveries: 30, due: 0 });
    await Promise.all([worker('deliver', NOW), worker('deliver', NOW)]);
    expect(hooks.received).toHaveLength(30);
    expect(new Set(hooks.received.map((h) => h.delivery)).size).toBe(30);
    expect(hooks.received.every((h) => h.signed)).toBe(true);
  });

  it('killed before its commit: nothing written, and the next process does it once', async () => {
    await addRules(1);
    expect(await worker('evaluate', NOW, 'before-commit')).toBe(true);
    expect(await counts()).toEqual({ events: 0, deliveries: 0, due: 1 });
    await worker('evaluate', NOW);
    expect(await counts()).toEqual({ events: 1, deliveries: 1, due: 0 });
    await worker('deliver', NOW);
    expect(hooks.received).toHaveLength(1);
  });

  it('killed after evaluating, before sending: the notification waits in the outbox and goes once', async () => {
    await addRules(1);
    expect(await worker('evaluate', NOW, 'after-commit')).toBe(true);
    expect(await counts()).toEqual({ events: 1, deliveries: 1, due: 0 });
    expect(hooks.received).toHaveLength(0);
    await worker('deliver', NOW);
    await worker('deliver', new Date(NOW.getTime() + LEASE_MS));
    expect(hooks.received).toHaveLength(1);
  });

  it('killed after sending, before marking: sent again after the lease with the same delivery id', async () => {
    await addRules(1);
    await worker('evaluate', NOW);
    expect(await worker('deliver', NOW, 'after-send')).toBe(true);
    expect(hooks.received).toHaveLength(1);
    // Leased: another process leaves it alone until the lease ends.
    await worker('deliver', new Date(NOW.getTime() + LEASE_MS - 1000));
    expect(hooks.received).toHaveLength(1);
    await worker('deliver', new Date(NOW.getTime() + LEASE_MS));
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]!.delivery).toBe(hooks.received[0]!.delivery);
    expect(hooks.received[1]!.body).toBe(hooks.received[0]!.body);
    const [row] = await queryRows<{ status: string }>(
      database.db,
      sql`SELECT status FROM pattern_ledger.alert_delivery`,
    );
    expect(row!.status).toBe('sent');
  });
});
