/** Signatures and vocabulary shaped like the real system's (see shared/reference/tables.md). */

const scopes = ['backend', 'frontend', 'both', 'all'] as const;

export const CORE_SIGNATURES: readonly string[] = [
  'sdlc:full:all',
  ...['pytest', 'vitest', 'jest', 'generic'].flatMap((tool) =>
    scopes.map((s) => `test:${tool}:${s}`),
  ),
  ...['typecheck', 'compile', 'bundle', 'generic'].flatMap((step) =>
    scopes.map((s) => `build:${step}:${s}`),
  ),
  ...['prettier', 'black', 'eslint', 'ruff'].map((tool) => `format:${tool}:all`),
  ...['diff', 'status', 'log'].map((cmd) => `git:${cmd}:summary`),
  'deps:npm:update',
  'deps:pip:update',
  'docs:generate:all',
  'deploy:ship:all',
  'review:code:all',
  'fix:bug',
  'fix:lint',
  'fix:typo',
  'refactor:rename',
  'refactor:extract',
  'chore:cleanup',
  'chore:release',
  'migrate:schema',
];

const verbs = [
  'add',
  'fix',
  'update',
  'remove',
  'refactor',
  'improve',
  'migrate',
  'document',
  'optimize',
  'validate',
  'split',
  'rename',
];
const nouns = [
  'dark-mode',
  'login-form',
  'api-client',
  'cost-report',
  'pattern-sync',
  'webhook-retry',
  'queue-worker',
  'settings-page',
  'rate-limiter',
  'csv-export',
  'search-index',
  'audit-log',
  'file-upload',
  'health-check',
  'session-timeout',
];

/** `workflow:<title>` signatures, as many as asked for, in a fixed order. */
export function workflowSignatures(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const verb = verbs[i % verbs.length] as string;
    const noun = nouns[Math.floor(i / verbs.length) % nouns.length] as string;
    const round = Math.floor(i / (verbs.length * nouns.length));
    out.push(`workflow:${verb}-${noun}${round > 0 ? `-${round + 1}` : ''}`);
  }
  return out;
}

export const KEYWORDS = [
  'test',
  'pytest',
  'build',
  'typecheck',
  'lint',
  'format',
  'deploy',
  'refactor',
  'bug',
  'migration',
  'api',
  'frontend',
  'backend',
  'docs',
];

export const FILES = [
  'app/server/core/pattern_persistence.py',
  'app/server/db/sync_manager.py',
  'app/client/src/App.tsx',
  'app/client/src/components/Panel.tsx',
  'adws/adw_sdlc_iso.py',
  'package.json',
  'pyproject.toml',
  'README.md',
  'tests/test_api.py',
];

export const TEMPLATES = [
  'adw_sdlc_iso',
  'adw_plan_build_iso',
  'adw_patch_iso',
  'adw_test_iso',
  'adw_review_iso',
];
export const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'];
export const REVIEWERS = ['maria@example.com', 'dev.lead@example.com', 'ops@example.com'];

export const NOTE_TEXTS = [
  'Verified against the run log.',
  'Tool output cached; retry avoided.',
  'Spec split into 3 chunks before planning.',
  'Estimate from a dry run; double-check before quoting.',
  'Baseline taken from the previous run of the same issue.',
  'Inverted flow: tool ran first, LLM only summarised.\nSee the review thread.',
  'Counts include cached prompt tokens.',
];
