import { defineConfig } from '@playwright/test';
import { ADMIN_STATE } from './e2e/support/auth';
import { CHROMIUM_ARGS, resolveChromium } from './e2e/support/chromium';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
export const UNREACHABLE_PORT = PORT + 1;
/** Where the alerts journey's webhook receiver listens: the one address the server may post to. */
export const WEBHOOK_RECEIVER_PORT = PORT + 2;
/** Shorter than production's 30 s, so the test of bodies that stop short waits less. */
export const REQUEST_TIMEOUT_MS = 5000;
const E2E_AUTH_SECRET = 'e2e-only-secret-that-is-long-enough-0123456789';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // One worker: the server holds one embedded database and the machine has two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: resolveChromium(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      testIgnore: /auth\.setup\.ts/,
      dependencies: ['setup'],
      use: { storageState: ADMIN_STATE },
    },
  ],
  webServer: [
    {
      // A production build in its own folder, so a running `npm run dev` is never disturbed.
      command: `npm run build && node scripts/start.mjs --hostname 127.0.0.1 --port ${PORT}`,
      url: `${baseURL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      env: {
        NEXT_DIST_DIR: '.next-e2e',
        PGLITE_DIR: 'memory://',
        // Shared with the second server so a session from this one is valid there too.
        AUTH_SECRET: E2E_AUTH_SECRET,
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: '',
        WEBHOOK_ALLOW: `127.0.0.1:${WEBHOOK_RECEIVER_PORT}`,
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      },
    },
    {
      // The same build pointed at a PostgreSQL port where nothing listens: the database error page.
      command: `node scripts/start.mjs --hostname 127.0.0.1 --port ${UNREACHABLE_PORT}`,
      // /api/health answers 503 here by design; a static file shows the server is up.
      url: `http://127.0.0.1:${UNREACHABLE_PORT}/icon.svg`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      env: {
        NEXT_DIST_DIR: '.next-e2e',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:9/nowhere',
        AUTH_SECRET: E2E_AUTH_SECRET,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
