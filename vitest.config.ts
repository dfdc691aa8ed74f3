import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources of every workspace (the `@citybay/source` export condition),
// so a change is tested without a rebuild; `npm test` still builds first to type-check.
//
// Most test files wait far more than they compute (child processes, sockets, PostgreSQL, Chromium), so they run
// several at a time even on 2 cores (vitest's default there is one). The files that need the machine to themselves
// run afterwards, one at a time: the whole-stack tests hold latency deadlines for six processes, and the serial fuzz
// suite answers over ptys within 15 ms timeouts (a reply late by more than that is, on a real RTU line too, taken
// for the next request's). CITYBAY_TEST_WORKERS sets how many run at a time.
const EXCLUSIVE = ['scripts/test/**/*.e2e.test.ts', 'firmware-bridge/test/serial-bytes.fuzz.test.ts'];
const workers = Number(process.env.CITYBAY_TEST_WORKERS ?? Math.max(3, availableParallelism() + 1));

export default defineConfig({
  resolve: { conditions: ['@citybay/source'] },
  ssr: { resolve: { conditions: ['@citybay/source'], externalConditions: ['@citybay/source'] } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'concurrent',
          include: ['*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...EXCLUSIVE],
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'exclusive',
          include: EXCLUSIVE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
