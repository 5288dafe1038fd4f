/**
 * A streaming replica behind the pages, seen in the browser: a page read from a replica more than
 * a few seconds behind says so; a note saved while the replica lags is on the next page (read
 * from the primary) and the lag note is not; once the replica catches up pages read from it
 * again without the note; with the replica stopped the pages go on from the primary. Runs the
 * production build against a primary and a `pg_basebackup -R` standby of its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { signInCookie } from '../bench/sign-in';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-postgres';
import { waitFor } from './support/wait';

// Below the kernel's ephemeral range, and apart from the restart test's.
const PRIMARY_PORT = 25435;
const REPLICA_PORT = 25436;
const APP_PORT = Number(process.env.E2E_PORT ?? 3100) + 4;
const base = `http://127.0.0.1:${APP_PORT}`;
const SECRET = 'replica-test-secret-that-is-long-enough-0123456789';

/** Reloads the page until the lag note is shown (`shown`) or not; the app rereads the lag each second. */
async function untilLagNote(page: Page, path: string, shown: boolean) {
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId('replica-lag')).toHaveCount(shown ? 1 : 0, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
}

test.describe('a read replica behind the pages', () => {
  const unavailable = privatePostgresUnavailable();
  test.skip(
    unavailable !== null,
    `Skipped: this test runs PostgreSQL servers of its own and cannot here (${unavailable}).`,
  );
  test.setTimeout(300_000);

  let primary: PrivatePostgres | undefined;
  let standby: PrivatePostgres | undefined;
  let app: ChildProcess | undefined;

  test.afterAll(() => {
    app?.kill('SIGTERM');
    standby?.destroy();
    primary?.destroy();
  });

  test('says when it lags, shows a person their own note at once, and is left alone while stopped', async ({
    browser,
  }) => {
    primary = startPrivatePostgres(PRIMARY_PORT);
    const admin = postgres(primary.url('postgres'), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE replica_test`;
    await admin.end();
    const url = primary.url('replica_test');
    const env = {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: SECRET,
      NEXT_DIST_DIR: '.next-e2e',
      NEXT_TELEMETRY_DISABLED: '1',
    };
    const tsx = (script: string, args: string[]) =>
      execFileSync('npx', ['tsx', '--conditions=react-server', script, ...args], {
        env,
        stdio: 'pipe',
      }).toString();
    tsx('scripts/seed.ts', []);
    const created = tsx('scripts/user-create.ts', [
      '--email',
      'replica@example.com',
      '--role',
      'editor',
      '--generate',
    ]);
    const password = /password \(shown once\): (\S+)/.exec(created)?.[1];
    expect(password).toBeTruthy();
    // The standby is copied from the primary with its data, then follows it.
    standby = primary.replicate(REPLICA_PORT);
    const replicaUrl = standby.url('replica_test');

    app = spawn(
      'node',
      ['scripts/start.mjs', '--hostname', '127.0.0.1', '--port', String(APP_PORT)],
      { env: { ...env, DATABASE_READ_URL: replicaUrl }, stdio: 'ignore' },
    );
    await waitFor(async () => (await fetch(`${base}/api/health`)).status === 200, 'the app');
    const cookie = await signInCookie(base, 'replica@example.com', password);
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await context.addCookies(
      cookie.split('; ').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
      }),
    );
    const page = await context.newPage();
    const list = `${base}/savings?notes=without&sort=savedAt`;

    // In step: read from the replica, nothing said.
    await page.goto(list);
    await expect(page.getByTestId('savings-log')).toBeVisible();
    await expect(page.getByTestId('replica-lag')).toHaveCount(0);

    // The replica stops replaying while an agent goes on writing: behind, and the page says so.
    const replica = postgres(replicaUrl, { max: 1, onnotice: () => {} });
    const writer = postgres(url, { max: 1, onnotice: () => {} });
    await replica`SELECT pg_wal_replay_pause()`;
    await writer`INSERT INTO cost_savings_log (optimization_type, workflow_id, baseline_tokens,
      actual_tokens, tokens_saved, cost_saved_usd, notes)
      VALUES ('tool_call', 'replica-e2e-agent', 5000, 1000, 4000, 0.012, NULL)`;
    await untilLagNote(page, list, true);
    await expect(page.getByTestId('replica-lag')).toContainText(
      /Read from a replica [\d,]+ s behind the primary/,
    );

    // A note saved now is on the next page: this person's reads go to the primary until the
    // replica has replayed it, so the page is not a lagging one.
    const row = page.getByTestId('savings-log').locator('tbody tr').first();
    const id = (await row.getAttribute('data-entry-id'))!;
    await row.getByRole('button', { name: `Add note for savings entry ${id}` }).click();
    const editor = row.getByTestId('note-editor');
    await editor.getByLabel(`Note for savings entry ${id}`).fill('Saved while the replica lags.');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(row.getByTestId('note-text')).toHaveText('Saved while the replica lags.');
    await page.goto(`${base}/savings/${id}`);
    await expect(page.getByTestId('note-text')).toHaveText('Saved while the replica lags.');
    await expect(page.getByTestId('replica-lag')).toHaveCount(0);
    // The replica itself does not have it yet.
    const [onReplica] = await replica<{ notes: string | null }[]>`
      SELECT notes FROM cost_savings_log WHERE id = ${Number(id)}`;
    expect(onReplica?.notes).toBeNull();

    // Replaying again: caught up, read from the replica, which now has the note, without a lag note.
    await replica`SELECT pg_wal_replay_resume()`;
    await waitFor(async () => {
      const [row] = await replica<{ notes: string | null }[]>`
        SELECT notes FROM cost_savings_log WHERE id = ${Number(id)}`;
      return row?.notes === 'Saved while the replica lags.';
    }, 'the replica to replay the note');
    await untilLagNote(page, `${base}/savings/${id}`, false);
    await expect(page.getByTestId('note-text')).toHaveText('Saved while the replica lags.');
    await replica.end();
    await writer.end();

    // Stopped: the primary serves, nothing is said about a replica.
    standby.stop();
    await page.goto(list);
    await expect(page.getByTestId('savings-log')).toBeVisible();
    await expect(page.getByTestId('replica-lag')).toHaveCount(0);
    await page.goto(`${base}/savings/${id}`);
    await expect(page.getByTestId('note-text')).toHaveText('Saved while the replica lags.');

    // Back: pages go on.
    standby.start();
    await untilLagNote(page, list, false);
    await expect(page.getByTestId('savings-log')).toBeVisible();
    await context.close();
  });
});
