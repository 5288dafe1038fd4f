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
  expect(await health.json()).toEqual({ status: 'unavailable' });
  const csv = await request.get(`${base}/api/export/savings`);
  expect(csv.status()).toBe(503);
});
