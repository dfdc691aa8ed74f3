import { errors } from '../errors.js';
import type { RoadNetwork } from '../model/index.js';
import { LinkGraph } from './link-graph.js';
import { KIND_INDEX, LotState } from './lot-state.js';
import { QueueRecorder, type QueueSeries } from './queue-recorder.js';
import { SignBoard } from './sign-board.js';
import { TimeHeap } from './time-heap.js';
import { DEFAULT_TRAFFIC_PARAMS, type TrafficParams } from './traffic-params.js';
import type { SignSpec, SimLot, Trip } from './trip.js';

export interface TrafficSimulationInput {
  network: RoadNetwork;
  lots: SimLot[];
  trips: Trip[];
  signs?: SignSpec[];
  /** Signs show lots only when true (the "sign guidance" policy). */
  isGuidanceOn?: boolean;
  /** Branches of the hospital approach, each a list of edges from the gate back along one road; the approach queue is
   * the longest branch's sum of link queues. */
  approachBranches?: string[][];
  /** Start and end of the simulated period (s after midnight). */
  startS: number;
  endS: number;
  params?: Partial<TrafficParams>;
  /** Called about every simulated 5 minutes with the share done (0–1). */
  onProgress?: (fraction: number) => void;
}

/** What one run produced, before KPIs are derived (see `report/kpis.ts`). */
export interface TrafficRunOutput {
  startS: number;
  endS: number;
  stepS: number;
  /** Sum over steps of the cars on the network (SUMO's "vehicle-steps"). */
  vehicleSteps: number;
  tripCount: number;
  /** Per trip, in input order: planned departure, parked/arrived time (NaN if not), lot index (-1), distance. */
  departS: Float64Array;
  /** Entered the network (later than `departS` when its first edge had no room); NaN if it never did. */
  enteredS: Float64Array;
  doneS: Float64Array;
  lotIndex: Int32Array;
  distanceM: Float64Array;
  cruisingM: Float64Array;
  purpose: Uint8Array;
  lotIds: string[];
  lotMaxOccupied: Int32Array;
  lotParkedTotal: Int32Array;
  lotCapacity: Int32Array;
  queues: QueueSeries;
}

export const PURPOSE_CODE = { park: 0, through: 1, dropoff: 2 } as const;

// Flags per car (vFlags).
const FOLLOWS = 1;
const SEARCHES = 2;
const KNOWS_SHARED = 4;
const PRE_ASSIGNED = 8;
const COMMITTED = 16;
// Movement markers: no blocked movement on a link / the car is at the end of its route.
const NO_BLOCK = -3;
const AT_END = -2;

// Built only for error messages: a path string per trip was a good share of a run's garbage.
function tripPath(v: number, trip: Trip): string {
  return `trips[${v}] ("${trip.id}")`;
}

/**
 * Runs the mesoscopic link model (see `sim/README.md`): each link is a FIFO queue with a free-flow time, a
 * storage capacity in cars and an outflow capacity; a car leaves a link when it has driven its length, the
 * link's outflow allows and the next link has room — otherwise it waits, and a full link blocks the one
 * behind it (spillback). Lot gates are single servers. Deterministic: no random numbers, fixed iteration order.
 */
export function runTrafficSimulation(input: TrafficSimulationInput): TrafficRunOutput {
  return new LinkModelRun(input).run();
}

/**
 * One run's state, with the model's steps as methods. A class rather than closures inside `runTrafficSimulation`:
 * closures made afresh every run are new call targets, so V8 threw away and recompiled the optimised code of the
 * whole step loop on every run (on its background compiler threads, which then took a core away from the other
 * workers of a sweep); methods are the same functions on every run and stay optimised.
 */
