import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGLITE_MEMORY } from '@/db/client';
import { settings } from './settings';

const held = new Map<string, string>();

/** The embedded demo's secret: generated once per data directory, kept beside it. */
function demoSecret(pgliteDir: string): string {
  if (pgliteDir === PGLITE_MEMORY) return randomBytes(32).toString('base64');
  const file = `${path.resolve(pgliteDir)}.auth-secret`;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The secret the server signs sessions with and derives its encryption keys from: AUTH_SECRET,
 * or for the embedded demo one generated per data directory (per process for an in-memory one).
 */
export function serverSecret(): string {
  const env = settings();
  if (env.authSecret) return env.authSecret;
  let secret = held.get(env.pgliteDir);
  if (!secret) {
    secret = demoSecret(env.pgliteDir);
    held.set(env.pgliteDir, secret);
  }
  return secret;
}
