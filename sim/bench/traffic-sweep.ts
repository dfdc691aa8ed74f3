// Benchmark: a sweep of 16 runs of the hospital district (4 policies × 4 seeds) on the worker pool with 2 threads,
// against the same 16 runs one after another, on a 1-thread pool (the same execution environment) and in the main
// thread. Target: ≥ 1.8× on 2 cores. Every path must give identical results.
//
// Two figures, because a pool lives in two ways. Cold: the first sweep of a new pool, worker start-up and V8's
// compilation of the model included, as one `citybay-sim sweep` command runs. Steady: sweeps on warmed pools, as on a
// long-lived pool (central's scenario API, a sweep of many variants); the median of several interleaved sweeps, so one
// noisy sweep does not decide the figure (single sweeps on this 2-vCPU VM vary by ±20%).
//
// It measures the built package (`npm run build` first), as `citybay-sim sweep` runs: from sources every worker
// would first load tsx and compile TypeScript, which no user's sweep does.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioResult, SimPool } from '../src/index.js';

const built = new URL('../dist/', import.meta.url);
if (!existsSync(new URL('index.js', built))) {
  console.error('traffic-sweep: sim/dist is missing; run `npm run build` first');
  process.exit(1);
}
const { createSimPool, runScenario } = (await import(new URL('index.js', built).href)) as typeof import('../src/index.js');
const { loadScenario } = (await import(new URL('cli/scenario-loader.js', built).href)) as typeof import(
  '../src/cli/scenario-loader.js'
);

const WARM_UP_ROUNDS = 3;
const ROUNDS = 9;
const scenario = loadScenario(new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname);
const policies = ['baseline', 'signs', 'shared-lots', 'spread'];
const grid = policies.flatMap((policyName) => [1, 2, 3, 4].map((seed) => ({ policyName, seed })));

interface Timed {
  /** SHA-256 of the results: kept instead of the results, which would grow the heap the later sweeps collect. */
  digest: string;
  wallS: number;
  /** Process CPU seconds, all threads. */
  cpuS: number;
}

async function timed(sweep: () => ScenarioResult[] | Promise<ScenarioResult[]>): Promise<Timed> {
  // Let the previous sweep's concurrent GC and compiler tasks finish, so they do not land in this one's figure.
  await sleep(250);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await sweep();
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const digest = createHash('sha256').update(JSON.stringify(results)).digest('hex');
  return { digest, wallS, cpuS: (used.user + used.system) / 1e6 };
}

const inMain = () => grid.map((options) => runScenario(scenario, options));
const onPool = (pool: SimPool) => () => Promise.all(grid.map((options) => pool.runScenario({ scenario, options })));

/** A new pool's first sweep, timed from creating the pool. */
async function coldSweep(threads: number): Promise<{ pool: SimPool; run: Timed }> {
  let pool: SimPool | undefined;
  const run = await timed(() => {
    pool = createSimPool({ maxThreads: threads });
    return onPool(pool)();
  });
  return { pool: pool!, run };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

console.log(
  `Sweep of ${grid.length} hospital-district runs (06:00–13:00, ~15k trips each); ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)}.`,
);
const mainCold = await timed(inMain);
const one = await coldSweep(1);
const two = await coldSweep(2);
const steady = { main: [] as Timed[], one: [] as Timed[], two: [] as Timed[] };
try {
  // Untimed: V8 keeps tiering up and growing each worker's young generation over the first sweeps.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    inMain();
    await onPool(one.pool)();
    await onPool(two.pool)();
  }
  for (let round = 0; round < ROUNDS; round++) {
    steady.main.push(await timed(inMain));
    steady.one.push(await timed(onPool(one.pool)));
    steady.two.push(await timed(onPool(two.pool)));
  }
} finally {
  await Promise.all([one.pool.destroy(), two.pool.destroy()]);
}

const runs = [one.run, two.run, ...steady.main, ...steady.one, ...steady.two];
const isIdentical = runs.every((run) => run.digest === mainCold.digest);
const wall = (list: Timed[]) => median(list.map((run) => run.wallS));
const cores = (list: Timed[]) => median(list.map((run) => run.cpuS / run.wallS));
const row = (label: string, cold: Timed, list: Timed[]) =>
  `${label.padEnd(34)} cold ${cold.wallS.toFixed(2)} s   steady ${wall(list).toFixed(3)} s (min ${Math.min(...list.map((r) => r.wallS)).toFixed(3)}, ${cores(list).toFixed(2)} cores busy)`;
console.log(row('one after another, main thread', mainCold, steady.main));
console.log(row('one after another, 1-thread pool', one.run, steady.one));
console.log(row('pool, 2 threads', two.run, steady.two));
// Each round's ratio pairs sweeps run seconds apart, so drift in the machine's speed over the run cancels out.
const ratios = (reference: Timed[]) => reference.map((run, i) => run.wallS / steady.two[i]!.wallS);
const spread = (list: number[]) =>
  `×${median(list).toFixed(2)} (rounds ×${Math.min(...list).toFixed(2)}–×${Math.max(...list).toFixed(2)})`;
console.log(
  `speed-up, steady (median of ${ROUNDS} interleaved rounds): ${spread(ratios(steady.one))} vs the 1-thread pool, ${spread(ratios(steady.main))} vs the main thread (target ≥ 1.8 on 2 cores)`,
);
console.log(
  `speed-up, cold (first sweep): ×${(one.run.wallS / two.run.wallS).toFixed(2)} vs the 1-thread pool, ×${(mainCold.wallS / two.run.wallS).toFixed(2)} vs the main thread`,
);
console.log(`results identical on every path and round: ${isIdentical}; load average now ${loadavg()[0]!.toFixed(1)}`);
