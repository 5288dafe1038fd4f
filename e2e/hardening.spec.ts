/**
 * Bad input to pages, paths and actions of the production build: never a 5xx; a page says which
 * parameter it set aside and does not carry it on; a malformed path is a 400; an action called
 * from another origin is a 403.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const PAGES = ['/', '/patterns', '/patterns/1', '/savings', '/workflows', '/roi', '/review'];

const BAD_PARAMS: [string, string][] = [
  ['tz', 'Mars/Olympus'],
  ['q', '\u0000'],
  ['type', '\u0000'],
  ['status', 'a\u0000b'],
  ['sort', '__proto__'],
  ['page', '-1'],
  ['size', '1000000'],
  ['range', 'forever'],
  ['granularity', 'second'],
  ['workflow', '\u0000'],
];

test('pages answer every bad parameter without a 5xx, and say which they ignored', async ({
  request,
}) => {
  const failures: string[] = [];
  for (const path of PAGES) {
    for (const [name, value] of BAD_PARAMS) {
      const url = `${path}?${new URLSearchParams({ [name]: value })}`;
      const response = await request.get(url);
      const html = await response.text();
      if (response.status() >= 500) failures.push(`${url}: ${response.status()}`);
      // Parameters a page reads are named in its notice; the others it never looks at.
      if (html.includes('data-testid="ignored-params"') && !html.includes(`>${name}=`))
        failures.push(`${url}: the notice does not name ${name}`);
    }
  }
  for (const [from, to] of [
    ['0100-01-01', '9999-12-31'],
    ['2026-02-30', '2026-03-01'],
  ]) {
    for (const path of PAGES) {
      const response = await request.get(`${path}?range=custom&from=${from}&to=${to}`);
      if (response.status() >= 500)
        failures.push(`${path} custom ${from}–${to}: ${response.status()}`);
    }
  }
  expect(failures).toEqual([]);
});

test('a page shows the ignored parameter and leaves it out of its forms and links', async ({
  page,
}) => {
  await page.goto('/patterns?tz=Mars%2FOlympus&sort=__proto__&q=pytest');
  const notice = page.getByTestId('ignored-params');
  await expect(notice).toContainText('tz=Mars/Olympus');
  await expect(notice).toContainText('is not a known time zone');
  await expect(notice).toContainText('sort=__proto__');
  // The good parameter stays; the bad ones are carried nowhere.
  await expect(page.getByRole('searchbox').or(page.locator('input[name="q"]')).first()).toHaveValue(
    'pytest',
  );
  const html = await page.content();
  expect(html).not.toContain('Mars/Olympus"');
  expect(html).not.toMatch(/name="tz" value="Mars/);
  expect(html).not.toContain('sort=__proto__&amp;');
});

test('a malformed path is a 400, not a 500', async ({ request }) => {
  for (const path of [
    '/patterns/%ZZ',
    '/patterns/%E0%A4',
    '/workflows/%00',
    '/api/export/patterns/%ZZ/occurrences',
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(400);
  }
});

test('a server action from another origin is a 403, and a malformed one is no 500', async ({
  request,
  baseURL,
}) => {
  const crossOrigin = await request.post('/savings', {
    headers: {
      'next-action': '0'.repeat(42),
      origin: 'http://127.0.0.1:4001',
      'content-type': 'text/plain;charset=UTF-8',
    },
    data: '[]',
  });
  expect(crossOrigin.status()).toBe(403);
  const malformed = await request.post('/savings', {
    headers: {
      'next-action': 'not-an-action',
      origin: baseURL!,
      'content-type': 'text/plain;charset=UTF-8',
    },
    data: '{"this is": not json',
  });
  expect(malformed.status()).toBeLessThan(500);
});

test('account changes are refused from another origin, even another port of this host', async ({
  request,
}) => {
  const response = await request.post('/api/auth/update-user', {
    headers: { origin: 'http://127.0.0.1:4001', 'content-type': 'application/json' },
    data: { name: 'changed from elsewhere' },
  });
  expect(response.status()).toBe(403);
  const session = await request.get('/api/auth/get-session');
  expect(JSON.stringify(await session.json())).not.toContain('changed from elsewhere');
});

test('sign-in attempts are limited by the real client address, whatever X-Forwarded-For says', async ({
  playwright,
  baseURL,
}) => {
  // A context without the admin's session: what a stranger sends.
  const stranger = await playwright.request.newContext({ baseURL });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await stranger.post('/api/auth/sign-in/email', {
      headers: { origin: baseURL!, 'x-forwarded-for': `198.51.100.${i + 1}` },
      data: { email: 'admin@pattern-ledger.local', password: `wrong-password-${i}` },
    });
    statuses.push(response.status());
  }
  await stranger.dispose();
  expect(statuses).toContain(429);
  // better-auth's window is ten seconds: later tests sign in from this address again.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
});

test('an action whose arguments cannot be read is a 400, not a 500', async ({
  request,
  baseURL,
}) => {
  // The real id of the note action, from this build's manifest.
  const manifest = JSON.parse(
    readFileSync(
      `${process.env.NEXT_DIST_DIR ?? '.next-e2e'}/server/server-reference-manifest.json`,
      'utf8',
    ),
  ) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === 'saveNote')?.[0];
  expect(id).toBeDefined();
  const send = (contentType: string, data: string) =>
    request.post('/savings', {
      headers: { 'next-action': id!, origin: baseURL!, 'content-type': contentType },
      data,
      maxRedirects: 0,
    });
  for (const body of ['{"this is": not json', '[', '"'])
    expect((await send('text/plain;charset=UTF-8', body)).status(), body).toBe(400);
  const form = await send(
    'multipart/form-data; boundary=zzz',
    '--zzz\r\nContent-Disposition: form-data; name="0"\r\n\r\n{bad\r\n--zzz--\r\n',
  );
  expect(form.status()).toBe(400);
  // Readable arguments of the wrong shape reach the action, which refuses them itself.
  const wrong = await send('text/plain;charset=UTF-8', '[{"id":"x"}]');
  expect(wrong.status()).toBe(200);
  expect(await wrong.text()).toContain('"kind":"invalid"');
});
