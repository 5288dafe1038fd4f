/**
 * Carries out an attach plan (plan.ts), step by step, telling what it does. A step that takes a
 * lock on an agents' table waits at most LOCK_TIMEOUT for it and is tried again, so an agent's
 * write waits at most that long, once; indexes are built CONCURRENTLY. A failure names the step,
 * the statement and PostgreSQL's own message.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../types';
import { databaseErrorInfo } from '../errors';
import { rebuildRollups } from '../rollups/runner';
import type { Plan, Step } from './plan';

const LOCK_TIMEOUT = '100ms';
const LOCK_ATTEMPTS = 600;
const LOCK_NOT_AVAILABLE = '55P03';

export class AttachError extends Error {
  override name = 'AttachError';
  constructor(
    readonly step: string,
    readonly statement: string | undefined,
    readonly reason: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(
      [
        `could not ${step}`,
        `  PostgreSQL says: ${reason}`,
        ...(statement ? [`  while running: ${statement.split('\n')[0]!.slice(0, 200)}`] : []),
        `  ${hint}`,
      ].join('\n'),
      options,
    );
  }
}

const HINTS: Record<string, string> = {
  '42501':
    'The database user lacks a privilege: run `npm run db:migrate` as the owner of the tracking tables.',
  '42P07': 'An object with that name exists already: was it created by hand?',
  '42883': 'A function or operator for these column types is missing: report the column types.',
  '55P03': 'The table stayed locked by other sessions: try again when the agents are quieter.',
};

function hintFor(code: string | undefined): string {
  return (
    (code && HINTS[code]) ??
    'Nothing of this step was kept. Check the message above; `npm run db:migrate -- --dry-run` lists every step.'
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runStep(db: Database, step: Step): Promise<void> {
  if (step.concurrently) {
    for (const statement of step.statements) await db.execute(sql.raw(statement));
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction(async (tx) => {
        if (step.briefLock) await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`));
        for (const statement of step.statements) await tx.execute(sql.raw(statement));
      });
      return;
    } catch (error) {
      if (!step.briefLock || databaseErrorInfo(error).code !== LOCK_NOT_AVAILABLE) throw error;
      if (attempt >= LOCK_ATTEMPTS) throw error;
      await sleep(Math.min(50 * attempt, 1000));
    }
  }
}

export async function applyPlan(
  db: Database,
  plan: Plan,
  log: (message: string) => void = () => {},
): Promise<void> {
  for (const step of plan.steps) {
    const started = performance.now();
    try {
      if (step.kind === 'rebuild') await rebuildRollups(db);
      else await runStep(db, step);
    } catch (error) {
      const info = databaseErrorInfo(error);
      throw new AttachError(
        step.title,
        step.statements.find((s) => s.length > 0),
        info.message,
        hintFor(info.code),
        { cause: error },
      );
    }
    log(`${step.title} (${Math.round(performance.now() - started)} ms)`);
  }
}
