import { errors } from '../errors.js';
import type { LinkGraph } from './link-graph.js';
import { KIND_INDEX, type LotState } from './lot-state.js';
import { PURPOSE_CODE } from './traffic-run-types.js';
import type { Trip } from './trip.js';

// Flags per car (vFlags).
export const FOLLOWS = 1;
export const SEARCHES = 2;
export const KNOWS_SHARED = 4;
export const PRE_ASSIGNED = 8;
export const COMMITTED = 16;
/** Driving home out of the lot's exit after its stay. */
export const RETURNING = 32;
/** Counted in its lot's `enRoute` (on the network, heading there, not parked). */
export const EN_ROUTE = 64;

// Built only for error messages: a path string per trip was a good share of a run's garbage.
function tripPath(u: number, trip: Trip): string {
  return `trips[${u}] ("${trip.id}")`;
}

/**
 * Every car of a run as a structure of arrays, numbered in departure order (not input order): the cars on the network
 * at any moment then sit together in the arrays, so a run's working set stays in cache (a sweep's workers share one).
 */
export class CarTable {
  readonly V: number;
  /** Input index of each car. */
  readonly tripOrder: Int32Array;
  readonly vEdge: Int32Array;
  readonly vLane: Int32Array;
  readonly vReady: Float64Array;
  /** Next car in the same lane (or waiting to enter at the same place), -1 at the tail. */
  readonly vNext: Int32Array;
  /** The link the car takes after its current one (-1: its route ends here). */
  readonly vNextEdge: Int32Array;
  readonly vDest: Int32Array;
  readonly vTree: Int32Array;
  readonly vLot: Int32Array;
  readonly vKind: Uint8Array;
  readonly vRequired: Uint8Array;
  readonly vFlags: Uint8Array;
  readonly vTried: Int32Array;
  readonly vCruising: Uint8Array;
  readonly vParkedKind: Int8Array;
  readonly vBay: Int32Array;
  readonly vStayS: Float64Array;
  readonly vReturnDest: Int32Array;
  readonly departS: Float64Array;
  readonly enteredS: Float64Array;
  readonly doneS: Float64Array;
  readonly lotIndex: Int32Array;
  readonly distanceM: Float64Array;
  readonly cruisingM: Float64Array;
  readonly purpose: Uint8Array;
  readonly leftLotS: Float64Array;
  readonly returnDoneS: Float64Array;
  readonly returnDistanceM: Float64Array;
  /** The driver's speed factor (`Trip.speedFactor`, 1 when not given). */
  readonly vSpeedFactor: Float64Array;
  /** The car's top speed (m/s; Infinity when not given). */
  readonly vMaxSpeedMps: Float64Array;

  constructor(trips: readonly Trip[], graph: LinkGraph, lots: LotState, lotTree: Int32Array) {
    const V = trips.length;
    this.V = V;
    const tripOrder = new Int32Array(V);
    for (let u = 0; u < V; u++) tripOrder[u] = u;
    // Comparing rather than subtracting: a comparator returning a fraction boxed it, once per comparison.
    tripOrder.sort((a, b) => {
      const da = trips[a]!.departS;
      const db = trips[b]!.departS;
      return da < db ? -1 : da > db ? 1 : a - b;
    });
    this.tripOrder = tripOrder;
    this.vEdge = new Int32Array(V).fill(-1);
    this.vLane = new Int32Array(V).fill(-1);
    this.vReady = new Float64Array(V);
    this.vNext = new Int32Array(V).fill(-1);
    this.vNextEdge = new Int32Array(V).fill(-1);
    this.vDest = new Int32Array(V);
    this.vTree = new Int32Array(V);
    this.vLot = new Int32Array(V).fill(-1);
    this.vKind = new Uint8Array(V);
    this.vRequired = new Uint8Array(V);
    this.vFlags = new Uint8Array(V);
    this.vTried = new Int32Array(V);
    this.vCruising = new Uint8Array(V);
    this.vParkedKind = new Int8Array(V).fill(-1);
    this.vBay = new Int32Array(V).fill(-1);
    this.vStayS = new Float64Array(V);
    this.vReturnDest = new Int32Array(V).fill(-1);
    this.departS = new Float64Array(V);
    this.enteredS = new Float64Array(V).fill(Number.NaN);
    this.doneS = new Float64Array(V).fill(Number.NaN);
    this.lotIndex = new Int32Array(V).fill(-1);
    this.distanceM = new Float64Array(V);
    this.cruisingM = new Float64Array(V);
    this.purpose = new Uint8Array(V);
    this.leftLotS = new Float64Array(V).fill(Number.NaN);
    this.returnDoneS = new Float64Array(V).fill(Number.NaN);
    this.returnDistanceM = new Float64Array(V);
    this.vSpeedFactor = new Float64Array(V).fill(1);
    this.vMaxSpeedMps = new Float64Array(V).fill(Number.POSITIVE_INFINITY);
    this.load(trips, graph, lots, lotTree);
  }

