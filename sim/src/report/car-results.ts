import type { Router } from '../routing/shortest-paths.js';
import type { TrafficRunOutput } from '../traffic/traffic-simulation.js';
import type { Trip } from '../traffic/trip.js';

/**
 * Per-car outputs a model may give beyond `TrafficRunOutput`'s core (lot exits and return trips); absent ones are
 * reported as not happened (null).
 */
interface CarOutputsBeyondCore {
  leftLotS?: Float64Array;
  returnDoneS?: Float64Array;
  returnDistanceM?: Float64Array;
  freeFlowS?: Float64Array;
}

/**
 * One row per car, as columns (one array per field, in trip order), like SUMO's tripinfo. Times are s after
 * midnight, null when it did not happen within the period. Definitions (shared with the SUMO comparison):
 * - `departS`: wanted departure; `enteredS`: entered the network (SUMO's tripinfo `depart`), so
 *   `enteredS − departS` is SUMO's `departDelay`;
 * - `parkedS`: passed the lot's gate and parked (SUMO: the parkingArea stop began); `leftLotS`: drove out of the lot;
 * - `arrivedS`: reached its destination (through and drop-off trips; park trips after their way home);
 * - `routeLengthM`: distance driven (both ways);
 * - `delayS`: time taken from entering to parked/arrived (the first leg) less that leg's free-flow time at the
 *   model's free-flow speed (SUMO's `timeLoss`, which excludes time stopped).
 */
export interface CarResults {
  id: string[];
  flow: string[];
  purpose: Array<Trip['purpose']>;
  lot: Array<string | null>;
  departS: number[];
  enteredS: Array<number | null>;
  parkedS: Array<number | null>;
  leftLotS: Array<number | null>;
  arrivedS: Array<number | null>;
  routeLengthM: number[];
  delayS: Array<number | null>;
}

/** What the free-flow times are measured on. */
export interface CarResultNetwork {
  router: Router;
  /** Lot id → its entry edge (where a park trip's first leg ends). */
  lotEntryEdge: ReadonlyMap<string, string>;
  /** The model's share of the speed limit cars keep on a free road. */
  freeFlowSpeedFactor: number;
}

const PURPOSES: ReadonlyArray<Trip['purpose']> = ['park', 'through', 'dropoff'];

function time(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : Math.round(value * 10) / 10;
}

/**
 * The per-car table of a run. The free-flow time of a car's first leg comes from the model when it gives it, else
 * from the free-flow shortest path to where the car went, divided by `freeFlowSpeedFactor` and the car's speed factor.
 */
export function carResults(
  output: TrafficRunOutput,
  trips: readonly Trip[],
  flowOf: readonly string[] | undefined,
  network: CarResultNetwork,
): CarResults {
  const extra = output as TrafficRunOutput & CarOutputsBeyondCore;
  const freeFlowS = extra.freeFlowS ?? fallbackFreeFlowS(output, trips, network);
  const cars: CarResults = {
    id: [],
    flow: [],
    purpose: [],
    lot: [],
    departS: [],
    enteredS: [],
    parkedS: [],
    leftLotS: [],
    arrivedS: [],
    routeLengthM: [],
    delayS: [],
  };
  for (let v = 0; v < output.tripCount; v++) {
    const trip = trips[v]!;
    const isPark = output.purpose[v] === 0;
    const entered = output.enteredS[v]!;
    const done = output.doneS[v]!;
    cars.id.push(trip.id);
    cars.flow.push(flowOf?.[v] ?? PURPOSES[output.purpose[v]!]!);
    cars.purpose.push(PURPOSES[output.purpose[v]!]!);
    cars.lot.push(output.lotIndex[v]! >= 0 ? output.lotIds[output.lotIndex[v]!]! : null);
    cars.departS.push(Math.round(output.departS[v]! * 10) / 10);
    cars.enteredS.push(time(entered));
    cars.parkedS.push(isPark ? time(done) : null);
    cars.leftLotS.push(isPark ? time(extra.leftLotS?.[v]) : null);
    cars.arrivedS.push(isPark ? time(extra.returnDoneS?.[v]) : time(done));
    cars.routeLengthM.push(Math.round(output.distanceM[v]! + (extra.returnDistanceM?.[v] ?? 0)));
    cars.delayS.push(Number.isNaN(done) ? null : time(Math.max(0, done - entered - freeFlowS[v]!)));
  }
  return cars;
}

function fallbackFreeFlowS(output: TrafficRunOutput, trips: readonly Trip[], network: CarResultNetwork): Float64Array {
  const { router, lotEntryEdge, freeFlowSpeedFactor } = network;
  const trees = new Map<string, Float64Array>();
  const costTo = (edgeId: string | undefined) => {
    if (edgeId === undefined) return undefined;
    let cost = trees.get(edgeId);
    if (cost === undefined && router.edgeIndex(edgeId) >= 0) {
      cost = router.treeTo(edgeId).costS;
      trees.set(edgeId, cost);
    }
    return cost;
  };
  const freeFlowS = new Float64Array(output.tripCount).fill(Number.NaN);
  for (let v = 0; v < output.tripCount; v++) {
    if (Number.isNaN(output.doneS[v]!)) continue;
    const trip = trips[v]!;
    let target = trip.destinationEdgeId;
    if (output.purpose[v] === 0) {
      const lotId = output.lotIds[output.lotIndex[v]!];
      target = lotId === undefined ? undefined : lotEntryEdge.get(lotId);
    }
    const cost = costTo(target)?.[router.edgeIndex(trip.originEdgeId)];
    // At the driver's own speed (its speed factor), as SUMO's timeLoss is measured against the car's own top speed.
    if (cost !== undefined) freeFlowS[v] = cost / freeFlowSpeedFactor / (trip.speedFactor ?? 1);
  }
  return freeFlowS;
}
