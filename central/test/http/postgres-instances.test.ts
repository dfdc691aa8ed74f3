import { decodeSyncResponse, encodeSyncRequest } from '@citybay/proto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { basicAuthHeader, generateSecret, hashSecret } from '../../src/io/credentials.js';
import { type RunningCentral, startCentral } from '../../src/main.js';
import { PostgresStore } from '../../src/store/store-postgres.js';
import { requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';
import { T0 } from '../helpers/test-app.js';

await requirePostgres();

describe('two central instances sharing one PostgreSQL database', () => {
  const schema = uniqueSchema('instances');
  const secret = generateSecret();
  const auth = basicAuthHeader('edge-01', secret);
  const centrals: RunningCentral[] = [];

  beforeAll(async () => {
    const admin = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    await admin.migrate();
    await admin.putSite(siteDefinitionFor(sampleSite()), T0);
    await admin.addEdge('hospital-north', 'edge-01', hashSecret(secret), T0);
    await admin.close();
    for (let i = 0; i < 2; i++) {
      centrals.push(
        await startCentral({
          config: loadConfig({}, { port: 0, databaseUrl: TEST_DATABASE_URL }),
          logger: pino({ level: 'silent' }),
          store: new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
        }),
      );
    }
  });
  afterAll(async () => {
    for (const c of centrals) await c.close();
    const cleanup = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    await cleanup.dropSchema();
    await cleanup.close();
  });

  const sync = async (central: RunningCentral, body: Uint8Array) => {
    const res = await fetch(`${central.url}/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: auth },
      body,
    });
    expect(res.status).toBe(200);
    return decodeSyncResponse(new Uint8Array(await res.arrayBuffer()));
  };

  it('acknowledges the same batch sent to both at once exactly once, and continues on either', async () => {
    const site = sampleSite();
    const body = encodeSyncRequest(site.syncRequest(1, 10, 10, T0));
    const answers = await Promise.all(centrals.map((c) => sync(c, body)));
    expect(answers.map((a) => a.ackedSeq)).toEqual([10, 10]);
    const next = await sync(centrals[1]!, encodeSyncRequest(site.syncRequest(11, 10, 10, T0 + 50_000)));
    expect(next.ackedSeq).toBe(20);
    const again = await sync(centrals[0]!, encodeSyncRequest(site.syncRequest(21, 5, 10, T0 + 100_000)));
    expect(again).toMatchObject({ ackedSeq: 25 });
    expect(await centrals[0]!.store.listRawBatches('edge-01')).toEqual([
      [1, 10],
      [11, 20],
      [21, 25],
    ]);
    const lots = await (await fetch(`${centrals[1]!.url}/v1/sites/hospital-north/zones`)).json();
    const free = (lots as { zones: Array<{ free: number }> }).zones.reduce((n, z) => n + z.free, 0);
    expect(free).toBe(site.states.reduce((n, s) => n + (s === 1 ? 1 : 0), 0));
  });
});
