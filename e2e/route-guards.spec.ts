import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** Routes anyone may open: signing in, better-auth's own endpoints, the health check. */
const PUBLIC = new Set([
  '/sign-in',
  '/api/auth/[...all]',
  '/api/health',
  // The API's description holds no data.
  '/api/v1/openapi.json',
]);
const SAMPLE: Record<string, string> = { '[id]': '1', '[...all]': 'session' };

type Route = { path: string; kind: 'page' | 'api'; method: 'GET' | 'POST' };

function routes(dir = path.join(import.meta.dirname, '..', 'app'), prefix = ''): Route[] {
  const found: Route[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      // Route groups and private folders add no URL segment.
      const segment = entry.startsWith('(') || entry.startsWith('_') ? '' : `/${entry}`;
      if (!entry.startsWith('_')) found.push(...routes(full, `${prefix}${segment}`));
    } else if (entry === 'page.tsx')
      found.push({ path: prefix || '/', kind: 'page', method: 'GET' });
    else if (entry === 'route.ts') {
      const source = readFileSync(full, 'utf8');
      for (const [, method] of source.matchAll(
        /export (?:const|async function|function) (GET|POST)\b/g,
      )) {
        found.push({ path: prefix, kind: 'api', method: method as 'GET' | 'POST' });
      }
    }
  }
  return found;
}

const concrete = (route: string) =>
  route.replace(/\[[^\]]+\]/g, (segment) => SAMPLE[segment] ?? 'x');
const guarded = routes().filter((r) => !PUBLIC.has(r.path));

test('the route table found every kind of route', () => {
  expect(guarded.map((r) => r.path)).toEqual(
    expect.arrayContaining([
      '/',
      '/patterns',
      '/patterns/[id]',
      '/api/export/savings',
      '/api/v1/occurrences',
    ]),
  );
});

for (const route of guarded) {
  test(`${route.kind} ${route.method} ${route.path} refuses a caller without a valid session`, async ({
    browser,
    baseURL,
  }) => {
    // A cookie with the right name but no valid session gets past the proxy's quick check,
    // so only the route's own check can refuse it.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await context.addCookies([
      { name: 'better-auth.session_token', value: 'forged.value', url: baseURL! },
    ]);
    const response = await context.request.fetch(concrete(route.path), {
      method: route.method,
      maxRedirects: 0,
      ...(route.method === 'POST' ? { data: {} } : {}),
    });
    if (route.kind === 'api') {
      expect(response.status()).toBe(401);
    } else {
      expect([303, 307]).toContain(response.status());
      expect(response.headers().location).toMatch(/\/sign-in/);
      expect(await response.text()).not.toMatch(/pattern_signature|test:pytest|adw-/);
    }
    await context.close();
  });
}
