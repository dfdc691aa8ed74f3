// One linter for the whole repo: ESLint's and typescript-eslint's recommended rules plus the house rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/gen/**', 'data/**', '**/*.snap'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      // Logs go through pino; console output only from CLIs, scripts, benchmarks and tests.
      'no-console': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(common|proto|firmware-bridge|edge|sim|central|scripts)/(src|dist)/',
              message: 'Import another package by its name (its exports), never by a path into its src/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/cli/**', '**/bench/**', 'scripts/**', '**/test/**', '**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
