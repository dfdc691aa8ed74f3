import type { AllocationInstance } from './allocation-instance.js';
import type { AllocationState } from './allocation-state.js';

export interface ExactSearchResult {
  /** True when the search finished: the state now holds an optimal plan. */
  isProven: boolean;
  nodes: number;
}

/**
 * Depth-first branch and bound for small days, started from the optimiser's plan (the incumbent). The
 * bound at a node is the Lagrangian bound of the remaining cars under the given prices, counting for each
 * car only the options that still fit next to the cars already fixed, which is valid for any prices ≥ 0.
 * Cars with the largest regret branch first; options are tried cheapest priced first.
 */
export function exactSearch(
  state: AllocationState,
  bayPriceS: Float64Array,
  gatePriceS: Float64Array,
  nodeLimit: number,
): ExactSearchResult {
  const inst: AllocationInstance = state.instance;
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
    unplacedPenaltyS: U,
  } = inst;
  const rc = new Float64Array(optCost.length);
  for (let o = 0; o < optCost.length; o++) {
    let price = gatePriceS[optGate[o] as number] as number;
    const base = (optChain[o] as number) * P;
    for (let p = base + (optFrom[o] as number); p < base + (optTo[o] as number); p++) price += bayPriceS[p] as number;
    rc[o] = (optCost[o] as number) + price;
  }
  let dualConst = 0;
  for (let k = 0; k < chainCap.length; k++) dualConst += (bayPriceS[k] as number) * (chainCap[k] as number);
  for (let k = 0; k < gateCap.length; k++) dualConst += (gatePriceS[k] as number) * (gateCap[k] as number);

  const incumbent = state.choice.slice();
  let best = state.objective();
  const minRc = (i: number): number => {
    let m = U;
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++)
      if ((rc[o] as number) < m && state.fits(o)) m = rc[o] as number;
    return m;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  const regret = order.map((i) => {
    const values = [U];
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) values.push(rc[o] as number);
    values.sort((x, y) => x - y);
    return (values[1] ?? U) - (values[0] ?? U);
  });
  order.sort((x, y) => (regret[y] as number) - (regret[x] as number) || x - y);

  for (let i = 0; i < n; i++) state.remove(i);
  let nodes = 0;
  let aborted = false;
  const optionsOf = order.map((i) => {
    const list: number[] = [];
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) list.push(o);
    return list.sort((x, y) => (rc[x] as number) - (rc[y] as number));
  });

  const visit = (depth: number, fixedCost: number, constLeft: number): void => {
    if (aborted) return;
    if (++nodes > nodeLimit) {
      aborted = true;
      return;
    }
    if (depth === n) {
      if (fixedCost < best - 1e-9) {
        best = fixedCost;
        incumbent.set(state.choice);
      }
      return;
    }
    let rest = 0;
    for (let k = depth; k < n; k++) rest += minRc(order[k] as number);
    if (fixedCost - constLeft + rest >= best - 1e-9) return;
    const i = order[depth] as number;
    for (const o of optionsOf[depth] ?? []) {
      if ((optCost[o] as number) >= U || !state.fits(o)) continue;
      state.place(i, o);
      visit(depth + 1, fixedCost + (optCost[o] as number), constLeft - ((rc[o] as number) - (optCost[o] as number)));
      state.remove(i);
      if (aborted) return;
    }
    visit(depth + 1, fixedCost + U, constLeft);
  };
  visit(0, 0, dualConst);

  for (let i = 0; i < n; i++) state.remove(i);
  incumbent.forEach((o, i) => {
    if (o >= 0) state.place(i, o);
  });
  return { isProven: !aborted, nodes };
}
