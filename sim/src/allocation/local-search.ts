import type { AllocationState } from './allocation-state.js';

/** Cheapest option car `i` fits into right now (its current one included), or -1 for the wait-list. */
export function cheapestFit(state: AllocationState, i: number, skip = -1): number {
  const { optStart, optCost, unplacedPenaltyS } = state.instance;
  let best = -1;
  let bestCost = unplacedPenaltyS;
  for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
    const cost = optCost[o] as number;
    if (o !== skip && cost < bestCost && state.fits(o)) {
      best = o;
      bestCost = cost;
    }
  }
  return best;
}

/**
 * Polishes a feasible plan: first every car moves to a cheaper option that has room; then ejections — a
 * car takes a cheaper option that is full by pushing out one car there, which moves to its own cheapest
 * option that fits (or to the wait-list) — whenever the pair gains. Repeats until nothing gains.
 * `isMovable(i)` protects cars that must keep their option (parked cars, in the online case).
 */
export function improveLocally(
  state: AllocationState,
  maxRounds = 6,
  isMovable: (i: number) => boolean = () => true,
): void {
  const inst = state.instance;
  const { carCount: n, pointCount: P, optStart, optCost, optChain, optGate, optFrom, optTo, chainCap, gateCap } = inst;
  const minCost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = inst.unplacedPenaltyS;
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) m = Math.min(m, optCost[o] as number);
    minCost[i] = m;
  }
  for (let round = 0; round < maxRounds; round++) {
    let improved = false;
    for (let i = 0; i < n; i++) {
      if (!isMovable(i) || state.costOf(i) <= (minCost[i] as number)) continue;
      const current = state.choice[i] as number;
      state.remove(i);
      const next = cheapestFit(state, i);
      const target =
        next >= 0 && (current < 0 || (optCost[next] as number) < (optCost[current] as number) - 1e-9) ? next : current;
      if (target >= 0) state.place(i, target);
      if (target !== current) improved = true;
    }
    // Cars that could make room: by chain for a full bay, by gate for a full gate.
    const membersByChain: number[][] = Array.from({ length: inst.chainCount }, () => []);
    const membersByGate = new Map<number, number[]>();
    for (let j = 0; j < n; j++) {
      const o = state.choice[j] as number;
      if (o < 0 || !isMovable(j)) continue;
      membersByChain[optChain[o] as number]?.push(j);
      const gate = optGate[o] as number;
      const list = membersByGate.get(gate);
      if (list === undefined) membersByGate.set(gate, [j]);
      else list.push(j);
    }
    // Sorted by where their hold starts, a scan for a car covering the full points can stop at a later start.
    // Cars move during the scan; the order stays the one they were sorted in, and each candidate is checked anew.
    const fromAtScan = new Int32Array(n);
    for (let j = 0; j < n; j++)
      fromAtScan[j] = (state.choice[j] as number) < 0 ? 0 : (optFrom[state.choice[j] as number] as number);
    for (const list of membersByChain) list.sort((x, y) => (fromAtScan[x] as number) - (fromAtScan[y] as number));
    for (let i = 0; i < n; i++) {
      if (!isMovable(i)) continue;
      for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
        const gain = state.costOf(i) - (optCost[o] as number);
        if (gain <= 1e-9 || state.choice[i] === o) continue;
        const chainBase = (optChain[o] as number) * P;
        let firstFull = -1;
        let lastFull = -1;
        for (let p = optFrom[o] as number; p < (optTo[o] as number); p++) {
          if ((state.chainLoad[chainBase + p] as number) >= (chainCap[chainBase + p] as number)) {
            if (firstFull < 0) firstFull = p;
            lastFull = p;
          }
        }
        const gate = optGate[o] as number;
        const gateFull = (state.gateLoad[gate] as number) >= (gateCap[gate] as number);
        if (firstFull < 0 && !gateFull) {
          const old = state.choice[i] as number;
          if (old >= 0) state.remove(i);
          if (state.fits(o)) {
            state.place(i, o);
            improved = true;
          } else if (old >= 0) state.place(i, old);
          continue;
        }
        const members = firstFull >= 0 ? membersByChain[optChain[o] as number] : membersByGate.get(gate);
        if (tryEjection(state, i, o, gain, firstFull, lastFull, gateFull, members ?? [], minCost, fromAtScan))
          improved = true;
      }
    }
    if (!improved) break;
  }
}

function tryEjection(
  state: AllocationState,
  i: number,
  o: number,
  gain: number,
  firstFull: number,
  lastFull: number,
  gateFull: boolean,
  members: number[],
  minCost: Float64Array,
  fromAtScan: Int32Array,
): boolean {
  const { optCost, optChain, optGate, optFrom, optTo, unplacedPenaltyS } = state.instance;
  const chain = optChain[o] as number;
  const gate = optGate[o] as number;
  for (const j of members) {
    const oj = state.choice[j] as number;
    if (j === i || oj < 0) continue;
    if (firstFull >= 0) {
      if ((fromAtScan[j] as number) > firstFull) break;
      if (
        (optChain[oj] as number) !== chain ||
        (optFrom[oj] as number) > firstFull ||
        (optTo[oj] as number) <= lastFull
      )
        continue;
    }
    if (gateFull && (optGate[oj] as number) !== gate) continue;
    const jCost = optCost[oj] as number;
    // j can at best move to its cheapest option; skip it when even that would not pay.
    if (gain + jCost - (minCost[j] as number) <= 1e-9) continue;
    const oi = state.choice[i] as number;
    state.remove(j);
    if (oi >= 0) state.remove(i);
    if (!state.fits(o)) {
      if (oi >= 0) state.place(i, oi);
      state.place(j, oj);
      continue;
    }
    state.place(i, o);
    const nj = cheapestFit(state, j, oj);
    const njCost = nj < 0 ? unplacedPenaltyS : (optCost[nj] as number);
    if (gain + jCost - njCost > 1e-9) {
      if (nj >= 0) state.place(j, nj);
      return true;
    }
    state.remove(i);
    if (oi >= 0) state.place(i, oi);
    state.place(j, oj);
  }
  return false;
}
