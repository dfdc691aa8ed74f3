import type { ManualClock } from '@citybay/common';
import type { CentralConfig } from '../../src/config.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../src/store/store-postgres.js';
import { TEST_DATABASE_URL, uniqueSchema } from './postgres.js';
import { makeAppOnStore } from './test-app.js';

/**
 * Two central apps, each on its own store (connection pool), sharing one fresh schema of the test database, as
 * two instances behind a load balancer. Call inside a `describe`: the apps are built before its tests and closed,
 * with the schema dropped, after them. The array fills in `beforeAll`. `overrides` set both apps' configuration.
 */
export function twoAppsOnOnePostgres(
  schemaPrefix: string,
  clock: ManualClock,
  overrides: Partial<Record<keyof CentralConfig, unknown>> = {},
): FastifyInstance[] {
  const schema = uniqueSchema(schemaPrefix);
  const stores: PostgresStore[] = [];
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const store = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
      stores.push(store);
      apps.push(await makeAppOnStore(store, clock, overrides));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await stores[0]?.dropSchema();
    for (const store of stores) await store.close();
  });
  return apps;
}
