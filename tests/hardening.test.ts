import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuth } from '@/server/auth/auth';
import { reloadSettings } from '@/server/settings';
import { createTestDatabase, type TestDatabase } from './support/databases';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
afterAll(async () => {
  delete process.env.AUTH_URL;
  reloadSettings();
  await database.dispose();
});

async function sessionCookie(authUrl: string | undefined): Promise<string> {
  if (authUrl) process.env.AUTH_URL = authUrl;
  else delete process.env.AUTH_URL;
  reloadSettings();
  const auth = createAuth(database);
  const email = `cookie-${Math.random().toString(36).slice(2)}@tests.local`;
  const password = 'a-long-test-password';
  await auth.api.createUser({ body: { email, password, name: 'cookie', role: 'viewer' } });
  const response = await auth.api.signInEmail({ body: { email, password }, asResponse: true });
  const cookie = response.headers.getSetCookie().find((c) => /session_token=/.test(c));
  expect(cookie).toBeDefined();
  return cookie!;
}

it('sets the session cookie HttpOnly and SameSite=Lax, and Secure only behind https', async () => {
  const plain = await sessionCookie(undefined);
  expect(plain).toMatch(/HttpOnly/i);
  expect(plain).toMatch(/SameSite=Lax/i);
  expect(plain).not.toMatch(/;\s*Secure/i);

  const tls = await sessionCookie('https://ledger.example.com');
  expect(tls).toMatch(/^__Secure-/);
  expect(tls).toMatch(/;\s*Secure/i);
  expect(tls).toMatch(/HttpOnly/i);
});
