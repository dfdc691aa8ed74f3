// Benchmark: a sweep of 16 runs of the hospital district (policies × seeds) on the worker pool with 2 threads,
// against the same 16 runs one after another (on a 1-thread pool, the same execution environment, and in the main
// thread). Target: ≥ 1.8× on 2 cores. Every path must give identical results.
import { availableParallelism, loadavg } from 'node:os';
import { loadScenario } from '../src/cli/scenario-loader.js';
import { createSimPool } from '../src/pool/sim-pool.js';
import { runScenario, type ScenarioResult } from '../src/scenario/run-scenario.js';

const scenario = loadScenario(new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname);
const policies = ['baseline', 'signs', 'shared-lots', 'spread'];
const grid = policies.flatMap((policyName) => [1, 2, 3, 4].map((seed) => ({ policyName, seed })));

/** Process CPU seconds (all threads) since `from`. */
function cpuS(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

async function onPool(threads: number): Promise<{ results: ScenarioResult[]; wallS: number; cpuS: number }> {
  const pool = createSimPool({ maxThreads: threads });
  try {
    // Two warm-up rounds so every worker has booted and compiled before timing starts.
    for (let round = 0; round < 2; round++) {
      await Promise.all(grid.slice(0, threads * 2).map((options) => pool.runScenario({ scenario, options })));
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    const results = await Promise.all(grid.map((options) => pool.runScenario({ scenario, options })));
    return { results, wallS: (performance.now() - started) / 1000, cpuS: cpuS(cpu) };
  } finally {
    await pool.destroy();
  }
}

console.log(
  `Sweep of ${grid.length} hospital-district runs (06:00–13:00, ~14k trips each); ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} (shared with other jobs).`,
);
runScenario(scenario, grid[0]!);
const started = performance.now();
const mainCpu = process.cpuUsage();
const inMain = grid.map((options) => runScenario(scenario, options));
const mainS = (performance.now() - started) / 1000;
const mainCpuS = cpuS(mainCpu);
const one = await onPool(1);
const two = await onPool(2);
const isIdentical = JSON.stringify(inMain) === JSON.stringify(one.results) && JSON.stringify(one.results) === JSON.stringify(two.results);
console.log(`one after another, main thread   : ${mainS.toFixed(2)} s wall, ${mainCpuS.toFixed(2)} s CPU`);
console.log(`one after another, 1-thread pool : ${one.wallS.toFixed(2)} s wall, ${one.cpuS.toFixed(2)} s CPU`);
console.log(`pool, 2 threads                  : ${two.wallS.toFixed(2)} s wall, ${two.cpuS.toFixed(2)} s CPU (${(two.cpuS / two.wallS).toFixed(2)} cores busy on average)`);
console.log(`speed-up: ×${(one.wallS / two.wallS).toFixed(2)} vs the 1-thread pool, ×${(mainS / two.wallS).toFixed(2)} vs the main thread (target ≥ 1.8 on 2 cores)`);
console.log(`results identical on every path: ${isIdentical}; load average now ${loadavg()[0]!.toFixed(1)}`);
