import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources of every workspace (the `@citybay/source` export condition),
// so a change is tested without a rebuild; `npm test` still builds first to type-check.
export default defineConfig({
  resolve: { conditions: ['@citybay/source'] },
  ssr: { resolve: { conditions: ['@citybay/source'], externalConditions: ['@citybay/source'] } },
  test: {
    include: ['*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
