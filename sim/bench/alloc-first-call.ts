// One sample of the allocator's first call in a fresh process (run by alloc-allocate.ts, one process per sample):
// prints JSON with the wall and CPU time of the first allocate() on a synthetic day, with arrival shifts allowed.
// CPU twice: the whole process (V8 compiles optimised code on background threads, so it can exceed the wall time)
// and the main thread alone (Linux: /proc/thread-self/schedstat, ns on a CPU), which a loaded machine does not
// inflate by the time the thread waits for a core.
import { existsSync, readFileSync } from 'node:fs';
import { allocate } from '../src/allocation/allocate.js';
import type { AllocationOptions } from '../src/allocation/allocation-types.js';
import { syntheticDay } from '../src/allocation/synthetic-day.js';

const seed = Number(process.env.ALLOC_SEED ?? 1);
const gateScale = Number(process.env.ALLOC_GATE_SCALE ?? 1);
const options = JSON.parse(process.env.ALLOC_OPTIONS ?? '{}') as AllocationOptions;
const day = syntheticDay(seed, { gateScale });
const SCHEDSTAT = '/proc/thread-self/schedstat';
const threadMs = (): number =>
  existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6 : Number.NaN;
const thread0 = threadMs();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const plan = allocate(day, options);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const threadCpuMs = threadMs() - thread0;
console.log(
  JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, threadCpuMs, objectiveS: plan.summary.objectiveS }),
);
