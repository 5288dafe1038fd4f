import { expect, test } from '@playwright/test';

test('the shell renders real row counts and navigates between sections', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Pattern Ledger' })).toBeVisible();
  const patterns = page.getByTestId('count-operation_patterns');
  await expect(patterns).toHaveText('200');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, path] of [
    ['Patterns', '/patterns'],
    ['Savings', '/savings'],
    ['Workflows', '/workflows'],
    ['Overview', '/'],
  ] as const) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page).toHaveURL(path);
    await expect(nav.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
  }
});

test('the theme follows the system, can be switched, and is remembered without a flash', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveClass(/dark/);

  const themes = page.getByRole('radiogroup', { name: 'Colour theme' });
  await themes.getByRole('radio', { name: 'Light' }).click();
  await expect(html).not.toHaveClass(/dark/);

  // With every app bundle blocked only the inline boot script can set the theme, so a correct
  // class here means it is right before React loads: no flash of the wrong theme.
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.reload();
  expect((await html.getAttribute('class')) ?? '').not.toMatch(/dark/);
  await page.unroute('**/_next/static/**/*.js');
  await page.reload();
  await expect(themes.getByRole('radio', { name: 'Light' })).toHaveAttribute(
    'aria-checked',
    'true',
  );

  await themes.getByRole('radio', { name: 'Dark' }).click();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.reload();
  expect((await html.getAttribute('class')) ?? '').toMatch(/dark/);
  await page.unroute('**/_next/static/**/*.js');
  await page.reload();
  await themes.getByRole('radio', { name: 'System' }).click();
  await expect(html).not.toHaveClass(/dark/);
});
