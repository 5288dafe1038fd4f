import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { listViews, pinnedViews } from '@/db/queries/views';
import { queryRows } from '@/db/sql';
import {
  MAX_PINS,
  upgradeViewParams,
  viewHref,
  viewPageOf,
  viewParamsFromQuery,
} from '@/lib/saved-views';
import {
  deleteViewAction,
  pinViewAction,
  renameViewAction,
  saveViewAction,
  shareViewAction,
  unpinViewAction,
} from '@/server/actions/views';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

describe('saved view parameters', () => {
  it('read a view saved before a rename in the new names, step by step', () => {
    const renames = { 1: { metric: 'measure', old: null }, 2: { measure: 'unit' } };
    const saved = { range: '7d', metric: 'tokens', old: 'x', type: ['tool_call', 'input_split'] };
    expect(upgradeViewParams(1, saved, renames, 3)).toEqual({
      range: '7d',
      unit: 'tokens',
      type: ['tool_call', 'input_split'],
    });
    expect(upgradeViewParams(2, { measure: 'usd' }, renames, 3)).toEqual({ unit: 'usd' });
    // A view in the current names is read as it is.
    expect(upgradeViewParams(3, { unit: 'usd' }, renames, 3)).toEqual({ unit: 'usd' });
  });

  it('keep every parameter but paging and refresh, repeated ones as lists', () => {
    expect(
      viewParamsFromQuery('range=7d&type=a&type=b&page=3&refresh=10s&tz=Asia%2FKolkata'),
    ).toEqual({ range: '7d', type: ['a', 'b'], tz: 'Asia/Kolkata' });
    expect(viewHref('/savings', { range: '7d', type: ['a', 'b'] })).toBe(
      '/savings?range=7d&type=a&type=b',
    );
    expect(typeof viewParamsFromQuery(`q=${'x'.repeat(5000)}`)).toBe('string');
    expect(
      typeof viewParamsFromQuery(Array.from({ length: 41 }, (_, i) => `k${i}=1`).join('&')),
    ).toBe('string');
  });

  it('are saved only on pages whose state lives in their URL', () => {
    expect(viewPageOf('/savings')).toBe('/savings');
    expect(viewPageOf('/patterns/12')).toBe('/patterns/12');
    for (const path of ['/admin/users', '/patterns/0', '/patterns/x', '//evil.example', '/views'])
      expect(viewPageOf(path)).toBeNull();
  });
});

describeEachDatabase('saved views', { seed: false }, (get) => {
  beforeAll(() => useAsAppDatabase(get()));

  const save = (name: string, query = 'range=7d&type=tool_call', shared = false) =>
    saveViewAction({ name, path: '/savings', query, shared });
  const count = async () =>
    (
      await queryRows<{ n: number }>(
        get().db,
        sql`SELECT count(*)::int AS n FROM pattern_ledger.saved_view`,
      )
    )[0]!.n;
  const userId = async (email: string) =>
    (
      await queryRows<{ id: string }>(
        get().db,
        sql`SELECT id FROM pattern_ledger.auth_user WHERE email = ${email}`,
      )
    )[0]!.id;

  it('refuses callers who are not signed in, and bad input, changing nothing', async () => {
    signOutOfTests();
    expect(await save('anonymous')).toMatchObject({ ok: false, kind: 'forbidden' });
    await signInAs(await getAuth(), 'viewer');
    const before = await count();
    for (const input of [
      { name: 'a\u0000b', path: '/savings', query: '' },
      { name: '', path: '/savings', query: '' },
      { name: 'x'.repeat(81), path: '/savings', query: '' },
      { name: 'ok', path: '/admin/users', query: '' },
      { name: 'ok', path: '/savings', query: 'q='.padEnd(5000, 'x') },
      { name: { deep: [[[1]]] }, path: '/savings', query: '' },
    ])
      expect(await saveViewAction(input)).toMatchObject({ ok: false, kind: 'invalid' });
    expect(await pinViewAction({ id: 'NaN' })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(await count()).toBe(before);
  });

  it('saves, lists, renames and deletes a person’s own views; names are unique per person', async () => {
    const email = await signInAs(await getAuth(), 'viewer');
    const saved = await save('Tool calls this week');
    expect(saved).toMatchObject({ ok: true });
    expect(await save('Tool calls this week')).toMatchObject({ ok: false, kind: 'conflict' });
    const id = (saved as { id: number }).id;
    const [view] = (await listViews(get().db, await userId(email))).filter((v) => v.id === id);
    expect(view).toMatchObject({
      name: 'Tool calls this week',
      page: '/savings',
      params: { range: '7d', type: 'tool_call' },
      mine: true,
      shared: false,
    });
    expect(await renameViewAction({ id, name: 'Renamed' })).toMatchObject({ ok: true });
    expect(await deleteViewAction({ id })).toMatchObject({ ok: true });
    expect(await deleteViewAction({ id })).toMatchObject({ ok: false, kind: 'not_found' });
  });

  it('shows shared views to everyone, lets only the owner change them, and unpins them when made private', async () => {
    const editor = await signInAs(await getAuth(), 'editor');
    const shared = (await save('Team view', 'range=30d', true)) as { id: number };
    const secret = (await save('My view', 'range=24h')) as { id: number };
    const viewer = await signInAs(await getAuth(), 'viewer');
    const seen = (await listViews(get().db, await userId(viewer))).map((v) => v.name);
    expect(seen).toContain('Team view');
    expect(seen).not.toContain('My view');
    expect(await renameViewAction({ id: shared.id, name: 'Mine now' })).toMatchObject({
      kind: 'not_found',
    });
    expect(await deleteViewAction({ id: shared.id })).toMatchObject({ kind: 'not_found' });
    expect(await pinViewAction({ id: secret.id })).toMatchObject({ kind: 'not_found' });
    expect(await pinViewAction({ id: shared.id })).toMatchObject({ ok: true });
    expect((await pinnedViews(get().db, await userId(viewer))).map((v) => v.name)).toEqual([
      'Team view',
    ]);
    await signInAs(await getAuth(), 'editor');
    expect(await shareViewAction({ id: shared.id, shared: 'false' })).toMatchObject({ ok: true });
    expect(await pinnedViews(get().db, await userId(viewer))).toEqual([]);
    expect(editor).toBe('editor@tests.local');
  });

  it(`pins at most ${MAX_PINS} views, in the order they were pinned`, async () => {
    const email = await signInAs(await getAuth(), 'admin');
    const ids: number[] = [];
    for (let i = 1; i <= MAX_PINS + 1; i++)
      ids.push(((await save(`Pin ${i}`, `range=7d&n=${i}`)) as { id: number }).id);
    for (const id of ids.slice(0, MAX_PINS))
      expect(await pinViewAction({ id })).toMatchObject({ ok: true });
    expect(await pinViewAction({ id: ids.at(-1)! })).toMatchObject({ ok: false, kind: 'invalid' });
    const pins = await pinnedViews(get().db, await userId(email));
    expect(pins.map((v) => v.name)).toEqual(ids.slice(0, MAX_PINS).map((_, i) => `Pin ${i + 1}`));
    expect(await unpinViewAction({ id: ids[0]! })).toMatchObject({ ok: true });
    expect(await pinViewAction({ id: ids.at(-1)! })).toMatchObject({ ok: true });
    expect((await pinnedViews(get().db, await userId(email))).at(-1)!.name).toBe(
      `Pin ${MAX_PINS + 1}`,
    );
  });
});
