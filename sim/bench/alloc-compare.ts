// The allocator's first call, this source against another git revision's, in the same run: fresh node processes
// alternate between the two (which goes first alternates too), for the three days of alloc-allocate.ts, and each
// day prints both medians and maxima of the main-thread CPU and of the wall time (what a caller waits: the main
// thread also waits for a core while V8 compiles on its background threads), and the medians of the paired ratios
// (also of the whole process's CPU, the compiler's threads included).
// On a machine other jobs load, timings of separate runs are not comparable (the same code's median moves by 10-20 %); pairs run seconds
// apart are. Also checks that both plan each day to the same cost, or says where they differ.
//   ALLOC_COMPARE_REF=<git revision> (default HEAD) ALLOC_COMPARE_SEEDS=1,2,3 ALLOC_COMPARE_REPS=2
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BENCH_DAYS,
  type FirstCallSample,
  firstCallInFreshProcess,
  loadText,
  median,
} from './alloc-first-call-process.js';

const ref = process.env.ALLOC_COMPARE_REF ?? 'HEAD';
const seeds = (process.env.ALLOC_COMPARE_SEEDS ?? '1,2,3').split(',').map(Number);
const reps = Number(process.env.ALLOC_COMPARE_REPS ?? 2);
const simDir = fileURLToPath(new URL('..', import.meta.url));
const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: simDir, encoding: 'utf8' }).trim();
// Under the package (its imports resolve as the working tree's do), in dist/ (ignored by git and the typed build).
const refDir = `${simDir}dist/alloc-compare-${sha}`;
/** The first call of a fresh process running `dir`'s alloc-first-call.ts. */
const firstCall = (dir: string, seed: number, gateScale: number, options: object): FirstCallSample =>
  firstCallInFreshProcess(`${dir}bench/alloc-first-call.ts`, seed, gateScale, options);

rmSync(refDir, { recursive: true, force: true });
mkdirSync(refDir, { recursive: true });
try {
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'bench/alloc-first-call.ts'], {
    cwd: simDir,
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', refDir], { input: archive });
  console.log(
    `allocate() first call in fresh processes, ${ref} (${sha}) vs the working tree, seeds ${seeds.join(', ')} x ${reps}; main-thread CPU (ms); load average ${loadText()}`,
  );
  for (const { name: label, gateScale, options } of BENCH_DAYS) {
    const before: number[] = [];
    const after: number[] = [];
    const ratios: number[] = [];
    const wallBefore: number[] = [];
    const wallAfter: number[] = [];
    const wallRatios: number[] = [];
    // The whole process's CPU (the main thread and V8's compiler and GC threads): on two cores the compiler's share
    // is as large as the main thread's in a first call, and what it takes the caller waits for.
    const processRatios: number[] = [];
    const differing: string[] = [];
    for (let r = 0; r < reps; r++)
      for (const seed of seeds) {
        // Which goes first alternates: a process started right after another may find the machine busier.
        const refFirst = r % 2 === 0;
        const first = firstCall(refFirst ? `${refDir}/` : simDir, seed, gateScale, options);
        const second = firstCall(refFirst ? simDir : `${refDir}/`, seed, gateScale, options);
        const [then, now] = refFirst ? [first, second] : [second, first];
        before.push(then.threadCpuMs);
        after.push(now.threadCpuMs);
        ratios.push(now.threadCpuMs / then.threadCpuMs);
        wallBefore.push(then.wallMs);
        wallAfter.push(now.wallMs);
        wallRatios.push(now.wallMs / then.wallMs);
        processRatios.push(now.cpuMs / then.cpuMs);
        if (r === 0 && Math.abs(then.objectiveS - now.objectiveS) > 1e-6)
          differing.push(`seed ${seed}: ${then.objectiveS} -> ${now.objectiveS}`);
      }
    console.log(
      `${label.padEnd(26)} ${sha} ${median(before).toFixed(0)} / ${Math.max(...before).toFixed(0)}   now ${median(after).toFixed(0)} / ${Math.max(...after).toFixed(0)}   paired now/${sha} median ${median(ratios).toFixed(3)} (n=${ratios.length});   wall ${median(wallBefore).toFixed(0)} / ${Math.max(...wallBefore).toFixed(0)}   now ${median(wallAfter).toFixed(0)} / ${Math.max(...wallAfter).toFixed(0)}   paired ${median(wallRatios).toFixed(3)};   process CPU paired ${median(processRatios).toFixed(3)}   ${differing.length === 0 ? 'same plans' : `plans differ: ${differing.join('; ')}`}   load ${loadText()}`,
    );
  }
} finally {
  rmSync(refDir, { recursive: true, force: true });
}
