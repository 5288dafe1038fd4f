/**
 * `npm run bench -- --url postgres://…/db --base http://127.0.0.1:3200`: the benchmark table.
 * Needs the database filled by `npm run bench:data` and a production server on it, e.g.
 *   NEXT_DIST_DIR=.next-bench npm run build
 *   NEXT_DIST_DIR=.next-bench DATABASE_URL=… AUTH_SECRET=… npm start -- --port 3200
 * and an account (BENCH_EMAIL / BENCH_PASSWORD; `npm run user:create`). Measures, in one run:
 * the seed report's statistics query against the leaderboard's query for the same answer; each
 * page's response time at N concurrent clients (autocannon), then again while an agent writes
 * one occurrence a second (so the read cache keeps answers for a second at most); ingestion
 * through the batch API;
 * first-load JavaScript per page (gzip). Prints a table and writes bench/results/<time>.json.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { generateApiKey } from '../lib/api/keys';
import { parseCli, runMain } from '../scripts/cli';
import { signInCookie } from './sign-in';

const usage = `Usage: npm run bench -- --url postgres://… --base http://127.0.0.1:3200 [--duration S] [--connections N] [--batches N] [--only queries,pages,busy,ingest,python,js,agents,writes,alerts,breakdown,capture] [--against http://127.0.0.1:3300]
       npm run bench -- --scale --url postgres://…/db [--only …]
  --against: a second server (another version, on a copy of the data) measured page by page beside --base
  --scale: the cost curve over the three sets \`npm run bench:data -- --scale\` loaded into <db>_0_5m,
    <db>_5m and <db>_50m: starts a production server (NEXT_DIST_DIR=.next-bench, built first) on each
    in turn, measures queries,pages,ingest,writes unless --only says otherwise, prints them side by side
  agents: the agents' writes with and without Pattern Ledger attached (detaches and attaches again; run it alone)
  writes: the agents' writes with Pattern Ledger attached and folding (pgbench, no detaching)
  capture: the hooks endpoint, the Python forwarder, a backfill of 1 M hook_events and the agents' writes while capture derives (run it alone)`;
const args = parseCli(
  {
    url: { type: 'string' },
    base: { type: 'string', default: 'http://127.0.0.1:3200' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    batches: { type: 'string', default: '40' },
    only: { type: 'string' },
    against: { type: 'string' },
    scale: { type: 'boolean' },
  },
  usage,
);
if (args.help || !args.url) {
  console.log(usage);
  process.exit(args.help ? 0 : 2);
}
const base = args.base;
const sections = new Set(
  (
    args.only ??
    (args.scale
      ? 'queries,pages,ingest,writes'
      : 'queries,pages,busy,ingest,python,js,agents,alerts,breakdown')
  ).split(','),
);
const PAGES = [
  '/',
  '/patterns',
  '/patterns?range=all',
  '/patterns/1',
  '/savings',
  '/savings?range=all',
  '/patterns?by=mc.complexity',
  '/savings?by=model',
  '/workflows',
  '/roi',
  '/review',
  '/data-quality',
];

const STATISTICS_QUERY = `SELECT op.pattern_signature, COUNT(po.id) AS total_occurrences,
    AVG(po.similarity_score) AS avg_similarity
  FROM operation_patterns op LEFT JOIN pattern_occurrences po ON po.pattern_id = op.id
  GROUP BY op.id, op.pattern_signature ORDER BY total_occurrences DESC LIMIT 10`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const ms = (value: number) => Math.round(value * 10) / 10;

async function timeQuery(sql: postgres.Sql, text: string, runs = 5): Promise<number> {
  await sql.unsafe(text);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await sql.unsafe(text);
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The SQL the leaderboard page runs, top 10 by occurrences: for all time, the same answer as the
 * statistics query.
 */
async function leaderboardQueryText(preset: 'all' | '30d'): Promise<string> {
  const { leaderboardQuery } = await import('../db/queries/patterns');
  const { resolveTimeRange } = await import('../lib/time-range');
  const { parseLeaderboardParams } = await import('../lib/leaderboard-params');
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const range = resolveTimeRange({ range: preset, tz: 'UTC', granularity: 'auto' }, new Date(), {
    min: new Date('2000-01-01'),
    max: new Date(),
  });
  const query = new PgDialect().sqlToQuery(
    leaderboardQuery(range, parseLeaderboardParams({ size: '10' }), { limit: 10, offset: 0 }),
  );
  // Inline the parameters (numbers and ISO strings only) so both queries run the same way.
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.params[Number(n) - 1];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}