class LinkModelRun {
  private readonly input: TrafficSimulationInput;
  private readonly params: TrafficParams;
  private readonly dt: number;
  private readonly graph: LinkGraph;
  private readonly lots: LotState;
  private readonly lotTree: Int32Array;
  private readonly isSharedLot: Uint8Array;
  /** Input index of each car: cars are numbered in departure order (see the constructor). */
  private readonly tripOrder: Int32Array;
  private readonly V: number;
  // Per-car state (structure of arrays).
  private readonly vEdge: Int32Array;
  private readonly vReady: Float64Array;
  private readonly vNext: Int32Array;
  private readonly vDest: Int32Array;
  private readonly vTree: Int32Array;
  private readonly vLot: Int32Array;
  private readonly vKind: Uint8Array;
  private readonly vRequired: Uint8Array;
  private readonly vFlags: Uint8Array;
  private readonly vTried: Int32Array;
  private readonly vCruising: Uint8Array;
  private readonly vParkedKind: Int8Array;
  private readonly vStayS: Float64Array;
  private readonly departS: Float64Array;
  private readonly enteredS: Float64Array;
  private readonly doneS: Float64Array;
  private readonly lotIndex: Int32Array;
  private readonly distanceM: Float64Array;
  private readonly cruisingM: Float64Array;
  private readonly purpose: Uint8Array;
  // Per-link state.
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly count: Int32Array;
  private readonly credit: Float64Array;
  private readonly creditAt: Float64Array;
  private readonly maxCredit: Float64Array;
  // Lanes: on a link with 2+ lanes, cars whose next link is free may pass a head car that is blocked (a turning
  // queue keeps to its lane); that blocked movement may then fill one lane's worth of the link, not all of it.
  // A car's movement is the route ahead of it over `laneChoiceLookaheadM` (cars pick their lane before the diverge),
  // hashed to one number; cars on the same movement share a lane.
  private readonly vMove: Int32Array;
  private readonly blockedMove: Int32Array;
  private readonly blockedCount: Int32Array;
  private readonly laneStorage: Float64Array;
  private readonly activeEdges: Int32Array;
  private readonly isActive: Uint8Array;
  private activeCount = 0;
  private readonly signAt: Int32Array;
  // Drivers see a lot full (and searchers turn away) at the last junction before its funnel.
  private readonly funnelLot: Int32Array;
  private readonly funnelCount: Int32Array;
  private readonly signBoard: SignBoard;
  private readonly isGuidanceOn: boolean;
  private readonly releases: TimeHeap;
  private readonly recorder: QueueRecorder;

