import type { AllocationState } from './allocation-state.js';

/** Most cars moved to make room for one: the car itself and up to this many others along a path of full gates. */
const MAX_DEPTH = 6;

/**
 * Moves along paths of full gates, which the local search's single ejections cannot find: a car takes an option
 * through full gate g1, a car there moves to another of its windows through full gate g2, a car there to g3 ...
 * until a gate with room. This is an augmenting path in the cars × gates assignment (gates are what bind when
 * arrivals must be spread), searched cheapest first (label-correcting over gates, each car's options cheapest
 * first) and applied when the whole path costs less than the car's current outcome. Tried first for every placed car
 * with a cheaper option behind a full gate, then for every car on the wait-list, whose path may also end with its
 * last car going to the wait-list in its place (who is wait-listed changes, with moves between): without those ends
 * the cap-0.6 day's gaps to HiGHS over seeds 1-30 were 0.311 % mean, 0.649 % worst (seed 29: the optimum wait-lists
 * other cars); with them 0.230 % and 0.423 % (gates x 0.6: 0.172 / 0.249 -> 0.131 / 0.225 %; as built unchanged).
 * Answers whether the plan changed.
 */
export function improveByGatePaths(state: AllocationState, isMovable: (i: number) => boolean = () => true): boolean {
  const inst = state.instance;
  const { carCount: n, gateCap } = inst;
  const G = gateCap.length;
  const capacity = G * MAX_DEPTH;
  const search: PathSearch = {
    dist: new Float64Array(G).fill(Number.POSITIVE_INFINITY),
    touched: new Int32Array(G),
    entryGate: new Int32Array(capacity),
    entryCost: new Float64Array(capacity),
    entryDepth: new Int32Array(capacity),
    entryParent: new Int32Array(capacity),
    entryCar: new Int32Array(capacity),
    entryOpt: new Int32Array(capacity),
    members: { start: new Int32Array(G + 1), cars: new Int32Array(n) },
    heap: new EntryHeap(capacity),
    deadSlackS: new Float64Array(G).fill(Number.NEGATIVE_INFINITY),
    touchedCount: 0,
    tail: 0,
    limit: 0,
    bestTotal: 0,
    bestCar: -1,
    bestOpt: -1,
    bestParent: -1,
    endsOnWaitList: false,
  };
  fillGateMembers(state, isMovable, search.members);
  let improved = false;
  for (let pass = 0; pass < 2; pass++) {
    search.endsOnWaitList = pass === 1;
    for (let i = 0; i < n; i++) {
      if (!isMovable(i) || search.endsOnWaitList !== (state.choice[i] as number) < 0) continue;
      const first = inst.optStart[i] as number;
      if (first >= (inst.optStart[i + 1] as number) || (inst.optCost[first] as number) >= state.costOf(i) - 1e-9)
        continue;
      if (augment(state, i, search, isMovable)) {
        // A path ending on the wait-list frees a passage at its last gate, which may revive gates marked dead; keeping
        // the marks keeps the wait-listed cars' searches (their budget is the wait-list itself) short: forgetting
        // them cost ~10 ms more a tight first call for the same gaps (60 days, means within 0.001 %).
        if (!search.endsOnWaitList) search.deadSlackS.fill(Number.NEGATIVE_INFINITY);
        improved = true;
        fillGateMembers(state, isMovable, search.members);
      }
    }
    // Gates were judged dead without wait-list ends, which reach further.
    search.deadSlackS.fill(Number.NEGATIVE_INFINITY);
  }
  return improved;
}

/**
 * The search's scratch. Each queue entry is a step of a path: car `entryCar` takes option `entryOpt` into full gate
 * `entryGate` after the steps of entry `entryParent` (-1: the source car), the path so far costing `entryCost`.
 */
