import { z } from 'zod';
import { parseAllowList, type OutboundPolicy } from '@/lib/outbound-policy';

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL, e.g. postgres://user@127.0.0.1:5432/ledger');

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const settingsSchema = z.object({
  DATABASE_URL: optional(postgresUrl),
  DATABASE_READ_URL: optional(postgresUrl),
  PGLITE_DIR: optional(z.string().trim().min(1)),
  DB_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
  DB_STATEMENT_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(3_600_000)),
  DB_POOLER: optional(z.enum(['pgbouncer'], { error: 'must be pgbouncer, or unset' })),
  FOLD_INTERVAL_MS: optional(z.coerce.number().int().min(100).max(600_000)),
  API_RATE_LIMIT: optional(z.coerce.number().int().min(1).max(1_000_000)),
  API_MAX_BODY_BYTES: optional(
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024),
  ),
  AUTH_SECRET: optional(
    z
      .string()
      .trim()
      .min(32, 'must be at least 32 characters, e.g. the output of `openssl rand -base64 32`'),
  ),
  // Set by `npm start` (scripts/start.mjs) for its workers; `next dev` sets PORT.
  PATTERN_LEDGER_ORIGIN: optional(z.url()),
  PORT: optional(z.coerce.number().int().min(1).max(65_535)),
  SMTP_URL: optional(
    z
      .string()
      .trim()
      .refine((value) => {
        try {
          return ['smtp:', 'smtps:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587'),
  ),
  ALERT_MAIL_FROM: optional(z.string().trim().min(3).max(200)),
  ALERTS: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
  CAPTURE: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
  CAPTURE_INTERVAL_MS: optional(z.coerce.number().int().min(100).max(600_000)),
  CAPTURE_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
  CAPTURE_RATE_LIMIT: optional(z.coerce.number().int().min(1).max(10_000_000)),
  AUTH_URL: optional(
    z.url({ message: 'must be the URL people open, e.g. https://ledger.example.com' }),
  ),
  AUTH_SECRET_PREVIOUS: optional(z.string().trim().min(32, 'must be at least 32 characters')),
  SESSION_MAX_DAYS: optional(z.coerce.number().int().min(1).max(365)),
  WEBHOOK_ALLOW: optional(
    z
      .string()
      .max(10_000)
      .transform((value, ctx) => {
        try {
          return parseAllowList(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
  ),
});

export type Settings = {
  databaseUrl: string | undefined;
  /** A streaming replica of DATABASE_URL for page reads, exports and the read API (docs/scaling.md). */
  databaseReadUrl: string | undefined;
  pgliteDir: string;
  poolMax: number;
  /** A page's query running longer is cancelled, so a slow database cannot pile requests up. */
  statementTimeoutMs: number;
  /** `pgbouncer` when DATABASE_URL is a PgBouncer in transaction mode (docs/scaling.md). */
  pooler: 'pgbouncer' | undefined;
  /** How often the journals are folded into the rollups. */
  foldIntervalMs: number;
  /** Requests per API key per minute (per app process). */
  apiRateLimit: number;
  /** The largest request body the API accepts. */
  apiMaxBodyBytes: number;
  /** Signs sessions; required with DATABASE_URL, generated per data directory for the demo. */
  authSecret: string | undefined;
  /** The secret before a rotation: stored secrets sealed under it can still be read. */
  authSecretPrevious: string | undefined;
  /** A session ends this long after sign-in however active it is (seconds). */
  sessionMaxAgeSeconds: number;
  /** Where webhooks may go besides public addresses (WEBHOOK_ALLOW). */
  webhookPolicy: OutboundPolicy;
  authUrl: string | undefined;
  /** Where this server listens (http://host:port), when known. */
  ownOrigin: string | undefined;
  /** The mail server alert and report mails go through (nodemailer's URL form). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Whether this process evaluates alert rules and sends (off: the pages only). */
  alertsEnabled: boolean;
  /** Whether this process reads the tables in place and derives from captured events. */
  captureEnabled: boolean;
  captureIntervalMs: number;
  /** Captured events are kept this long (what they derived stays). */
  captureRetentionDays: number;
  /** Capture requests per key per minute (per app process): hooks come one per tool call. */
  captureRateLimit: number;
};

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Parses settings from `source`; throws a SettingsError naming every malformed one. */
export function parseSettings(source: Record<string, string | undefined>): Settings {
  const result = settingsSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new SettingsError(`Invalid environment setting:\n${problems.join('\n')}`);
  }
  if (result.data.DATABASE_READ_URL && !result.data.DATABASE_URL) {
    throw new SettingsError(
      'Invalid environment setting:\n  DATABASE_READ_URL: a replica of DATABASE_URL; set DATABASE_URL too (the embedded database has no replica)',
    );
  }
  if (result.data.DATABASE_URL && !result.data.AUTH_SECRET) {
    throw new SettingsError(
      'Invalid environment setting:\n  AUTH_SECRET: required when DATABASE_URL is set (at least 32 characters, e.g. `openssl rand -base64 32`)',
    );
  }
  return {
    authSecret: result.data.AUTH_SECRET,
    authSecretPrevious: result.data.AUTH_SECRET_PREVIOUS,
    sessionMaxAgeSeconds: (result.data.SESSION_MAX_DAYS ?? 30) * 86_400,
    webhookPolicy: result.data.WEBHOOK_ALLOW ?? { allow: [] },
    authUrl: result.data.AUTH_URL,
    ownOrigin:
      result.data.PATTERN_LEDGER_ORIGIN ??
      (result.data.PORT ? `http://127.0.0.1:${result.data.PORT}` : undefined),
    databaseUrl: result.data.DATABASE_URL,
    databaseReadUrl: result.data.DATABASE_URL ? result.data.DATABASE_READ_URL : undefined,
    pgliteDir: result.data.PGLITE_DIR ?? '.data/pglite',
    poolMax: result.data.DB_POOL_MAX ?? 10,
    statementTimeoutMs: result.data.DB_STATEMENT_TIMEOUT_MS ?? 15_000,
    foldIntervalMs: result.data.FOLD_INTERVAL_MS ?? 1000,
    pooler: result.data.DB_POOLER,
    apiRateLimit: result.data.API_RATE_LIMIT ?? 600,
    apiMaxBodyBytes: result.data.API_MAX_BODY_BYTES ?? 2 * 1024 * 1024,
    smtpUrl: result.data.SMTP_URL,
    mailFrom: result.data.ALERT_MAIL_FROM ?? 'Pattern Ledger <pattern-ledger@localhost>',
    alertsEnabled: result.data.ALERTS !== 'off',
    captureEnabled: result.data.CAPTURE !== 'off',
    captureIntervalMs: result.data.CAPTURE_INTERVAL_MS ?? 1000,
    captureRetentionDays: result.data.CAPTURE_RETENTION_DAYS ?? 90,
    captureRateLimit: result.data.CAPTURE_RATE_LIMIT ?? 120_000,
  };
}

const app = globalThis as typeof globalThis & { __patternLedgerSettings?: Settings };

/**
 * The process's settings, parsed from the environment once (at start-up: server-start.ts and each
 * script call it first, so a malformed setting stops them with a clear message).
 */
export function settings(): Settings {
  return (app.__patternLedgerSettings ??= parseSettings(process.env));
}

/** Parses the environment again: for tests that change a setting between cases. */
export function reloadSettings(): Settings {
  app.__patternLedgerSettings = undefined;
  return settings();
}
