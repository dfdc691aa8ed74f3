import type { AllocationInstance } from './allocation-instance.js';
import type { AllocationState } from './allocation-state.js';

// How far below its plain cost rounding may put an option's priced cost (seconds; far above the ~1e-11 it can be).
export const PRICED_NOT_BELOW_S = 1e-6;

/** Bay prices (as per-chain prefix sums, read at each option's `optA`/`optB`) and gate prices. */
export interface Prices {
  optA: Int32Array;
  optB: Int32Array;
  prefix: Float64Array;
  mu: Float64Array;
}

/** What the price round before a repair, at the repair's prices, wrote per car. */
export interface RepairPick {
  /** Its second cheapest priced option (or the wait-list) less its cheapest. */
  regret: Float64Array;
  /** Its cheapest priced option, the first of equals (-1: none priced below the wait-list). */
  cheapest: Int32Array;
}

/**
 * Builds a feasible plan from prices: cars with the most to lose (`regret`, between their two cheapest priced
 * options, from the price round at these prices) choose first, each the cheapest priced option that still fits.
 */
export function repair(instance: AllocationInstance, prices: Prices, state: AllocationState, pick: RepairPick): void {
  state.choice.fill(-1);
  state.chainLoad.fill(0);
  state.gateLoad.fill(0);
  const { optA, optB, prefix, mu } = prices;
  placeInOrder(
    state,
    regretOrder(pick.regret),
    pick.cheapest,
    instance.optStart,
    instance.optCost,
    instance.optGate,
    instance.unplacedPenaltyS,
    optA,
    optB,
    prefix,
    mu,
  );
}

/** Cars by regret, most first. */
function regretOrder(regret: Float64Array): Int32Array {
  // Filled by a loop: `Int32Array.from` with a map function called it once per car, interpreted in a fresh process.
  const order = new Int32Array(regret.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // The comparator answers whole numbers only: a difference of doubles would be boxed on every comparison.
  return order.sort((x, y) => {
    const rx = regret[x] as number;
    const ry = regret[y] as number;
    return ry > rx ? 1 : ry < rx ? -1 : x - y;
  });
}

/**
 * Each car in `order` takes the cheapest priced option that still fits (none dearer than the wait-list). When its
 * `cheapest` priced option fits, that is the answer without a scan: it is the first of the car's options at the least
 * priced cost of all (the pricing scanned until no later option could cost less), so the scan below would end on it
 * too (the same plans; most cars of a repair get it). The instance's and the prices' arrays come as arguments: read
 * from them at the top, the reads had no type feedback when V8 compiled it (a fresh process allocates a function's
 * feedback only once it runs for a while, here midway through the first repair), and its optimised code was thrown
 * away at the start of the second repair and compiled again (--trace-deopt, every first call).
 */
function placeInOrder(
  state: AllocationState,
  order: Int32Array,
  cheapest: Int32Array,
  optStart: Int32Array,
  optCost: Float64Array,
  optGate: Int32Array,
  unplacedPenaltyS: number,
  optA: Int32Array,
  optB: Int32Array,
  prefix: Float64Array,
  mu: Float64Array,
): void {
  const waitListS = +unplacedPenaltyS;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const first = cheapest[i] as number;
    if (first >= 0 && (optCost[first] as number) < waitListS && state.fits(first)) {
      state.place(i, first);
      continue;
    }
    let bestO = -1;
    let bestRc = Number.POSITIVE_INFINITY;
    let stopS = waitListS;
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
      // Cheapest first, never cheaper priced (see priceAndChoose): nothing after this one can win.
      if ((optCost[o] as number) >= stopS) break;
      const rc =
        (optCost[o] as number) +
        (prefix[optB[o] as number] as number) -
        (prefix[optA[o] as number] as number) +
        (mu[optGate[o] as number] as number);
      if (rc < bestRc && state.fits(o)) {
        bestRc = rc;
        stopS = Math.min(waitListS, rc + PRICED_NOT_BELOW_S);
        bestO = o;
      }
    }
    if (bestO >= 0) state.place(i, bestO);
  }
}
