// Runs one sample of alloc-first-call.ts (or another revision's copy of it) in a fresh node process: the allocator's
// first call on a synthetic day, as a service's first plan would be. Shared by alloc-allocate.ts and alloc-compare.ts,
// with the days they time and how they print medians and the load.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { AllocationOptions } from '../src/allocation/allocation-types.js';

const shifts: AllocationOptions = { arrivalShift: { earlierMin: 30 } };

/** The days both benches time: 2,000 appointments with arrival shifts, as built and with the gates made to bind. */
export const BENCH_DAYS: ReadonlyArray<{ name: string; label: string; gateScale: number; options: AllocationOptions }> =
  [
    {
      name: 'gates as built',
      label: 'synthetic days (gates as built, planned at the default 85% of their rate)',
      gateScale: 1,
      options: shifts,
    },
    {
      name: 'gate utilisation cap 0.6',
      label: 'gate utilisation cap 0.6 (gates planned at 60% of their rate)',
      gateScale: 1,
      options: { ...shifts, gateUtilisation: 0.6 },
    },
    {
      name: 'gates x 0.6',
      label: 'tighter gates (rate × 0.6, planned at 85%: shifts and the wait-list in heavy use)',
      gateScale: 0.6,
      options: shifts,
    },
  ];

/** The median as both benches print it: of an even count, the upper of the two middle values. */
export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The load average (1 / 5 / 15 min) as both benches print it. */
export const loadText = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** What alloc-first-call.ts prints: wall time, process and main-thread CPU of the first allocate(), and its cost. */
export interface FirstCallSample {
  wallMs: number;
  cpuMs: number;
  threadCpuMs: number;
  objectiveS: number;
}

/** The first allocate() of `syntheticDay(seed, { gateScale })` with `options`, in a fresh process running `script`. */
export function firstCallInFreshProcess(
  script: string,
  seed: number,
  gateScale: number,
  options: object,
): FirstCallSample {
  const out = execFileSync(process.execPath, ['--conditions=@citybay/source', '--import', 'tsx', script], {
    env: {
      ...process.env,
      ALLOC_SEED: String(seed),
      ALLOC_GATE_SCALE: String(gateScale),
      ALLOC_OPTIONS: JSON.stringify(options),
    },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as FirstCallSample;
}
