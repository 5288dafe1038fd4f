import 'server-only';
/**
 * Secrets Pattern Ledger must use again later (webhook signing secrets) are kept encrypted:
 * AES-256-GCM under a key derived (HKDF-SHA256) from the server secret, written as
 * `enc:v1:<iv>.<ciphertext>.<tag>` (base64url). A database dump alone reveals none of them.
 * Rotating AUTH_SECRET: docs/security.md ("Rotating the server secret").
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { channelSecrets, replaceChannelSecret } from '@/db/mutations/alerts';
import type { Database } from '@/db/types';
import { serverSecret } from './server-secret';
import { settings } from './settings';

const PREFIX = 'enc:v1:';

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'pattern-ledger', 'stored secrets v1', 32));
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Encrypts a secret for storage under the current server secret. */
export function sealSecret(plain: string, secret: string = serverSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return `${PREFIX}${parts.join('.')}`;
}

function openWith(stored: string, secret: string): string | null {
  const [iv, body, tag] = stored.slice(PREFIX.length).split('.');
  if (iv === undefined || body === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}

export class SecretUnreadable extends Error {
  override name = 'SecretUnreadable';
  constructor() {
    super(
      'a stored secret cannot be decrypted with AUTH_SECRET (was it changed? see docs/security.md)',
    );
  }
}

/**
 * The plain secret. A value written before secrets were encrypted is returned as it is (the
 * server seals such values when it starts); one sealed under AUTH_SECRET_PREVIOUS is read with it.
 */
export function openSecret(stored: string): string {
  if (!isSealed(stored)) return stored;
  const previous = settings().authSecretPrevious;
  const plain = openWith(stored, serverSecret()) ?? (previous ? openWith(stored, previous) : null);
  if (plain === null) throw new SecretUnreadable();
  return plain;
}

/**
 * Seals every stored secret under the current server secret: ones written before secrets were
 * encrypted, and (after a rotation) ones sealed under AUTH_SECRET_PREVIOUS. Answers how many it
 * changed; throws when one can be read with neither secret.
 */
export async function resealStoredSecrets(db: Database): Promise<number> {
  const current = serverSecret();
  let changed = 0;
  for (const { id, secret } of await channelSecrets(db)) {
    if (isSealed(secret) && openWith(secret, current) !== null) continue;
    await replaceChannelSecret(db, id, secret, sealSecret(openSecret(secret), current));
    changed++;
  }
  return changed;
}
