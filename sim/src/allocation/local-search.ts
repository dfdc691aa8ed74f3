import type { AllocationInstance } from './allocation-instance.js';
import type { AllocationState } from './allocation-state.js';
import { EjectionBound } from './ejection-bound.js';

/**
 * Cheapest option car `i` fits into right now (its current one included), or -1 for the wait-list; with `below`,
 * only options cheaper than that. Options come cheapest first: the first that fits is the answer.
 */
export function cheapestFit(state: AllocationState, i: number, skip = -1, below = Number.POSITIVE_INFINITY): number {
  const { optStart, optCost, unplacedPenaltyS } = state.instance;
  const limit = Math.min(unplacedPenaltyS, below);
  for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
    if ((optCost[o] as number) >= limit) break;
    if (o !== skip && state.fits(o)) return o;
  }
  return -1;
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
  const { carCount: n, optStart, optCost } = inst;
  const minCost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const first = optStart[i] as number;
    minCost[i] =
      first < (optStart[i + 1] as number)
        ? Math.min(inst.unplacedPenaltyS, optCost[first] as number)
        : inst.unplacedPenaltyS;
  }
  const scan: EjectionScan = {
    minCost,
    fromAtScan: new Int32Array(n),
    altCostS: new Float64Array(n),
    altOtherGateCostS: new Float64Array(n),
    ...carsByGate(inst),
    bound: new EjectionBound(state),
  };
  // Made once and refilled each round: a new lists object each round made V8 throw away improveCar's optimised code
  // at the second round (a code-dependency deoptimisation in every first call on the tight days, --trace-deopt).
  const members: Members = {
    chainStart: new Int32Array(inst.chainCount + 1),
    chainCars: new Int32Array(n),
    gateStart: new Int32Array(inst.gateCap.length + 1),
    gateCars: new Int32Array(n),
  };
  // Each step is a function of its own, so V8 optimises each with the feedback of all its paths (see the price
  // optimiser): one large round compiled on the stack before its later paths ran was thrown away and compiled again.
  for (let round = 0; round < maxRounds; round++) {
    let improved = reinsertAll(state, scan, isMovable);
    fillMembers(state, isMovable, members);
    noteAlternatives(state, scan, n, optStart, inst.optFrom, optCost, inst.optGate, inst.unplacedPenaltyS);
    scan.bound.rebuild(scan.altOtherGateCostS, members.gateStart, members.gateCars);
    for (let i = 0; i < n; i++) {
      if (scan.awake[i] === 0 || !isMovable(i)) continue;
      // Asleep until a move frees a gate one of its options passes (most cars find nothing round after round).
      scan.awake[i] = 0;
      if (improveCar(state, i, scan, members)) improved = true;
    }
    if (!improved) break;
  }
}

/** Every car moves to its cheapest option with room when that costs less; answers whether any moved. */
function reinsertAll(state: AllocationState, scan: EjectionScan, isMovable: (i: number) => boolean): boolean {
  const { carCount: n, optCost, optGate } = state.instance;
  let improved = false;
  for (let i = 0; i < n; i++) {
    if (scan.awake[i] === 0 || !isMovable(i) || state.costOf(i) <= (scan.minCost[i] as number)) continue;
    const current = state.choice[i] as number;
    state.remove(i);
    const next = cheapestFit(state, i);
    const target =
      next >= 0 && (current < 0 || (optCost[next] as number) < (optCost[current] as number) - 1e-9) ? next : current;
    if (target >= 0) state.place(i, target);
    if (target !== current) {
      improved = true;
      if (current >= 0) wakeGate(scan, state, optGate[current] as number);
    }
  }
  return improved;
}

/**
 * Cars that could make room, as placed when the round began: by chain for a full bay (`chainCars[chainStart[c] ..
 * chainStart[c+1]]`, by the point their hold starts, then by car), by gate for a full gate (`gateCars[gateStart[g] ..
 * gateStart[g+1]]`, by car). Counted into place (the same order): sorting each chain's list with a comparator, every
 * round, was ~12,000 calls into cold code a round, and iterating arrays of arrays allocated an iterator per ejection
 * tried.
 */
interface Members {
  chainStart: Int32Array;
  chainCars: Int32Array;
  gateStart: Int32Array;
  gateCars: Int32Array;
}

