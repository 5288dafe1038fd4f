/**
 * Server response time per page against a running server, sequential requests after a warm-up.
 *   npx tsx bench/page-latency.ts [--base http://127.0.0.1:3000] [--requests 30] [path ...]
 * Signs in as the demo admin (or BENCH_EMAIL / BENCH_PASSWORD) first.
 */
import { parseArgs } from 'node:util';
import { signInCookie } from './sign-in';

const { values, positionals } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:3000' },
    requests: { type: 'string', default: '30' },
  },
  allowPositionals: true,
});
const paths = positionals.length
  ? positionals
  : [
      '/',
      '/patterns',
      '/patterns?range=all',
      '/patterns/1',
      '/patterns/1?range=all',
      '/savings',
      '/savings?range=all',
      '/workflows',
    ];
const requests = Number(values.requests);
const cookie = await signInCookie(values.base);
const get = (url: string) => fetch(url, { headers: { cookie }, redirect: 'manual' });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

console.log(`${values.base}, ${requests} sequential requests per page after 3 warm-up requests`);
console.log(
  'page'.padEnd(32),
  'status',
  'p50 ms'.padStart(8),
  'p95 ms'.padStart(8),
  'max ms'.padStart(8),
);
for (const path of paths) {
  const url = `${values.base}${path}`;
  let status = 0;
  for (let i = 0; i < 3; i++)
    status = (await get(url).then(async (r) => (await r.arrayBuffer(), r))).status;
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await get(url);
    await response.arrayBuffer();
    times.push(performance.now() - started);
    status = response.status;
  }
  times.sort((a, b) => a - b);
  console.log(
    path.padEnd(32),
    String(status).padEnd(6),
    percentile(times, 50).toFixed(1).padStart(8),
    percentile(times, 95).toFixed(1).padStart(8),
    (times.at(-1) ?? 0).toFixed(1).padStart(8),
  );
}
