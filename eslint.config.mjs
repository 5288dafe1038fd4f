import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';

/**
 * The layers, each importing only those below it (docs/architecture.md):
 * app → components → server → db → lib. Components may use the shared server actions
 * (server/actions) and nothing else of the server; lib imports nothing of the project above it.
 */
const layers = {
  files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
  settings: {
    'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
  },
  rules: {
    'import/no-restricted-paths': [
      'error',
      {
        zones: [
          {
            target: './lib',
            from: ['./app', './components', './server', './db', './scripts', './bench'],
            message: 'lib/ is pure: it imports nothing of the layers above it.',
          },
          {
            target: './db',
            from: ['./app', './components', './server', './scripts', './bench'],
            message: 'db/ opens connections, reads and writes; it imports only lib/.',
          },
          {
            target: './server',
            from: ['./app', './components', './scripts', './bench'],
            message: 'server/ imports only db/ and lib/.',
          },
          {
            target: './components',
            from: ['./app', './scripts', './bench'],
            message: 'components/ are UI: they import no route.',
          },
          {
            target: './components',
            from: './server',
            except: ['./actions'],
            message:
              'components/ are UI: of the server they may use only the shared actions (server/actions).',
          },
        ],
      },
    ],
  },
};

/**
 * SQL lives in db/ alone: reads in db/queries, writes in db/mutations. Routes and the server
 * compose them; a type (`SQL`) may pass through.
 */
const sqlInDbOnly = {
  files: ['app/**/*.ts', 'app/**/*.tsx', 'server/**/*.ts', 'server/**/*.tsx'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: 'drizzle-orm',
            allowTypeImports: true,
            message:
              'SQL belongs in db/queries (reads) or db/mutations (writes), not in app/ or server/.',
          },
          {
            name: '@/db/sql',
            message:
              'SQL belongs in db/queries (reads) or db/mutations (writes), not in app/ or server/.',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      '.next-e2e/**',
      '.next-bench/**',
      'node_modules/**',
      '.data/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  ...nextVitals,
  ...nextTypescript,
  layers,
  sqlInDbOnly,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { drizzle },
    rules: {
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
