// One linter for the whole repo: ESLint's and typescript-eslint's recommended rules, type-aware promise rules, and
// the house rules that keep the architecture (docs/architecture.md) true: the dependency rule between workspaces
// and the purity of the core. Their rules are in lint/citybay-plugin.js; the policy they apply is the data below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import citybay from './lint/citybay-plugin.js';

/**
 * The dependency rule: which other workspaces each workspace may import (by package name, value or type).
 * A workspace must also declare each one it imports in its package.json.
 */
const DEPENDENCY_RULE = {
  common: [],
  proto: ['common'],
  'firmware-bridge': ['common'],
  guidance: ['common'],
  sim: ['common', 'guidance'],
  edge: ['common', 'proto', 'firmware-bridge', 'guidance'],
  central: ['common', 'proto', 'sim', 'guidance'],
  // Only scripts wires everything together (the demo, the twin, end-to-end tests).
  scripts: '*',
  // The tests of the lint rules themselves (lint/test) import no workspace.
  lint: [],
};

/**
 * Pure code, as regular expressions over repository paths: every `src/core/`, each package's error table, all of
 * sim except its shell (`cli/` reads and writes files, `pool/` runs threads, `queue/` talks to PostgreSQL,
 * `index.ts` re-exports), and all of guidance.
 */
const PURE_CODE = [
  '^[^/]+/src/core/',
  '^[^/]+/src/errors\\.ts$',
  '^sim/src/(?!cli/|pool/|queue/|index\\.ts$)',
  '^guidance/src/',
];

/** Packages pure code may not import (even through a path): I/O, logging, threads, process-wide registries. */
const IMPURE_MODULES = [
  'pino',
  'better-sqlite3',
  'pg',
  'pg-boss',
  'fastify',
  '@fastify',
  'serialport',
  '@serialport',
  'modbus-serial',
  'onoff',
  'epoll',
  'piscina',
  'prom-client',
  'playwright-core',
];

/** Node.js built-ins that compute without I/O, clock or randomness; pure code may import these and no other. */
const PURE_BUILTINS = ['assert', 'assert/strict', 'buffer', 'events', 'string_decoder', 'util'];

const TS_FILES = ['**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/gen/**', 'data/**', '**/*.snap'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    plugins: { citybay },
    rules: {
      // Logs go through pino; console output only from CLIs, scripts, benchmarks and tests.
      'no-console': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'citybay/dependency-rule': ['error', { allowed: DEPENDENCY_RULE }],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its rejection (an unhandled rejection ends the process),
    // and a promise passed where a callback's result is ignored does too.
    files: TS_FILES,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['*/src/**/*.ts'],
    rules: {
      'citybay/pure-core': ['error', { pure: PURE_CODE, impureModules: IMPURE_MODULES, pureBuiltins: PURE_BUILTINS }],
      // House style: split a module before it passes 500 lines of code (comments and blank lines do not count).
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/cli/**', '**/bench/**', 'scripts/**', '**/test/**', '**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