/** Fills `members` (each list sized for every car) from the plan as it is. */
function fillMembers(state: AllocationState, isMovable: (i: number) => boolean, members: Members): void {
  const { carCount: n, chainCount, pointCount: P, optChain, optFrom, optGate } = state.instance;
  // Stable counting sorts: by (chain, hold start) and by gate, cars in increasing order within a key. A hold starts
  // at a point 0 .. P (P + 1 keys a chain).
  const stride = P + 1;
  const chainKey = new Int32Array(chainCount * stride + 1);
  const { chainStart, chainCars, gateStart, gateCars } = members;
  gateStart.fill(0);
  for (let j = 0; j < n; j++) {
    const o = state.choice[j] as number;
    if (o < 0 || !isMovable(j)) continue;
    const key = (optChain[o] as number) * stride + (optFrom[o] as number) + 1;
    chainKey[key] = (chainKey[key] as number) + 1;
    const g = (optGate[o] as number) + 1;
    gateStart[g] = (gateStart[g] as number) + 1;
  }
  for (let k = 1; k < chainKey.length; k++) chainKey[k] = (chainKey[k] as number) + (chainKey[k - 1] as number);
  for (let g = 1; g < gateStart.length; g++) gateStart[g] = (gateStart[g] as number) + (gateStart[g - 1] as number);
  for (let c = 0; c <= chainCount; c++) chainStart[c] = chainKey[c * stride] as number;
  const gateFill = gateStart.slice(0, -1);
  for (let j = 0; j < n; j++) {
    const o = state.choice[j] as number;
    if (o < 0 || !isMovable(j)) continue;
    const key = (optChain[o] as number) * stride + (optFrom[o] as number);
    chainCars[chainKey[key] as number] = j;
    chainKey[key] = (chainKey[key] as number) + 1;
    const g = optGate[o] as number;
    gateCars[gateFill[g] as number] = j;
    gateFill[g] = (gateFill[g] as number) + 1;
  }
}

/**
 * Notes each car's hold start (the chain lists are sorted by it, so a scan for a car covering the full points can
 * stop at a later start; cars move during the scan, the order stays, each candidate is checked anew), its
 * cheapest other option with room, and its cheapest with room through another gate (a car pushed out of a full
 * gate must leave that gate).
 */
function noteAlternatives(
  state: AllocationState,
  scan: EjectionScan,
  n: number,
  optStart: Int32Array,
  optFrom: Int32Array,
  optCost: Float64Array,
  optGate: Int32Array,
  unplacedPenaltyS: number,
): void {
  // The instance's arrays come as arguments, not read from it here: see placeInOrder (priced-repair.ts).
  for (let j = 0; j < n; j++) {
    const oj = state.choice[j] as number;
    scan.fromAtScan[j] = oj < 0 ? 0 : (optFrom[oj] as number);
    if (oj < 0) continue;
    const gate = optGate[oj] as number;
    let alt = unplacedPenaltyS;
    let altOtherGate = unplacedPenaltyS;
    state.remove(j);
    // Options come cheapest first: the first with room, then the first with room through another gate.
    for (let k = optStart[j] as number; k < (optStart[j + 1] as number); k++) {
      const cost = optCost[k] as number;
      if (cost >= unplacedPenaltyS) break;
      if (k === oj || !state.fits(k)) continue;
      if (alt === unplacedPenaltyS) alt = cost;
      if (optGate[k] !== gate) {
        altOtherGate = cost;
        break;
      }
    }
    state.place(j, oj);
    scan.altCostS[j] = alt;
    scan.altOtherGateCostS[j] = altOtherGate;
  }
}

/** Car i tries each cheaper option: directly when it has room, else by an ejection; answers whether it moved. */
function improveCar(state: AllocationState, i: number, scan: EjectionScan, members: Members): boolean {
  const { pointCount: P, optStart, optCost, optChain, optGate, optFrom, optTo, chainCap, gateCap } = state.instance;
  let improved = false;
  // Cheapest first: once an option gains nothing, no later one does.
  for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
    const gain = state.costOf(i) - (optCost[o] as number);
    if (gain <= 1e-9) break;
    if (state.choice[i] === o) continue;
    const gate = optGate[o] as number;
    const gateFull = (state.gateLoad[gate] as number) >= (gateCap[gate] as number);
    // No car through the full gate can be pushed out at a gain (the bound, see EjectionBound): nothing to try, and
    // its bays need no look.
    if (gateFull && scan.bound.cannotEject(gate, state.choice[i] as number, gain)) continue;
    const chainBase = (optChain[o] as number) * P;
    let firstFull = -1;
    let lastFull = -1;
    for (let p = optFrom[o] as number; p < (optTo[o] as number); p++) {
      if ((state.chainLoad[chainBase + p] as number) >= (chainCap[chainBase + p] as number)) {
        if (firstFull < 0) firstFull = p;
        lastFull = p;
      }
    }
    if (firstFull < 0 && !gateFull) {
      const old = state.choice[i] as number;
      if (old >= 0) state.remove(i);
      if (state.fits(o)) {
        state.place(i, o);
        scan.bound.noteMove(i, o, scan.altOtherGateCostS);
        improved = true;
        scan.awake[i] = 1;
        if (old >= 0) wakeGate(scan, state, optGate[old] as number);
      } else if (old >= 0) state.place(i, old);
      continue;
    }
    const chain = optChain[o] as number;
    const byChain = firstFull >= 0;
    const cars = byChain ? members.chainCars : members.gateCars;
    const from = byChain ? (members.chainStart[chain] as number) : (members.gateStart[gate] as number);
    const to = byChain ? (members.chainStart[chain + 1] as number) : (members.gateStart[gate + 1] as number);
    if (tryEjection(state, i, o, gain, firstFull, lastFull, gateFull, cars, from, to, scan)) {
      improved = true;
      scan.awake[i] = 1;
    }
  }
  return improved;
}

