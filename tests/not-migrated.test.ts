/**
 * A server pointed at the agents' database before `npm run db:migrate`: /api/health says so (503,
 * with the reason), and signing in says what to do instead of failing with a 500.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { signIn } from '@/app/sign-in/actions';
import { createEmptyDatabase, useAsAppDatabase, type TestDatabase } from './support/databases';
import { shapeStatements } from './support/shapes';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);

let database: TestDatabase;
beforeAll(async () => {
  database = await createEmptyDatabase('pglite');
  for (const statement of shapeStatements('full')) await database.db.execute(sql.raw(statement));
  useAsAppDatabase(database);
});
afterAll(async () => {
  await database.dispose();
});

it('answers 503 on /api/health with the reason until migrated, then ok', async () => {
  const before = await health();
  expect(before.status).toBe(503);
  const body = (await before.json()) as { status: string; problems: string[] };
  expect(body.status).toBe('not_ready');
  expect(body.problems.join('\n')).toMatch(/npm run db:migrate/);

  await database.migrate();
  // The answer is kept a few seconds; a fresh process (module) would ask again.
  vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ['Date'] });
  try {
    const after = await health();
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ok', database: 'pglite' });
  } finally {
    vi.useRealTimers();
  }
});

it('says what to do when signing in on a database that is not migrated', async () => {
  const fresh = await createEmptyDatabase('pglite');
  try {
    for (const statement of shapeStatements('report')) await fresh.db.execute(sql.raw(statement));
    useAsAppDatabase(fresh);
    const form = new FormData();
    form.set('email', 'someone@example.com');
    form.set('password', 'a-long-password');
    const result = await signIn({}, form);
    expect(result.message).toMatch(/npm run db:migrate/);
  } finally {
    useAsAppDatabase(database);
    await fresh.dispose();
  }
});
