/**
 * The cost curve (`npm run bench -- --scale --url postgres://…/db`): the same measurements on the
 * three sets `npm run bench:data -- --scale` loaded, one after the other, each through its own
 * production server, and printed side by side with the growth from 5 M to 50 M.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../db/client';
import { freePort } from '../tests/support/ports';
import { SCALE_SETS, scaleDatabaseUrl } from './scale-sets';

type Credentials = { email: string; password: string };
type Measure = (url: string, server: string, credentials: Credentials) => Promise<Measured>;
type Measured = Record<string, unknown>;

const BENCH_USER: Credentials = {
  email: process.env.BENCH_EMAIL ?? 'bench-scale@pattern-ledger.local',
  password: process.env.BENCH_PASSWORD ?? 'pattern-ledger-bench-scale',
};

/** The benchmark's admin account on this database (kept from an earlier run when it exists). */
async function ensureBenchUser(url: string): Promise<void> {
  const { createAuth } = await import('../server/auth/auth');
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 1 });
  try {
    await createAuth(handle)
      .api.createUser({ body: { ...BENCH_USER, name: 'bench', role: 'admin' } })
      .catch((error: unknown) => {
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      });
  } finally {
    await handle.close();
  }
}

/** `npm start` on the built `.next-bench`, on this database; resolves once /api/health is ok. */
async function startServer(url: string, secret: string) {
  const port = await freePort();
  const child = spawn(
    'node',
    ['scripts/start.mjs', '--hostname', '127.0.0.1', '--port', `${port}`],
    {
      env: {
        ...process.env,
        NEXT_DIST_DIR: '.next-bench',
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: url,
        AUTH_SECRET: secret,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let waited = 0; waited < 240; waited++) {
    const ok = await fetch(`${base}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return { base, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error(
    `the server on ${url} did not become ready (built with NEXT_DIST_DIR=.next-bench?)`,
  );
}

type Row = { figure: string } & Record<string, number | string | null>;

/** One row per figure, one column per set, and the 50 M ÷ 5 M ratio. */
function sideBySide(results: { label: string; measured: Measured }[]): Row[] {
  const figures = new Map<string, Map<string, number>>();
  const put = (figure: string, label: string, value: unknown) => {
    if (typeof value !== 'number') return;
    if (!figures.has(figure)) figures.set(figure, new Map());
    figures.get(figure)!.set(label, value);
  };
  for (const { label, measured } of results) {
    const queries = measured.queries as Record<string, number> | undefined;
    put('statistics query (seed report), ms', label, queries?.statisticsMs);
    put('leaderboard all time, ms', label, queries?.leaderboardMs);
    put('leaderboard 30 days, ms', label, queries?.leaderboard30dMs);
    const pages = (measured.pages as { path: string; p50: number; cold?: number }[]) ?? [];
    for (const page of pages) put(`page ${page.path} p50, ms`, label, page.p50);
    for (const page of pages) put(`page ${page.path} cold, ms`, label, page.cold);
    const ingestion = measured.ingestion as { rowsPerSecond?: number } | undefined;
    put('ingestion API, rows/s', label, ingestion?.rowsPerSecond);
    for (const write of (measured.writes as
      { workload: string; tps: number; p50Ms: number }[] | undefined) ?? []) {
      put(`agents: ${write.workload}, tps`, label, write.tps);
      put(`agents: ${write.workload}, p50 ms`, label, write.p50Ms);
    }
  }
  return [...figures].map(([figure, values]) => {
    const row: Row = { figure };
    for (const { label } of results) row[label] = values.get(label) ?? null;
    const from = values.get('5 M');
    const to = values.get('50 M');
    row['50 M ÷ 5 M'] = from && to ? Math.round((to / from) * 100) / 100 : null;
    return row;
  });
}

export async function costCurve(baseUrl: string, measure: Measure) {
  process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');
  const results: { label: string; database: string; measured: Measured }[] = [];
  for (const set of SCALE_SETS) {
    const url = scaleDatabaseUrl(baseUrl, set);
    console.log(`\n=== ${set.label} (${new URL(url).pathname.slice(1)}) ===`);
    await ensureBenchUser(url);
    const server = await startServer(url, process.env.AUTH_SECRET);
    try {
      results.push({
        label: set.label,
        database: new URL(url).pathname.slice(1),
        measured: await measure(url, server.base, BENCH_USER),
      });
    } finally {
      server.stop();
    }
    // The server's workers let go of their connections before the next set is measured.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  const table = sideBySide(results);
  console.log('\nThe cost curve: each figure at 0.5 M, 5 M and 50 M occurrences');
  console.table(table);
  return { at: new Date().toISOString(), sets: results, curve: table };
}
