import { expect, test, type Page } from '@playwright/test';

// The newest entries without a note, so each test edits its own row.
async function openEntryRow(page: Page, index: number) {
  await page.goto('/savings?notes=without&sort=savedAt');
  const row = page.getByTestId('savings-log').locator('tbody tr').nth(index);
  const id = await row.getAttribute('data-entry-id');
  expect(id).toBeTruthy();
  return { row, id: id! };
}

test('edit a note inline; it persists across a reload and shows in the row history', async ({
  page,
}, testInfo) => {
  const { row, id } = await openEntryRow(page, 0);
  await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  const editor = row.getByTestId('note-editor');
  await editor
    .getByLabel(`Note for savings entry ${id}`)
    .fill('  Checked against the run log.\nSecond line.  ');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('note-text')).toHaveText(
    'Checked against the run log.\nSecond line.',
  );

  await page.goto(`/savings/${id}`);
  await expect(page.getByTestId('note-text')).toHaveText(
    'Checked against the run log.\nSecond line.',
  );
  await expect(page.getByTestId('note-history').locator('li')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('note-text')).toHaveText(
    'Checked against the run log.\nSecond line.',
  );
  await page.screenshot({ path: testInfo.outputPath('savings-entry-light.png'), fullPage: true });
});

test('a conflicting edit from a second browser is reported with the current text', async ({
  page,
  browser,
}) => {
  const { id } = await openEntryRow(page, 1);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`/savings/${id}`);
  await page.goto(`/savings/${id}`);

  // Both start editing from the same (empty) note.
  await page.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await otherPage.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await otherPage.getByLabel(`Note for savings entry ${id}`).fill('Written in the other browser.');
  await otherPage.getByRole('button', { name: 'Save' }).click();
  await expect(otherPage.getByTestId('note-text')).toHaveText('Written in the other browser.');

  const field = page.getByLabel(`Note for savings entry ${id}`);
  await field.fill('My version.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('note-editor').getByRole('alert')).toContainText(
    'Someone changed this note',
  );
  await expect(page.getByTestId('conflict-current')).toHaveText('Written in the other browser.');
  // What was typed is kept; saving again now knowingly replaces their version.
  await expect(field).toHaveValue('My version.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('note-text')).toHaveText('My version.');
  await otherPage.reload();
  await expect(otherPage.getByTestId('note-history').locator('li')).toHaveCount(2);
  await other.close();
});

test('a script in a note stays text', async ({ page }, testInfo) => {
  const { row, id } = await openEntryRow(page, 2);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const payload = '<script>alert("x")</script><img src=x onerror=alert(2)><b>bold</b>';
  await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  await row.getByLabel(`Note for savings entry ${id}`).fill(payload);
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('note-text')).toHaveText(payload);
  await page.reload();
  await page.goto(`/savings/${id}`);
  await expect(page.getByTestId('note-text')).toHaveText(payload);
  await expect(
    page.locator(
      '[data-testid="note-text"] b, [data-testid="note-text"] img, [data-testid="note-text"] script',
    ),
  ).toHaveCount(0);
  expect(dialogs).toEqual([]);

  await page.goto('/savings');
  await page.screenshot({ path: testInfo.outputPath('savings-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('savings-dark.png'), fullPage: true });
});

test('a note that is too long cannot be saved and the typed text is kept', async ({ page }) => {
  const { row, id } = await openEntryRow(page, 3);
  await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
  const field = row.getByLabel(`Note for savings entry ${id}`);
  const long = 'y'.repeat(2001);
  await field.fill(long);
  await expect(row.getByRole('alert')).toContainText('at most 2,000 characters');
  await expect(row.getByRole('button', { name: 'Save' })).toBeDisabled();
  await expect(field).toHaveValue(long);
});

test('the note editor gives focus back to its button, and asks before an empty save clears a note', async ({
  page,
}) => {
  const { row, id } = await openEntryRow(page, 4);
  const add = row.getByRole('button', { name: `Add note for savings entry ${id}` });
  await add.click();
  const field = row.getByLabel(`Note for savings entry ${id}`);
  await field.press('Escape');
  await expect(add).toBeFocused();

  await add.click();
  await field.fill('Kept for the focus test.');
  await row.getByRole('button', { name: 'Save' }).click();
  const edit = row.getByRole('button', { name: `Edit note for savings entry ${id}` });
  await expect(edit).toBeFocused();

  await edit.click();
  await field.fill('   ');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('confirm-clear')).toBeVisible();
  await expect(row.getByTestId('note-editor')).toBeVisible();
  await row.getByRole('button', { name: 'Clear note' }).click();
  await expect(row.getByTestId('note-text')).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Add note for savings entry ${id}` })).toBeFocused();
});

test('savings filters and the USD/tokens switch live in the URL', async ({ page }) => {
  await page.goto('/savings');
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Type').selectOption('tool_call');
  await filters.getByLabel('Notes').selectOption('with');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/type=tool_call/);
  const typeCells = page.getByTestId('savings-log').locator('tbody td:nth-child(2)');
  await expect
    .poll(async () => [...new Set(await typeCells.allInnerTexts())])
    .toEqual(['Tool call']);
  await expect(page.getByTestId('note-text').first()).toBeVisible();
  await page.getByRole('group', { name: 'Measure' }).getByRole('link', { name: 'Tokens' }).click();
  await expect(page).toHaveURL(/metric=tokens/);
  await expect(
    page.getByRole('heading', { name: 'Tokens saved by optimization type' }),
  ).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'USD saved by optimization type' })).toBeVisible();
});
