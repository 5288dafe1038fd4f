import { expect, test, type Browser } from '@playwright/test';

async function signIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

test('an admin creates a viewer, who reads but cannot annotate or administer, and can be disabled', async ({
  page,
  browser,
}, testInfo) => {
  const email = `viewer-${Date.now()}@example.com`;
  await page.goto('/admin/users');
  const create = page.getByRole('form', { name: 'Create an account' });
  await create.getByLabel('Email').fill(email);
  await create.getByLabel('Name').fill('A viewer');
  await create.getByLabel('Role').selectOption('viewer');
  await create.getByRole('button', { name: 'Create account' }).click();
  const password = await page.getByTestId('generated-secret').innerText();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('users').locator(`tr[data-email="${email}"]`)).toContainText(
    'active',
  );
  await page.screenshot({ path: testInfo.outputPath('admin-users.png'), fullPage: true });

  const viewer = await signIn(browser, email, password);
  await expect(viewer.page.getByTestId('user-role')).toHaveText('viewer');
  await expect(viewer.page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await viewer.page.goto('/savings');
  await expect(viewer.page.getByTestId('note').first()).toBeVisible();
  await expect(viewer.page.getByRole('button', { name: /note for savings entry/ })).toHaveCount(0);
  const forbidden = await viewer.page.goto('/admin/users');
  expect(forbidden?.status()).toBe(403);
  await expect(viewer.page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();

  // Disabled: the next sign-in is refused with a clear message.
  await page.reload();
  await page.getByRole('button', { name: `Disable ${email}` }).click();
  await expect(page.getByTestId('users').locator(`tr[data-email="${email}"]`)).toContainText(
    'disabled',
  );
  await viewer.context.close();
  const again = await signIn(browser, email, password);
  await expect(again.page.getByRole('alert').filter({ hasText: 'disabled' })).toBeVisible();
  await again.context.close();
});

test('a wrong password is refused and signing out ends the session', async ({ browser }) => {
  const wrong = await signIn(browser, 'admin@pattern-ledger.local', 'not-the-password');
  await expect(wrong.page.getByRole('alert').filter({ hasText: 'not right' })).toBeVisible();
  await wrong.context.close();
  const admin = await signIn(browser, 'admin@pattern-ledger.local', 'pattern-ledger-demo');
  await expect(admin.page.getByTestId('user-role')).toHaveText('admin');
  await admin.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(admin.page).toHaveURL(/\/sign-in/);
  await admin.page.goto('/patterns');
  await expect(admin.page).toHaveURL(/\/sign-in\?next=%2Fpatterns/);
  await admin.context.close();
});