/**
 * What the scan keeps across candidates: each car's cheapest option, where its hold started at sorting, the cars
 * still worth a look, and by gate the cars with an option through it (`gateCars[gateCarStart[g] ..]`).
 */
interface EjectionScan {
  minCost: Float64Array;
  fromAtScan: Int32Array;
  /** Each car's cheapest other option with room (its own hold set aside) when the round's lists were made. */
  altCostS: Float64Array;
  /** The same through a gate other than the car's own. */
  altOtherGateCostS: Float64Array;
  awake: Uint8Array;
  gateCarStart: Int32Array;
  gateCars: Int32Array;
  /** The option through the gate of each entry of `gateCars`, and its cost (a car's entries are in a row, cheapest first). */
  gateCarOpts: Int32Array;
  gateCarCostS: Float64Array;
  /** Per full gate, what pushing a car out of it costs at least (skips ejections that cannot gain). */
  bound: EjectionBound;
}

/** Every car awake, and the cars by the gates their options pass. */
function carsByGate(
  inst: AllocationInstance,
): Omit<EjectionScan, 'minCost' | 'fromAtScan' | 'altCostS' | 'altOtherGateCostS' | 'bound'> {
  const { carCount: n, optStart, optGate, optCost } = inst;
  const G = inst.gateCap.length;
  // Everything made before the loops, each loop in a function of its own: V8 compiles a long loop on the stack (OSR),
  // and code after it that had never run (a `slice`, a `new`) threw that code away twice a first call.
  const gateCarStart = new Int32Array(G + 1);
  const fill = new Int32Array(G);
  const gateCars = new Int32Array(optGate.length);
  const gateCarOpts = new Int32Array(optGate.length);
  const gateCarCostS = new Float64Array(optGate.length);
  const awake = new Uint8Array(n).fill(1);
  countByGate(optGate, gateCarStart);
  runningStarts(gateCarStart, fill);
  listByGate(n, optStart, optGate, optCost, fill, gateCars, gateCarOpts, gateCarCostS);
  return { awake, gateCarStart, gateCars, gateCarOpts, gateCarCostS };
}

/** Options per gate, counted at `count[g + 1]`. */
function countByGate(optGate: Int32Array, count: Int32Array): void {
  for (let o = 0; o < optGate.length; o++) {
    const g = (optGate[o] as number) + 1;
    count[g] = (count[g] as number) + 1;
  }
}

/** The counts summed into running starts (`start[g] .. start[g + 1]`), and `fill` set to each gate's start. */
function runningStarts(start: Int32Array, fill: Int32Array): void {
  for (let g = 0; g < fill.length; g++) {
    start[g + 1] = (start[g + 1] as number) + (start[g] as number);
    fill[g] = start[g] as number;
  }
}

/** Each option's car, the option and its cost, listed by gate from `fill` on (by car within a gate). */
function listByGate(
  n: number,
  optStart: Int32Array,
  optGate: Int32Array,
  optCost: Float64Array,
  fill: Int32Array,
  gateCars: Int32Array,
  gateCarOpts: Int32Array,
  gateCarCostS: Float64Array,
): void {
  for (let i = 0; i < n; i++)
    for (let o = optStart[i] as number; o < (optStart[i + 1] as number); o++) {
      const g = optGate[o] as number;
      const at = fill[g] as number;
      gateCars[at] = i;
      gateCarOpts[at] = o;
      gateCarCostS[at] = optCost[o] as number;
      fill[g] = at + 1;
    }
}

/**
 * A place at gate `g` came free: every car with an option through it cheaper than its current outcome is worth
 * another look (a car whose options there cost more gains nothing from it).
 */
function wakeGate(scan: EjectionScan, state: AllocationState, g: number): void {
  for (let k = scan.gateCarStart[g] as number; k < (scan.gateCarStart[g + 1] as number); k++) {
    const c = scan.gateCars[k] as number;
    if ((scan.gateCarCostS[k] as number) < state.costOf(c) - 1e-9) scan.awake[c] = 1;
  }
}

