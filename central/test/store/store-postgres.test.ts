import { PostgresStore } from '../../src/store/store-postgres.js';
import { storeContract } from '../contract/store.contract.js';
import { requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';

await requirePostgres();

storeContract('PostgreSQL', {
  open: async () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema: uniqueSchema('contract') }),
  cleanup: async (store) => {
    await (store as PostgresStore).dropSchema();
    await store.close();
  },
});
