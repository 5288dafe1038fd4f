/** The PostgreSQL error behind a failed query: Drizzle wraps the driver's error in `cause`. */
export type DatabaseErrorInfo = { message: string; code?: string; constraint?: string };

export function databaseErrorInfo(error: unknown): DatabaseErrorInfo {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const candidate = current as Error & {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
    };
    if (typeof candidate.code === 'string' && candidate.code.length > 0) {
      const constraint = candidate.constraint ?? candidate.constraint_name;
      return {
        message: candidate.message,
        code: candidate.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Digests the route error boundaries recognise (Next.js keeps a digest set on the error). */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
export const DATABASE_NOT_MIGRATED = 'DATABASE_NOT_MIGRATED';
export const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  readonly digest: string;
  constructor(message: string, digest = DATABASE_UNAVAILABLE, options?: { cause?: unknown }) {
    super(message, options);
    this.digest = digest;
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now (starting up)
  '53300', // too many connections
  '3D000', // database does not exist
  '28000', // invalid authorization
  '28P01', // invalid password
]);

/**
 * The error a page should show when a query fails: the database cannot be reached, a query ran
 * past the statement timeout, or the database lacks Pattern Ledger's tables; null for any other
 * failure (a bug, shown as such).
 */
export function classifyDatabaseError(error: unknown): DatabaseUnavailableError | null {
  if (error instanceof DatabaseUnavailableError) return error;
  const info = databaseErrorInfo(error);
  if (info.code && (CONNECTION_CODES.has(info.code) || info.code.startsWith('08'))) {
    return new DatabaseUnavailableError(
      `The database cannot be reached (${info.code}).`,
      DATABASE_UNAVAILABLE,
      { cause: error },
    );
  }
  if (info.code === '57014') {
    return new DatabaseUnavailableError(
      'A query ran past the statement timeout (DB_STATEMENT_TIMEOUT_MS).',
      DATABASE_TIMEOUT,
      { cause: error },
    );
  }
  if (info.code === '42P01') {
    return new DatabaseUnavailableError(
      'The database has no Pattern Ledger tables yet.',
      DATABASE_NOT_MIGRATED,
      { cause: error },
    );
  }
  return null;
}
