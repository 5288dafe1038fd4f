import { expect, test } from '@playwright/test';

test('the shell renders the overview and navigates between sections', async ({ page }) => {
  await page.goto('/?range=all');
  await expect(page.getByRole('link', { name: 'Pattern Ledger' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // The demo data: about 30,000 occurrences in all.
  const occurrences = Number(
    (await page.getByTestId('kpi-occurrences').innerText()).replace(/[^0-9]/g, ''),
  );
  expect(occurrences).toBeGreaterThan(25_000);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, path] of [
    ['Patterns', '/patterns'],
    ['Savings', '/savings'],
    ['Workflows', '/workflows'],
    ['Overview', '/'],
  ] as const) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page).toHaveURL(`${path}?range=all`);
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

test('the theme switcher is one Tab stop and the arrow keys choose', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const themes = page.getByRole('radiogroup', { name: 'Colour theme' });
  await expect(themes.locator('[tabindex="0"]')).toHaveCount(1);
  await themes.getByRole('radio', { name: 'System' }).focus();
  await page.keyboard.press('ArrowRight');
  const light = themes.getByRole('radio', { name: 'Light' });
  await expect(light).toBeFocused();
  await expect(light).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.keyboard.press('ArrowRight');
  await expect(themes.getByRole('radio', { name: 'System' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.locator('html')).not.toHaveClass(/dark/);
});
