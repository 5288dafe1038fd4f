/**
 * Where webhooks may go. Public and private addresses are checked only at the checking functions
 * with a stubbed resolver (nothing is sent to them, whatever the code under test does); sending is
 * tested against real receivers on 127.0.0.1 and ::1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressAllowed,
  checkTargetUrl,
  parseAllowList,
  type OutboundPolicy,
} from '@/lib/outbound-policy';
import { postChecked, resolveTarget, UNREACHABLE, type Resolver } from '@/server/outbound';

const NONE = parseAllowList('');

/** A resolver that answers from a table and never asks DNS. */
const stub =
  (table: Record<string, string[]>): Resolver =>
  (host) => {
    const addresses = table[host];
    if (!addresses) return Promise.reject(new Error(`ENOTFOUND ${host}`));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

describe('the outbound policy', () => {
  const INSIDE = [
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.20',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '192.0.2.10',
    '::1',
    '::',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:7f00:1',
    '::127.0.0.1',
    '::10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    '2001::1',
  ];
  const PUBLIC = ['93.184.216.34', '1.1.1.1', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450::1'];

  it('refuses every loopback, private, link-local, CGNAT, ULA, multicast, unspecified and mapped address', () => {
    const allowed = INSIDE.filter((address) => addressAllowed(address, 443, NONE));
    expect(allowed).toEqual([]);
  });

  it('lets public unicast addresses through on 80, 443 and 1024–65535 only', () => {
    for (const address of PUBLIC) {
      for (const port of [80, 443, 1024, 8080, 65_535])
        expect(addressAllowed(address, port, NONE), `${address}:${port}`).toBe(true);
      for (const port of [22, 25, 1023, 0])
        expect(addressAllowed(address, port, NONE), `${address}:${port}`).toBe(false);
    }
  });

  it('refuses every spelling of loopback in a URL, before any name is resolved', () => {
    for (const target of [
      'http://127.0.0.1:3997/',
      'http://127.1:3997/',
      'http://2130706433:3997/',
      'http://0x7f.0.0.1:3997/',
      'http://0x7f000001:3997/',
      'http://017700000001:3997/',
      'http://0177.0.0.1:3997/',
      'http://[::ffff:127.0.0.1]:3997/',
      'http://[::ffff:7f00:1]:3997/',
      'http://[::127.0.0.1]:3997/',
      'http://[0:0:0:0:0:0:0:1]:3997/',
      'http://[::1]:22/',
      'http://0.0.0.0:3997/',
      'http://0:3997/',
      'http://[::]:3997/',
    ])
      expect(checkTargetUrl(target, NONE), target).toEqual({ ok: false });
  });

  it('refuses what is not a plain http(s) URL', () => {
    for (const target of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'http://user:secret@example.com/',
      'http://exa mple.com/',
      'not a url',
    ])
      expect(checkTargetUrl(target, NONE).ok, target).toBe(false);
  });

  it('checks every address a name resolves to, and refuses a name that also points inside', async () => {
    const resolve = stub({
      'hooks.example.com': ['93.184.216.34', '2606:4700:4700::1111'],
      'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
      'rebind.example.com': ['127.0.0.1'],
      'metadata.example.com': ['169.254.169.254'],
    });
    const pinned = await resolveTarget('https://hooks.example.com/in', NONE, resolve);
    expect(pinned?.address).toEqual({ address: '93.184.216.34', family: 4 });
    for (const host of ['mixed', 'rebind', 'metadata', 'missing'])
      expect(await resolveTarget(`https://${host}.example.com/`, NONE, resolve), host).toBeNull();
    expect(await resolveTarget('http://hooks.example.com:22/', NONE, resolve)).toBeNull();
  });

  it('lets the operator allow ranges, addresses, names and ports', async () => {
    const policy = parseAllowList(
      '10.0.0.0/8, 192.168.1.20:8080, [fd00::1]:9000, hooks.internal:8080, smtp-bridge.internal',
    );
    const resolve = stub({
      'hooks.internal': ['172.20.0.9'],
      'smtp-bridge.internal': ['172.20.0.5'],
      'other.internal': ['172.20.0.6'],
    });
    expect(addressAllowed('10.200.0.1', 443, policy)).toBe(true);
    expect(addressAllowed('10.200.0.1', 22, policy)).toBe(false);
    expect(addressAllowed('192.168.1.20', 8080, policy)).toBe(true);
    expect(addressAllowed('192.168.1.20', 8081, policy)).toBe(false);
    expect(addressAllowed('192.168.1.21', 8080, policy)).toBe(false);
    expect(addressAllowed('fd00::1', 9000, policy)).toBe(true);
    expect(addressAllowed('127.0.0.1', 8080, policy)).toBe(false);
    expect(await resolveTarget('http://hooks.internal:8080/x', policy, resolve)).not.toBeNull();
    expect(await resolveTarget('http://hooks.internal:8081/x', policy, resolve)).toBeNull();
    expect(await resolveTarget('http://smtp-bridge.internal/x', policy, resolve)).not.toBeNull();
    expect(await resolveTarget('http://other.internal/x', policy, resolve)).toBeNull();
  });

  it('names the allow-list entry it cannot read', () => {
    for (const entry of ['10.0.0.0/33', 'two words', 'host:99999', 'host:0', '1.2.3.4/x'])
      expect(() => parseAllowList(entry), entry).toThrow(entry);
  });
});

type Hit = { path: string; address: string };

async function listen(host: string, hits: Hit[], answer = 204): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      hits.push({ path: request.url ?? '/', address: request.socket.localAddress ?? '' });
      if (request.url === '/redirect') response.writeHead(302, { location: `/followed` }).end();
      else response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return server;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('sending to a real receiver on loopback', () => {
  const hits: Hit[] = [];
  let v4: Server;
  let v6: Server;
  let sameAsV4: OutboundPolicy;
  beforeAll(async () => {
    v4 = await listen('127.0.0.1', hits);
    v6 = await listen('::1', hits);
    sameAsV4 = parseAllowList(`127.0.0.1:${portOf(v4)}`);
  });
  afterAll(async () => {
    await close(v4);
    await close(v6);
  });

  const post = (target: string, policy: OutboundPolicy, resolve?: Resolver) =>
    postChecked(target, policy, { headers: {}, body: '{}', timeoutMs: 5000 }, resolve);

  it('refuses every loopback spelling without an allow list, and nothing arrives', async () => {
    const p4 = portOf(v4);
    const p6 = portOf(v6);
    const targets = [
      `http://127.0.0.1:${p4}/`,
      `http://127.1:${p4}/`,
      `http://2130706433:${p4}/`,
      `http://0x7f.0.0.1:${p4}/`,
      `http://017700000001:${p4}/`,
      `http://[::ffff:127.0.0.1]:${p4}/`,
      `http://0.0.0.0:${p4}/`,
      `http://localhost:${p4}/`,
      `http://[::1]:${p6}/`,
      `http://localhost:${p6}/`,
    ];
    const before = hits.length;
    for (const target of targets)
      await expect(post(target, NONE), target).rejects.toThrow(UNREACHABLE);
    expect(hits.length).toBe(before);
  });

  it('sends through the allow list, to the address that was checked', async () => {
    const answer = await post(`http://127.1:${portOf(v4)}/in`, sameAsV4);
    expect(answer.status).toBe(204);
    expect(hits.at(-1)).toEqual({ path: '/in', address: '127.0.0.1' });
    // A name the system cannot resolve reaches the receiver: the connection uses the checked
    // address, with no second lookup that could answer differently.
    const pinned = await post(
      `http://pinned.invalid:${portOf(v4)}/pinned`,
      sameAsV4,
      stub({ 'pinned.invalid': ['127.0.0.1'] }),
    );
    expect(pinned.status).toBe(204);
    expect(hits.at(-1)?.path).toBe('/pinned');
    // Allowed on one port only.
    await expect(post(`http://127.0.0.1:${portOf(v6)}/`, sameAsV4)).rejects.toThrow(UNREACHABLE);
  });

  it('does not follow a redirect', async () => {
    const before = hits.length;
    const answer = await post(`http://127.0.0.1:${portOf(v4)}/redirect`, sameAsV4);
    expect(answer.status).toBe(302);
    expect(hits.slice(before).map((h) => h.path)).toEqual(['/redirect']);
  });

  it('says the same of a closed port as of a refused address', async () => {
    const closed = await listen('127.0.0.1', []);
    const port = portOf(closed);
    await close(closed);
    const refusal = (target: string, policy: OutboundPolicy) =>
      post(target, policy).then(
        () => 'sent',
        (error: Error) => error.message,
      );
    expect(await refusal(`http://127.0.0.1:${port}/`, parseAllowList(`127.0.0.1:${port}`))).toBe(
      UNREACHABLE,
    );
    expect(await refusal(`http://127.0.0.1:${portOf(v4)}/`, NONE)).toBe(UNREACHABLE);
  });
});
