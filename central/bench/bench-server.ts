// The server side of the sync benchmark, run in its own process so client and server do not share an
// event loop. Modes: `hello` (plain fastify hello world, the ceiling), `sqlite`, `postgres`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SampleSite } from '@citybay/proto/testing';
import { definitionFor } from './bench-site.js';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { hashSecret } from '../src/io/credentials.js';
import { startCentral } from '../src/main.js';
import type { CentralStore } from '../src/store/store.js';
import { PostgresStore } from '../src/store/store-postgres.js';
import { SqliteStore } from '../src/store/store-sqlite.js';

const [mode = 'sqlite', edgeCountText = '100', secret = '', databaseUrl = 'postgres://postgres@127.0.0.1:5432/test'] =
  process.argv.slice(2);
const edgeCount = Number(edgeCountText);

async function main(): Promise<void> {
  if (mode === 'hello') {
    const app = Fastify();
    app.get('/', async () => ({ hello: 'world' }));
    app.post('/', async () => ({ hello: 'world' }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    console.log(JSON.stringify({ ready: url }));
    return;
  }
  let store: CentralStore;
  let cleanup = async () => undefined as void;
  if (mode === 'postgres') {
    const schema = `bench_${process.pid}`;
    const pgStore = new PostgresStore({ connectionString: databaseUrl, schema, poolSize: 16 });
    store = pgStore;
    cleanup = async () => {
      const dropper = new PostgresStore({ connectionString: databaseUrl, schema });
      await dropper.dropSchema();
      await dropper.close();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'citybay-bench-'));
    store = new SqliteStore({ path: join(dir, 'central.db') });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  await store.migrate();
  const hash = hashSecret(secret);
  for (let i = 0; i < edgeCount; i++) {
    const site = new SampleSite({ bayCount: 500, siteId: `site-${i}`, edgeId: `edge-${i}` });
    await store.putSite(definitionFor(site), Date.now());
    await store.addEdge(site.siteId, site.edgeId, hash, Date.now());
  }
  const config = loadConfig({}, { port: 0, rateLimitPerMin: 100_000_000, logLevel: 'warn' });
  const central = await startCentral({ config, store, logger: pino({ level: 'warn' }) });
  console.log(JSON.stringify({ ready: central.url }));
  process.on('SIGTERM', () => {
    central
      .close()
      .then(cleanup)
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('bench-server: close failed', err);
          process.exit(1);
        },
      );
  });
}

await main();
