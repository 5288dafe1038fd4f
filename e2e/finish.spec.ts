import { expect, test } from '@playwright/test';
import { AUTOMATION_STATUSES } from '../lib/domain';

test('chart tooltips print money as the page does, and edge buckets say they are partial', async ({
  page,
}) => {
  await page.goto('/savings');
  const chart = page.getByTestId('chart').first();
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  const box = (await chart.boundingBox())!;
  // The last bucket (today) is partial: hover near the right end of the plot.
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  const tooltip = page.getByTestId('chart-tooltip');
  await expect(tooltip).toBeVisible();
  const text = await tooltip.innerText();
  expect(text).toMatch(/partial/);
  // Money in tooltips has at most four decimals below a dollar and two above, as on the page.
  for (const amount of text.match(/\$[\d,]+\.\d+/g) ?? []) {
    expect(amount).toMatch(/^\$(0\.\d{1,4}|[1-9][\d,]*\.\d{2})$/);
  }
});

test('list edges read plainly: past the last page, and a search with no match', async ({
  page,
}) => {
  await page.goto('/patterns?page=999');
  await expect(page.getByTestId('pagination-status')).toHaveText(/^Page 999 is past the end: /);
  await page.goto('/patterns?q=no-such-signature-anywhere');
  await expect(page.getByText('occurrences in the range (there are none)')).toBeVisible();
});

test('custom range dates are typed as ISO dates', async ({ page }) => {
  await page.goto('/patterns');
  await page.getByLabel('Time range').selectOption('custom');
  const from = page.getByLabel('From');
  await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD');
  await from.fill('2026-01-01');
  await page.getByLabel('To (inclusive)').fill('2026-01-07');
  await page.getByRole('button', { name: 'Apply' }).first().click();
  await expect(page).toHaveURL(/range=custom&from=2026-01-01&to=2026-01-07/);
});

test('the review queue is one Tab stop moved by arrows; Set status starts at the current status; a comment is said once', async ({
  page,
}) => {
  await page.goto('/review');
  const queue = page.getByTestId('review-queue');
  const rows = queue.locator('tbody tr');
  await expect(rows.locator('[tabindex="0"]')).toHaveCount(0);
  await expect(queue.locator('tbody tr[tabindex="0"]')).toHaveCount(1);
  await queue.locator('tbody tr[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown');
  const second = rows.nth(1);
  await expect(second).toBeFocused();
  await expect(second).toHaveAttribute('aria-selected', 'true');

  const status = (await second.locator('td').nth(3).innerText()).trim();
  const panel = page.getByRole('region', { name: 'Selected pattern' });
  // A status outside the known six cannot be chosen: then the list starts at candidate.
  const known = (AUTOMATION_STATUSES as readonly string[]).includes(status);
  await expect(panel.getByLabel('Status')).toHaveValue(known ? status : 'candidate');

  await panel.getByLabel(/Review note/).fill('Looked at the matches; fine for now.');
  await panel.getByRole('button', { name: 'Comment' }).click();
  const said = page.getByText(/^Comment saved on /);
  await expect(said).toHaveCount(1);
  await expect(page.getByText(/^Saved: /)).toHaveCount(0);
});

test('on a phone, tapping a queue row brings the review panel into view', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/review');
  const rows = page.getByTestId('review-queue').locator('tbody tr');
  await rows.nth(6).locator('td').first().click();
  await expect(rows.nth(6)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Selected pattern' })).toBeInViewport();
});

test('on a phone, a note is edited and a pattern reviewed without the page scrolling sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/savings?notes=without&sort=savedAt');
  const row = page.getByTestId('savings-log').locator('tbody tr').nth(6);
  const id = await row.getAttribute('data-entry-id');
  await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await row.getByLabel(`Note for savings entry ${id}`).fill('Written on a phone.');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('note-text')).toHaveText('Written on a phone.');

  await page.goto('/review');
  const queue = page.getByTestId('review-queue');
  const signature = await queue.locator('tbody tr').nth(3).getAttribute('data-signature');
  await queue.locator('tbody tr').nth(3).locator('td').first().click();
  const panel = page.getByRole('region', { name: 'Selected pattern' });
  await expect(panel).toBeInViewport();
  await panel.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText(`Saved: ${signature} is approved.`)).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
