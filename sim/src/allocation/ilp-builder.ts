import type { AllocationInstance } from './allocation-instance.js';

/**
 * The ILP of the joint where-and-when model in CPLEX LP format, for an exact solver (HiGHS in the tests and
 * benchmarks): binary `x<o>` per option (lot × kind × arrival window, or an alternative), `u<i>` per car (the
 * wait-list), one assignment row per car, one bay row per (lot, kind, point of the bay axis) where the holds that
 * could cover it outnumber the bays, one gate row per (gate, slot) likewise. Load rises only where a hold starts,
 * so only those points (and where capacity drops) get rows: exact to the minute.
 */
export function buildAllocationLp(instance: AllocationInstance, options: { relax?: boolean } = {}): string {
  const {
    carCount: n,
    pointCount: P,
    optStart,
    optChain,
    optGate,
    optFrom,
    optTo,
    optCost,
    chainCap,
    gateCap,
  } = instance;
  const out: string[] = ['Minimize', ' obj:'];
  const terms: string[] = [];
  const flush = (target: string[], prefix: string): void => {
    for (let k = 0; k < terms.length; k += 8) target.push(`${prefix}${terms.slice(k, k + 8).join(' ')}`);
    terms.length = 0;
  };
  for (let i = 0; i < n; i++) {
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++)
      terms.push(`+ ${num(optCost[o] as number)} x${o}`);
    terms.push(`+ ${num(instance.unplacedPenaltyS)} u${i}`);
  }
  flush(out, '  ');
  out.push('Subject To');
  for (let i = 0; i < n; i++) {
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) terms.push(`+ x${o}`);
    terms.push(`+ u${i}`);
    out.push(` a${i}:`);
    flush(out, '  ');
    out.push('  = 1');
  }
  // The last chain holds no bay, so it has no rows.
  const byChain: number[][] = Array.from({ length: instance.chainCount - 1 }, () => []);
  const byGate: number[][] = Array.from({ length: gateCap.length }, () => []);
  for (let o = 0; o < optCost.length; o++) {
    byChain[optChain[o] as number]?.push(o);
    byGate[optGate[o] as number]?.push(o);
  }
  byChain.forEach((opts, c) => {
    const candidates = new Set<number>();
    for (const o of opts) candidates.add(optFrom[o] as number);
    for (let p = 1; p < P; p++)
      if ((chainCap[c * P + p] as number) < (chainCap[c * P + p - 1] as number)) candidates.add(p);
    for (const p of [...candidates].sort((x, y) => x - y)) {
      const covering = opts.filter((o) => (optFrom[o] as number) <= p && (optTo[o] as number) > p);
      const cap = chainCap[c * P + p] as number;
      if (covering.length <= cap) continue;
      for (const o of covering) terms.push(`+ x${o}`);
      out.push(` b${c}_${p}:`);
      flush(out, '  ');
      out.push(`  <= ${cap}`);
    }
  });
  byGate.forEach((opts, g) => {
    const cap = gateCap[g] as number;
    if (opts.length <= cap) return;
    for (const o of opts) terms.push(`+ x${o}`);
    out.push(` g${g}:`);
    flush(out, '  ');
    out.push(`  <= ${cap}`);
  });
  out.push('Bounds');
  if (options.relax === true) {
    for (let o = 0; o < optCost.length; o++) out.push(` 0 <= x${o} <= 1`);
    for (let i = 0; i < n; i++) out.push(` 0 <= u${i} <= 1`);
  } else {
    out.push('Binary');
    for (let o = 0; o < optCost.length; o += 16)
      out.push(` ${Array.from({ length: Math.min(16, optCost.length - o) }, (_, k) => `x${o + k}`).join(' ')}`);
    for (let i = 0; i < n; i += 16)
      out.push(` ${Array.from({ length: Math.min(16, n - i) }, (_, k) => `u${i + k}`).join(' ')}`);
  }
  out.push('End');
  return out.join('\n');
}

/** Reads the chosen option per car (-1 = unplaced) back from solver column values. */
export function decodeAllocationLp(instance: AllocationInstance, primal: (column: string) => number): Int32Array {
  const choice = new Int32Array(instance.carCount).fill(-1);
  for (let i = 0; i < instance.carCount; i++) {
    for (let o = instance.optStart[i] as number; o < (instance.optStart[i + 1] as number); o++)
      if (primal(`x${o}`) > 0.5) choice[i] = o;
  }
  return choice;
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(6);
}
