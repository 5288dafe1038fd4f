/**
 * Every exported server action is a public endpoint. This finds them all (every 'use server'
 * module in app/ and server/) and calls each
 * as nobody and as the role just below the one it needs: each must refuse and change nothing. A
 * new action fails here until it is given its role in NEEDS (and checks it).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { queryRows } from '@/db/sql';
import { getAuth } from '@/server/auth/auth';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { signInAs, signOutOfTests } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

type Role = 'viewer' | 'editor' | 'admin';
/** The role each action needs; sign-in and sign-out are for everyone. */
const NEEDS: Record<string, Role | 'public'> = {
  'app/admin/api-keys/actions.ts#createKey': 'admin',
  'app/admin/api-keys/actions.ts#revokeKey': 'admin',
  'app/admin/users/actions.ts#createAccount': 'admin',
  'app/admin/users/actions.ts#changeRole': 'admin',
  'app/admin/users/actions.ts#setDisabled': 'admin',
  'server/actions/review.ts#submitReview': 'editor',
  'server/actions/notes.ts#saveNote': 'editor',
  'app/alerts/actions.ts#createRule': 'editor',
  'app/alerts/actions.ts#updateRule': 'editor',
  'app/alerts/actions.ts#deleteRule': 'editor',
  'app/alerts/actions.ts#silenceRule': 'editor',
  'app/alerts/actions.ts#backtestRule': 'viewer',
  'app/alerts/actions.ts#createSchedule': 'editor',
  'app/alerts/actions.ts#deleteSchedule': 'editor',
  'app/admin/channels/actions.ts#createChannelAction': 'admin',
  'app/admin/channels/actions.ts#deleteChannelAction': 'admin',
  'app/admin/channels/actions.ts#sendTestAction': 'admin',
  'server/actions/views.ts#saveViewAction': 'viewer',
  'server/actions/views.ts#renameViewAction': 'viewer',
  'server/actions/views.ts#shareViewAction': 'viewer',
  'server/actions/views.ts#deleteViewAction': 'viewer',
  'server/actions/views.ts#pinViewAction': 'viewer',
  'server/actions/views.ts#unpinViewAction': 'viewer',
  'app/capture/actions.ts#createRuleAction': 'admin',
  'app/capture/actions.ts#updateRuleAction': 'admin',
  'app/capture/actions.ts#tryRuleAction': 'admin',
  'app/capture/actions.ts#rederiveRuleAction': 'admin',
  'app/capture/actions.ts#setSourceAction': 'admin',
  'app/capture/actions.ts#savePriceAction': 'admin',
  'app/capture/actions.ts#deletePriceAction': 'admin',
  'app/sign-in/actions.ts#signIn': 'public',
  'server/actions/session.ts#signOut': 'public',
};
const BELOW: Record<Role, Role | null> = { viewer: null, editor: 'viewer', admin: 'editor' };

const ROOT = path.join(import.meta.dirname, '..');

/** Every module that declares server actions ('use server' as its first statement). */
function actionFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (dir === ROOT && !['app', 'server'].includes(entry)) return [];
    if (statSync(full).isDirectory()) return actionFiles(full);
    return /\.tsx?$/.test(entry) && /^'use server';/.test(readFileSync(full, 'utf8')) ? [full] : [];
  });
}

/** Arguments that would make a change if the caller were allowed. */
function argumentsFor(): unknown[] {
  const form = new FormData();
  for (const [name, value] of Object.entries({
    name: 'guard test',
    scope: 'write',
    email: 'guard@tests.local',
    role: 'admin',
    password: '',
    userId: 'x',
    disabled: 'true',
    id: '1',
    metric: 'usd_saved',
    windowMinutes: '60',
    direction: 'above',
    criticalThreshold: '1',
    everyMinutes: '1',
    kind: 'webhook',
    target: 'http://127.0.0.1:9/guard',
    cadence: 'daily',
    hour: '8',
    tz: 'UTC',
    mode: 'mute',
    toolName: 'Bash',
    match: 'guard',
    signature: 'guard:test:all',
    enabled: 'on',
    source: 'hook_events',
    modelPrefix: 'guard-model',
    effectiveFrom: '2026-01-01',
    inputUsdPerMtok: '1',
    outputUsdPerMtok: '2',
  })) {
    form.set(name, value);
  }
  return [{}, form];
}

const writes = async (db: Parameters<typeof queryRows>[0]) =>
  (
    await queryRows<{ n: number }>(
      db,
      sql`SELECT ((SELECT count(*) FROM pattern_ledger.api_key) + (SELECT count(*) FROM pattern_ledger.review_history)
        + (SELECT count(*) FROM pattern_ledger.note_history)
        + (SELECT count(*) FROM pattern_ledger.alert_rule) + (SELECT count(*) FROM pattern_ledger.alert_rule WHERE muted)
        + (SELECT count(*) FROM pattern_ledger.alert_channel) + (SELECT count(*) FROM pattern_ledger.alert_delivery)
        + (SELECT count(*) FROM pattern_ledger.report_schedule)
        + (SELECT count(*) FROM pattern_ledger.auth_user WHERE email = 'guard@tests.local')
        + (SELECT count(*) FROM pattern_ledger.auth_user WHERE role = 'admin' AND banned)
        + (SELECT count(*) FROM pattern_ledger.capture_rule) + (SELECT sum(version) FROM pattern_ledger.capture_rule)
        + (SELECT count(*) FROM pattern_ledger.model_price)
        + (SELECT count(*) FROM pattern_ledger.capture_state WHERE hook_events_enabled))::int AS n`,
    )
  )[0]!.n;

describeEachDatabase('every server action checks its caller', { seed: true }, (get) => {
  beforeAll(() => useAsAppDatabase(get()));

  it('finds every exported action and knows the role it needs', async () => {
    const found: string[] = [];
    for (const file of actionFiles()) {
      const exported = (await import(file)) as Record<string, unknown>;
      const relative = path.relative(ROOT, file);
      for (const [name, value] of Object.entries(exported)) {
        if (typeof value === 'function') found.push(`${relative}#${name}`);
      }
    }
    expect(found.sort()).toEqual(Object.keys(NEEDS).sort());
  });

  it('writes every action one way: roleAction with its role and input schema', () => {
    for (const file of actionFiles()) {
      const source = readFileSync(file, 'utf8');
      const exports = [...source.matchAll(/^export (?:async function|const|function) (\w+)/gm)];
      for (const [line, name] of exports) {
        const role = NEEDS[`${path.relative(ROOT, file)}#${name}`];
        const needed = role === 'public' ? 'anyone' : role;
        expect(source, `${line}…`).toMatch(
          new RegExp(`export const ${name} = roleAction\\(\\s*'${needed}',`),
        );
      }
    }
  });

  for (const [action, role] of Object.entries(NEEDS)) {
    if (role === 'public') continue;
    it(`${action} refuses nobody and ${BELOW[role] ?? 'nobody'}, changing nothing`, async () => {
      const [file, name] = action.split('#') as [string, string];
      const exported = (await import(path.join(ROOT, file))) as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      const before = await writes(get().db);
      const callers: (Role | null)[] = [null, BELOW[role]].filter((c, i) => i === 0 || c !== null);
      for (const caller of callers) {
        if (caller === null) signOutOfTests();
        else await signInAs(await getAuth(), caller);
        const answer = JSON.stringify(await exported[name]!(...argumentsFor()));
        expect(answer, `${action} as ${caller ?? 'nobody'}`).toMatch(
          /Sign in first|needs the (editor|admin) role/,
        );
      }
      expect(await writes(get().db)).toBe(before);
    });
  }
});
