/** Helpers shared by the command-line scripts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openDatabase } from '../db/client';
import type { DatabaseHandle } from '../db/types';
import { settings } from '../server/settings';

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(
  options: T,
  usage: string,
) {
  const values = (() => {
    try {
      return parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true }).values;
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
  })();
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** An error's message and the messages of its causes (PostgreSQL's own sits in Drizzle's `cause`). */
export function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    const message = current instanceof Error ? current.message : JSON.stringify(current);
    if (!lines.some((line) => line.includes(message)))
      lines.push(depth === 0 ? message : `caused by: ${message}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.exit(0);
  } catch (error) {
    console.error(`error: ${describeError(error)}`);
    process.exit(1);
  }
}

/**
 * Runs a script's work on the configured database (DATABASE_URL, else the embedded one), closes
 * it, and exits 0, or 1 with the error and its causes.
 */
export async function runWithDatabase(
  poolMax: number,
  work: (handle: DatabaseHandle) => Promise<void>,
): Promise<void> {
  await runMain(async () => {
    const env = settings();
    const handle = env.databaseUrl
      ? await openDatabase({
          kind: 'postgres',
          url: env.databaseUrl,
          poolMax,
          ...(env.pooler ? { pooler: env.pooler } : {}),
        })
      : await openDatabase({ kind: 'pglite', dir: env.pgliteDir });
    try {
      await work(handle);
    } finally {
      await handle.close();
    }
  });
}