  constructor(input: TrafficSimulationInput) {
    this.input = input;
    const params: TrafficParams = { ...DEFAULT_TRAFFIC_PARAMS, ...input.params };
    this.params = params;
    const dt = params.stepS;
    this.dt = dt;
    const graph = new LinkGraph(input.network, params);
    this.graph = graph;
    const lots = new LotState(input.lots, (id) => graph.edgeIndexOrThrow(id, `lot "${id}" entryEdgeId`));
    this.lots = lots;
    if (input.lots.length > 31) throw errors.CB_DEMAND_INVALID('at most 31 lots per run', { path: 'lots' });
    const lotIndexById = new Map(input.lots.map((simLot, i) => [simLot.lot.id, i]));
    const lotTree = Int32Array.from(lots.entryEdge, (edge) => graph.treeSlotFor(edge));
    this.lotTree = lotTree;
    this.isSharedLot = Uint8Array.from(input.lots, (simLot) => (simLot.role === 'shared' ? 1 : 0));
    const E = graph.edgeCount;
    const trips = input.trips;
    const V = trips.length;
    this.V = V;
    // Cars are numbered in departure order, not input order: the cars on the network at any moment then sit together
    // in the per-car arrays, so a run's working set stays in cache (a sweep's workers share one). Outputs go back to
    // input order at the end.
    const tripOrder = new Int32Array(V);
    for (let u = 0; u < V; u++) tripOrder[u] = u;
    // Comparing rather than subtracting: a comparator returning a fraction boxed it, once per comparison.
    tripOrder.sort((a, b) => {
      const da = trips[a]!.departS;
      const db = trips[b]!.departS;
      return da < db ? -1 : da > db ? 1 : a - b;
    });
    this.tripOrder = tripOrder;
    const carOf = new Int32Array(V);
    for (let v = 0; v < V; v++) carOf[tripOrder[v]!] = v;

    this.vEdge = new Int32Array(V).fill(-1);
    this.vReady = new Float64Array(V);
    this.vNext = new Int32Array(V).fill(-1);
    this.vDest = new Int32Array(V);
    this.vTree = new Int32Array(V);
    this.vLot = new Int32Array(V).fill(-1);
    this.vKind = new Uint8Array(V);
    this.vRequired = new Uint8Array(V);
    this.vFlags = new Uint8Array(V);
    this.vTried = new Int32Array(V);
    this.vCruising = new Uint8Array(V);
    this.vParkedKind = new Int8Array(V).fill(-1);
    this.vStayS = new Float64Array(V);
    this.departS = new Float64Array(V);
    this.doneS = new Float64Array(V).fill(Number.NaN);
    this.enteredS = new Float64Array(V).fill(Number.NaN);
    this.lotIndex = new Int32Array(V).fill(-1);
    this.distanceM = new Float64Array(V);
    this.cruisingM = new Float64Array(V);
    this.purpose = new Uint8Array(V);

    this.loadTrips(trips, carOf, lotIndexById);

    this.head = new Int32Array(E).fill(-1);
    this.tail = new Int32Array(E).fill(-1);
    this.count = new Int32Array(E);
    this.credit = new Float64Array(E);
    this.creditAt = new Float64Array(E).fill(input.startS);
    this.maxCredit = new Float64Array(E);
    for (let e = 0; e < E; e++) this.maxCredit[e] = Math.max(1, graph.capacityVehPerS[e]! * dt);
    this.vMove = new Int32Array(V);
    this.blockedMove = new Int32Array(E).fill(NO_BLOCK);
    this.blockedCount = new Int32Array(E);
    this.laneStorage = new Float64Array(E);
    for (let e = 0; e < E; e++) this.laneStorage[e] = Math.max(1, Math.floor(graph.storageVeh[e]! / graph.lanes[e]!));
    this.activeEdges = new Int32Array(E);
    this.isActive = new Uint8Array(E);

    this.signAt = new Int32Array(E).fill(-1);
    for (const [i, sign] of (input.signs ?? []).entries()) {
      this.signAt[graph.edgeIndexOrThrow(sign.edgeId, `signs[${i}].edgeId`)] = i;
    }
    this.funnelLot = graph.funnels(lots.entryEdge);
    this.funnelCount = new Int32Array(lots.count);
    this.signBoard = new SignBoard(graph, input.network, lots, input.signs ?? [], params.signRefreshS);
    this.isGuidanceOn = input.isGuidanceOn === true;
    this.releases = new TimeHeap(Math.max(16, V));
    this.recorder = new QueueRecorder(graph, lots, params, input.startS, input.endS, input.approachBranches ?? []);
  }

  /**
   * Fills the per-car arrays from the trips, in input order so an error names the first bad trip of the input. A
   * method of its own, like `simulate`, so the loop's on-the-fly compilation covers only the loop.
   */
  private loadTrips(trips: readonly Trip[], carOf: Int32Array, lotIndexById: ReadonlyMap<string, number>): void {
    const { graph, lots, lotTree, vEdge, departS, vStayS, purpose } = this;
    const { vLot, vDest, vTree, vKind, vRequired, vFlags } = this;
    const V = trips.length;
    for (let u = 0; u < V; u++) {
      const trip = trips[u]!;
      const v = carOf[u]!;
      const origin = graph.router.edgeIndex(trip.originEdgeId);
      if (origin < 0) graph.edgeIndexOrThrow(trip.originEdgeId, `${tripPath(u, trip)}.originEdgeId`);
      vEdge[v] = origin;
      departS[v] = trip.departS;
      vStayS[v] = trip.stayS ?? 0;
      purpose[v] = PURPOSE_CODE[trip.purpose];
      if (trip.purpose === 'park') {
        const lot = lotIndexById.get(trip.lotId ?? '');
        if (lot === undefined) {
          const path = `${tripPath(u, trip)}.lotId`;
          throw errors.CB_DEMAND_INVALID(`${path}: unknown lot "${trip.lotId}"`, { path });
        }
        vLot[v] = lot;
        vDest[v] = lots.entryEdge[lot]!;
        vTree[v] = lotTree[lot]!;
        vKind[v] = KIND_INDEX[trip.bayKind ?? 'standard'];
        vRequired[v] = trip.isKindRequired === true ? 1 : 0;
        vFlags[v] =
          (trip.followsSigns === true ? FOLLOWS : 0) |
          (trip.searchesWhenFull === true ? SEARCHES : 0) |
          (trip.knowsSharedLots === true ? KNOWS_SHARED : 0) |
          (trip.isPreAssigned === true ? PRE_ASSIGNED : 0);
      } else {
        const destination = graph.router.edgeIndex(trip.destinationEdgeId ?? '');
        if (destination < 0) {
          graph.edgeIndexOrThrow(trip.destinationEdgeId ?? '', `${tripPath(u, trip)}.destinationEdgeId`);
        }
        vDest[v] = destination;
        vTree[v] = graph.treeSlotFor(destination);
      }
      if (!Number.isFinite(graph.costToS(vTree[v]!, origin))) {
        throw errors.CB_SIM_UNROUTABLE(
          `${tripPath(u, trip)}: no path from edge "${trip.originEdgeId}" to edge "${graph.router.edgeId(vDest[v]!)}"`,
          { path: tripPath(u, trip) },
        );
      }
    }
  }

