import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, redactUrl, splitSocketDir } from '@/db/client';
import { SettingsError, parseSettings } from '@/server/settings';
import { queryRows } from '@/db/sql';

describe('environment settings', () => {
  it('defaults to embedded PGlite under .data/pglite', () => {
    expect(parseSettings({})).toEqual({
      databaseUrl: undefined,
      pgliteDir: '.data/pglite',
      poolMax: 10,
      statementTimeoutMs: 15_000,
      foldIntervalMs: 1000,
      apiRateLimit: 600,
      apiMaxBodyBytes: 2 * 1024 * 1024,
      mailFrom: 'Pattern Ledger <pattern-ledger@localhost>',
      alertsEnabled: true,
      sessionMaxAgeSeconds: 30 * 86_400,
      webhookPolicy: { allow: [] },
      captureEnabled: true,
      captureIntervalMs: 1000,
      captureRetentionDays: 90,
      captureRateLimit: 120_000,
    });
  });

  it('takes a read replica only beside a PostgreSQL server', () => {
    const primary = 'postgres://ledger@db-primary:5432/ledger';
    const replica = 'postgres://ledger@db-replica:5432/ledger';
    const env = parseSettings({
      DATABASE_URL: primary,
      DATABASE_READ_URL: replica,
      AUTH_SECRET: 'x'.repeat(32),
    });
    expect([env.databaseUrl, env.databaseReadUrl]).toEqual([primary, replica]);
    expect(() => parseSettings({ DATABASE_READ_URL: replica })).toThrow(/DATABASE_READ_URL/);
    expect(() =>
      parseSettings({
        DATABASE_URL: primary,
        DATABASE_READ_URL: 'mysql://x',
        AUTH_SECRET: 'x'.repeat(32),
      }),
    ).toThrow(/DATABASE_READ_URL/);
  });

  it('reads the mail server as an smtp URL and can turn the alert loops off', () => {
    const env = parseSettings({ SMTP_URL: 'smtp://u:p@mail.example.test:587', ALERTS: 'off' });
    expect([env.smtpUrl, env.alertsEnabled]).toEqual(['smtp://u:p@mail.example.test:587', false]);
    expect(() => parseSettings({ SMTP_URL: 'http://mail.example.test' })).toThrow(/SMTP_URL/);
    expect(() => parseSettings({ ALERTS: 'maybe' })).toThrow(/ALERTS/);
  });

  it('reads capture settings and refuses silly ones', () => {
    const env = parseSettings({
      CAPTURE: 'off',
      CAPTURE_RETENTION_DAYS: '7',
      CAPTURE_RATE_LIMIT: '10',
    });
    expect([env.captureEnabled, env.captureRetentionDays, env.captureRateLimit]).toEqual([
      false,
      7,
      10,
    ]);
    expect(() => parseSettings({ CAPTURE_RETENTION_DAYS: '0' })).toThrow(/CAPTURE_RETENTION_DAYS/);
    expect(() => parseSettings({ CAPTURE_INTERVAL_MS: '5' })).toThrow(/CAPTURE_INTERVAL_MS/);
    expect(() => parseSettings({ CAPTURE: 'maybe' })).toThrow(/CAPTURE/);
  });

  it('reads the webhook allow list and the session lifetime, naming what it cannot read', () => {
    const env = parseSettings({
      WEBHOOK_ALLOW: '10.0.0.0/8, hooks.internal:8080',
      SESSION_MAX_DAYS: '7',
    });
    expect(env.webhookPolicy.allow).toHaveLength(2);
    expect(env.sessionMaxAgeSeconds).toBe(7 * 86_400);
    expect(() => parseSettings({ WEBHOOK_ALLOW: '10.0.0.0/40' })).toThrow(
      /WEBHOOK_ALLOW: "10\.0\.0\.0\/40" is not a CIDR range/,
    );
    expect(() => parseSettings({ WEBHOOK_ALLOW: 'host:0' })).toThrow(/WEBHOOK_ALLOW/);
    expect(() => parseSettings({ SESSION_MAX_DAYS: '0' })).toThrow(/SESSION_MAX_DAYS/);
  });

  it('knows PgBouncer in front of the server, and nothing else', () => {
    expect(parseSettings({ DB_POOLER: 'pgbouncer' }).pooler).toBe('pgbouncer');
    expect(parseSettings({}).pooler).toBeUndefined();
    expect(() => parseSettings({ DB_POOLER: 'pgpool' })).toThrow(/DB_POOLER/);
  });

  it('reads the API limits and refuses silly ones', () => {
    const env = parseSettings({ API_RATE_LIMIT: '5', API_MAX_BODY_BYTES: '65536' });
    expect([env.apiRateLimit, env.apiMaxBodyBytes]).toEqual([5, 65536]);
    expect(() => parseSettings({ API_MAX_BODY_BYTES: '10' })).toThrow(/API_MAX_BODY_BYTES/);
    expect(() => parseSettings({ API_RATE_LIMIT: '0' })).toThrow(/API_RATE_LIMIT/);
  });

  it('treats an empty DATABASE_URL as unset and accepts a postgres URL', () => {
    expect(parseSettings({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    const secret = 'x'.repeat(32);
    expect(
      parseSettings({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', AUTH_SECRET: secret })
        .databaseUrl,
    ).toBe('postgres://u@127.0.0.1:5432/db');
  });

  it('names every malformed setting', () => {
    let error: unknown;
    try {
      parseSettings({ DATABASE_URL: 'mysql://x', DB_POOL_MAX: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect((error as Error).message).toMatch(/DB_POOL_MAX/);
  });

  it('requires AUTH_SECRET with DATABASE_URL, and a long one', () => {
    expect(() => parseSettings({ DATABASE_URL: 'postgres://u@127.0.0.1/db' })).toThrow(
      /AUTH_SECRET: required when DATABASE_URL is set/,
    );
    expect(() => parseSettings({ AUTH_SECRET: 'short' })).toThrow(
      /AUTH_SECRET: must be at least 32 characters/,
    );
    expect(parseSettings({ AUTH_SECRET: 's'.repeat(40) }).authSecret).toBe('s'.repeat(40));
  });
});

describe('PostgreSQL over a Unix-domain socket', () => {
  it("takes libpq's ?host=/dir form and leaves other URLs alone", () => {
    expect(splitSocketDir('postgres://me@localhost/ledger?host=/var/run/postgresql')).toEqual({
      url: 'postgres://me@localhost/ledger',
      socketDir: '/var/run/postgresql',
    });
    expect(splitSocketDir('postgres://me@db.example.com:5433/ledger?sslmode=require')).toEqual({
      url: 'postgres://me@db.example.com:5433/ledger?sslmode=require',
    });
    expect(redactUrl('postgres://me:secret@localhost/ledger?host=/run/pg')).toBe(
      'PostgreSQL at /run/pg/ledger',
    );
  });

  const socketDir = '/var/run/postgresql';
  const serverUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!serverUrl || !existsSync(`${socketDir}/.s.PGSQL.5432`))(
    'connects through the socket',
    async () => {
      const url = new URL(serverUrl!);
      url.host = 'localhost';
      url.searchParams.set('host', socketDir);
      const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1 });
      try {
        const [row] = await queryRows<{ tcp: boolean }>(
          handle.db,
          sql`SELECT inet_client_addr() IS NOT NULL AS tcp`,
        );
        expect(row?.tcp).toBe(false);
      } finally {
        await handle.close();
      }
    },
  );
});
