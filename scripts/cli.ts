/** Helpers shared by the command-line scripts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
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
