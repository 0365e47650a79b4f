// Lint keeps three promises: no promise is left floating (a background failure must be handled, not
// thrown into the event loop), the domain core stays pure (no SDK, database or Node I/O imports),
// so botbuilder, Graph and the store can be swapped behind their adapters, and use cases and HTTP
// handlers hold no SQL (every statement is in a repository under src/adapters/store). Layout is
// Prettier's (`npm run format`; `npm run lint` checks it), imports sorted by simple-import-sort.
import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'devTools/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettierConfig,
  {
    // Issue #14 item 11: imports in one order everywhere (autofixed by `npm run format`).
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: { 'simple-import-sort/imports': 'error', 'simple-import-sort/exports': 'error' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', 'botframework-*', '@microsoft/*', '@azure/*', 'express', 'pg', '@electric-sql/*', 'pino'],
              message: 'The domain core is pure: adapters own SDKs and I/O.',
            },
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto', 'child_process'],
              message: 'The domain core does no I/O; pass what it needs in.',
            },
            { group: ['**/adapters/**', '**/app/**', '**/http/**'], message: 'The domain depends on nothing outside itself.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/config.ts reads the environment.' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Domain code never reads the wall clock: take `now` as an argument.',
        },
      ],
    },
  },
  {
    // Issue #14 item 7: SQL lives in one place per aggregate (pg-boss's plans.ts). Use cases and
    // handlers call repository functions, passing the transaction they hold.
    files: ['src/app/**/*.ts', 'src/http/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message:
            'SQL lives in the store: add a function to a repository in src/adapters/store/ and call it (with the transaction you hold).',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { URL: 'readonly', console: 'readonly', process: 'readonly' } },
  },
);