async function pageLatency(path: string, cookie: string, server = base) {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${server}${path}`,
        connections: Number(args.connections),
        duration: Number(args.duration),
        // Slow pages are measured, not cut off.
        timeout: 120,
        headers: { cookie },
      },
      (error) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
    );
    // Every response's time, so that p95 is exact (autocannon reports p90 and p97.5).
    instance.on('response', (_client, status, _bytes, responseTime) => {
      times.push(responseTime);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  times.sort((a, b) => a - b);
  return {
    path,
    requests: times.length,
    p50: ms(percentile(times, 50)),
    p95: ms(percentile(times, 95)),
    statuses: Object.fromEntries(statuses),
  };
}

/**
 * A page answered with nothing kept: a transaction takes an id before each request (a new
 * snapshot, so the read cache answers nothing), as after any agent's write. Median of `runs`,
 * one request at a time.
 */
async function coldPage(sql: postgres.Sql, path: string, cookie: string, server: string, runs = 3) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await sql`SELECT pg_current_xact_id()`;
    const started = performance.now();
    const response = await fetch(`${server}${path}`, { headers: { cookie } });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  }
  times.sort((a, b) => a - b);
  return ms(percentile(times, 50));
}

/**
 * An agent writing one occurrence a second while a page is measured: every commit starts a new
 * database snapshot, so the app's read cache answers at most a second's requests per question.
 */
async function whileWriting<T>(sql: postgres.Sql, measure: () => Promise<T>): Promise<T> {
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      await sql`INSERT INTO pattern_occurrences (pattern_id, workflow_id, similarity_score, detected_at)
        SELECT id, ${`bench-busy-${i}`}, 0.9, now() AT TIME ZONE 'UTC'
        FROM operation_patterns ORDER BY id LIMIT 1 OFFSET ${i % 50}`;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  try {
    return await measure();
  } finally {
    writing = false;
    await writer;
  }
}

/** Waits until the database runs nothing for this server (requests left over from a page). */
async function drained(sql: postgres.Sql): Promise<void> {
  for (let waited = 0; waited < 180; waited++) {
    const [row] = await sql<{ busy: number }[]>`
      SELECT count(*)::int AS busy FROM pg_stat_activity
      WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`;
    if (row?.busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function firstLoadJs(path: string, cookie: string, server: string) {
  const html = await (await fetch(`${server}${path}`, { headers: { cookie } })).text();
  // What a current browser downloads: `noModule` scripts (legacy polyfills) are skipped by it.
  const sources = [...html.matchAll(/<script[^>]*>/g)]
    .filter((tag) => !/\bnoModule\b/i.test(tag[0]))
    .map((tag) => /\bsrc="([^"]+\.js[^"]*)"/.exec(tag[0])?.[1])
    .filter((source): source is string => source !== undefined);
  let gzip = 0;
  for (const source of new Set(sources)) {
    const body = Buffer.from(await (await fetch(new URL(source, server))).arrayBuffer());
    gzip += gzipSync(body).length;
  }
  return { path, scripts: new Set(sources).size, kbGzip: Math.round(gzip / 102.4) / 10 };
}

async function ingestion(sql: postgres.Sql, server: string) {
  const { key, prefix, hash } = generateApiKey();
  await sql`INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by)
    VALUES ('bench', ${prefix}, ${hash}, 'write', 'bench')`;
  const batches = Number(args.batches);
  const signatures = Array.from({ length: 50 }, (_, i) => `bench:ingest:${i}`);
  const started = performance.now();
  let written = 0;
  // Four agents at once, each sending batches of 1,000.
  await Promise.all(
    Array.from({ length: 4 }, async (_, agent) => {
      for (let b = agent; b < batches; b += 4) {
        const occurrences = Array.from({ length: 1000 }, (_, i) => ({
          pattern_signature: signatures[(i * 7 + b) % signatures.length],
          workflow_id: `adw-bench-${b}-${i % 40}`,
          similarity_score: 0.9,
          matched_characteristics: { keywords: ['bench'], error_count: 0 },
        }));
        const response = await fetch(`${server}/api/v1/occurrences`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ occurrences }),
        });
        if (response.status !== 201)
          throw new Error(`batch ${b}: ${response.status} ${await response.text()}`);
        written += 1000;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // The stored counters and the live all-time rollup against the rows themselves.
  const { liveOccurrenceTotals } = await import('../db/rollups/views');
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const live = new PgDialect().sqlToQuery(liveOccurrenceTotals());
  const [check] = await sql.unsafe<{ counters: number; rollups: number }[]>(
    `SELECT count(*) FILTER (WHERE op.occurrence_count <> c.n)::int AS counters,
      count(*) FILTER (WHERE coalesce(t.occurrences, 0) <> c.n)::int AS rollups
    FROM operation_patterns op
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM pattern_occurrences po WHERE po.pattern_id = op.id) c
    LEFT JOIN ${live.sql} t ON t.pattern_id = op.id
    WHERE op.pattern_signature LIKE 'bench:ingest:%'`,
    live.params as never[],
  );
  return {
    rows: written,
    seconds: ms(seconds),
    rowsPerSecond: Math.round(written / seconds),
    countersExact: check?.counters === 0,
    rollupsExact: check?.rollups === 0,
  };
}

/**
 * The Python client (clients/python) sending 100,000 occurrences from one process, batching as
 * it does for an agent; the rows that arrived are counted in the database.
 */
async function pythonClient(sql: postgres.Sql, server: string) {
  const { key, prefix, hash } = generateApiKey();
  await sql`INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by)
    VALUES ('bench python', ${prefix}, ${hash}, 'write', 'bench')`;
  const count = async () =>
    (
      await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pattern_occurrences
        WHERE workflow_id LIKE 'adw-bench-py-%'`
    )[0]!.n;
  const before = await count();
  const { stdout } = await promisify(execFile)(
    'python3',
    ['clients/python/bench.py', '--url', server, '--key', key, '--count', '100000'],
    { maxBuffer: 1024 * 1024 },
  );
  const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    rows: number;
    seconds: number;
    rowsPerSecond: number;
    spooledBatches: number;
  };
  return { ...figures, arrived: (await count()) - before };
}

