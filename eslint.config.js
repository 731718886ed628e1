import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Chat platforms, drivers and the clock: only adapters (and db/ for the drivers) may know them. */
const PLATFORMS = {
  group: ['@slack/*', 'botbuilder*', 'postgres', 'node-cron', '@electric-sql/*'],
  message: 'src/ imports no platform: an adapter translates for it.',
};
const DATABASE = {
  group: ['drizzle-orm', 'drizzle-orm/*'],
  message: 'Only db/ speaks SQL: ask a port in src/app/ports (db/ implements it).',
};
const DB_MODULES = {
  regex: '(^|/)db/',
  message: 'Only db/ speaks SQL: ask a port in src/app/ports (db/ implements it).',
};
const ADAPTER_MODULES = {
  regex: '(^|/)adapters/',
  message: 'The application never knows its surfaces: adapters call src/app, never the reverse.',
};

/**
 * On Node 20 the first AsyncLocalStorage run turns on a hook for every promise the process makes from then
 * on (≈3 % of the bot's CPU per decision): what a transaction needs after its commit goes through
 * `repos.afterCommit` instead.
 */
const ASYNC_CONTEXT = {
  group: ['node:async_hooks', 'async_hooks'],
  message: 'No async context on the bot: pass what a call needs (repos.afterCommit after a commit).',
};

/** Who may do what is decided once, in src/domain/permissions.ts; everywhere else asks it. */
const PERMISSION_CHECKS = [
  {
    selector:
      "CallExpression[callee.property.name='has'][callee.object.property.name=/^(adminOf|globalRoles)$/]",
    message: 'A permission rule: use (or add) a function of src/domain/permissions.ts.',
  },
  {
    selector: "SpreadElement > MemberExpression[property.name='adminOf']",
    message: 'A permission rule: use (or add) a function of src/domain/permissions.ts.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'db/migrations', '.data', 'bench/results.json', 'coverage', 'dist', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [PLATFORMS, DATABASE, DB_MODULES, ADAPTER_MODULES, ASYNC_CONTEXT] },
      ],
    },
  },
  {
    // The domain is pure: nothing of ours but itself, no platform, no I/O.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            PLATFORMS,
            DATABASE,
            { group: ['pg*', 'node:*'], message: 'The domain is pure: no I/O.' },
            { regex: '^\\.\\./', message: 'src/domain imports only src/domain.' },
          ],
        },
      ],
    },
  },
  {
    files: ['adapters/**/*.ts'],
    ignores: ['adapters/cli/compose.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DATABASE, DB_MODULES, ASYNC_CONTEXT] }] },
  },
  {
    files: ['db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ADAPTER_MODULES, ASYNC_CONTEXT] }] },
  },
  {
    files: ['src/**/*.ts', 'adapters/**/*.ts'],
    ignores: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PERMISSION_CHECKS] },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' } },
);