  private activate(e: number): void {
    if (this.isActive[e] === 0) {
      this.isActive[e] = 1;
      this.activeEdges[this.activeCount++] = e;
    }
  }

  private setLot(v: number, lot: number): void {
    const { vLot, lots } = this;
    if (vLot[v]! >= 0) lots.enRoute[vLot[v]!]!--;
    vLot[v] = lot;
    lots.enRoute[lot]!++;
    this.vDest[v] = lots.entryEdge[lot]!;
    this.vTree[v] = this.lotTree[lot]!;
  }

  private movementOf(v: number, e: number): number {
    const dest = this.vDest[v]!;
    if (dest === e) return AT_END;
    const { graph } = this;
    const tree = this.vTree[v]!;
    const lookaheadM = this.params.laneChoiceLookaheadM;
    let hash = 0x811c9dc5;
    let aheadM = 0;
    for (let link = e; link !== dest && aheadM < lookaheadM;) {
      link = graph.nextHop(tree, link);
      if (link < 0) break;
      hash = Math.imul(hash ^ link, 0x01000193);
      aheadM += graph.lengthM[link]!;
    }
    // 30 bits: non-negative, so never a marker, and a small integer, so passing it around never boxes it (a full
    // 32-bit hash did, in every call V8 did not inline).
    return hash & 0x3fffffff;
  }

  private hasRoom(e: number, move: number): boolean {
    if (this.count[e]! >= this.graph.storageVeh[e]!) return false;
    return !(move === this.blockedMove[e] && this.blockedCount[e]! >= this.laneStorage[e]!);
  }

  private setBlocked(e: number, move: number): void {
    const { blockedMove, vNext, vMove } = this;
    if (blockedMove[e] === move) return;
    blockedMove[e] = move;
    let n = 0;
    if (move !== NO_BLOCK) for (let v = this.head[e]!; v >= 0; v = vNext[v]!) if (vMove[v] === move) n++;
    this.blockedCount[e] = n;
  }

  /**
   * Appends car `v` to link `e`. The time it enters comes in `vReady[v]`, not as an argument: V8 boxes a fractional
   * argument to a call it does not inline, and that was one allocation per car and link.
   */
  private enterLink(v: number, e: number): void {
    const { vNext, head, tail, funnelLot, signAt, vFlags } = this;
    this.vEdge[v] = e;
    this.vReady[v] = this.vReady[v]! + this.graph.freeTimeS[e]!;
    vNext[v] = -1;
    if (tail[e]! >= 0) vNext[tail[e]!] = v;
    else head[e] = v;
    tail[e] = v;
    this.count[e]!++;
    if (funnelLot[e]! >= 0) this.funnelCount[funnelLot[e]!]!++;
    this.activate(e);
    // Signs count general bays; a car that must have a particular kind (accessible) keeps to its own lot.
    if (
      this.isGuidanceOn &&
      signAt[e]! >= 0 &&
      this.purpose[v] === 0 &&
      this.vRequired[v] === 0 &&
      (vFlags[v]! & (FOLLOWS | PRE_ASSIGNED)) === FOLLOWS
    ) {
      const lot = this.signBoard.recommendedLot(signAt[e]!);
      if (lot >= 0 && lot !== this.vLot[v]) this.setLot(v, lot);
    }
    const move = this.movementOf(v, e);
    this.vMove[v] = move;
    if (move === this.blockedMove[e]) this.blockedCount[e]!++;
  }

