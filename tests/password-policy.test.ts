/**
 * No published or trivial password, and sessions with an absolute end: the pure policy, then
 * better-auth on each database as the forms, `npm run user:create` and sign-in use it.
 */
import { sql } from 'drizzle-orm';
import { hashPassword } from 'better-auth/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/sql';
import { DEMO_PASSWORD, passwordProblem } from '@/lib/password-policy';
import { createAuth, PUBLISHED_PASSWORD_REFUSED, type Auth } from '@/server/auth/auth';
import { DEMO_ADMIN } from '@/server/auth/demo-admin';
import { describeEachDatabase } from './support/databases';

describe('the password policy', () => {
  it('refuses the demo password, common ones and near-copies of them, and short ones', () => {
    for (const password of [
      DEMO_PASSWORD,
      'password123',
      'Password1!',
      'qwertyuiop12',
      'letmein2024',
      'iloveyou12345',
      'hunter2hunter2',
      '1234567890',
      'short',
    ])
      expect(passwordProblem(password), password).not.toBeNull();
  });

  it('refuses a password made of the account’s own email', () => {
    for (const password of ['jane.doe.2024', 'janedoe12345'])
      expect(passwordProblem(password, ['jane.doe@example.com']), password).toMatch(/own name/);
  });

  it('accepts long and random passwords', () => {
    for (const password of [
      'a-long-test-password',
      'correct horse battery staple',
      'vN3q-8xLp-2Rfa-Wm7c',
    ])
      expect(passwordProblem(password), password).toBeNull();
  });
});

const SESSION_DAY = 86_400_000;

describeEachDatabase('passwords and sessions', {}, (get) => {
  let auth: Auth;
  beforeAll(() => {
    auth = createAuth(get());
  });

  const create = (email: string, password: string) =>
    auth.api.createUser({ body: { email, password, name: email.split('@')[0]!, role: 'viewer' } });

  it('refuses weak and published passwords for every new account, with the reason', async () => {
    for (const password of [DEMO_PASSWORD, 'password123', 'qwertyuiop12'])
      await expect(create(`weak-${password.length}@tests.local`, password)).rejects.toThrow(
        /published|too easy/,
      );
    const [row] = await queryRows<{ n: number }>(
      get().db,
      sql`SELECT count(*)::int AS n FROM pattern_ledger.auth_user WHERE email LIKE 'weak-%'`,
    );
    expect(row!.n).toBe(0);
  });

  it('refuses them when an admin sets a password too', async () => {
    const { user } = await create('set-password@tests.local', 'a-long-test-password');
    await expect(
      auth.api.setUserPassword({ body: { userId: user.id, newPassword: 'password123' } }),
    ).rejects.toThrow(/too easy/);
  });

  it('creates the demo admin with the published password on the embedded demo only', async () => {
    const creating = create(DEMO_ADMIN.email, DEMO_ADMIN.password);
    if (get().kind === 'pglite') await expect(creating).resolves.toBeTruthy();
    else await expect(creating).rejects.toThrow(/published/);
  });

  it('signs nobody in with the published password outside the embedded demo', async () => {
    if (get().kind === 'pglite') return;
    // An account an older version let an admin create with it.
    const { user } = await create('old-demo@tests.local', 'a-long-test-password');
    await get().db.execute(
      sql`UPDATE pattern_ledger.auth_account SET password = ${await hashPassword(DEMO_PASSWORD)}
        WHERE user_id = ${user.id}`,
    );
    await expect(
      auth.api.signInEmail({ body: { email: 'old-demo@tests.local', password: DEMO_PASSWORD } }),
    ).rejects.toThrow(PUBLISHED_PASSWORD_REFUSED);
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    await create('long-session@tests.local', 'a-long-test-password');
    const response = await auth.api.signInEmail({
      body: { email: 'long-session@tests.local', password: 'a-long-test-password' },
      asResponse: true,
    });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const session = () => auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(await session()).not.toBeNull();
    const now = Date.now();
    const age = async (createdDaysAgo: number) =>
      get().db.execute(
        sql`UPDATE pattern_ledger.auth_session SET
            created_at = ${new Date(now - createdDaysAgo * SESSION_DAY).toISOString()}::timestamptz,
            updated_at = ${new Date(now - 2 * SESSION_DAY).toISOString()}::timestamptz,
            expires_at = ${new Date(now + 5 * SESSION_DAY).toISOString()}::timestamptz
          WHERE user_id = (SELECT id FROM pattern_ledger.auth_user WHERE email = 'long-session@tests.local')`,
      );
    const expiry = async () =>
      (
        await queryRows<{ at: number }>(
          get().db,
          sql`SELECT (date_part('epoch', expires_at) * 1000)::float8 AS at FROM pattern_ledger.auth_session
          WHERE user_id = (SELECT id FROM pattern_ledger.auth_user WHERE email = 'long-session@tests.local')`,
        )
      )[0]!.at;
    // 28 days in and in use: renewed, but only to day 30, not a week from now.
    await age(28);
    expect(await session()).not.toBeNull();
    expect(Math.abs((await expiry()) - (now + 2 * SESSION_DAY))).toBeLessThan(60_000);
    // 31 days in: signed out, active or not.
    await age(31);
    await expect(session()).rejects.toThrow();
  });
});
