import type { FaceArrow } from '@citybay/guidance';
import type { BayKind, ParkingLot } from '../model/index.js';

/**
 * One car in the simulation. `park` trips drive to a lot and stay, then (with `returnDestinationEdgeId`) drive
 * out of the lot's exit to that edge; `through` and `dropoff` trips drive to `destinationEdgeId` and leave the
 * network there. Every random choice about the driver is drawn when the trip is
 * built (demand), so the traffic run itself uses no random numbers: its speed factor too (`speed-factors.ts`).
 */
export interface Trip {
  id: string;
  purpose: 'park' | 'through' | 'dropoff';
  /** Wanted departure (s after midnight). Time to park is measured from here, including waiting to enter. */
  departS: number;
  originEdgeId: string;
  /** `through`/`dropoff`: where the car leaves the network. */
  destinationEdgeId?: string;
  /** `park`: the lot the driver heads for first (the hospital lot, or a pre-assigned one). */
  lotId?: string;
  /** `park`: the bay kind wanted; with `isKindRequired` nothing else will do, otherwise standard/family/ev do. */
  bayKind?: BayKind;
  isKindRequired?: boolean;
  /** `park`: time the car stays in its bay (s), from passing the gate. */
  stayS?: number;
  /**
   * `park`: where the car drives after its stay, leaving by the exit of the lot it parked in (its `exitEdgeId`).
   * Absent, or the lot without an exit: the car leaves the model when its stay ends.
   */
  returnDestinationEdgeId?: string;
  /** Follows a guidance sign's lot when it passes one. */
  followsSigns?: boolean;
  /** Drives on to another lot when it sees its lot full, instead of joining the queue. */
  searchesWhenFull?: boolean;
  /** Knows the shared lots (when they are open to hospital traffic) as places to search. */
  knowsSharedLots?: boolean;
  /** `park`: hospital entrance the patient walks to (walking time per lot and entrance). */
  entranceId?: string;
  /** Pre-assigned drivers keep their lot: signs do not change it. */
  isPreAssigned?: boolean;
  /**
   * The driver's factor on every lane speed limit (SUMO's per-vehicle `speedFactor`, drawn from its vType's
   * distribution when the trip is built). Default 1: the model's mean car.
   */
  speedFactor?: number;
  /** The car's own top speed (m/s, its vType's `maxSpeed`), which caps factor × limit. Default none. */
  maxSpeedMps?: number;
}

/**
 * A trip with every field present (undefined where it does not apply) in one fixed order, so park, drop-off and
 * through trips share one object shape: mixed shapes made V8 deoptimise the code reading trips, run after run.
 */
export function tripOf(fields: Trip): Trip {
  return {
    id: fields.id,
    purpose: fields.purpose,
    departS: fields.departS,
    originEdgeId: fields.originEdgeId,
    destinationEdgeId: fields.destinationEdgeId,
    lotId: fields.lotId,
    bayKind: fields.bayKind,
    isKindRequired: fields.isKindRequired,
    stayS: fields.stayS,
    returnDestinationEdgeId: fields.returnDestinationEdgeId,
    followsSigns: fields.followsSigns,
    searchesWhenFull: fields.searchesWhenFull,
    knowsSharedLots: fields.knowsSharedLots,
    entranceId: fields.entranceId,
    isPreAssigned: fields.isPreAssigned,
    speedFactor: fields.speedFactor,
    maxSpeedMps: fields.maxSpeedMps,
  };
}

/** A lot as the simulation runs it. */
export interface SimLot {
  lot: ParkingLot;
  /** Hospital lots are known to every driver; shared lots only when opened and known. */
  role: 'hospital' | 'shared';
  /** Whether hospital traffic may use it at all in this run (the "shared lots opened" policy). */
  isOpenToHospital: boolean;
  /** Bays already taken when the run starts (staff, night parkers), per kind. */
  initialOccupancyByKind?: Partial<Record<BayKind, number>>;
}

/** One fixed line of a sign, as a site file gives it. */
export interface SignLineSpec {
  lotId: string;
  /** Default the lot id. */
  label?: string;
  /** Default the first turn of the shortest path to the lot's gate (`down` at the gate itself). */
  arrow?: FaceArrow;
  /** Bay kinds counted. Default `standard` and `family`, as on the edge. */
  kinds?: readonly BayKind[];
}

/**
 * A variable-message sign at the downstream end of `edgeId`: compliant drivers passing it take the first lot it
 * shows with free bays. With `lines` it has those fixed lines (as an edge's site file); without, one line per
 * reachable lot, ranked by drive time and gate wait, three shown.
 */
export interface SignSpec {
  id: string;
  edgeId: string;
  lines?: readonly SignLineSpec[];
}