  private load(trips: readonly Trip[], graph: LinkGraph, lots: LotState, lotTree: Int32Array): void {
    const lotIndexById = new Map(lots.lots.map((simLot, i) => [simLot.lot.id, i]));
    const { vEdge, departS, vStayS, purpose, vLot, vDest, vTree, vKind, vRequired, vFlags } = this;
    const carOf = new Int32Array(this.V);
    for (let v = 0; v < this.V; v++) carOf[this.tripOrder[v]!] = v;
    for (let u = 0; u < trips.length; u++) {
      const trip = trips[u]!;
      const v = carOf[u]!;
      const origin = graph.router.edgeIndex(trip.originEdgeId);
      if (origin < 0) graph.edgeIndexOrThrow(trip.originEdgeId, `${tripPath(u, trip)}.originEdgeId`);
      vEdge[v] = origin;
      departS[v] = trip.departS;
      vStayS[v] = trip.stayS ?? 0;
      purpose[v] = PURPOSE_CODE[trip.purpose];
      if (trip.speedFactor !== undefined && trip.speedFactor > 0) this.vSpeedFactor[v] = trip.speedFactor;
      if (trip.maxSpeedMps !== undefined && trip.maxSpeedMps > 0) this.vMaxSpeedMps[v] = trip.maxSpeedMps;
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
        if (trip.returnDestinationEdgeId !== undefined && lots.exitEdge[lot]! >= 0) {
          this.loadReturn(u, trip, v, graph, lots.exitEdge[lot]!);
        }
      } else {
        const destination = graph.router.edgeIndex(trip.destinationEdgeId ?? '');
        if (destination < 0) {
          graph.edgeIndexOrThrow(trip.destinationEdgeId ?? '', `${tripPath(u, trip)}.destinationEdgeId`);
        }
        vDest[v] = destination;
        vTree[v] = graph.treeSlotFor(destination);
      }
      if (!graph.hasRoute(vTree[v]!, origin)) {
        throw errors.CB_SIM_UNROUTABLE(
          `${tripPath(u, trip)}: no car route from edge "${trip.originEdgeId}" to edge "${graph.router.edgeId(vDest[v]!)}"`,
          { path: tripPath(u, trip) },
        );
      }
    }
  }

  private loadReturn(u: number, trip: Trip, v: number, graph: LinkGraph, exitEdge: number): void {
    const home = graph.edgeIndexOrThrow(trip.returnDestinationEdgeId!, `${tripPath(u, trip)}.returnDestinationEdgeId`);
    if (!graph.hasRoute(graph.treeSlotFor(home), exitEdge)) {
      throw errors.CB_SIM_UNROUTABLE(
        `${tripPath(u, trip)}: no car route home from the lot's exit edge "${graph.router.edgeId(exitEdge)}" to edge "${trip.returnDestinationEdgeId}"`,
        { path: `${tripPath(u, trip)}.returnDestinationEdgeId` },
      );
    }
    this.vReturnDest[v] = home;
  }

  /** A per-car array in the input's trip order. */
  inInputOrder<T extends Float64Array | Int32Array | Uint8Array>(byCar: T): T {
    const byTrip = byCar.slice() as T;
    for (let v = 0; v < this.V; v++) byTrip[this.tripOrder[v]!] = byCar[v]!;
    return byTrip;
  }
}
