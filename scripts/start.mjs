// `npm start`: the production server (after `npm run build`). Node.js renders on one core per
// process, so with a PostgreSQL server it runs one process per core (WEB_CONCURRENCY or
// --workers to choose); the embedded database can be opened by one process only, so PGlite
// keeps one. Plain JavaScript, so it runs without the dev dependencies.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ACTION_BODY_LIMIT, ACTION_BODY_TOO_LARGE, declaredTooLarge } from '../lib/action-body.mjs';
import { CLIENT_HEADER, clientAddress, trustedProxies } from '../lib/client-address.mjs';

const { values } = parseArgs({
  options: {
    hostname: { type: 'string', short: 'H', default: process.env.HOSTNAME ?? '127.0.0.1' },
    port: { type: 'string', short: 'p', default: process.env.PORT ?? '3000' },
    workers: { type: 'string', short: 'w', default: process.env.WEB_CONCURRENCY },
  },
});

const hostname = values.hostname;
const port = Number(values.port);
const requestTimeoutMs = requestTimeout(process.env.REQUEST_TIMEOUT_MS);

/**
 * How long a client may take to send its whole request (headers and body): past it the server
 * answers 408 and closes the connection, so a body that stops short cannot hold a connection.
 */
function requestTimeout(wanted) {
  if (wanted === undefined || wanted.trim() === '') return 30_000;
  const ms = Number(wanted);
  if (!Number.isInteger(ms) || ms < 1000 || ms > 300_000) {
    console.error(`[pattern-ledger] REQUEST_TIMEOUT_MS must be 1000–300000, not "${wanted}"`);
    process.exit(1);
  }
  return ms;
}
const usesServer = Boolean(process.env.DATABASE_URL?.trim());
const workers = workerCount(values.workers);

function workerCount(wanted) {
  if (!usesServer) {
    if (wanted && Number(wanted) > 1) {
      console.log('[pattern-ledger] the embedded database runs in one process; starting one');
    }
    return 1;
  }
  if (wanted === undefined || wanted === '') return availableParallelism();
  const count = Number(wanted);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    console.error(`[pattern-ledger] WEB_CONCURRENCY / --workers must be 1–64, not "${wanted}"`);
    process.exit(1);
  }
  return count;
}

async function serve() {
  process.env.NODE_ENV = 'production';
  // The server's own origin, the one origin besides AUTH_URL that sign-in trusts.
  process.env.PATTERN_LEDGER_ORIGIN = `http://${hostname}:${port}`;
  const { default: next } = await import('next');
  const app = next({ dev: false, hostname, port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const receivers = await loadReceivers();
  const proxies = trustedProxies(process.env.TRUSTED_PROXIES);
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 20_000),
      // How often Node.js looks for requests past their time (30 s by default).
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs / 2),
    },
    (req, res) => {
      // A page's form or action declared past its limit: refused before Next.js reads the body
      // (it would wait for all of it first). The API's routes check their own limits.
      if (
        req.method === 'POST' &&
        !req.url?.startsWith('/api/') &&
        declaredTooLarge(req.headers['content-length'], ACTION_BODY_LIMIT)
      ) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: ACTION_BODY_TOO_LARGE }));
        return;
      }
      // The app limits sign-ins by this address; whatever a client sent under the name is replaced.
      req.headers[CLIENT_HEADER] = clientAddress(
        req.socket.remoteAddress,
        req.headers['x-forwarded-for'],
        proxies,
      );
      const receiver = req.method === 'POST' ? receivers?.[pathOf(req.url)] : undefined;
      if (receiver) void receiveDirectly(receiver, req, res);
      else handle(req, res);
    },
  );
  server.listen(port, hostname, () => {
    const who = cluster.isWorker ? ` (worker ${cluster.worker.id}; ${workers} in all)` : '';
    console.log(`[pattern-ledger] ready on http://${hostname}:${port}${who}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The capture receivers bundled by `npm run build` (scripts/build-receivers.mjs): the same
 * handlers as their routes, served here ahead of Next.js, whose own work per request is several
 * times theirs. Without the bundle (a bare `next build`), Next.js serves them.
 */
async function loadReceivers() {
  const bundle = path.resolve(distDir, 'receivers.mjs');
  if (!existsSync(bundle)) return null;
  const { RECEIVERS } = await import(pathToFileURL(bundle).href);
  return RECEIVERS;
}

const pathOf = (url = '/') => url.split('?', 1)[0];

/** Runs a receiver on a Node.js request, as a fetch Request, and sends its Response. */
async function receiveDirectly(receiver, req, res) {
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const request = new Request(new URL(req.url, `http://${hostname}:${port}`), {
      method: req.method,
      headers,
      body: Readable.toWeb(req),
      duplex: 'half',
    });
    const response = await receiver(request);
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, [...response.headers].flat());
    res.end(body);
  } catch (error) {
    console.error('[pattern-ledger] capture request failed:', error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Internal error.' }));
  }
}

// On a fresh clone `npm start` works too: it builds first when there is no build yet.
const distDir = process.env.NEXT_DIST_DIR || '.next';
if (cluster.isPrimary && !existsSync(`${distDir}/BUILD_ID`)) {
  console.log(`[pattern-ledger] no production build in ${distDir}: running next build first`);
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

if (workers === 1 || cluster.isWorker) {
  await serve();
} else {
  let stopping = false;
  const startedAt = new Map();
  const fork = () => startedAt.set(cluster.fork().id, Date.now());
  for (let i = 0; i < workers; i += 1) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    // One that fails while starting (a bad setting, say) would fail again: stop with it.
    if (code !== 0 && Date.now() - (startedAt.get(worker.id) ?? 0) < 15_000) {
      console.error(`[pattern-ledger] process ${worker.id} failed while starting (exit ${code})`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
      process.exit(code ?? 1);
    }
    console.error(
      `[pattern-ledger] process ${worker.id} ended (${signal ?? `exit ${code}`}); starting another`,
    );
    setTimeout(fork, 1000);
  });
  const stopAll = (signal) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    let left = Object.keys(cluster.workers ?? {}).length;
    if (left === 0) process.exit(0);
    cluster.on('exit', () => {
      left -= 1;
      if (left === 0) process.exit(0);
    });
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
}
