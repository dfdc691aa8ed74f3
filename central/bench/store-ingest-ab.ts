// The store's ingest path alone (no HTTP), this checkout against another one in the same process: both stores are
// fed the same batches round by round, in alternating order, so both see the same machine load; prints the
// median and mean CPU per batch of each and their ratio. For checking a store change against the code before it:
//   git worktree add /tmp/before <commit>   (and link node_modules)
//   BENCH_AGAINST=/tmp/before/central npm run bench:store-ab -w @citybay/central
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSyncRequest, type SyncRequest } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';
import { definitionFor } from './bench-site.js';
import type { CentralStore } from '../src/store/store.js';

const against = process.env.BENCH_AGAINST;
if (!against) throw new Error('BENCH_AGAINST: the central directory of the checkout to compare with');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const EDGES = 100;
const IN_FLIGHT = 32;
const DATABASE_URL = process.env.CITYBAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dirs: string[] = [];

async function open(centralDir: string, mode: string, tag: string): Promise<CentralStore> {
  if (mode === 'postgres') {
    const { PostgresStore } = await import(join(centralDir, 'src/store/store-postgres.ts'));
    const schema = `bench_ab_${tag}_${process.pid}`;
    return new PostgresStore({ connectionString: DATABASE_URL, schema, poolSize: 16 }) as CentralStore;
  }
  const dir = mkdtempSync(join(tmpdir(), 'citybay-bench-ab-'));
  dirs.push(dir);
  const { SqliteStore } = await import(join(centralDir, 'src/store/store-sqlite.ts'));
  return new SqliteStore({ path: join(dir, 'central.db') }) as CentralStore;
}

type Batch = { request: SyncRequest; body: Uint8Array };

/** A migrated store with 100 sites and edges, and each edge's batches (a snapshot, then change-only summaries). */
async function prepare(store: CentralStore): Promise<Batch[][]> {
  await store.migrate();
  const queues: Batch[][] = [];
  for (let i = 0; i < EDGES; i++) {
    const site = new SampleSite({ bayCount: 500, seed: i + 1, siteId: `site-${i}`, edgeId: `edge-${i}` });
    await store.putSite(definitionFor(site), 1);
    await store.addEdge(site.siteId, site.edgeId, 'a'.repeat(64), 1);
    const queue: Batch[] = [];
    let startMs = 1_795_000_000_000;
    for (let b = 0; b < ROUNDS + 5; b++) {
      const request = site.syncRequest(1 + b * 10, 10, 8, startMs);
      startMs += 50_000;
      queue.push({ request, body: encodeSyncRequest(request) });
    }
    queues.push(queue);
  }
  return queues;
}

let receivedMs = 1_795_000_000_000;
/** One batch per edge, 32 in flight (as the HTTP benchmark keeps them); the CPU ms per batch it took. */
async function round(store: CentralStore, queues: Batch[][]): Promise<number> {
  const before = process.cpuUsage();
  for (let e = 0; e < EDGES; e += IN_FLIGHT) {
    await Promise.all(
      queues.slice(e, e + IN_FLIGHT).map((queue) => {
        const { request, body } = queue.shift()!;
        return store.ingest(request, body, (receivedMs += 10));
      }),
    );
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / EDGES;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const pct = (x: number, ref: number) => `${x >= ref ? '+' : ''}${((x / ref - 1) * 100).toFixed(1)}%`;

console.log(`store ingest A/B: this checkout against ${against}; ${ROUNDS} rounds of ${EDGES} batches of 10`);
for (const mode of (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',')) {
  const here = await open(new URL('..', import.meta.url).pathname, mode, 'here');
  const other = await open(against, mode, 'other');
  const queues = [await prepare(here), await prepare(other)];
  const stores = [here, other];
  const cpuMs: [number[], number[]] = [[], []];
  for (let r = 0; r < 5; r++) for (const s of [0, 1]) await round(stores[s]!, queues[s]!);
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of r % 2 === 0 ? [0, 1] : [1, 0]) cpuMs[s]!.push(await round(stores[s]!, queues[s]!));
  }
  const [h, o] = cpuMs;
  console.log(
    `${mode.padEnd(9)} CPU per batch: this ${median(h).toFixed(3)} ms median (${mean(h).toFixed(3)} mean), ` +
      `other ${median(o).toFixed(3)} ms (${mean(o).toFixed(3)}): ${pct(median(h), median(o))} median, ${pct(mean(h), mean(o))} mean`,
  );
  for (const store of stores) {
    if ('dropSchema' in store) await (store as unknown as { dropSchema(): Promise<void> }).dropSchema();
    await store.close();
  }
}
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
