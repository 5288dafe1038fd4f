import { expect, test as setup } from '@playwright/test';
import { ADMIN_STATE } from './support/auth';

/** Signs in once as the demo admin; the other tests start from this session. */
setup('sign in as the demo admin', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('admin@pattern-ledger.local');
  await page.getByLabel('Password').fill('pattern-ledger-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  await page.context().storageState({ path: ADMIN_STATE });
});
