/**
 * Recognition rules: what a rule holds (the editor's and the actions' schema) and the rules that
 * ship. A rule's `match` is a PostgreSQL regular expression (case-insensitive, so `\m` and `\M`
 * mark word edges), because rules are applied in the database to every new event at once.
 */
import { z } from 'zod';
import { storableText } from '../text-safety';

export const MAX_RULES = 500;

/** `{scope}`, `{scope:backend}` (the default when neither operation nor folder says), `{1}`, `{2}`. */
const PLACEHOLDER = /\{(scope(:[a-z]+)?|1|2)\}/g;

/** Why a signature template is not one, or null. */
export function signatureProblem(template: string): string | null {
  const literal = template.replace(PLACEHOLDER, 'x');
  if (/[{}]/.test(literal))
    return 'Only {scope}, {scope:default}, {1} and {2} may stand in a signature.';
  if (!/^[a-z0-9_.-]+(:[a-z0-9_.-]+)+$/i.test(literal))
    return 'A signature is category:subtype:scope (letters, digits, . _ -), e.g. test:pytest:{scope}.';
  return null;
}

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('false'), z.boolean()])
  .optional()
  .transform((value) => value === true || value === 'on' || value === 'true');

export const captureRuleInput = z.object({
  name: storableText(z.string().trim().min(1, 'Name the rule.').max(80, 'At most 80 characters.')),
  toolName: storableText(
    z
      .string()
      .trim()
      .regex(/^(\*|[A-Za-z0-9_.:-]{1,64})$/, 'A tool name such as Bash, or * for any tool.'),
  ).default('Bash'),
  match: storableText(
    z.string().trim().min(1, 'Give the expression to match.').max(500, 'At most 500 characters.'),
  ),
  signature: storableText(z.string().trim().min(3).max(200)).superRefine((value, ctx) => {
    const problem = signatureProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  enabled: checkbox,
});
export type CaptureRuleInput = z.output<typeof captureRuleInput>;

export type RuleDefinition = Omit<CaptureRuleInput, 'enabled'>;

/**
 * The rules that ship, in the reference system's vocabulary (../shared/reference/tables.md). Each
 * matches the command of a Bash call; `{scope}` is backend or frontend when the command's paths or
 * its folder say so.
 */
export const DEFAULT_RULES: RuleDefinition[] = [
  {
    name: 'pytest',
    toolName: 'Bash',
    match: '\\mpytest\\M',
    signature: 'test:pytest:{scope:backend}',
  },
  {
    name: 'vitest',
    toolName: 'Bash',
    match: '\\mvitest\\M',
    signature: 'test:vitest:{scope:frontend}',
  },
  { name: 'jest', toolName: 'Bash', match: '\\mjest\\M', signature: 'test:jest:{scope:frontend}' },
  {
    name: 'package test script',
    toolName: 'Bash',
    match: '\\m(npm|pnpm|yarn|bun)\\s+(run\\s+)?test\\M',
    signature: 'test:generic:{scope}',
  },
  {
    name: 'type check',
    toolName: 'Bash',
    match: '\\mtsc\\M.*--noEmit|\\m(vue-tsc|mypy|pyright)\\M',
    signature: 'build:typecheck:{scope}',
  },
  {
    name: 'bundle build',
    toolName: 'Bash',
    match: '\\m(npm|pnpm|yarn|bun)\\s+run\\s+build\\M|\\m(vite|next)\\s+build\\M',
    signature: 'build:bundle:{scope:frontend}',
  },
  {
    name: 'formatters and linters',
    toolName: 'Bash',
    match: '\\m(ruff|black|prettier|eslint)\\M',
    signature: 'format:{1}:all',
  },
  {
    name: 'git summary',
    toolName: 'Bash',
    match: '\\mgit\\s+(diff|status|log)\\M',
    signature: 'git:{1}:summary',
  },
  {
    name: 'npm dependencies',
    toolName: 'Bash',
    match: '\\m(npm|pnpm|yarn)\\s+(install|i|ci|add|update|upgrade)\\M',
    signature: 'deps:npm:update',
  },
  {
    name: 'pip dependencies',
    toolName: 'Bash',
    match: '\\m(pip3?|poetry)\\s+(install|add|update)\\M|\\muv\\s+(sync|add|pip\\s+install)\\M',
    signature: 'deps:pip:update',
  },
];

/** Bumped when DEFAULT_RULES changes, so a database gets the new ones once. */
export const DEFAULT_RULES_VERSION = 1;
