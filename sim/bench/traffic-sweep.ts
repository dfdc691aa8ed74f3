// Benchmark: a sweep of 16 runs of the hospital district (4 policies × 4 seeds) on the worker pool with 2 threads,
// against the same 16 runs one after another, on a 1-thread pool (the same execution environment) and in the main
// thread. Target: ≥ 1.8× on 2 cores. Every path must give identical results.
//
// Two figures, because a pool lives in two ways. Cold: the first sweep of a new pool, worker start-up and V8's
// compilation of the model included, as one `citybay-sim sweep` command runs. Steady: sweeps on warmed pools, as on a
// long-lived pool (central's scenario API, a sweep of many variants).
//
// This VM's speed drifts by up to 2× from one second to the next (a pointer chase over 1 MB, or one district run,
// takes 80 ms in one second and 200 ms in the next, with nothing else running here: the host's caches are shared), so
// one sweep against another says little. The figure is the median of many per-round ratios, each round running the
// paths seconds apart in a rotating order, with a distribution-free 95% confidence interval of that median.
//
// It measures the built package (`npm run build` first), as `citybay-sim sweep` runs: from sources every worker
// would first load tsx and compile TypeScript, which no user's sweep does.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioResult, SimPool } from '../src/index.js';
import { medianWithInterval } from '@citybay/common/testing';

const built = new URL('../dist/', import.meta.url);
if (!existsSync(new URL('index.js', built))) {
  console.error('traffic-sweep: sim/dist is missing; run `npm run build` first');
  process.exit(1);
}
const { createSimPool, runScenario } = (await import(
  new URL('index.js', built).href
)) as typeof import('../src/index.js');
const { loadScenario } = (await import(
  new URL('cli/scenario-loader.js', built).href
)) as typeof import('../src/cli/scenario-loader.js');

const COLD_SAMPLES = Number(process.env.CB_BENCH_COLD_SAMPLES ?? 5);
const WARM_UP_ROUNDS = 3;
const ROUNDS = Number(process.env.CB_BENCH_ROUNDS ?? 41);
const scenario = loadScenario(new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname);
const policies = ['baseline', 'signs', 'shared-lots', 'spread'];
const gridOf = (seeds: number) =>
  policies.flatMap((policyName) => Array.from({ length: seeds }, (_, i) => ({ policyName, seed: i + 1 })));
const grid = gridOf(4);
// How a sweep from a fresh process scales with its size: each worker compiles the model on its own, which a long sweep
// pays back and a short one does not.
const LONG_COLD_RUNS = 128;
const LONG_COLD_SAMPLES = Number(process.env.CB_BENCH_LONG_COLD_SAMPLES ?? 2);
const longGrid = gridOf(LONG_COLD_RUNS / policies.length);

interface Timed {
  /** SHA-256 of the results: kept instead of the results, which would grow the heap the later sweeps collect. */
  digest: string;
  wallS: number;
  /** Process CPU seconds, all threads. */
  cpuS: number;
}

async function timed(sweep: () => ScenarioResult[] | Promise<ScenarioResult[]>): Promise<Timed> {
  // Let the previous sweep's concurrent GC and compiler tasks finish, so they do not land in this one's figure.
  await sleep(100);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await sweep();
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const digest = createHash('sha256').update(JSON.stringify(results)).digest('hex');
  return { digest, wallS, cpuS: (used.user + used.system) / 1e6 };
}

const inMain = () => grid.map((options) => runScenario(scenario, options));
const onPool =
  (pool: SimPool, runs = grid) =>
  () =>
    Promise.all(runs.map((options) => pool.runScenario({ scenario, options })));

/** A new pool's first sweep, timed from creating the pool; the pool is destroyed afterwards. */
async function coldSweep(threads: number, runs = grid): Promise<Timed> {
  let pool: SimPool | undefined;
  try {
    return await timed(() => {
      pool = createSimPool({ maxThreads: threads });
      return onPool(pool, runs)();
    });
  } finally {
    await pool?.destroy();
  }
}