/** Runs the chosen sections against one database and the server on it; returns their figures. */
async function measure(
  url: string,
  server: string,
  sections: Set<string>,
  credentials?: { email: string; password: string },
): Promise<Record<string, unknown>> {
  // The same session settings as the app's pool (db/client.ts), for both queries.
  const sql = postgres(url, { max: 2, connection: { jit: 'off' }, onnotice: () => {} });
  const [sizes] = await sql<{ occurrences: number; savings: number; patterns: number }[]>`
    SELECT (SELECT count(*) FROM pattern_occurrences)::int AS occurrences,
      (SELECT count(*) FROM cost_savings_log)::int AS savings,
      (SELECT count(*) FROM operation_patterns)::int AS patterns`;
  console.log(
    `data: ${JSON.stringify(sizes)}; server ${server}; ${args.connections} clients, ${args.duration} s per page`,
  );
  const cookie =
    sections.has('pages') || sections.has('busy') || sections.has('js') || args.against
      ? await signInCookie(server, credentials?.email, credentials?.password)
      : '';
  const result: Record<string, unknown> = {
    at: new Date().toISOString(),
    data: sizes,
    base: server,
  };

  if (sections.has('queries')) {
    const statistics = await timeQuery(sql, STATISTICS_QUERY);
    const leaderboard = await timeQuery(sql, await leaderboardQueryText('all'));
    const leaderboard30d = await timeQuery(sql, await leaderboardQueryText('30d'));
    result.queries = {
      statisticsMs: ms(statistics),
      leaderboardMs: ms(leaderboard),
      speedup: ms(statistics / leaderboard),
      leaderboard30dMs: ms(leaderboard30d),
    };
    console.log('\nAll-time pattern statistics (median of 5)');
    console.table(result.queries);
  }
  if (sections.has('pages')) {
    const pages = [];
    for (const page of PAGES) {
      const cold = await coldPage(sql, page, cookie, server);
      pages.push({ ...(await pageLatency(page, cookie, server)), cold });
      // Requests still running when the window closed must not slow the next page.
      await drained(sql);
    }
    result.pages = pages;
    console.log(
      `\nPage response time, ${args.connections} concurrent clients; cold: one request after a new snapshot (median of 3)`,
    );
    console.table(pages);
  }
  if (args.against) {
    // The same pages on two servers, alternately, so that the machine's drift falls on both.
    const otherCookie = await signInCookie(args.against);
    const rows = [];
    for (const page of PAGES) {
      const here = await pageLatency(page, cookie, server);
      await drained(sql);
      const there = await pageLatency(page, otherCookie, args.against);
      rows.push({
        path: page,
        p50: here.p50,
        p50Against: there.p50,
        ratio: ms(here.p50 / there.p50),
      });
    }
    result.pagesAgainst = { against: args.against, rows };
    console.log(`\nPage p50 here and on ${args.against}, ${args.connections} clients, alternately`);
    console.table(rows);
  }
  if (sections.has('busy')) {
    const pages = [];
    for (const page of PAGES) {
      pages.push(await whileWriting(sql, () => pageLatency(page, cookie, server)));
      await drained(sql);
    }
    await sql`DELETE FROM pattern_occurrences WHERE workflow_id LIKE 'bench-busy-%'`;
    result.pagesWhileWriting = pages;
    console.log(
      `\nPage response time, ${args.connections} concurrent clients, one occurrence written per second`,
    );
    console.table(pages);
  }
  if (sections.has('ingest')) {
    await drained(sql);
    result.ingestion = await ingestion(sql, server).catch((error: unknown) => ({
      error:
        error instanceof Error
          ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`
          : String(error),
    }));
    console.log('\nIngestion through POST /api/v1/occurrences (4 clients, batches of 1,000)');
    console.table([result.ingestion]);
  }
  if (sections.has('python')) {
    await drained(sql);
    const python = await pythonClient(sql, server);
    result.pythonClient = python;
    console.log('\nThe Python client, one process, 100,000 occurrences (batches of 1,000)');
    const ingest = result.ingestion as { rowsPerSecond?: number } | undefined;
    // Beside the ingestion section's four raw HTTP clients, when both ran.
    const share = ingest?.rowsPerSecond ? ms(python.rowsPerSecond / ingest.rowsPerSecond) : null;
    console.table([{ ...python, 'ratio to 4 raw clients': share }]);
  }
  if (sections.has('agents')) {
    await drained(sql);
    const { agentsWriteCost } = await import('./agents');
    result.agents = await agentsWriteCost(url, Number(args.duration));
    console.log(
      "\nThe agents' writes with and without Pattern Ledger (pgbench, plain SQL; two rounds each)",
    );
    console.table(result.agents);
  }
  if (sections.has('writes')) {
    await drained(sql);
    const { agentsWriteRate } = await import('./agents');
    result.writes = await agentsWriteRate(url, Number(args.duration));
    console.log(
      "\nThe agents' writes with Pattern Ledger attached and folding (pgbench, plain SQL)",
    );
    console.table(result.writes);
  }
  if (sections.has('alerts')) {
    await drained(sql);
    const { alertEvaluationCost } = await import('./alerts');
    result.alerts = await alertEvaluationCost(url);
    console.log(
      '\nOne evaluation round of 500 alert rules, all due at once (wall time, one process; target ≤ 1,000 ms of database time a minute)',
    );
    console.table([result.alerts]);
  }
  if (sections.has('breakdown')) {
    const { breakdownCost } = await import('./breakdown');
    result.breakdown = await breakdownCost(url);
    console.log(
      '\n30-day breakdowns (database time, median of 7; target ≤ 300 ms for a matched_characteristics key), beside the raw count',
    );
    console.table(result.breakdown);
  }
  if (sections.has('capture')) {
    const { captureCost } = await import('./capture');
    result.capture = await captureCost(url, server);
    console.log(
      '\nCapture: the hooks endpoint at 500 events/s (target p50 ≤ 10 ms, p99 ≤ 50 ms), the forwarder per tool call (target p99 ≤ 30 ms), 1 M hook_events read in place and derived (target ≤ 60 s)',
    );
    console.log(JSON.stringify(result.capture, null, 2));
  }
  if (sections.has('js')) {
    const js = [];
    for (const page of PAGES) js.push(await firstLoadJs(page, cookie, server));
    result.firstLoadJs = js;
    console.log('\nFirst-load JavaScript (gzip)');
    console.table(js);
  }
  await sql.end();
  return result;
}

function writeResult(result: unknown, prefix = ''): void {
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${prefix}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

await runMain(async () => {
  if (!args.scale) {
    writeResult(await measure(args.url!, base, sections));
    return;
  }
  const { costCurve } = await import('./scale');
  const curve = await costCurve(args.url!, (url, server, credentials) =>
    measure(url, server, sections, credentials),
  );
  writeResult(curve, 'scale-');
});
