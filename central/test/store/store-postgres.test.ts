import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/store-postgres.js';
import { storeContract } from '../contract/store.contract.js';
import { isPostgresReachable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';

const reachable = await isPostgresReachable();

if (reachable) {
  storeContract('PostgreSQL', {
    open: async () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema: uniqueSchema('contract') }),
    cleanup: async (store) => {
      await (store as PostgresStore).dropSchema();
      await store.close();
    },
  });
} else {
  describe('CentralStore contract: PostgreSQL', () => {
    // In CI PostgreSQL must be there (.ci/run starts it): a missing server is a failure, not a skip.
    it.skipIf(!process.env.CI)('needs PostgreSQL at 127.0.0.1:5432 (database test)', () => {
      expect.fail(`PostgreSQL is unreachable at ${TEST_DATABASE_URL} while CI is set`);
    });
  });
}
