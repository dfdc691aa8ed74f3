// Bay allocation on real-size days with arrival shifts allowed, against the exact optimum of the same ILP from
// HiGHS (WebAssembly) and first come first served, all in the same run. The first call is timed in fresh
// processes (one per sample: module loading excluded, V8's warm-up included), as a service's first plan would be.
import { cpus } from 'node:os';
import { allocate, allocateFirstComeFirstServed } from '../src/allocation/allocate.js';
import { compileDay } from '../src/allocation/allocation-instance.js';
import type { AllocationOptions } from '../src/allocation/allocation-types.js';
import { buildAllocationLp } from '../src/allocation/ilp-builder.js';
import { syntheticDay } from '../src/allocation/synthetic-day.js';
import {
  BENCH_DAYS,
  type FirstCallSample,
  firstCallInFreshProcess,
  loadText,
  median,
} from './alloc-first-call-process.js';
import { loadHighs } from './load-highs.js';

const highs = await loadHighs();

const seeds = (process.env.ALLOC_BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const freshRuns = Number(process.env.ALLOC_BENCH_FRESH ?? 5);
const warmRuns = 5;
const firstCallScript = new URL('./alloc-first-call.ts', import.meta.url).pathname;

/** The first allocate() of a fresh node process, `freshRuns` times. */
function firstCalls(seed: number, gateScale: number, options: AllocationOptions): FirstCallSample[] {
  return Array.from({ length: freshRuns }, () => firstCallInFreshProcess(firstCallScript, seed, gateScale, options));
}

console.log(
  `bay allocation, 2,000 appointments, 6 lots, 4 bay kinds, 15-min gate slots, arrival shifts up to 30 min earlier — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, node ${process.version}, load average (1 / 5 / 15 min) ${loadText()}`,
);
console.log('(timings are pessimistic while other jobs load the machine; gaps do not depend on load)\n');
for (const { label, gateScale, options } of BENCH_DAYS) {
  console.log(label);
  const gaps: number[] = [];
  const threadMs: number[] = [];
  console.log(
    'seed  options  ILP rows  optimum(s)  ours gap%  first call ms: wall median, max / main-thread cpu median, max / process cpu median  warm ms  HiGHS ms  HiGHS/first  FCFS gap%  bound gap%  shifted',
  );
  for (const seed of seeds) {
    const day = syntheticDay(seed, { gateScale });
    const { instance } = compileDay(day, options);
    const fresh = firstCalls(seed, gateScale, options);
    allocate(day, options);
    const warm: number[] = [];
    let plan = allocate(day, options);
    for (let r = 0; r < warmRuns; r++) {
      const t0 = performance.now();
      plan = allocate(day, options);
      warm.push(performance.now() - t0);
    }
    const lp = buildAllocationLp(instance);
    const rows = (lp.match(/^ [abg]\d+(_\d+)?:/gm) ?? []).length;
    const t1 = performance.now();
    const exact = highs.solve(lp, { output_flag: false });
    const highsMs = performance.now() - t1;
    if (exact.Status !== 'Optimal') throw new Error(`HiGHS: ${exact.Status}`);
    const opt = exact.ObjectiveValue;
    const gap = (v: number): string => ((100 * (v - opt)) / opt).toFixed(3);
    const firstWall = fresh.map((f) => f.wallMs);
    const firstCpu = fresh.map((f) => f.cpuMs);
    const firstThread = fresh.map((f) => f.threadCpuMs);
    gaps.push((100 * (plan.summary.objectiveS - opt)) / opt);
    threadMs.push(...firstThread);
    // The fresh processes plan the same day: the same plan.
    for (const f of fresh) if (Math.abs(f.objectiveS - plan.summary.objectiveS) > 1e-6) throw new Error('plans differ');
    console.log(
      [
        String(seed).padEnd(4),
        String(instance.optCost.length).padStart(8),
        String(rows).padStart(9),
        opt.toFixed(0).padStart(11),
        gap(plan.summary.objectiveS).padStart(10),
        [
          `${median(firstWall).toFixed(0)}, ${Math.max(...firstWall).toFixed(0)}`,
          `${median(firstThread).toFixed(0)}, ${Math.max(...firstThread).toFixed(0)}`,
          median(firstCpu).toFixed(0),
        ]
          .join(' / ')
          .padStart(92),
        median(warm).toFixed(0).padStart(8),
        highsMs.toFixed(0).padStart(9),
        `${(highsMs / median(firstWall)).toFixed(1)}x`.padStart(12),
        gap(allocateFirstComeFirstServed(day, options).summary.objectiveS).padStart(10),
        ((100 * (opt - plan.summary.lowerBoundS)) / opt).toFixed(3).padStart(11),
        String(plan.summary.shifted).padStart(8),
      ].join(' '),
    );
  }
  console.log(
    `  worst gap ${Math.max(...gaps).toFixed(3)} %; first call main-thread CPU over all ${threadMs.length} fresh processes: median ${median(threadMs).toFixed(0)} ms, max ${Math.max(...threadMs).toFixed(0)} ms; load average now ${loadText()}\n`,
  );
}
console.log('targets: gap ≤ 0.5 %, first call ≤ 200 ms (fresh process); FCFS must be worse. "bound gap" = how far the');
console.log(
  "optimiser's own Lagrangian bound is below the optimum; main-thread cpu = the calling thread's time on a CPU during",
);
console.log("the call; process cpu adds V8's background compiler and GC threads.");
