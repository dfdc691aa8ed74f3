// Sync ingest benchmark: many simulated edges speaking the real protocol (500-bay summaries from SampleSite,
// batches of 10) against central on loopback, for SQLite and PostgreSQL, beside a plain fastify hello world
// measured in the same run as the ceiling. With BENCH_AGAINST=<another checkout's central folder> it also runs
// this checkout against that one, side by side (sync-ab.ts): how a change of central is shown not to slow ingest.
import { cpus, loadavg } from 'node:os';
import { compareWith } from './sync-ab.js';
import {
  BATCH,
  closeClient,
  CONCURRENCY,
  EDGES,
  fmt,
  makeEdges,
  runHello,
  runSync,
  serverCpuS,
  startServer,
  stopServer,
} from './sync-client.js';

const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PACED_SUMMARIES_PER_S = 1_000;
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 8);
const AGAINST = process.env.BENCH_AGAINST;

async function main(): Promise<void> {
  if (EDGES < CONCURRENCY) throw new Error('BENCH_EDGES must be ≥ BENCH_CONCURRENCY (one batch in flight per edge)');
  console.log(
    `citybay central sync benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  console.log(
    `${EDGES} edges, 500-bay summaries, batches of ${BATCH}, ${CONCURRENCY} requests in flight; client and server in separate processes`,
  );
  // The machine may be shared: the load average says how far to trust the absolute figures.
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const modes = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');

  const hello = await startServer('hello');
  const helloRps = await runHello(hello.url, 4);
  await stopServer(hello);
  console.log(`\nceiling: plain fastify hello world            ${fmt(helloRps)} req/s`);

  const rows: string[] = [];
  for (const mode of modes) {
    const server = await startServer(mode);
    try {
      // Budget generously: 4,000 batches/s is far above what either store reaches here.
      const edges = makeEdges(4_000 * MAX_SECONDS + (PACED_SUMMARIES_PER_S / BATCH) * PACED_SECONDS + 100);
      await runSync(server.url, edges, 1); // warm-up: JIT, prepared statements, pool connections
      const cpuBefore = serverCpuS(server);
      const max = await runSync(server.url, edges, MAX_SECONDS);
      const cpuPerBatchMs = ((serverCpuS(server) - cpuBefore) * 1000) / max.requests;
      const paced = await runSync(server.url, edges, PACED_SECONDS, PACED_SUMMARIES_PER_S);
      const target = mode === 'sqlite' ? 20_000 : 10_000;
      rows.push(
        `${mode.padEnd(9)} max: ${fmt(max.summariesPerS).padStart(7)} summaries/s (${fmt(max.requestsPerS)} req/s = ${fmt((100 * max.requestsPerS) / helloRps, 1)}% of hello world) ` +
          `p50 ${fmt(max.p50Ms, 1)} ms p99 ${fmt(max.p99Ms, 1)} ms; server CPU ${fmt(cpuPerBatchMs, 2)} ms per batch ` +
          `[target ≥ ${fmt(target)}: ${max.summariesPerS >= target ? 'met' : 'NOT met'}]`,
        `${mode.padEnd(9)} paced ${fmt(paced.summariesPerS)} summaries/s: p50 ${fmt(paced.p50Ms, 1)} ms p99 ${fmt(paced.p99Ms, 1)} ms [target p99 ≤ 50 ms: ${paced.p99Ms <= 50 ? 'met' : 'NOT met'}]`,
      );
      console.log(rows.at(-2));
      console.log(rows.at(-1));
    } finally {
      await stopServer(server);
    }
    if (AGAINST) await compareWith(AGAINST, mode);
  }
  if (!AGAINST)
    console.log('(set BENCH_AGAINST=<another checkout>/central to compare this checkout with it side by side)');
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  closeClient();
}

await main();
