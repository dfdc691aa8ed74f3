// Runs one sample of alloc-first-call.ts (or another revision's copy of it) in a fresh node process: the allocator's
// first call on a synthetic day, as a service's first plan would be. Shared by alloc-allocate.ts and alloc-compare.ts.
import { execFileSync } from 'node:child_process';

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
