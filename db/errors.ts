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
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
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
