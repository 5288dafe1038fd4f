import { expect, test, type Page } from '@playwright/test';

const column = (page: Page, name: string) =>
  page.locator(`[data-testid="leaderboard"] tbody td[data-col="${name}"]`).allInnerTexts();
// The counted figure is a cell's first line (a stored counter may follow it).
const numbers = (texts: string[]) =>
  texts.map((t) => Number(t.split('\n')[0]!.replace(/[^0-9.-]/g, '')));

function utcDate(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

test('leaderboard: sort by two columns, filter, search, page, open a pattern and come back', async ({
  page,
}, testInfo) => {
  await page.goto('/patterns?range=all');
  const table = page.getByTestId('leaderboard');
  await expect(table.locator('tbody tr')).toHaveCount(25);

  // Default: occurrences, descending.
  const occurrences = numbers(await column(page, 'occurrences'));
  expect(occurrences).toEqual([...occurrences].sort((a, b) => b - a));

  await table.getByRole('link', { name: /^USD/ }).click();
  await expect(page).toHaveURL(/sort=usdSaved/);
  await expect(table.locator('th[aria-sort="descending"]')).toContainText('USD');
  const usd = numbers(await column(page, 'usdSaved'));
  expect(usd).toEqual([...usd].sort((a, b) => b - a));

  await table.getByRole('link', { name: /^Workflows/ }).click();
  await expect(table.locator('th[aria-sort="descending"]')).toContainText('Workflows');
  await table.getByRole('link', { name: /^Workflows/ }).click();
  await expect(table.locator('th[aria-sort="ascending"]')).toContainText('Workflows');
  await expect(page).toHaveURL(/sort=workflows&dir=asc|dir=asc.*sort=workflows/);
  const workflows = numbers(await column(page, 'workflows'));
  expect(workflows).toEqual([...workflows].sort((a, b) => a - b));

  // Filter by type and search.
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Type').selectOption('test');
  await filters.getByLabel('Signature contains').fill('PYTEST');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/type=test/);
  await expect(page).toHaveURL(/q=PYTEST/);
  // "All statuses" is no parameter at all, not an empty one.
  expect(new URL(page.url()).searchParams.has('status')).toBe(false);
  const signatures = await table.locator('tbody td:nth-child(2)').allInnerTexts();
  expect(signatures.length).toBeGreaterThan(0);
  for (const s of signatures) expect(s).toMatch(/^test:pytest:/);

  // Page through the unfiltered list with a smaller page size.
  await page.goto('/patterns?range=all&sort=usdSaved');
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await pager.getByRole('link', { name: '10', exact: true }).click();
  await expect(table.locator('tbody tr')).toHaveCount(10);
  // Other suites may add patterns through the API: take the total from the page.
  const total = /of (\d+)/.exec(await page.getByTestId('pagination-status').innerText())?.[1];
  expect(Number(total)).toBeGreaterThanOrEqual(200);
  const firstPage = await table.locator('tbody td:nth-child(2)').allInnerTexts();
  await pager.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId('pagination-status')).toContainText(`11–20 of ${total}`);
  const secondPage = await table.locator('tbody td:nth-child(2)').allInnerTexts();
  expect(secondPage.filter((s) => firstPage.includes(s))).toEqual([]);
  await page.goBack();
  await expect(page.getByTestId('pagination-status')).toContainText(`1–10 of ${total}`);
  await page.goForward();
  await expect(page.getByTestId('pagination-status')).toContainText(`11–20 of ${total}`);

  await page.screenshot({ path: testInfo.outputPath('leaderboard-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('leaderboard-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Open a pattern in a 7-day custom range by day: seven points on the occurrence chart.
  const from = utcDate(6);
  const to = utcDate(0);
  await page.goto(`/patterns?range=custom&from=${from}&to=${to}&granularity=day`);
  const link = table.locator('tbody td:nth-child(2) a').first();
  const signature = await link.innerText();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(signature);
  await expect(page).toHaveURL(new RegExp(`from=${from}`));
  const charts = page.getByTestId('chart');
  await expect(charts.first()).toHaveAttribute('data-points', '7');
  await expect(charts.first().locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(charts.nth(1)).toHaveAttribute('data-points', '20');
  await expect(page.getByTestId('recent-occurrences').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pattern-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('pattern-dark.png'), fullPage: true });

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/patterns\\?range=custom&from=${from}`));
  await expect(table.locator('tbody td:nth-child(2) a').first()).toHaveText(signature);
});

test('a pattern with no occurrences explains its empty charts', async ({ page }) => {
  await page.goto('/patterns?range=all&sort=occurrences&dir=asc');
  const first = page.getByTestId('leaderboard').locator('tbody tr').first();
  await expect(first.locator('td[data-col="occurrences"]')).toHaveText('0');
  await first.locator('td:nth-child(2) a').click();
  await expect(page.getByTestId('counted-occurrences')).toHaveText('0');
  await expect(page.getByTestId('chart-empty').first()).toContainText(
    'No occurrence of this pattern',
  );
  await expect(page.getByTestId('recent-occurrences')).toContainText(
    'No occurrence of this pattern in the range',
  );
});

test('an unknown or non-numeric pattern id shows the not-found page', async ({ page }) => {
  for (const id of ['987654', 'abc', '-1']) {
    const response = await page.goto(`/patterns/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Pattern not found' })).toBeVisible();
  }
});

test('malformed leaderboard parameters fall back to defaults', async ({ page }) => {
  const response = await page.goto(
    '/patterns?sort=nope&dir=up&page=-2&size=13&range=forever&tz=Nowhere',
  );
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId('leaderboard').locator('tbody tr')).toHaveCount(25);
  await expect(page.getByTestId('range-note')).toContainText('Last 30 days');
});

test('the time range is kept when moving between sections', async ({ page }) => {
  await page.goto('/patterns?range=7d&tz=Asia%2FKolkata');
  await expect(page.getByTestId('range-note')).toContainText('Asia/Kolkata (UTC+05:30)');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Savings' })
    .click();
  await expect(page).toHaveURL(/\/savings\?range=7d&tz=Asia%2FKolkata/);
});
