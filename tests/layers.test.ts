/**
 * The layers import downward only (docs/architecture.md): the lint rule that says so must refuse
 * an import that goes up, and accept one that goes down.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..');

const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'import/no-restricted-paths')
    .map((message) => message.message);
}

describe('the import-boundary lint rule', { timeout: 60_000 }, () => {
  it.each([
    ['lib/time-range.ts', "import { getDb } from '@/server/database';", /lib\/ is pure/],
    ['lib/format.ts', "import { readRows } from '@/db/read-cache';", /lib\/ is pure/],
    ['db/sql.ts', "import { settings } from '@/server/settings';", /db\/ .*imports only lib/],
    ['server/action.ts', "import { SavingsLog } from '@/app/savings/savings-log';", /server\//],
    ['components/card.tsx', "import { getDb } from '@/server/database';", /server\/actions/],
    ['components/card.tsx', "import { TopList } from '@/app/savings/top-list';", /no route/],
  ])('refuses an upward import in %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, `${code}\nexport const probe = 1;\n`);
    expect(errors.length, code).toBe(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['app/page.tsx', "import { getDb } from '@/server/database';"],
    ['components/notes/note-editor.tsx', "import { saveNote } from '@/server/actions/notes';"],
    ['server/database.ts', "import { openDatabase } from '@/db/client';"],
    ['db/queries/time.ts', "import { rangeDays } from '@/lib/time-range';"],
  ])('accepts a downward import in %s', async (file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport const probe = 1;\n`)).toEqual([]);
  });
});

async function sqlErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the SQL-in-db-only lint rule', { timeout: 60_000 }, () => {
  it.each([
    ['app/alerts/actions.ts', "import { sql } from 'drizzle-orm';"],
    ['server/alerts/evaluate.ts', "import { sql } from 'drizzle-orm';"],
    ['server/rollup-folder.ts', "import { queryRows } from '@/db/sql';"],
  ])('refuses SQL in %s', async (file, code) => {
    const errors = await sqlErrors(
      file,
      `${code}\nexport const probe = [${code.includes('queryRows') ? 'queryRows' : 'sql'}];\n`,
    );
    expect(errors.length, code).toBe(1);
    expect(errors[0]).toMatch(/SQL belongs in db\/queries/);
  });

  it.each([
    [
      'server/api/export-route.ts',
      "import type { SQL } from 'drizzle-orm';\nexport type Probe = SQL;",
    ],
    [
      'db/mutations/alerts.ts',
      "import { sql } from 'drizzle-orm';\nexport const probe = sql`SELECT 1`;",
    ],
  ])('accepts a type in the server, and SQL in db/: %s', async (file, code) => {
    expect(await sqlErrors(file, `${code}\n`)).toEqual([]);
  });
});
