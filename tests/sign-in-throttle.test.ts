/**
 * Guessing passwords through the sign-in form: the guesser waits longer and longer, the owner of
 * the account does not (another address, or their own browser's device cookie), and forwarded
 * addresses count only from configured proxies.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { getAuth } from '@/server/auth/auth';
import { CLIENT_HEADER, clientAddress, trustedProxies } from '@/lib/client-address.mjs';
import { DEVICE_COOKIE, FREE_TRIES, waitSeconds } from '@/server/sign-in-throttle';
import { describeEachDatabase, useAsAppDatabase } from './support/databases';
import { cookiesSet, actWithHeaders } from './support/session';

vi.mock('next/headers', async () => (await import('./support/session')).nextHeadersModule);

const PASSWORD = 'the-right-password-42';

async function attempt(
  email: string,
  password: string,
  address: string,
  cookie = '',
): Promise<string> {
  actWithHeaders({ [CLIENT_HEADER]: address, ...(cookie ? { cookie } : {}) });
  const form = new FormData();
  form.set('email', email);
  form.set('password', password);
  try {
    const result = await signIn({}, form);
    return result.message ?? JSON.stringify(result);
  } catch (error) {
    // Success ends in a redirect, which Next.js throws.
    if (String((error as { digest?: string }).digest ?? '').startsWith('NEXT_REDIRECT'))
      return 'signed in';
    throw error;
  }
}

describe('waits', () => {
  it('are free for the first tries, then double up to fifteen minutes', () => {
    expect([1, 5, 6, 7, 8, 20].map((n) => waitSeconds(n, 5))).toEqual([0, 0, 1, 2, 4, 900]);
  });
});

describe('the client address', () => {
  it('is the peer, whatever X-Forwarded-For says, unless the peer is a trusted proxy', () => {
    const none = trustedProxies('');
    expect(clientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', undefined, none)).toBe('127.0.0.1');
    const proxies = trustedProxies('10.0.0.0/8, ::1');
    expect(clientAddress('10.1.2.3', '198.51.100.7, 10.9.9.9', proxies)).toBe('198.51.100.7');
    // A client's own forged entries stand before the real ones and are never reached.
    expect(clientAddress('10.1.2.3', '1.1.1.1, 198.51.100.7', proxies)).toBe('198.51.100.7');
    expect(clientAddress('203.0.113.9', '198.51.100.7', proxies)).toBe('203.0.113.9');
    expect(clientAddress('::1', 'not an address', proxies)).toBe('::1');
    expect(() => trustedProxies('10.0.0.0/99')).toThrow(/prefix/);
    expect(() => trustedProxies('proxy.example.com')).toThrow(/not an IP/);
  });
});

describeEachDatabase('sign-in throttle', {}, (get) => {
  const email = `owner-${Math.random().toString(36).slice(2)}@tests.local`;
  beforeAll(async () => {
    useAsAppDatabase(get());
    const auth = await getAuth();
    await auth.api.createUser({
      body: { email, password: PASSWORD, name: 'owner', role: 'viewer' },
    });
  });

  it('makes one address wait after five failures, and not the owner at another address', async () => {
    const guesser = '198.51.100.20';
    for (let i = 0; i < FREE_TRIES.pair; i++)
      expect(await attempt(email, `wrong-guess-${i}`, guesser)).toMatch(/not right/);
    expect(await attempt(email, 'wrong-guess-x', guesser)).toMatch(/not right/);
    // Now even the right password waits at that address.
    expect(await attempt(email, PASSWORD, guesser)).toMatch(/Wait \d+ s/);
    // The owner, elsewhere, is not held up.
    expect(await attempt(email, PASSWORD, '203.0.113.50')).toBe('signed in');
  });

  it('slows guesses spread over many addresses, except in the owner’s own browser', async () => {
    cookiesSet.clear();
    expect(await attempt(email, PASSWORD, '203.0.113.51')).toBe('signed in');
    const device = cookiesSet.get(DEVICE_COOKIE);
    expect(device).toBeDefined();
    for (let i = 0; i < FREE_TRIES.account + 3; i++)
      await attempt(email, `spread-guess-${i}`, `192.0.2.${i + 1}`);
    // A new address without the device cookie now waits…
    expect(await attempt(email, PASSWORD, '192.0.2.200')).toMatch(/Wait \d+ s/);
    // …the owner's browser does not, and its success clears the account's count.
    expect(await attempt(email, PASSWORD, '192.0.2.201', `${DEVICE_COOKIE}=${device}`)).toBe(
      'signed in',
    );
    expect(await attempt(email, PASSWORD, '192.0.2.202')).toBe('signed in');
  });

  it('does not accept a device cookie made for another account', async () => {
    cookiesSet.clear();
    const other = `other-${Math.random().toString(36).slice(2)}@tests.local`;
    const auth = await getAuth();
    await auth.api.createUser({
      body: { email: other, password: PASSWORD, name: 'o', role: 'viewer' },
    });
    expect(await attempt(other, PASSWORD, '203.0.113.60')).toBe('signed in');
    const othersDevice = cookiesSet.get(DEVICE_COOKIE);
    for (let i = 0; i < FREE_TRIES.account + 2; i++)
      await attempt(email, `again-${i}`, `192.0.2.${100 + i}`);
    expect(
      await attempt(email, PASSWORD, '192.0.2.250', `${DEVICE_COOKIE}=${othersDevice}`),
    ).toMatch(/Wait \d+ s/);
  });
});

describeEachDatabase('sign-in throttle over HTTP', {}, (get) => {
  const email = `script-${Math.random().toString(36).slice(2)}@tests.local`;
  beforeAll(async () => {
    useAsAppDatabase(get());
    const auth = await getAuth();
    await auth.api.createUser({ body: { email, password: PASSWORD, name: 's', role: 'viewer' } });
  });

  const post = async (password: string, address: string) => {
    const auth = await getAuth();
    const response = await auth.handler(
      new Request('http://127.0.0.1:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'http://127.0.0.1:3000',
          [CLIENT_HEADER]: address,
        },
        body: JSON.stringify({ email, password }),
      }),
    );
    return { status: response.status, text: await response.text() };
  };

  it('makes /api/auth/sign-in/email wait the same way, per account and address', async () => {
    const guesser = '198.51.100.90';
    for (let i = 0; i <= FREE_TRIES.pair; i++)
      expect((await post(`nope-${i}`, guesser)).status).toBe(401);
    const refused = await post(PASSWORD, guesser);
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/Wait \d+ s/);
    expect((await post(PASSWORD, '203.0.113.90')).status).toBe(200);
  });
});
