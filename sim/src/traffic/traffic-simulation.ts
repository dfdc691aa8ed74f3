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

/**
 * Runs the mesoscopic link model (see `sim/README.md`): each link is a FIFO queue with a free-flow time, a
 * storage capacity in cars and an outflow capacity; a car leaves a link when it has driven its length, the
 * link's outflow allows and the next link has room — otherwise it waits, and a full link blocks the one
 * behind it (spillback). Lot gates are single servers. Deterministic: no random numbers, fixed iteration order.
 */
export function runTrafficSimulation(input: TrafficSimulationInput): TrafficRunOutput {
  const params: TrafficParams = { ...DEFAULT_TRAFFIC_PARAMS, ...input.params };
  const dt = params.stepS;
  const graph = new LinkGraph(input.network, params);
  const lots = new LotState(input.lots, (id) => graph.edgeIndexOrThrow(id, `lot "${id}" entryEdgeId`));
  if (input.lots.length > 31) throw errors.CB_DEMAND_INVALID('at most 31 lots per run', { path: 'lots' });
  const lotIndexById = new Map(input.lots.map((simLot, i) => [simLot.lot.id, i]));
  const lotTree = Array.from(lots.entryEdge, (edge) => graph.treeSlotFor(edge));
  const E = graph.edgeCount;
  const trips = input.trips;
  const V = trips.length;

  // Per-car state (structure of arrays).
  const vEdge = new Int32Array(V).fill(-1);
  const vReady = new Float64Array(V);
  const vNext = new Int32Array(V).fill(-1);
  const vDest = new Int32Array(V);
  const vTree = new Int32Array(V);
  const vLot = new Int32Array(V).fill(-1);
  const vKind = new Uint8Array(V);
  const vRequired = new Uint8Array(V);
  const vFlags = new Uint8Array(V);
  const vTried = new Int32Array(V);
  const vCruising = new Uint8Array(V);
  const vParkedKind = new Int8Array(V).fill(-1);
  const departS = new Float64Array(V);
  const doneS = new Float64Array(V).fill(Number.NaN);
  const lotIndex = new Int32Array(V).fill(-1);
  const distanceM = new Float64Array(V);
  const cruisingM = new Float64Array(V);
  const purpose = new Uint8Array(V);
  const FOLLOWS = 1;
  const SEARCHES = 2;
  const KNOWS_SHARED = 4;
  const PRE_ASSIGNED = 8;
  const COMMITTED = 16;

  trips.forEach((trip, v) => {
    const where = `trips[${v}] ("${trip.id}")`;
    const origin = graph.edgeIndexOrThrow(trip.originEdgeId, `${where}.originEdgeId`);
    vEdge[v] = origin;
    departS[v] = trip.departS;
    purpose[v] = PURPOSE_CODE[trip.purpose];
    if (trip.purpose === 'park') {
      const lot = lotIndexById.get(trip.lotId ?? '');
      if (lot === undefined) {
        throw errors.CB_DEMAND_INVALID(`${where}.lotId: unknown lot "${trip.lotId}"`, { path: `${where}.lotId` });
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
      const destination = graph.edgeIndexOrThrow(trip.destinationEdgeId ?? '', `${where}.destinationEdgeId`);
      vDest[v] = destination;
      vTree[v] = graph.treeSlotFor(destination);
    }
    if (!Number.isFinite(graph.costToS(vTree[v]!, origin))) {
      throw errors.CB_SIM_UNROUTABLE(
        `${where}: no path from edge "${trip.originEdgeId}" to edge "${graph.router.edgeId(vDest[v]!)}"`,
        { path: where },
      );
    }
  });
  const departOrder = Array.from({ length: V }, (_, v) => v).sort((a, b) => departS[a]! - departS[b]! || a - b);

  // Per-link state.
  const head = new Int32Array(E).fill(-1);
  const tail = new Int32Array(E).fill(-1);
  const count = new Int32Array(E);
  const credit = new Float64Array(E);
  const creditAt = new Float64Array(E).fill(input.startS);
  const maxCredit = new Float64Array(E);
  for (let e = 0; e < E; e++) maxCredit[e] = Math.max(1, graph.capacityVehPerS[e]! * dt);
  // Lanes: on a link with 2+ lanes, cars whose next link is free may pass a head car that is blocked (a turning
  // queue keeps to its lane); that blocked movement may then fill one lane's worth of the link, not all of it.
  const NO_BLOCK = -3;
  const AT_END = -2;
  // A car's movement is the route ahead of it over `laneChoiceLookaheadM` (cars pick their lane before the diverge),
  // hashed to one number; cars on the same movement share a lane.
  const vMove = new Float64Array(V);
  const blockedMove = new Float64Array(E).fill(NO_BLOCK);
  const blockedCount = new Int32Array(E);
  const laneStorage = new Float64Array(E);
  for (let e = 0; e < E; e++) laneStorage[e] = Math.max(1, Math.floor(graph.storageVeh[e]! / graph.lanes[e]!));
  const activeEdges = new Int32Array(E);
  const isActive = new Uint8Array(E);
  let activeCount = 0;
  // Cars waiting to enter the network at their origin link (the link was full).
  const insHead = new Int32Array(E).fill(-1);
  const insTail = new Int32Array(E).fill(-1);
  const insNext = new Int32Array(V).fill(-1);
  const insEdges: number[] = [];
  const isInsActive = new Uint8Array(E);
  let waitingToEnter = 0;

  const signAt = new Int32Array(E).fill(-1);
  for (const [i, sign] of (input.signs ?? []).entries()) {
    signAt[graph.edgeIndexOrThrow(sign.edgeId, `signs[${i}].edgeId`)] = i;
  }
  // Drivers see a lot full (and searchers turn away) at the last junction before its funnel.
  const funnelLot = graph.funnels(lots.entryEdge);
  const funnelCount = new Int32Array(lots.count);
  const signBoard = new SignBoard(graph, input.network, lots, input.signs ?? [], params.signRefreshS);
  const isGuidanceOn = input.isGuidanceOn === true;
  const releases = new TimeHeap(Math.max(16, V));
  const recorder = new QueueRecorder(graph, lots, params, input.startS, input.endS, input.approachBranches ?? []);

  function activate(e: number): void {
    if (isActive[e] === 0) {
      isActive[e] = 1;
      activeEdges[activeCount++] = e;
    }
  }

  function setLot(v: number, lot: number): void {
    if (vLot[v]! >= 0) lots.enRoute[vLot[v]!]!--;
    vLot[v] = lot;
    lots.enRoute[lot]!++;
    vDest[v] = lots.entryEdge[lot]!;
    vTree[v] = lotTree[lot]!;
  }

  function movementOf(v: number, e: number): number {
    if (vDest[v] === e) return AT_END;
    let hash = 0x811c9dc5;
    let aheadM = 0;
    for (let link = e; link !== vDest[v] && aheadM < params.laneChoiceLookaheadM; ) {
      link = graph.nextHop(vTree[v]!, link);
      if (link < 0) break;
      hash = Math.imul(hash ^ link, 0x01000193);
      aheadM += graph.lengthM[link]!;
    }
    return hash >>> 0;
  }

  function hasRoom(e: number, move: number): boolean {
    if (count[e]! >= graph.storageVeh[e]!) return false;
    return !(move === blockedMove[e] && blockedCount[e]! >= laneStorage[e]!);
  }

  function setBlocked(e: number, move: number): void {
    if (blockedMove[e] === move) return;
    blockedMove[e] = move;
    let n = 0;
    if (move !== NO_BLOCK) for (let v = head[e]!; v >= 0; v = vNext[v]!) if (vMove[v] === move) n++;
    blockedCount[e] = n;
  }

  function enterLink(v: number, e: number, atS: number): void {
    vEdge[v] = e;
    vReady[v] = atS + graph.freeTimeS[e]!;
    vNext[v] = -1;
    if (tail[e]! >= 0) vNext[tail[e]!] = v;
    else head[e] = v;
    tail[e] = v;
    count[e]!++;
    if (funnelLot[e]! >= 0) funnelCount[funnelLot[e]!]!++;
    activate(e);
    // Signs count general bays; a car that must have a particular kind (accessible) keeps to its own lot.
    if (
      isGuidanceOn &&
      signAt[e]! >= 0 &&
      purpose[v] === 0 &&
      vRequired[v] === 0 &&
      (vFlags[v]! & (FOLLOWS | PRE_ASSIGNED)) === FOLLOWS
    ) {
      const lot = signBoard.recommendedLot(signAt[e]!);
      if (lot >= 0 && lot !== vLot[v]) setLot(v, lot);
    }
    vMove[v] = movementOf(v, e);
    if (vMove[v] === blockedMove[e]) blockedCount[e]!++;
  }

  /** A searching driver who sees their lot full picks the nearest known lot not yet tried, or queues. */
  function reconsider(v: number, e: number, nowS: number): void {
    const current = vLot[v]!;
    vTried[v] = vTried[v]! | (1 << current);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let l = 0; l < lots.count; l++) {
      if ((vTried[v]! & (1 << l)) !== 0 || !lots.isOpen(l, nowS)) continue;
      if (input.lots[l]!.role === 'shared' && (vFlags[v]! & KNOWS_SHARED) === 0) continue;
      const cost = graph.costToS(lotTree[l]!, e);
      if (cost < bestCost) {
        bestCost = cost;
        best = l;
      }
    }
    if (best < 0) {
      vFlags[v] = vFlags[v]! | COMMITTED;
      return;
    }
    vCruising[v] = 1;
    setLot(v, best);
  }

  function isVisiblyFull(lot: number, nowS: number, v: number): boolean {
    if (!lots.isOpen(lot, nowS)) return true;
    if (lots.freeKindFor(lot, vKind[v]!, vRequired[v] === 1, nowS) < 0) return true;
    return vRequired[v] === 0 && lots.freeGeneralBays(lot, nowS) - funnelCount[lot]! <= 0;
  }

  /** Takes `v` off link `e`; `prev` is the car before it (-1 when `v` is the head). */
  function leaveLink(v: number, e: number, prev = -1): void {
    if (prev < 0) {
      head[e] = vNext[v]!;
      if (head[e]! < 0) tail[e] = -1;
    } else {
      vNext[prev] = vNext[v]!;
      if (tail[e] === v) tail[e] = prev;
    }
    if (vMove[v] === blockedMove[e]) blockedCount[e]!--;
    count[e]!--;
    if (funnelLot[e]! >= 0) funnelCount[funnelLot[e]!]!--;
    credit[e]! -= 1;
    distanceM[v]! += graph.lengthM[e]!;
    if (vCruising[v] === 1) cruisingM[v]! += graph.lengthM[e]!;
  }

  /** Moves the head cars that can go; returns the movement the head is blocked on, or NO_BLOCK. */
  function advanceHead(e: number, nowS: number): number {
    while (head[e]! >= 0 && credit[e]! >= 1) {
      const v = head[e]!;
      if (vReady[v]! > nowS) return NO_BLOCK;
      const leftAtS = vReady[v]! > nowS - dt ? vReady[v]! : nowS - dt;
      if (vDest[v] === e) {
        if (purpose[v] !== 0) {
          leaveLink(v, e);
          doneS[v] = leftAtS;
          continue;
        }
        const lot = vLot[v]!;
        if (lots.gateFreeAtS[lot]! > nowS || !lots.isOpen(lot, nowS)) return AT_END;
        const kind = lots.freeKindFor(lot, vKind[v]!, vRequired[v] === 1, nowS);
        if (kind < 0) return AT_END;
        leaveLink(v, e);
        const gateStartS = Math.max(lots.gateFreeAtS[lot]!, leftAtS);
        lots.gateFreeAtS[lot] = gateStartS + lots.gateServiceS[lot]!;
        lots.park(lot, kind);
        lots.enRoute[lot]!--;
        vParkedKind[v] = kind;
        doneS[v] = gateStartS + params.lotEntryDelayS;
        lotIndex[v] = lot;
        releases.push(gateStartS + (trips[v]!.stayS ?? 0), v);
        continue;
      }
      let next = graph.nextHop(vTree[v]!, e);
      if (
        purpose[v] === 0 &&
        funnelLot[next] === vLot[v] &&
        funnelLot[e] !== vLot[v] &&
        (vFlags[v]! & (SEARCHES | COMMITTED)) === SEARCHES &&
        isVisiblyFull(vLot[v]!, nowS, v)
      ) {
        reconsider(v, e, nowS);
        next = vDest[v] === e ? -1 : graph.nextHop(vTree[v]!, e);
      }
      if (next < 0) return AT_END;
      if (!hasRoom(next, movementOf(v, next))) return movementOf(v, e);
      leaveLink(v, e);
      enterLink(v, next, leftAtS);
    }
    return head[e]! < 0 ? NO_BLOCK : blockedMove[e]!;
  }

  /** On a multi-lane link, lets ready cars bound elsewhere pass the blocked head, until one of them is blocked too. */
  function bypass(e: number, blocked: number, nowS: number): void {
    let prev = head[e]!;
    let w = vNext[prev]!;
    for (let scanned = 0; w >= 0 && scanned < 64 && credit[e]! >= 1 && vReady[w]! <= nowS; scanned++) {
      const move = movementOf(w, e);
      if (move === blocked) {
        prev = w;
        w = vNext[w]!;
        continue;
      }
      const leftAtS = vReady[w]! > nowS - dt ? vReady[w]! : nowS - dt;
      if (move === AT_END) {
        if (purpose[w] === 0) return;
        leaveLink(w, e, prev);
        doneS[w] = leftAtS;
      } else {
        const next = graph.nextHop(vTree[w]!, e);
        if (next < 0 || !hasRoom(next, movementOf(w, next))) return;
        leaveLink(w, e, prev);
        enterLink(w, next, leftAtS);
      }
      w = vNext[prev]!;
    }
  }

  function processLink(e: number, nowS: number): void {
    const c = credit[e]! + graph.capacityVehPerS[e]! * (nowS - creditAt[e]!);
    credit[e] = c > maxCredit[e]! ? maxCredit[e]! : c;
    creditAt[e] = nowS;
    const blocked = advanceHead(e, nowS);
    setBlocked(e, blocked);
    if (blocked !== NO_BLOCK && graph.lanes[e]! >= 2 && head[e]! >= 0) bypass(e, blocked, nowS);
  }

  let vehicleSteps = 0;
  let nextDeparture = 0;
  const totalSteps = Math.max(1, Math.ceil((input.endS - input.startS) / dt));
  const progressEvery = Math.max(1, Math.round(300 / dt));
  for (let step = 0; step <= totalSteps; step++) {
    const nowS = input.startS + step * dt;
    if (isGuidanceOn) signBoard.maybeRefresh(nowS, funnelCount);
    while (releases.peekTime() <= nowS) {
      const v = releases.pop();
      lots.release(lotIndex[v]!, vParkedKind[v]!);
    }
    while (nextDeparture < V && departS[departOrder[nextDeparture]!]! <= nowS) {
      const v = departOrder[nextDeparture++]!;
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
    for (let i = 0; i < insEdges.length; ) {
      const e = insEdges[i]!;
      while (insHead[e]! >= 0 && count[e]! < graph.storageVeh[e]!) {
        const v = insHead[e]!;
        insHead[e] = insNext[v]!;
        if (insHead[e]! < 0) insTail[e] = -1;
        waitingToEnter--;
        if (purpose[v] === 0) lots.enRoute[vLot[v]!]!++;
        enterLink(v, e, Math.max(departS[v]!, nowS - dt));
      }
      if (insHead[e]! < 0) {
        isInsActive[e] = 0;
        insEdges[i] = insEdges[insEdges.length - 1]!;
        insEdges.pop();
      } else i++;
    }
    for (let i = 0; i < activeCount; ) {
      const e = activeEdges[i]!;
      processLink(e, nowS);
      if (count[e] === 0) {
        isActive[e] = 0;
        activeEdges[i] = activeEdges[--activeCount]!;
      } else i++;
    }
    let onNetwork = 0;
    for (let i = 0; i < activeCount; i++) onNetwork += count[activeEdges[i]!]!;
    vehicleSteps += onNetwork;
    if (recorder.isDue(nowS)) {
      recorder.maybeSample(nowS, { activeEdges, activeCount, head, vNext, vReady, vMove, blockedMove, waitingToEnter, onNetwork });
    }
    if (input.onProgress !== undefined && step % progressEvery === 0) input.onProgress(step / totalSteps);
  }
  input.onProgress?.(1);

  const lotCapacity = new Int32Array(lots.count);
  for (let l = 0; l < lots.count; l++) lotCapacity[l] = lots.totalCapacity(l, input.startS);
  return {
    startS: input.startS,
    endS: input.endS,
    stepS: dt,
    vehicleSteps,
    tripCount: V,
    departS,
    doneS,
    lotIndex,
    distanceM,
    cruisingM,
    purpose,
    lotIds: input.lots.map((simLot) => simLot.lot.id),
    lotMaxOccupied: lots.maxOccupied,
    lotParkedTotal: lots.parkedTotal,
    lotCapacity,
    queues: recorder.finish(),
  };
}
