import { expect, test } from '@playwright/test';
import { UNREACHABLE_PORT } from '../playwright.config';

const base = `http://127.0.0.1:${UNREACHABLE_PORT}`;

test('with the database unreachable every page says what failed and what to check', async ({
  page,
  request,
}) => {
  for (const path of ['/', '/patterns', '/savings', '/workflows', '/patterns/1', '/savings/1']) {
    await page.goto(`${base}${path}`);
    const panel = page.getByTestId('database-error');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText(
      'The database cannot be reached',
    );
    await expect(panel).toContainText('DATABASE_URL');
    await expect(panel).toContainText(/Retrying in \d+ s/);
    // No stack trace or connection string reaches the page.
    await expect(page.locator('body')).not.toContainText('nobody@', { useInnerText: true });
    await expect(page.locator('body')).not.toContainText(/\bat \S+ \(/, { useInnerText: true });
  }
  const health = await request.get(`${base}/api/health`);
  expect(health.status()).toBe(503);
  expect(await health.json()).toMatchObject({ status: 'unavailable' });
  const csv = await request.get(`${base}/api/export/savings`);
  expect(csv.status()).toBe(503);
});

test('signing in while the database is unreachable says so', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${base}/patterns`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpatterns/);
  await page.getByLabel('Email').fill('admin@pattern-ledger.local');
  await page.getByLabel('Password').fill('pattern-ledger-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'database cannot be reached' }),
  ).toBeVisible();
  await context.close();
});
