import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/db/env';

describe('environment settings', () => {
  it('defaults to embedded PGlite under .data/pglite', () => {
    expect(parseEnv({})).toEqual({
      databaseUrl: undefined,
      pgliteDir: '.data/pglite',
      poolMax: 10,
    });
  });

  it('treats an empty DATABASE_URL as unset and accepts a postgres URL', () => {
    expect(parseEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(parseEnv({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).databaseUrl).toBe(
      'postgres://u@127.0.0.1:5432/db',
    );
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
});