  /** A searching driver who sees their lot full picks the nearest known lot not yet tried, or queues. */
  private reconsider(v: number, e: number, nowS: number): void {
    const { vTried, vFlags, lots, graph } = this;
    const current = this.vLot[v]!;
    vTried[v] = vTried[v]! | (1 << current);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let l = 0; l < lots.count; l++) {
      if ((vTried[v]! & (1 << l)) !== 0 || !lots.isOpen(l, nowS)) continue;
      if (this.isSharedLot[l] === 1 && (vFlags[v]! & KNOWS_SHARED) === 0) continue;
      const cost = graph.costToS(this.lotTree[l]!, e);
      if (cost < bestCost) {
        bestCost = cost;
        best = l;
      }
    }
    if (best < 0) {
      vFlags[v] = vFlags[v]! | COMMITTED;
      return;
    }
    this.vCruising[v] = 1;
    this.setLot(v, best);
  }

  private isVisiblyFull(lot: number, nowS: number, v: number): boolean {
    const { lots } = this;
    if (!lots.isOpen(lot, nowS)) return true;
    if (lots.freeKindFor(lot, this.vKind[v]!, this.vRequired[v] === 1, nowS) < 0) return true;
    return this.vRequired[v] === 0 && lots.freeGeneralBays(lot, nowS) - this.funnelCount[lot]! <= 0;
  }

  /** Takes `v` off link `e`; `prev` is the car before it (-1 when `v` is the head). */
  private leaveLink(v: number, e: number, prev: number): void {
    const { head, tail, vNext, funnelLot } = this;
    if (prev < 0) {
      head[e] = vNext[v]!;
      if (head[e]! < 0) tail[e] = -1;
    } else {
      vNext[prev] = vNext[v]!;
      if (tail[e] === v) tail[e] = prev;
    }
    if (this.vMove[v] === this.blockedMove[e]) this.blockedCount[e]!--;
    this.count[e]!--;
    if (funnelLot[e]! >= 0) this.funnelCount[funnelLot[e]!]!--;
    this.credit[e]! -= 1;
    const lengthM = this.graph.lengthM[e]!;
    this.distanceM[v]! += lengthM;
    if (this.vCruising[v] === 1) this.cruisingM[v]! += lengthM;
  }

  /** Moves the head cars that can go; returns the movement the head is blocked on, or NO_BLOCK. */
  private advanceHead(e: number, nowS: number): number {
    const { head, credit, vReady, vDest, purpose, vLot, lots, graph, vTree, funnelLot, vFlags } = this;
    const dt = this.dt;
    while (head[e]! >= 0 && credit[e]! >= 1) {
      const v = head[e]!;
      if (vReady[v]! > nowS) return NO_BLOCK;
      const leftAtS = vReady[v]! > nowS - dt ? vReady[v]! : nowS - dt;
      if (vDest[v] === e) {
        if (purpose[v] !== 0) {
          this.leaveLink(v, e, -1);
          this.doneS[v] = leftAtS;
          continue;
        }
        const lot = vLot[v]!;
        if (lots.gateFreeAtS[lot]! > nowS || !lots.isOpen(lot, nowS)) return AT_END;
        const kind = lots.freeKindFor(lot, this.vKind[v]!, this.vRequired[v] === 1, nowS);
        if (kind < 0) return AT_END;
        this.leaveLink(v, e, -1);
        const gateStartS = Math.max(lots.gateFreeAtS[lot]!, leftAtS);
        lots.gateFreeAtS[lot] = gateStartS + lots.gateServiceS[lot]!;
        lots.park(lot, kind);
        lots.enRoute[lot]!--;
        this.vParkedKind[v] = kind;
        this.doneS[v] = gateStartS + this.params.lotEntryDelayS;
        this.lotIndex[v] = lot;
        this.releases.push(gateStartS + this.vStayS[v]!, v);
        continue;
      }
      let next = graph.nextHop(vTree[v]!, e);
      if (
        purpose[v] === 0 &&
        funnelLot[next] === vLot[v] &&
        funnelLot[e] !== vLot[v] &&
        (vFlags[v]! & (SEARCHES | COMMITTED)) === SEARCHES &&
        this.isVisiblyFull(vLot[v]!, nowS, v)
      ) {
        this.reconsider(v, e, nowS);
        next = vDest[v] === e ? -1 : graph.nextHop(vTree[v]!, e);
      }
      if (next < 0) return AT_END;
      if (!this.hasRoom(next, this.movementOf(v, next))) return this.movementOf(v, e);
      this.leaveLink(v, e, -1);
      this.vReady[v] = leftAtS;
      this.enterLink(v, next);
    }
    return head[e]! < 0 ? NO_BLOCK : this.blockedMove[e]!;
  }

  /** On a multi-lane link, lets ready cars bound elsewhere pass the blocked head, until one of them is blocked too. */
  private bypass(e: number, blocked: number, nowS: number): void {
    const { vNext, vReady, credit } = this;
    const dt = this.dt;
    let prev = this.head[e]!;
    let w = vNext[prev]!;
    for (let scanned = 0; w >= 0 && scanned < 64 && credit[e]! >= 1 && vReady[w]! <= nowS; scanned++) {
      const move = this.movementOf(w, e);
      if (move === blocked) {
        prev = w;
        w = vNext[w]!;
        continue;
      }
      const leftAtS = vReady[w]! > nowS - dt ? vReady[w]! : nowS - dt;
      if (move === AT_END) {
        if (this.purpose[w] === 0) return;
        this.leaveLink(w, e, prev);
        this.doneS[w] = leftAtS;
      } else {
        const next = this.graph.nextHop(this.vTree[w]!, e);
        if (next < 0 || !this.hasRoom(next, this.movementOf(w, next))) return;
        this.leaveLink(w, e, prev);
        vReady[w] = leftAtS;
        this.enterLink(w, next);
      }
      w = vNext[prev]!;
    }
  }

  private processLink(e: number, nowS: number): void {
    const { credit, creditAt, maxCredit } = this;
    const c = credit[e]! + this.graph.capacityVehPerS[e]! * (nowS - creditAt[e]!);
    credit[e] = c > maxCredit[e]! ? maxCredit[e]! : c;
    creditAt[e] = nowS;
    const blocked = this.advanceHead(e, nowS);
    this.setBlocked(e, blocked);
    if (blocked !== NO_BLOCK && this.graph.lanes[e]! >= 2 && this.head[e]! >= 0) this.bypass(e, blocked, nowS);
  }

  /** A per-car array in the input's trip order. */
  private inInputOrder<T extends Float64Array | Int32Array | Uint8Array>(byCar: T): T {
    const byTrip = byCar.slice() as T;
    for (let v = 0; v < this.V; v++) byTrip[this.tripOrder[v]!] = byCar[v]!;
    return byTrip;
  }

  run(): TrafficRunOutput {
    const { lots, dt, V } = this;
    const { startS, endS, onProgress } = this.input;
    const lotIds = this.input.lots.map((simLot) => simLot.lot.id);
    const vehicleSteps = this.simulate(startS, endS, onProgress);
    onProgress?.(1);

    const lotCapacity = new Int32Array(lots.count);
    for (let l = 0; l < lots.count; l++) lotCapacity[l] = lots.totalCapacity(l, startS);
    return {
      startS,
      endS,
      stepS: dt,
      vehicleSteps,
      tripCount: V,
      departS: this.inInputOrder(this.departS),
      enteredS: this.inInputOrder(this.enteredS),
      doneS: this.inInputOrder(this.doneS),
      lotIndex: this.inInputOrder(this.lotIndex),
      distanceM: this.inInputOrder(this.distanceM),
      cruisingM: this.inInputOrder(this.cruisingM),
      purpose: this.inInputOrder(this.purpose),
      lotIds,
      lotMaxOccupied: lots.maxOccupied,
      lotParkedTotal: lots.parkedTotal,
      lotCapacity,
      queues: this.recorder.finish(),
    };
  }

  /**
   * The step loop; returns the vehicle-steps. Alone in its method because V8 compiles a long loop while it runs
   * (on-stack replacement) together with the rest of its function: code after the loop had no type feedback yet when
   * the loop was compiled, deoptimised it on leaving, and had it compiled again, once per run until warm. Every run's
   * compile work is repeated in every worker of a sweep.
   */
  private simulate(startS: number, endS: number, onProgress: ((fraction: number) => void) | undefined): number {
    const { graph, lots, dt, V, departS, vEdge, purpose, vLot, count, activeEdges, isActive } = this;
    const E = graph.edgeCount;
    // Cars waiting to enter the network at their origin link (the link was full).
    const insHead = new Int32Array(E).fill(-1);
    const insTail = new Int32Array(E).fill(-1);
    const insNext = new Int32Array(V).fill(-1);
    const insEdges: number[] = [];
    const isInsActive = new Uint8Array(E);
    let waitingToEnter = 0;
    let vehicleSteps = 0;
    let nextDeparture = 0;
    const totalSteps = Math.max(1, Math.ceil((endS - startS) / dt));
    const progressEvery = Math.max(1, Math.round(300 / dt));
    for (let step = 0; step <= totalSteps; step++) {
      const nowS = startS + step * dt;
      if (this.isGuidanceOn) this.signBoard.maybeRefresh(nowS, this.funnelCount);
      while (this.releases.peekTime() <= nowS) {
        const v = this.releases.pop();
        lots.release(this.lotIndex[v]!, this.vParkedKind[v]!);
      }
      while (nextDeparture < V && departS[nextDeparture]! <= nowS) {
        const v = nextDeparture++;
        const e = vEdge[v]!;
        if (insTail[e]! >= 0) insNext[insTail[e]!] = v;
        else insHead[e] = v;
        insTail[e] = v;
        waitingToEnter++;
        if (isInsActive[e] === 0) {
          isInsActive[e] = 1;
          insEdges.push(e);
        }
      }
      for (let i = 0; i < insEdges.length;) {
        const e = insEdges[i]!;
        while (insHead[e]! >= 0 && count[e]! < graph.storageVeh[e]!) {
          const v = insHead[e]!;
          insHead[e] = insNext[v]!;
          if (insHead[e]! < 0) insTail[e] = -1;
          waitingToEnter--;
          if (purpose[v] === 0) lots.enRoute[vLot[v]!]!++;
          this.vReady[v] = Math.max(departS[v]!, nowS - dt);
          this.enteredS[v] = this.vReady[v]!;
          this.enterLink(v, e);
        }
        if (insHead[e]! < 0) {
          isInsActive[e] = 0;
          insEdges[i] = insEdges[insEdges.length - 1]!;
          insEdges.pop();
        } else i++;
      }
      for (let i = 0; i < this.activeCount;) {
        const e = activeEdges[i]!;
        this.processLink(e, nowS);
        if (count[e] === 0) {
          isActive[e] = 0;
          activeEdges[i] = activeEdges[--this.activeCount]!;
        } else i++;
      }
      let onNetwork = 0;
      for (let i = 0; i < this.activeCount; i++) onNetwork += count[activeEdges[i]!]!;
      vehicleSteps += onNetwork;
      if (this.recorder.isDue(nowS)) {
        this.recorder.maybeSample(nowS, {
          activeEdges,
          activeCount: this.activeCount,
          head: this.head,
          vNext: this.vNext,
          vReady: this.vReady,
          vMove: this.vMove,
          blockedMove: this.blockedMove,
          waitingToEnter,
          onNetwork,
        });
      }
      if (onProgress !== undefined && step % progressEvery === 0) onProgress(step / totalSteps);
    }
    return vehicleSteps;
  }
}
