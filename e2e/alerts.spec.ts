import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { WEBHOOK_RECEIVER_PORT } from '../playwright.config';

type Hook = { body: Record<string, unknown>; signed: boolean };

/** A real webhook receiver that checks each request's signature with the channel's secret. */
async function receiver() {
  const hooks: Hook[] = [];
  let secret = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = `sha256=${createHmac('sha256', secret)
        .update(`${String(request.headers['x-pattern-ledger-timestamp'])}.${body}`)
        .digest('hex')}`;
      hooks.push({
        body: JSON.parse(body) as Record<string, unknown>,
        signed: request.headers['x-pattern-ledger-signature'] === expected,
      });
      response.writeHead(204).end();
    });
  });
  // The server allows webhooks to this one address (WEBHOOK_ALLOW in playwright.config.ts).
  await new Promise<void>((resolve) => server.listen(WEBHOOK_RECEIVER_PORT, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hooks,
    setSecret: (value: string) => (secret = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('an admin adds a channel, an editor creates a rule that fires on the demo data, and resolving it is sent too', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const hook = await receiver();
  try {
    // The channel, with its generated secret shown once, and a test message through it.
    const channel = `e2e hook ${Date.now()}`;
    await page.goto('/admin/channels');
    const add = page.getByRole('form', { name: 'Add a channel' });
    await add.getByLabel('Name').fill(channel);
    await add.getByLabel('URL (http or https)').fill(hook.url);
    await add.getByRole('button', { name: 'Add channel' }).click();
    const secret = await page.getByTestId('generated-secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    hook.setSecret(secret);
    await expect(page.getByTestId('channels')).not.toContainText(secret);
    await page.getByRole('button', { name: `Send a test to ${channel}` }).click();
    await expect(page.getByText(`Sent a test to “${channel}”.`)).toBeVisible();
    expect(hook.hooks.at(-1)).toMatchObject({ signed: true, body: { type: 'test' } });

    // The rule: USD saved over 24 hours above $0 fires on the demo's savings.
    const name = `E2E savings ${Date.now()}`;
    await page.goto('/alerts/new');
    const form = page.getByRole('form', { name: 'Alert rule' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Fires when').selectOption('above');
    await form.getByLabel('Critical (USD)').fill('0');
    await form.getByLabel('Evaluate every').selectOption('1');
    await form.getByLabel(channel).check();
    // The backtest answers while the rule is edited.
    await expect(page.getByTestId('backtest-summary')).toContainText(/Would have fired \d+ time/);
    await expect(page.getByTestId('backtest-chart')).toBeVisible();
    await form.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/alerts\/\d+$/);

    // Evaluated within seconds: critical, in the history, in the header badge, and sent once.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('rule-state').getByTestId('alert-state')).toContainText(
        'critical',
      );
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('alert-history').locator('tr[data-to="critical"]')).toHaveCount(
      1,
    );
    await expect(page.getByTestId('firing-badge')).toBeVisible();
    await expect(async () => {
      await page.reload();
      await expect(
        page.getByTestId('alert-deliveries').locator('tr[data-status="sent"]'),
      ).toHaveCount(1);
    }).toPass({ timeout: 20_000 });
    const fired = hook.hooks.filter((h) => h.body.type === 'alert.firing');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ signed: true, body: { state: 'critical', rule: { name } } });
    await page.screenshot({ path: testInfo.outputPath('alert-firing.png'), fullPage: true });

    // Raising the threshold resolves it: history, list and one resolved message.
    await form.getByLabel('Critical (USD)').fill('1000000000');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await expect(page.getByText('Saved. The rule is evaluated again now.')).toBeVisible();
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('alert-history').locator('tr[data-to="ok"]')).toHaveCount(1);
    }).toPass({ timeout: 30_000 });
    await expect
      .poll(() => hook.hooks.filter((h) => h.body.type === 'alert.resolved').length, {
        timeout: 20_000,
      })
      .toBe(1);
    await page.goto('/alerts');
    await expect(
      page.getByTestId('alert-rules').locator(`tr[data-rule="${name}"]`),
    ).toHaveAttribute('data-state', 'ok');
    // Nothing more is sent while it stays resolved.
    expect(hook.hooks.filter((h) => h.body.type !== 'test')).toHaveLength(2);
  } finally {
    await hook.close();
  }
});

test('a report of a past day in a chosen zone, with its download', async ({ page }) => {
  await page.goto('/reports?cadence=daily&tz=Asia%2FKolkata');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Daily report');
  await expect(page.getByTestId('report-figures').locator('[data-figure]')).toHaveCount(4);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download (.txt)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^pattern-ledger-daily-report-\d{4}-\d{2}-\d{2}\.txt$/);
  const text = await (await file.createReadStream()).toArray();
  const body = Buffer.concat(text as Buffer[]).toString('utf8');
  const usd = await page
    .locator('[data-figure="USD saved"] [data-testid="report-value"]')
    .innerText();
  expect(body).toContain(`USD saved: ${usd}`);
  expect(body).toContain('Asia/Kolkata');
  // A malformed period is named, not a server error.
  const bad = await page.request.get('/reports/download?start=2026-02-30');
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toMatch(/real date/);
});

test('a webhook to the server itself or any other inside address is refused when saved', async ({
  page,
  baseURL,
}) => {
  const port = new URL(baseURL!).port;
  await page.goto('/admin/channels');
  const add = page.getByRole('form', { name: 'Add a channel' });
  for (const target of [`http://127.1:${port}/api/health`, `http://[::1]:${port}/`]) {
    await add.getByLabel('Name').fill(`inside ${target}`);
    await add.getByLabel('URL (http or https)').fill(target);
    await add.getByRole('button', { name: 'Add channel' }).click();
    await expect(add.getByText(/WEBHOOK_ALLOW/).first()).toBeVisible();
    await expect(page.getByTestId('channels')).not.toContainText(`inside ${target}`);
  }
});
