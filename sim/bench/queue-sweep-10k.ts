// Benchmark of a 10,000-run sweep through the queue (issue 19: "a 10,000-run sweep must end with its report"), on
// runs of about a millisecond (the tiny test fixture), so it times the queue's machinery per run: submitting the
// jobs, a worker taking them (in batches, or one at a time with CB_BENCH_BATCH=1), storing and completing them,
// and reading and decoding the 10,000 results. One in-process worker on a 2-thread pool, the same process following.
//
//   node --conditions=@citybay/source --import tsx sim/bench/queue-sweep-10k.ts
//   CB_BENCH_RUNS (default 10,000), CB_BENCH_BATCH (most runs a worker takes at once; default the worker's 50)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { loadScenario } from '../src/cli/scenario-loader.js';
import { createSimPool } from '../src/pool/sim-pool.js';
import { getSweep, QueueWorker, readSweepResults, SimQueue, submitSweep } from '../src/queue/index.js';

const DATABASE_URL = process.env.CITYBAY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.CB_BENCH_RUNS ?? 10_000);
const BATCH = process.env.CB_BENCH_BATCH === undefined ? undefined : Number(process.env.CB_BENCH_BATCH);
const scenario = loadScenario(new URL('../test/fixtures/tiny/scenario.yaml', import.meta.url).pathname);
const policies = scenario.document.policies.map((p) => p.name);
const runs = Array.from({ length: RUNS }, (_, i) => ({
  policyName: policies[i % policies.length]!,
  seed: 1 + Math.floor(i / policies.length),
}));
const schema = `qbench_10k_${randomBytes(3).toString('hex')}`;
const loadAtStart = loadavg()[0]!;
const queue = await SimQueue.open({ databaseUrl: DATABASE_URL, schema });
const pool = createSimPool({ maxThreads: 2 });
const worker = new QueueWorker({
  queue,
  pool,
  idlePollMs: 20,
  ...(BATCH === undefined ? {} : { maxBatchRuns: BATCH }),
});
try {
  const startedMs = performance.now();
  const id = await submitSweep(queue, { scenario, runs });
  const submittedMs = performance.now();
  worker.start();
  while ((await getSweep(queue, id)).state !== 'done') await new Promise((resolve) => setTimeout(resolve, 50));
  const ranMs = performance.now();
  const results = await readSweepResults(queue, id);
  const readMs = performance.now();
  if (results.length !== RUNS) throw new Error(`read ${results.length} results of ${RUNS}`);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `FIGURE queue sweep of ${RUNS} tiny runs, batches of at most ${BATCH ?? 'the default 50'}: ${s(readMs - startedMs)} ` +
      `(submit ${s(submittedMs - startedMs)}, runs ${s(ranMs - submittedMs)}: ${((ranMs - submittedMs) / RUNS).toFixed(2)} ms a run, ` +
      `read and decode ${s(readMs - ranMs)}); load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
  );
} finally {
  await worker.stop(10_000);
  await pool.destroy();
  await queue.sql(`DROP SCHEMA ${schema} CASCADE`);
  await queue.close();
}
