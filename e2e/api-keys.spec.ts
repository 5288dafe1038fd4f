import { expect, test } from '@playwright/test';

const batch = (workflowId: string) => ({
  occurrences: [
    {
      pattern_signature: 'e2e:api:key',
      workflow_id: workflowId,
      similarity_score: 0.95,
      matched_characteristics: { source: 'playwright' },
    },
  ],
});

test('an admin creates a key, an agent writes with it, and a revoked key is refused', async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  const name = `agent-${Date.now()}`;
  await page.goto('/admin/api-keys');
  const create = page.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Scope').selectOption('write');
  await create.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('generated-secret').innerText();
  expect(key).toMatch(/^pl_/);
  // The one-time key can be copied with one press.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  const row = page.getByTestId('api-keys').locator(`tr[data-key-name="${name}"]`);
  await expect(row).toContainText('never');
  // The list shows only the prefix, never the key.
  await expect(page.getByTestId('api-keys')).not.toContainText(key);
  await page.screenshot({ path: testInfo.outputPath('api-keys.png'), fullPage: true });

  // An agent without cookies, as curl would be.
  const agent = await playwright.request.newContext({ baseURL });
  const headers = { authorization: `Bearer ${key}` };
  const written = await agent.post('/api/v1/occurrences', { headers, data: batch('adw-e2e-1') });
  expect(written.status()).toBe(201);
  expect(((await written.json()) as { patterns_created: string[] }).patterns_created).toEqual([
    'e2e:api:key',
  ]);

  await page.reload();
  await expect(row).not.toContainText('never');
  await page.goto('/patterns?q=e2e:api:key&range=24h');
  await expect(page.getByTestId('leaderboard')).toContainText('e2e:api:key');

  await page.goto('/admin/api-keys');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(row).toContainText('revoked');
  const refused = await agent.post('/api/v1/occurrences', { headers, data: batch('adw-e2e-2') });
  expect(refused.status()).toBe(401);
  await agent.dispose();
});

test('the OpenAPI document is served at a stable path', async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toContain('/api/v1/occurrences');
  await anonymous.dispose();
});