/**
 * Tries to give car i option `o` by moving one car j that holds what `o` lacks to j's cheapest option that then has
 * room (or the wait-list), when the pair gains. Each candidate is judged on the loads as they would be after the
 * move (`fitsAfter`), without touching them; only the move made is applied. A car j that had no cheap enough option
 * with room elsewhere when the round began is offered only i's place at the gate i leaves (see
 * {@link cheapestThroughGate}).
 */
function tryEjection(
  state: AllocationState,
  i: number,
  o: number,
  gain: number,
  firstFull: number,
  lastFull: number,
  gateFull: boolean,
  cars: Int32Array,
  from: number,
  to: number,
  scan: EjectionScan,
): boolean {
  const { fromAtScan } = scan;
  const { optCost, optChain, optGate, optFrom, optTo, unplacedPenaltyS } = state.instance;
  const chain = optChain[o] as number;
  const gate = optGate[o] as number;
  const oi = state.choice[i] as number;
  for (let m = from; m < to; m++) {
    const j = cars[m] as number;
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
    // j can at best move to its cheapest option; skip it when even that would not pay.
    const limit = gain + (optCost[oj] as number) - 1e-9;
    if ((scan.minCost[j] as number) >= limit) continue;
    let nj: number;
    if (((gateFull ? scan.altOtherGateCostS[j] : scan.altCostS[j]) as number) < limit) {
      if (!state.fitsAfter(o, oj, oi, -1)) continue;
      nj = cheapestAfterMove(state, j, oj, oi, o, Math.min(unplacedPenaltyS, limit));
      if (nj < 0 && unplacedPenaltyS >= limit) continue;
    } else {
      // Nothing cheap enough had room for j elsewhere (and so the wait-list is dearer than the gain too).
      nj = oi < 0 ? -1 : cheapestThroughGate(state, scan, optGate[oi] as number, j, oj, oi, o, limit);
      if (nj < 0 || !state.fitsAfter(o, oj, oi, -1)) continue;
    }
    applyEjection(state, scan, i, o, oi, j, oj, nj);
    return true;
  }
  return false;
}

// The steps below are functions of their own (tryEjection as one took ~30 ms of TurboFan's thread in a fresh
// process, and ran unoptimised meanwhile): each small one is compiled early, with its own feedback.

/**
 * Car j's cheapest option through gate `g` (the gate i leaves) below `limit` with room once j leaves `oj`, i leaves
 * `oi` and takes `o`; or -1. For a car with no cheap enough option with room at the round's start, the place i frees is
 * what can make one: its scan of all its options, first for one that i's leaving could help (its gate, or its bays)
 * and then for one that fits, was most of a tight day's local search (~100,000 scans a plan, ~0.1 % of them finding a
 * move, nearly all through that gate). j's entries in the gate's list are found by bisection (the list is by car).
 */
function cheapestThroughGate(
  state: AllocationState,
  scan: EjectionScan,
  g: number,
  j: number,
  oj: number,
  oi: number,
  o: number,
  limit: number,
): number {
  const { gateCars, gateCarOpts, gateCarCostS } = scan;
  let lo = scan.gateCarStart[g] as number;
  const end = scan.gateCarStart[g + 1] as number;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((gateCars[mid] as number) < j) lo = mid + 1;
    else hi = mid;
  }
  for (let m = lo; m < end && gateCars[m] === j; m++) {
    if ((gateCarCostS[m] as number) >= limit) break;
    const k = gateCarOpts[m] as number;
    if (k !== oj && state.fitsAfter(k, oj, oi, o)) return k;
  }
  return -1;
}

/** Car j's cheapest option below `limit` with room once j leaves `oj`, i leaves `oi` and takes `o`; or -1. */
function cheapestAfterMove(
  state: AllocationState,
  j: number,
  oj: number,
  oi: number,
  o: number,
  limit: number,
): number {
  const { optStart, optCost } = state.instance;
  for (let k = optStart[j] as number; k < (optStart[j + 1] as number); k++) {
    if ((optCost[k] as number) >= limit) break;
    if (k !== oj && state.fitsAfter(k, oj, oi, o)) return k;
  }
  return -1;
}

/** Car i takes `o` (leaving `oi`), car j leaves `oj` for `nj` (or the wait-list); the cars they free room for wake. */
function applyEjection(
  state: AllocationState,
  scan: EjectionScan,
  i: number,
  o: number,
  oi: number,
  j: number,
  oj: number,
  nj: number,
): void {
  const { optGate } = state.instance;
  if (oi >= 0) wakeGate(scan, state, optGate[oi] as number);
  wakeGate(scan, state, optGate[oj] as number);
  scan.awake[j] = 1;
  state.remove(j);
  if (oi >= 0) state.remove(i);
  state.place(i, o);
  scan.bound.noteMove(i, o, scan.altOtherGateCostS);
  if (nj >= 0) {
    state.place(j, nj);
    scan.bound.noteMove(j, nj, scan.altOtherGateCostS);
  }
}