interface PathSearch {
  /** Cheapest path so far into each full gate (a later, dearer one is not followed). */
  dist: Float64Array;
  touched: Int32Array;
  entryGate: Int32Array;
  entryCost: Float64Array;
  entryDepth: Int32Array;
  entryParent: Int32Array;
  entryCar: Int32Array;
  entryOpt: Int32Array;
  /**
   * Cars by the gate of their current option (`cars[start[g] .. start[g+1]]`), refilled in place after each path
   * applied: a new object assigned to the field made V8 throw away the optimised search that had taken the field as
   * constant (a deoptimisation, then a second compile, in every first call whose polish applies a path).
   */
  readonly members: { readonly start: Int32Array; readonly cars: Int32Array };
  heap: EntryHeap;
  /**
   * Per full gate, the most budget a search had left on entering it and found no gate with room beyond: a later
   * search entering it with no more left is not followed (the plan unchanged since; cleared when a path is applied).
   */
  deadSlackS: Float64Array;
  /** Gates in `touched`, entries queued. */
  touchedCount: number;
  tail: number;
  /** The source car's current cost (less a margin): a path must cost less. */
  limit: number;
  /**
   * The cheapest path found so far: its cost, and its last step (car, option, parent entry; car -1: none yet; option
   * -1: the car goes to the wait-list).
   */
  bestTotal: number;
  bestCar: number;
  bestOpt: number;
  bestParent: number;
  /** Whether a path may end with its last car on the wait-list (the second pass, for wait-listed cars). */
  endsOnWaitList: boolean;
}

/** A binary min-heap of queue entries by cost. */
class EntryHeap {
  length = 0;
  private readonly entries: Int32Array;
  private readonly costs: Float64Array;

  constructor(capacity: number) {
    this.entries = new Int32Array(capacity);
    this.costs = new Float64Array(capacity);
  }

  push(entry: number, cost: number): void {
    let at = this.length++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if ((this.costs[up] as number) <= cost) break;
      this.entries[at] = this.entries[up] as number;
      this.costs[at] = this.costs[up] as number;
      at = up;
    }
    this.entries[at] = entry;
    this.costs[at] = cost;
  }

  /** The cheapest entry, removed (the heap must not be empty). */
  pop(): number {
    const top = this.entries[0] as number;
    const n = --this.length;
    const entry = this.entries[n] as number;
    const cost = this.costs[n] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && (this.costs[child + 1] as number) < (this.costs[child] as number)) child++;
      if ((this.costs[child] as number) >= cost) break;
      this.entries[at] = this.entries[child] as number;
      this.costs[at] = this.costs[child] as number;
      at = child;
    }
    this.entries[at] = entry;
    this.costs[at] = cost;
    return top;
  }
}

