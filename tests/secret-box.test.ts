/**
 * Stored secrets are encrypted under a key derived from the server secret, and the documented
 * rotation (new AUTH_SECRET, the old one as AUTH_SECRET_PREVIOUS, `npm run secrets:reseal`) keeps
 * every channel working.
 */
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { createChannel } from '@/db/mutations/alerts';
import { queryRows } from '@/db/sql';
import { openSecret, resealStoredSecrets, sealSecret, SecretUnreadable } from '@/server/secret-box';
import { reloadSettings } from '@/server/settings';
import { describeEachDatabase } from './support/databases';

const OLD = 'the-old-server-secret-0123456789abcdef';
const NEW = 'the-new-server-secret-0123456789abcdef';

function useSecrets(current: string | undefined, previous?: string) {
  if (current === undefined) delete process.env.AUTH_SECRET;
  else process.env.AUTH_SECRET = current;
  if (previous === undefined) delete process.env.AUTH_SECRET_PREVIOUS;
  else process.env.AUTH_SECRET_PREVIOUS = previous;
  // AUTH_SECRET without DATABASE_URL is allowed: the embedded database uses it when set.
  reloadSettings();
}

afterEach(() => useSecrets(undefined));

it('seals with a fresh nonce each time and opens only under the same secret', () => {
  useSecrets(OLD);
  const a = sealSecret('whsec_one');
  const b = sealSecret('whsec_one');
  expect(a).toMatch(/^enc:v1:/);
  expect(a).not.toBe(b);
  expect(a).not.toContain('whsec_one');
  expect(openSecret(a)).toBe('whsec_one');
  useSecrets(NEW);
  expect(() => openSecret(a)).toThrow(SecretUnreadable);
  useSecrets(NEW, OLD);
  expect(openSecret(a)).toBe('whsec_one');
  // A tampered value is refused, not read as something else.
  const tampered = `${a.slice(0, -3)}${a.endsWith('A') ? 'B' : 'A'}${a.slice(-2)}`;
  expect(() => openSecret(tampered)).toThrow(SecretUnreadable);
});

describeEachDatabase('stored secrets', {}, (get) => {
  const stored = async () =>
    (
      await queryRows<{ name: string; secret: string }>(
        get().db,
        sql`SELECT name, secret FROM pattern_ledger.alert_channel ORDER BY name`,
      )
    ).map((row) => [row.name, row.secret] as const);

  it('seals plain secrets written before encryption, and re-seals after a rotation', async () => {
    useSecrets(OLD);
    const channel = (name: string, secret: string) =>
      createChannel(
        get().db,
        { name, kind: 'webhook', target: 'http://127.0.0.1:1024/', format: 'json', secret },
        'test',
      );
    await channel('legacy', 'whsec_legacy_plain');
    await channel('sealed', sealSecret('whsec_sealed'));
    expect(await resealStoredSecrets(get().db)).toBe(1);
    for (const [, secret] of await stored()) expect(secret).toMatch(/^enc:v1:/);
    expect(await resealStoredSecrets(get().db)).toBe(0);

    useSecrets(NEW, OLD);
    expect(await resealStoredSecrets(get().db)).toBe(2);
    useSecrets(NEW);
    const opened = (await stored()).map(([name, secret]) => [name, openSecret(secret)]);
    expect(opened).toEqual([
      ['legacy', 'whsec_legacy_plain'],
      ['sealed', 'whsec_sealed'],
    ]);
  });
});
