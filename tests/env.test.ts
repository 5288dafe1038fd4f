import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/db/env';

describe('environment settings', () => {
  it('defaults to embedded PGlite under .data/pglite', () => {
    expect(parseEnv({})).toEqual({
      databaseUrl: undefined,
      pgliteDir: '.data/pglite',
      poolMax: 10,
      statementTimeoutMs: 15_000,
      apiRateLimit: 600,
      apiMaxBodyBytes: 2 * 1024 * 1024,
    });
  });

  it('reads the API limits and refuses silly ones', () => {
    const env = parseEnv({ API_RATE_LIMIT: '5', API_MAX_BODY_BYTES: '65536' });
    expect([env.apiRateLimit, env.apiMaxBodyBytes]).toEqual([5, 65536]);
    expect(() => parseEnv({ API_MAX_BODY_BYTES: '10' })).toThrow(/API_MAX_BODY_BYTES/);
    expect(() => parseEnv({ API_RATE_LIMIT: '0' })).toThrow(/API_RATE_LIMIT/);
  });

  it('treats an empty DATABASE_URL as unset and accepts a postgres URL', () => {
    expect(parseEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    const secret = 'x'.repeat(32);
    expect(
      parseEnv({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', AUTH_SECRET: secret }).databaseUrl,
    ).toBe('postgres://u@127.0.0.1:5432/db');
  });

  it('names every malformed setting', () => {
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', DB_POOL_MAX: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect((error as Error).message).toMatch(/DB_POOL_MAX/);
  });

  it('requires AUTH_SECRET with DATABASE_URL, and a long one', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@127.0.0.1/db' })).toThrow(
      /AUTH_SECRET: required when DATABASE_URL is set/,
    );
    expect(() => parseEnv({ AUTH_SECRET: 'short' })).toThrow(
      /AUTH_SECRET: must be at least 32 characters/,
    );
    expect(parseEnv({ AUTH_SECRET: 's'.repeat(40) }).authSecret).toBe('s'.repeat(40));
  });
});
