/**
 * Every `npm run` command that runs TypeScript through tsx loads outside Next.js: a module it
 * imports that is marked `server-only` (without `--conditions=react-server`) would stop it
 * before it parses its arguments.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '..');
const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
const tsxScripts = Object.entries(scripts).filter(([, command]) => command.startsWith('tsx '));

describe('the command-line scripts', { timeout: 120_000 }, () => {
  it('are found in package.json', () => {
    expect(tsxScripts.map(([name]) => name)).toEqual(
      expect.arrayContaining(['db:migrate', 'db:seed', 'user:create', 'capture:remove', 'bench']),
    );
  });

  it.each(tsxScripts)('npm run %s loads and prints its usage', async (_, command) => {
    const args = [...command.split(' ').slice(1), '--help'];
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'production' },
    });
    expect(stdout).toMatch(/^Usage: /);
  });
});