const median = (values: number[]) => medianWithInterval(values).median;
const interval = (ratios: number[]) => {
  const { median: m, low, high } = medianWithInterval(ratios);
  return `×${m.toFixed(2)} (95% CI ×${low.toFixed(2)}–×${high.toFixed(2)}; rounds ×${Math.min(...ratios).toFixed(2)}–×${Math.max(...ratios).toFixed(2)})`;
};

console.log(
  `Sweep of ${grid.length} hospital-district runs (06:00–13:00, ~15k trips each); ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)}.`,
);
const mainCold = await timed(inMain);
// Cold pools alternate 1 and 2 threads, so drift in the machine's speed falls on both alike.
const cold = { one: [] as Timed[], two: [] as Timed[] };
for (let sample = 0; sample < COLD_SAMPLES; sample++) {
  cold.one.push(await coldSweep(1));
  cold.two.push(await coldSweep(2));
}
const longCold = { one: [] as Timed[], two: [] as Timed[] };
for (let sample = 0; sample < LONG_COLD_SAMPLES; sample++) {
  longCold.one.push(await coldSweep(1, longGrid));
  longCold.two.push(await coldSweep(2, longGrid));
}

const pools = { one: createSimPool({ maxThreads: 1 }), two: createSimPool({ maxThreads: 2 }) };
const steady = { main: [] as Timed[], one: [] as Timed[], two: [] as Timed[] };
try {
  // Untimed: V8 keeps tiering up and growing each worker's young generation over the first sweeps.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    inMain();
    await onPool(pools.one)();
    await onPool(pools.two)();
  }
  const paths = [
    async () => steady.main.push(await timed(inMain)),
    async () => steady.one.push(await timed(onPool(pools.one))),
    async () => steady.two.push(await timed(onPool(pools.two))),
  ];
  // The order rotates, so no path always runs right after another.
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < paths.length; k++) await paths[(round + k) % paths.length]!();
  }
} finally {
  await Promise.all([pools.one.destroy(), pools.two.destroy()]);
}

const runs = [...cold.one, ...cold.two, ...steady.main, ...steady.one, ...steady.two];
const isIdentical =
  runs.every((run) => run.digest === mainCold.digest) &&
  [...longCold.one, ...longCold.two].every((run) => run.digest === longCold.one[0]!.digest);
const wall = (list: Timed[]) => median(list.map((run) => run.wallS));
const cores = (list: Timed[]) => median(list.map((run) => run.cpuS / run.wallS));
const row = (label: string, coldWallS: number, list: Timed[]) =>
  `${label.padEnd(34)} cold ${coldWallS.toFixed(2)} s   steady ${wall(list).toFixed(3)} s (min ${Math.min(...list.map((r) => r.wallS)).toFixed(3)}, ${cores(list).toFixed(2)} cores busy)`;
console.log(row('one after another, main thread', mainCold.wallS, steady.main));
console.log(row('one after another, 1-thread pool', wall(cold.one), steady.one));
console.log(row('pool, 2 threads', wall(cold.two), steady.two));
const pairedRatios = (reference: Timed[], measured: Timed[]) =>
  reference.map((run, i) => run.wallS / measured[i]!.wallS);
console.log(
  `speed-up, steady (median of ${ROUNDS} rounds): ${interval(pairedRatios(steady.one, steady.two))} vs the 1-thread pool; ${interval(pairedRatios(steady.main, steady.two))} vs the main thread (target ≥ 1.8 on 2 cores)`,
);
console.log(
  `speed-up, cold (first sweep of a new pool, median of ${COLD_SAMPLES} pairs): ${interval(pairedRatios(cold.one, cold.two))} vs a new 1-thread pool`,
);
console.log(
  `speed-up, cold, ${longGrid.length} runs (median of ${LONG_COLD_SAMPLES} pairs): ${interval(pairedRatios(longCold.one, longCold.two))}; new 1-thread pool ${wall(longCold.one).toFixed(2)} s, 2 threads ${wall(longCold.two).toFixed(2)} s`,
);
console.log(`results identical on every path and round: ${isIdentical}; load average now ${loadavg()[0]!.toFixed(1)}`);
