// The allocator's gap to the HiGHS optimum over many seeds of the three bench days, with the optima cached: HiGHS
// takes 5-43 s a day, so checking a change on seeds 1-30 of three days would take most of an hour each time. The
// cache is keyed by the sha256 of the ILP itself, so a change to how options are built can never read a stale optimum.
//   ALLOC_GAPS_SEEDS=1-20 (or 1,2,5) ALLOC_GAPS_DAYS=0,1,2 (indices into BENCH_DAYS)
//   ALLOC_GAPS_CACHE=<file> (default node_modules/.cache/citybay/alloc-optima.json at the repository root, ignored
//   by git; it was under dist/, which a build can wipe, losing an hour of HiGHS solves)
//   ALLOC_GAPS_SOLVE=0: only days whose optimum is cached (the others are listed as missing)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocate } from '../src/allocation/allocate.js';
import { compileDay } from '../src/allocation/allocation-instance.js';
import { buildAllocationLp } from '../src/allocation/ilp-builder.js';
import { syntheticDay } from '../src/allocation/synthetic-day.js';
import { BENCH_DAYS, loadText } from './alloc-first-call-process.js';
import { type HighsSolver, loadHighs } from './load-highs.js';

/** `1-20`, `1,2,5` or a mix (`1-3,7`). */
function parseSeeds(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) throw new Error(`ALLOC_GAPS_SEEDS: bad part '${part}'`);
    if (to === undefined) return [from];
    return Array.from({ length: to - from + 1 }, (_, k) => from + k);
  });
}

const seeds = parseSeeds(process.env.ALLOC_GAPS_SEEDS ?? '1-20');
const dayIndices = (process.env.ALLOC_GAPS_DAYS ?? '0,1,2').split(',').map(Number);
const cacheFile =
  process.env.ALLOC_GAPS_CACHE ??
  fileURLToPath(new URL('../../node_modules/.cache/citybay/alloc-optima.json', import.meta.url));
const mayShellOutToHighs = process.env.ALLOC_GAPS_SOLVE !== '0';
const cache = (existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {}) as Record<string, number>;

let highs: HighsSolver | undefined;
async function optimumOf(lp: string): Promise<number | undefined> {
  const key = createHash('sha256').update(lp).digest('hex');
  const cached = cache[key];
  if (cached !== undefined) return cached;
  if (!mayShellOutToHighs) return undefined;
  highs ??= await loadHighs();
  const exact = highs.solve(lp, { output_flag: false });
  if (exact.Status !== 'Optimal') throw new Error(`HiGHS: ${exact.Status}`);
  cache[key] = exact.ObjectiveValue;
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(cache, null, 1));
  return exact.ObjectiveValue;
}

console.log(`gap to the HiGHS optimum, seeds ${seeds.join(',')}; load average ${loadText()}`);
for (const d of dayIndices) {
  const benchDay = BENCH_DAYS[d];
  if (benchDay === undefined) throw new Error(`ALLOC_GAPS_DAYS: no day ${d}`);
  const gaps: Array<{ seed: number; gapPct: number }> = [];
  const missing: number[] = [];
  for (const seed of seeds) {
    const day = syntheticDay(seed, { gateScale: benchDay.gateScale });
    const optimum = await optimumOf(buildAllocationLp(compileDay(day, benchDay.options).instance));
    if (optimum === undefined) {
      missing.push(seed);
      continue;
    }
    const plan = allocate(day, benchDay.options);
    gaps.push({ seed, gapPct: (100 * (plan.summary.objectiveS - optimum)) / optimum });
  }
  const worst = gaps.reduce((w, g) => (g.gapPct > w.gapPct ? g : w), { seed: 0, gapPct: Number.NEGATIVE_INFINITY });
  const mean = gaps.reduce((s, g) => s + g.gapPct, 0) / Math.max(1, gaps.length);
  console.log(
    `${benchDay.name.padEnd(26)} worst ${worst.gapPct.toFixed(3)} % (seed ${worst.seed})  mean ${mean.toFixed(3)} %  over ${gaps.length} (>0.5 %: ${gaps.filter((g) => g.gapPct > 0.5).length})${missing.length > 0 ? `  no optimum cached: ${missing.join(',')}` : ''}`,
  );
  console.log(`  ${gaps.map((g) => `${g.seed}:${g.gapPct.toFixed(3)}`).join(' ')}`);
}
console.log(`load average ${loadText()}`);