/** Fills `members` (sized for every gate and car) with the movable placed cars by the gate of their option. */
function fillGateMembers(
  state: AllocationState,
  isMovable: (i: number) => boolean,
  members: PathSearch['members'],
): void {
  const { carCount: n, optGate, gateCap } = state.instance;
  const { start, cars } = members;
  start.fill(0);
  for (let i = 0; i < n; i++) {
    const o = state.choice[i] as number;
    if (o < 0 || !isMovable(i)) continue;
    const g = (optGate[o] as number) + 1;
    start[g] = (start[g] as number) + 1;
  }
  for (let g = 0; g < gateCap.length; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  const fill = start.slice(0, -1);
  for (let i = 0; i < n; i++) {
    const o = state.choice[i] as number;
    if (o < 0 || !isMovable(i)) continue;
    const g = optGate[o] as number;
    cars[fill[g] as number] = i;
    fill[g] = (fill[g] as number) + 1;
  }
}

/** True when car `j` already moves on the path of entry `e`. */
function isOnPath(search: PathSearch, e: number, j: number): boolean {
  for (let at = e; at >= 0; at = search.entryParent[at] as number) if (search.entryCar[at] === j) return true;
  return false;
}

/**
 * Searches the cheapest path for car `w` and applies it when it gains; answers whether it did. The search is split
 * into small functions (seed, expand one gate, note dead gates): as one function V8 took 20-40 ms to compile it on its
 * background thread, four times in a fresh process (the first path found deoptimised it for want of feedback on the
 * call that applies it), and ran it unoptimised meanwhile: most of the phase in a first call.
 */
function augment(state: AllocationState, w: number, search: PathSearch, isMovable: (i: number) => boolean): boolean {
  const { dist, touched } = search;
  search.touchedCount = 0;
  search.tail = 0;
  search.heap.length = 0;
  search.limit = state.costOf(w) - 1e-9;
  search.bestTotal = search.limit;
  search.bestCar = -1;
  search.bestOpt = -1;
  search.bestParent = -1;
  seedSource(state, w, search);
  expandCheapestFirst(state, w, search, isMovable);
  if (search.bestCar < 0) noteDeadGates(search);
  const applied = search.bestCar >= 0 && applyPath(state, search, search.bestCar, search.bestOpt, search.bestParent);
  for (let t = 0; t < search.touchedCount; t++) dist[touched[t] as number] = Number.POSITIVE_INFINITY;
  return applied;
}

/** Queues a step into full gate `g` (see {@link PathSearch}). */
function pushEntry(
  search: PathSearch,
  g: number,
  cost: number,
  depth: number,
  parent: number,
  car: number,
  opt: number,
): void {
  const tail = search.tail;
  if (search.dist[g] === Number.POSITIVE_INFINITY) search.touched[search.touchedCount++] = g;
  search.dist[g] = cost;
  search.entryGate[tail] = g;
  search.entryCost[tail] = cost;
  search.entryDepth[tail] = depth;
  search.entryParent[tail] = parent;
  search.entryCar[tail] = car;
  search.entryOpt[tail] = opt;
  search.heap.push(tail, cost);
  search.tail = tail + 1;
}

/** The source car's options through a full gate whose bays have room (one with room is the local search's). */
function seedSource(state: AllocationState, w: number, search: PathSearch): void {
  const { optStart, optCost, optGate, gateCap } = state.instance;
  const { dist, deadSlackS } = search;
  const ow = state.choice[w] as number;
  const limit = search.limit;
  for (let o = optStart[w] as number; o < (optStart[w + 1] as number); o++) {
    const cost = optCost[o] as number;
    if (cost >= limit) break;
    const g = optGate[o] as number;
    if (o === ow || (state.gateLoad[g] as number) < (gateCap[g] as number) || cost >= (dist[g] as number)) continue;
    if (limit - cost <= (deadSlackS[g] as number)) continue;
    if (state.baysFitAfter(o, ow, -1, -1) && search.tail < search.entryGate.length)
      pushEntry(search, g, cost, 1, -1, w, o);
  }
}

/** Cheapest path first: a gate is mostly expanded once, by its cheapest path. */
function expandCheapestFirst(
  state: AllocationState,
  w: number,
  search: PathSearch,
  isMovable: (i: number) => boolean,
): void {
  const heap = search.heap;
  while (heap.length > 0) {
    const e = heap.pop();
    const g = search.entryGate[e] as number;
    const dg = search.entryCost[e] as number;
    if (dg >= search.bestTotal) break;
    if (dg > (search.dist[g] as number)) continue;
    const { members } = search;
    for (let m = members.start[g] as number; m < (members.start[g + 1] as number); m++)
      expandCar(state, w, search, isMovable, e, g, dg, members.cars[m] as number);
  }
}

/** Car `j` at full gate `g`, reached by entry `e` at cost `dg`, tries its other windows through another gate. */
function expandCar(
  state: AllocationState,
  w: number,
  search: PathSearch,
  isMovable: (i: number) => boolean,
  e: number,
  g: number,
  dg: number,
  j: number,
): void {
  const { optStart, optCost, optGate, gateCap } = state.instance;
  const { dist, deadSlackS } = search;
  const oj = state.choice[j] as number;
  if (j === w || oj < 0 || (optGate[oj] as number) !== g || !isMovable(j) || isOnPath(search, e, j)) return;
  const base = dg - (optCost[oj] as number);
  const depth = search.entryDepth[e] as number;
  // Or the path ends with j on the wait-list, when that still gains: who is wait-listed changes along a path of
  // full gates (a wait-listed car takes a place, cars move over, a cheaper-placed one steps out). Written on every
  // call, kept only when better, for the type feedback (see below).
  // Both read before they are combined: the comparison behind `endsOnWaitList` never ran in the first pass, and V8,
  // with no feedback for it, threw the search's optimised code away when the second pass came (and compiled it again).
  const toWaitList = base + state.instance.unplacedPenaltyS;
  const isCheaper = toWaitList < search.bestTotal;
  const mayEnd = search.endsOnWaitList;
  const endsHere = isCheaper && mayEnd;
  search.bestTotal = endsHere ? toWaitList : search.bestTotal;
  search.bestCar = endsHere ? j : search.bestCar;
  search.bestOpt = endsHere ? -1 : search.bestOpt;
  search.bestParent = endsHere ? e : search.bestParent;
  // The best path's cost, read once: it changes below only where a path is found, and then the scan ends. (Read from
  // the field at every step, each read of that double was a new heap number in unoptimised code: up to 5 MB of a
  // first call's garbage when the optimised search came late.)
  const bestTotal = search.bestTotal;
  for (let k = optStart[j] as number; k < (optStart[j + 1] as number); k++) {
    const d = base + (optCost[k] as number);
    if (d >= bestTotal) break;
    const h = optGate[k] as number;
    if (k === oj || h === g) continue;
    const hasRoom = (state.gateLoad[h] as number) < (gateCap[h] as number);
    // A full gate is worth entering only by a cheaper path than any so far, within the depth (checks that
    // cost nothing before the bays are checked).
    if (!hasRoom && (d >= (dist[h] as number) || depth >= MAX_DEPTH || bestTotal - d <= (deadSlackS[h] as number)))
      continue;
    if (!state.baysFitAfter(k, oj, -1, -1)) continue;
    // Written on every step that gets here, kept unless the gate has room: written only where a path is found, the
    // writes had no type feedback until the polish's first path, and V8 threw the search's optimised code away there
    // and compiled it again (~8 ms of its background compiler in a first call, the search unoptimised meanwhile).
    search.bestTotal = hasRoom ? d : bestTotal;
    search.bestCar = hasRoom ? j : search.bestCar;
    search.bestOpt = hasRoom ? k : search.bestOpt;
    search.bestParent = hasRoom ? e : search.bestParent;
    if (hasRoom) return;
    if (search.tail < search.entryGate.length) pushEntry(search, h, d, depth + 1, e, j, k);
  }
}

/** No path: each gate the search entered is dead for any later search with no more budget left there. */
function noteDeadGates(search: PathSearch): void {
  const { dist, touched, deadSlackS, limit } = search;
  for (let t = 0; t < search.touchedCount; t++) {
    const g = touched[t] as number;
    deadSlackS[g] = Math.max(deadSlackS[g] as number, limit - (dist[g] as number));
  }
}

/**
 * Applies the path ending with car `lastCar` taking `lastOpt` (-1: the wait-list) after the steps of entry `parent`:
 * from the end back to the source car, each car leaves its option and takes the next, every step checked on the loads
 * as they are (a path judged on the loads before it may clash with itself on bays); on a clash everything is put back.
 */
function applyPath(
  state: AllocationState,
  search: PathSearch,
  lastCar: number,
  lastOpt: number,
  parent: number,
): boolean {
  const cars: number[] = [lastCar];
  const opts: number[] = [lastOpt];
  for (let e = parent; e >= 0; e = search.entryParent[e] as number) {
    cars.push(search.entryCar[e] as number);
    opts.push(search.entryOpt[e] as number);
  }
  const before = cars.map((c) => state.choice[c] as number);
  for (let s = 0; s < cars.length; s++) {
    state.remove(cars[s] as number);
    // The last car of a path that ends on the wait-list takes nothing.
    if ((opts[s] as number) < 0) continue;
    if (!state.fits(opts[s] as number)) {
      for (let u = s; u >= 0; u--) {
        state.remove(cars[u] as number);
        const old = before[u] as number;
        if (old >= 0) state.place(cars[u] as number, old);
      }
      return false;
    }
    state.place(cars[s] as number, opts[s] as number);
  }
  return true;
}
