import { z } from 'zod';

/** `memory://` keeps the embedded database in memory (tests); anything else is a directory. */
export const PGLITE_MEMORY = 'memory://';

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

const envSchema = z.object({
  DATABASE_URL: optional(postgresUrl),
  PGLITE_DIR: optional(z.string().trim().min(1)),
  DB_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
});

export type Env = {
  databaseUrl: string | undefined;
  pgliteDir: string;
  poolMax: number;
};

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the settings; throws an EnvError naming every malformed one. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new EnvError(`Invalid environment setting:\n${problems.join('\n')}`);
  }
  return {
    databaseUrl: result.data.DATABASE_URL,
    pgliteDir: result.data.PGLITE_DIR ?? '.data/pglite',
    poolMax: result.data.DB_POOL_MAX ?? 10,
  };
}
