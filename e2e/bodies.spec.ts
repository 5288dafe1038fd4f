/**
 * Request bodies and origins at the production server: a body declared larger than a route takes
 * is refused before it is read; one that stops short is answered within the request timeout and
 * cannot hold the server; posts to pages from another origin, of any kind, are 403; an action
 * body past its limit is a 413 that says the limit.
 */
import { connect, type Socket } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { REQUEST_TIMEOUT_MS } from '../playwright.config';

/** Sends raw request bytes and resolves with the status line's code, or 'closed' if none came. */
function rawRequest(
  port: number,
  head: string,
  body: string,
): { socket: Socket; answer: Promise<{ status: number | 'closed'; ms: number }> } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const answer = new Promise<{ status: number | 'closed'; ms: number }>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) resolve({ status: Number(match[1]), ms: Date.now() - started });
    });
    socket.on('close', () => resolve({ status: 'closed', ms: Date.now() - started }));
    socket.on('error', () => undefined);
  });
  socket.write(`${head}\r\n\r\n${body}`);
  return { socket, answer };
}

async function writeKey(page: Page): Promise<string> {
  await page.goto('/admin/api-keys');
  const create = page.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('Name').fill(`bodies-${Date.now()}`);
  await create.getByLabel('Scope').selectOption('write');
  await create.getByRole('button', { name: 'Create key' }).click();
  return page.getByTestId('generated-secret').innerText();
}

const BATCH = JSON.stringify({
  occurrences: [
    {
      pattern_signature: 'e2e:bodies:ok',
      workflow_id: 'adw-bodies-1',
      similarity_score: 0.9,
      matched_characteristics: {},
    },
  ],
});

test('a declared body over the limit is refused at once, and one that stops short cannot hold the server', async ({
  page,
  baseURL,
  request,
}) => {
  test.setTimeout(REQUEST_TIMEOUT_MS * 3 + 60_000);
  const port = Number(new URL(baseURL!).port);
  const key = await writeKey(page);
  const head = (length: string) =>
    [
      'POST /api/v1/occurrences HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${key}`,
      'Content-Type: application/json',
      `Content-Length: ${length}`,
    ].join('\r\n');

  // Declared far past API_MAX_BODY_BYTES, 18 bytes sent: 413 without waiting for the rest.
  for (const length of ['3000000', '10000000000']) {
    const { socket, answer } = rawRequest(port, head(length), '{"occurrences":[]}');
    const { status } = await answer;
    socket.destroy();
    expect(status, length).toBe(413);
  }

  // Two hundred requests that declare 100 bytes and send 18, held open.
  const held = Array.from({ length: 200 }, () => rawRequest(port, head('100'), '{"occurrences":['));
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Meanwhile the health check and an ordinary batch are answered at once.
    const started = Date.now();
    const health = await request.get('/api/health');
    const healthMs = Date.now() - started;
    const written = await request.post('/api/v1/occurrences', {
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      data: BATCH,
    });
    const batchMs = Date.now() - started - healthMs;
    expect(health.status()).toBe(200);
    expect(written.status()).toBe(201);
    expect(healthMs).toBeLessThan(1000);
    expect(batchMs).toBeLessThan(1000);

    // Each short body is answered (408) within the server's request timeout, and its
    // connection closed.
    const answers = await Promise.all(held.map((h) => h.answer));
    for (const { status, ms } of answers) {
      expect([408, 400, 'closed']).toContain(status);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    }
    expect(answers.filter((a) => a.status === 408).length).toBeGreaterThan(0);
  } finally {
    for (const h of held) h.socket.destroy();
  }
});

test('posts to pages from another origin are refused, with or without JavaScript', async ({
  request,
}) => {
  const foreign = { Origin: 'http://evil.example' };
  const answers = [
    // A form posted without JavaScript: multipart, no Next-Action header.
    await request.post('/admin/api-keys', {
      headers: foreign,
      multipart: { $ACTION_ID_0123456789abcdef: '', name: 'stolen', scope: 'write' },
      maxRedirects: 0,
    }),
    await request.post('/', {
      headers: { ...foreign, 'Content-Type': 'application/x-www-form-urlencoded' },
      data: 'signout=1',
      maxRedirects: 0,
    }),
    await request.post('/savings', {
      headers: { ...foreign, 'Next-Action': '00'.repeat(21), 'Content-Type': 'text/plain' },
      data: '[]',
      maxRedirects: 0,
    }),
    // No Origin at all is not this site either.
    await request.post('/admin/users', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: 'email=x@y.z',
      maxRedirects: 0,
    }),
  ];
  for (const answer of answers) {
    expect(answer.status()).toBe(403);
    expect(await answer.text()).not.toMatch(/\bat \S+ \(|Error:/);
  }
  await expect(request.get('/admin/api-keys')).resolves.toBeTruthy();
});

test('an action body past the limit gets a 413 that says it', async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const big = await request.post('/admin/channels', {
    headers: { Origin: origin, 'Next-Action': '00'.repeat(21), 'Content-Type': 'text/plain' },
    data: JSON.stringify([{ name: 'x'.repeat(1_100_000) }]),
    maxRedirects: 0,
  });
  expect(big.status()).toBe(413);
  expect(await big.text()).toMatch(/1 MB/);
});
