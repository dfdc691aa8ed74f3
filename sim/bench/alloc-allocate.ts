// Bay allocation on a real-size day against the exact optimum from HiGHS (WebAssembly) and FCFS greedy.
import { cpus } from 'node:os';
import highsModule from 'highs';
import { allocate, allocateFirstComeFirstServed } from '../src/allocation/allocate.js';
import { compileDay } from '../src/allocation/allocation-instance.js';
import { buildAllocationLp } from '../src/allocation/ilp-builder.js';
import { syntheticDay } from '../src/allocation/synthetic-day.js';

type HighsLoader = (typeof highsModule)['default'];
const imported = highsModule as unknown as HighsLoader | { default: HighsLoader };
const highs = await (typeof imported === 'function' ? imported() : imported.default());

const seeds = (process.env.ALLOC_BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const runs = 5;
console.log(
  `bay allocation: 2,000 appointments, 6 lots, 4 bay kinds, 15-min slots — ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
);
console.log('(machine shared with other jobs: timings may be pessimistic)\n');
console.log(
  'seed  bays  options  ILP rows  optimum(s)   ours gap%  ours ms wall/cpu (median of 5)  HiGHS ms wall/cpu  HiGHS/ours  FCFS gap%  bound gap%',
);
for (const seed of seeds) {
  const day = syntheticDay(seed);
  const { instance } = compileDay(day);
  const bays = day.lots.reduce(
    (s, lot) =>
      s +
      lot.zones.reduce(
        (z, zone) => z + Object.values(zone.capacityByKind).reduce((a: number, b) => a + (b ?? 0), 0),
        0,
      ),
    0,
  );
  allocate(day);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let plan = allocate(day);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    plan = allocate(day);
    const cpu = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const oursMs = times[Math.floor(runs / 2)] ?? Number.NaN;
  const oursCpuMs = cpuTimes[Math.floor(runs / 2)] ?? Number.NaN;
  const lp = buildAllocationLp(instance);
  const rows = (lp.match(/^ [abg]\d+(_\d+)?:/gm) ?? []).length;
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const exact = highs.solve(lp, { output_flag: false });
  const highsCpu = process.cpuUsage(c1);
  const highsMs = performance.now() - t1;
  const highsCpuMs = (highsCpu.user + highsCpu.system) / 1000;
  if (exact.Status !== 'Optimal') throw new Error(`HiGHS: ${exact.Status}`);
  const greedy = allocateFirstComeFirstServed(day);
  const opt = exact.ObjectiveValue;
  const gap = (v: number): string => ((100 * (v - opt)) / opt).toFixed(3);
  console.log(
    [
      String(seed).padEnd(4),
      String(bays).padStart(5),
      String(instance.optCost.length).padStart(8),
      String(rows).padStart(9),
      opt.toFixed(0).padStart(11),
      gap(plan.summary.objectiveS).padStart(11),
      `${oursMs.toFixed(0)} / ${oursCpuMs.toFixed(0)}`.padStart(31),
      `${highsMs.toFixed(0)} / ${highsCpuMs.toFixed(0)}`.padStart(18),
      `${(highsMs / oursMs).toFixed(1)}x`.padStart(11),
      gap(greedy.summary.objectiveS).padStart(10),
      ((100 * (opt - plan.summary.lowerBoundS)) / opt).toFixed(3).padStart(11),
    ].join(' '),
  );
}
console.log(
  '\ntargets: gap ≤ 0.5 %, ≤ 200 ms; FCFS must be worse. HiGHS/ours is the ratio of wall times. "bound gap" = how far the',
);
console.log(
  "optimiser's own Lagrangian bound is below the optimum. cpu = this process's CPU time (less sensitive to other jobs).",
);
