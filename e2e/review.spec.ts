import { expect, test } from '@playwright/test';

test('review patterns from the queue with the keyboard; they leave the queue and their history shows', async ({
  page,
}, testInfo) => {
  await page.goto('/review');
  const queue = page.getByTestId('review-queue');
  const selected = page.getByTestId('selected-signature');
  const first = await selected.innerText();
  await expect(queue.locator('tr[aria-selected="true"]')).toHaveAttribute('data-signature', first);
  await page.screenshot({ path: testInfo.outputPath('review-queue.png'), fullPage: true });

  // a: approve the selected pattern; the next one takes its place.
  await page.keyboard.press('a');
  await expect(
    page.getByRole('status').filter({ hasText: `Saved: ${first} is approved` }),
  ).toBeVisible();
  await expect(queue.locator(`tr[data-signature="${first}"]`)).toHaveCount(0);
  await expect(selected).not.toHaveText(first);

  // j: move down; r without a reason asks for one and focuses the note.
  await page.keyboard.press('j');
  const second = await selected.innerText();
  await expect(queue.locator('tr[aria-selected="true"]')).toHaveAttribute('data-signature', second);
  await page.keyboard.press('r');
  await expect(page.getByText('Say why the pattern is rejected.')).toBeVisible();
  await expect(page.getByLabel(/Review note/)).toBeFocused();
  await page.keyboard.type('Matches too many unrelated workflows');
  await page.keyboard.press('Escape');
  await page.keyboard.press('r');
  await expect(queue.locator(`tr[data-signature="${second}"]`)).toHaveCount(0);

  // Both reviews are in the patterns' history, with who and why.
  for (const [signature, status, note] of [
    [first, 'approved', null],
    [second, 'deprecated', 'Matches too many unrelated workflows'],
  ] as const) {
    await page.goto(`/patterns?range=all&q=${encodeURIComponent(signature)}`);
    await page.getByRole('link', { name: signature, exact: true }).first().click();
    const history = page.getByTestId('review-history');
    await expect(history.locator('tbody tr').first()).toContainText('admin@pattern-ledger.local');
    await expect(history.locator('tbody tr').first()).toContainText(status);
    if (note) await expect(history.locator('tbody tr').first()).toContainText(note);
  }
  await page.screenshot({
    path: testInfo.outputPath('pattern-review-history.png'),
    fullPage: true,
  });
});

test('a stale review is refused with the current state', async ({ page, browser }) => {
  await page.goto('/review');
  const signature = await page.getByTestId('selected-signature').innerText();
  // Someone else reviews the same pattern first, in another session.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`/review?q=${encodeURIComponent(signature)}`);
  await otherPage.getByRole('button', { name: 'Comment' }).click();
  await expect(otherPage.getByText('Write the comment.')).toBeVisible();
  await otherPage.getByLabel(/Review note/).fill('Checked by someone else');
  await otherPage.getByRole('button', { name: 'Comment' }).click();
  // In the queue the comment is said once, by the queue.
  await expect(otherPage.getByText(`Comment saved on ${signature}`, { exact: false })).toHaveCount(
    1,
  );
  await other.close();

  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText(/Someone reviewed this pattern after you opened it/)).toBeVisible();
});

test('the data-quality page shows each defect of the demo data and links to the rows', async ({
  page,
}, testInfo) => {
  await page.goto('/data-quality');
  const checks = page.locator('section[data-check]');
  await expect(checks).toHaveCount(10);
  for (const count of await checks.getByTestId('check-count').allInnerTexts()) {
    expect(count).not.toBe('none found');
  }
  await expect(
    page.getByTestId('scale-pattern_occurrences.similarity_score').getByTestId('detected-scale'),
  ).toHaveText('mixed');
  await page.screenshot({ path: testInfo.outputPath('data-quality.png'), fullPage: true });

  const drift = page.locator('section[data-check="occurrence-count-drift"]');
  await drift.getByRole('link', { name: 'All rows of this check' }).click();
  await expect(page).toHaveURL(/\/data-quality\/occurrence-count-drift/);
  const link = page.getByTestId('quality-rows-occurrence-count-drift').locator('tbody a').first();
  const signature = await link.innerText();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(signature);
  await expect(page.getByText(/stored counter says/)).toBeVisible();
});

test('the review note is a few Tab presses from the top of the queue page', async ({ page }) => {
  await page.goto('/review');
  await expect(page.getByTestId('review-queue')).toBeVisible();
  const note = page.getByLabel(/Review note/);
  let presses = 0;
  while (presses < 60 && !(await note.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    presses++;
  }
  // The header, the filters, the queue (one stop) and the panel's link and buttons: not 75.
  expect(presses).toBeLessThanOrEqual(40);
  await expect(note).toBeFocused();
});
