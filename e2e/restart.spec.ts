/**
 * PostgreSQL restarted under load: pages and the API fail fast with the database error while it is
 * down, the app recovers by itself when it is back, and every acknowledged write is there (with
 * its rollups exact). Runs the app's production build against a PostgreSQL server of its own,
 * which it stops (as a crash would: immediate shutdown) and starts again.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { PgDialect } from 'drizzle-orm/pg-core';
import { liveOccurrenceTotals } from '../db/rollups/views';
import postgres from 'postgres';
import { signInCookie } from '../bench/sign-in';
import { generateApiKey } from '../lib/api/keys';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-postgres';
import { waitFor } from './support/wait';

// Below the kernel's ephemeral range (32768–60999): no outgoing connection can hold it.
const PG_PORT = 25432;
const APP_PORT = Number(process.env.E2E_PORT ?? 3100) + 3;
const base = `http://127.0.0.1:${APP_PORT}`;
const SECRET = 'restart-test-secret-that-is-long-enough-0123456789';
const BATCH = 50;

type Phase = 'up' | 'down' | 'back';

test.describe('PostgreSQL restarted under load', () => {
  const unavailable = privatePostgresUnavailable();
  test.skip(
    unavailable !== null,
    `Skipped: this test runs a PostgreSQL server of its own and cannot here (${unavailable}).`,
  );
  test.setTimeout(300_000);

  let server: PrivatePostgres | undefined;
  let app: ChildProcess | undefined;

  test.afterAll(() => {
    app?.kill('SIGTERM');
    server?.destroy();
  });

  test('fails fast while it is down, recovers by itself, loses no acknowledged write', async ({
    browser,
  }) => {
    server = startPrivatePostgres(PG_PORT);
    const admin = postgres(server.url('postgres'), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE restart_test`;
    await admin.end();
    const url = server.url('restart_test');
    const env = {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: SECRET,
      NEXT_DIST_DIR: '.next-e2e',
      NEXT_TELEMETRY_DISABLED: '1',
      // The writers send batches as fast as they are answered; the rate limit is not under test.
      API_RATE_LIMIT: '100000',
    };
    execFileSync('npx', ['tsx', '--conditions=react-server', 'scripts/migrate.ts'], {
      env,
      stdio: 'pipe',
    });
    const created = execFileSync(
      'npx',
      [
        'tsx',
        '--conditions=react-server',
        'scripts/user-create.ts',
        '--email',
        'restart@example.com',
        '--role',
        'admin',
        '--generate',
      ],
      { env, stdio: 'pipe' },
    ).toString();
    const password = /password \(shown once\): (\S+)/.exec(created)?.[1];
    expect(password).toBeTruthy();
    const { key, prefix, hash } = generateApiKey();
    const db = postgres(url, { max: 2, onnotice: () => {} });
    await db`INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by)
      VALUES ('restart', ${prefix}, ${hash}, 'write', 'restart')`;

    // Two app processes (npm start's cluster): each must recover by itself.
    app = spawn(
      'node',
      [
        'scripts/start.mjs',
        '--hostname',
        '127.0.0.1',
        '--port',
        String(APP_PORT),
        '--workers',
        '2',
      ],
      { env, stdio: 'ignore' },
    );
    await waitFor(async () => (await fetch(`${base}/api/health`)).status === 200, 'the app');
    const cookie = await signInCookie(base, 'restart@example.com', password);

    let phase: Phase = 'up';
    let running = true;
    const acknowledged: string[] = [];
    const writes: { phase: Phase; status: number; at: number; ms: number }[] = [];
    const reads: {
      phase: Phase;
      status: number;
      databaseError: boolean;
      at: number;
      ms: number;
    }[] = [];
    const checks: { phase: Phase; status: number; at: number; ms: number }[] = [];

    const writer = async (id: number) => {
      for (let i = 0; running; i++) {
        const workflow = `restart-wf-${id}-${i}`;
        const at = phase;
        const started = Date.now();
        const response = await fetch(`${base}/api/v1/occurrences`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            occurrences: Array.from({ length: BATCH }, (_, k) => ({
              pattern_signature: `restart:load:${k % 5}`,
              workflow_id: workflow,
              similarity_score: 0.9,
            })),
          }),
        });
        await response.arrayBuffer();
        writes.push({
          phase: at,
          status: response.status,
          at: started,
          ms: Date.now() - started,
        });
        if (response.status === 201) acknowledged.push(workflow);
      }
    };
    const reader = async () => {
      while (running) {
        const at = phase;
        const started = Date.now();
        const response = await fetch(`${base}/patterns`, { headers: { cookie } });
        const html = await response.text();
        reads.push({
          at: started,
          ms: Date.now() - started,
          phase: at,
          status: response.status,
          databaseError:
            html.includes('DATABASE_UNAVAILABLE') || html.includes('cannot be reached'),
        });
      }
    };
    const health = async () => {
      while (running) {
        const at = phase;
        const started = Date.now();
        const response = await fetch(`${base}/api/health`);
        await response.arrayBuffer();
        checks.push({ phase: at, status: response.status, at: started, ms: Date.now() - started });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const load = Promise.all([writer(1), writer(2), reader(), reader(), health()]);

    await waitFor(() => acknowledged.length >= 4 && reads.length >= 2, 'load before the stop');
    server.stop();
    const stoppedAt = Date.now();
    phase = 'down';
    await waitFor(
      () => reads.filter((r) => r.phase === 'down').length >= 4,
      'answers while the database is down',
    );
    // What a person sees meanwhile.
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: { cookie },
    });
    const page = await context.newPage();
    await page.goto(`${base}/patterns`);
    await expect(page.getByTestId('database-error')).toBeVisible();
    await expect(page.getByTestId('database-error')).toContainText(
      'The database cannot be reached',
    );

    const restartAt = Date.now();
    server.start();
    const backAt = Date.now();
    phase = 'back';
    // The app was not restarted: it reconnects by itself.
    await waitFor(
      () => reads.some((r) => r.phase === 'back' && r.status === 200 && !r.databaseError),
      'a page after the restart',
    );
    // Each of the two workers finds its dropped connections on its own next query, so a page
    // may still meet one; loading it again gets a fresh connection.
    await expect(async () => {
      await page.goto(`${base}/patterns`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Patterns/, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 15_000 });
    await waitFor(
      () => writes.some((w) => w.phase === 'back' && w.status === 201),
      'a write after the restart',
    );
    running = false;
    await load;
    await context.close();

    const down = {
      reads: reads.filter((r) => r.phase === 'down'),
      writes: writes.filter((w) => w.phase === 'down'),
    };
    // Fail fast: every request begun while the server was down was answered within 2 s; and
    // within 2 s of the server accepting connections again, requests succeeded.
    const whileDown = [...reads, ...writes, ...checks].filter(
      (r) => r.at >= stoppedAt && r.at + r.ms <= restartAt,
    );
    const slowest = Math.max(...whileDown.map((r) => r.ms));
    const firstOk = (list: { at: number; ms: number; status: number }[], ok: number) =>
      Math.min(...list.filter((r) => r.at >= backAt && r.status === ok).map((r) => r.at + r.ms)) -
      backAt;
    const backIn = {
      page: firstOk(reads, 200),
      write: firstOk(writes, 201),
      health: firstOk(checks, 200),
    };
    console.log(
      `restart: ${whileDown.length} requests while down, slowest ${slowest} ms; back after ${JSON.stringify(backIn)} ms`,
    );
    expect(whileDown.length).toBeGreaterThan(0);
    expect(slowest).toBeLessThanOrEqual(2000);
    expect(Math.max(backIn.page, backIn.write, backIn.health)).toBeLessThanOrEqual(2000);

    const summary = `${writes.length} batches (${acknowledged.length} acknowledged), ${reads.length} pages; while down: ${down.writes.length} batches, ${down.reads.length} pages`;
    test.info().annotations.push({ type: 'load', description: summary });
    console.log(`restart under load: ${summary}`);
    // While down, pages said the database is unreachable and writes were refused with 503
    // (requests that began just before the stop may still have succeeded).
    expect(down.reads.filter((r) => r.status !== 200 || r.databaseError).length).toBeGreaterThan(0);
    for (const read of down.reads) expect(read.status === 200 || read.databaseError).toBe(true);
    for (const write of writes) expect([201, 503]).toContain(write.status);

    // Every acknowledged batch is stored whole, and the rollups agree with the rows.
    const stored = await db<{ workflow_id: string; n: number }[]>`
      SELECT workflow_id, count(*)::int AS n FROM pattern_occurrences
      WHERE workflow_id LIKE 'restart-wf-%' GROUP BY workflow_id`;
    const counts = new Map(stored.map((r) => [r.workflow_id, r.n]));
    for (const workflow of acknowledged) expect(counts.get(workflow), workflow).toBe(BATCH);
    const live = new PgDialect().sqlToQuery(liveOccurrenceTotals());
    const drift = await db.unsafe<{ id: number }[]>(
      `SELECT op.id FROM operation_patterns op
      LEFT JOIN ${live.sql} t ON t.pattern_id = op.id
      WHERE op.pattern_signature LIKE 'restart:load:%'
        AND (op.occurrence_count, coalesce(t.occurrences, 0)) IS DISTINCT FROM
          ((SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id)::int,
           (SELECT count(*) FROM pattern_occurrences po WHERE po.pattern_id = op.id)::int)`,
      live.params as never[],
    );
    expect(drift).toEqual([]);
    await db.end();
  });
});
