import { ManualClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type CentralConfig, loadConfig } from '../../src/config.js';
import { buildCentralApp, type CentralAppOptions } from '../../src/http/app.js';
import { ApiKeyring } from '../../src/io/api-keys.js';
import { createDayPlanner, type DayPlanner } from '../../src/io/day-planner.js';
import { basicAuthHeader, generateSecret, hashSecret } from '../../src/io/credentials.js';
import type { CentralStore } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { sampleSite, siteDefinitionFor } from './sample-site.js';

export const T0 = 1_795_000_000_000;
export const OPERATOR_KEY = 'cbk_operator-key-for-tests-only-0000000000000000';
export const ENGINEER_KEY = 'cbk_engineer-key-for-tests-only-0000000000000000';
export const HOSPITAL_KEY = 'cbk_hospital-key-for-tests-only-0000000000000000';

export interface TestApp {
  app: FastifyInstance;
  store: CentralStore;
  clock: ManualClock;
  config: CentralConfig;
  /** The app's appointment planner (what central's re-optimisation timer uses). */
  planner: DayPlanner;
  secret: string;
  auth: string;
  close(): Promise<void>;
}

/** The operator, engineer and hospital keys above. */
export function testKeyring(): ApiKeyring {
  return new ApiKeyring({
    keys: [
      { id: 'ops', role: 'operator', sha256: hashSecret(OPERATOR_KEY) },
      { id: 'traffic-team', role: 'engineer', sha256: hashSecret(ENGINEER_KEY) },
      { id: 'st-marys-pas', role: 'hospital', sites: ['hospital-north'], sha256: hashSecret(HOSPITAL_KEY) },
    ],
  });
}

/**
 * An app on `store` as it is (migrated, nothing added): another instance on a shared store, or central started
 * again on a reopened one. Closing the app leaves the store open.
 */
export async function makeAppOnStore(
  store: CentralStore,
  clock: ManualClock = new ManualClock(T0 + 60_000),
  overrides: Partial<Record<keyof CentralConfig, unknown>> = {},
): Promise<FastifyInstance> {
  await store.migrate();
  const config = loadConfig({}, { rateLimitPerMin: 1_000_000, failedLoginsPerMin: 1_000_000, ...overrides });
  const logger = pino({ level: 'silent' });
  const app = await buildCentralApp({ store, config, logger, clock, keyring: testKeyring() });
  await app.ready();
  return app;
}

/** An app on a fresh in-memory SQLite store with site `hospital-north` (SampleSite lots) and edge `edge-01`. */
export async function makeTestApp(
  overrides: Partial<Record<keyof CentralConfig, unknown>> = {},
  store: CentralStore = new SqliteStore({ path: ':memory:' }),
  plugins: CentralAppOptions['plugins'] = [],
): Promise<TestApp> {
  const config = loadConfig({}, { rateLimitPerMin: 1_000_000, failedLoginsPerMin: 1_000_000, ...overrides });
  const clock = new ManualClock(T0 + 60_000);
  await store.migrate();
  const definition = siteDefinitionFor(sampleSite());
  await store.putSite(definition, T0);
  await store.putSite({ ...definition, id: 'other-site', name: 'Other site' }, T0);
  const secret = generateSecret();
  await store.addEdge(definition.id, 'edge-01', hashSecret(secret), T0);
  const keyring = testKeyring();
  const planner = createDayPlanner({ store, clock, daysKept: config.allocatorDaysKept });
  const app = await buildCentralApp({
    store,
    config,
    logger: pino({ level: 'silent' }),
    clock,
    keyring,
    planner,
    plugins,
  });
  await app.ready();
  return {
    app,
    store,
    clock,
    config,
    planner,
    secret,
    auth: basicAuthHeader('edge-01', secret),
    close: async () => {
      await app.close();
      await planner.close();
      await store.close();
    },
  };
}
