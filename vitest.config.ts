import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; the read layer is plain code here.
      'server-only': path.resolve(import.meta.dirname, 'tests/support/empty-module.ts'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-pgbouncer.ts'],
    environment: 'node',
    pool: 'forks',
    // Each file opens its own PGlite (about 1 GB, 3 s): two at a time suits a 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // A non-UTC process zone: code that leans on local time fails here instead of in production.
    env: { TZ: 'Asia/Kolkata', NEXT_TELEMETRY_DISABLED: '1' },
  },
});
