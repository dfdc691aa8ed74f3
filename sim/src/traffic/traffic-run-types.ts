import type { BayKind, RoadNetwork } from '../model/index.js';
import type { QueueSeries } from './queue-recorder.js';
import type { TrafficParams } from './traffic-params.js';
import type { SignSpec, SimLot, Trip } from './trip.js';

/** A bay the signs withhold from the public for a pre-assigned car, from `fromS` to `untilS` (s after midnight). */
export interface WithheldBay {
  lotId: string;
  kind: BayKind;
  fromS: number;
  untilS: number;
}

export interface TrafficSimulationInput {
  network: RoadNetwork;
  lots: SimLot[];
  trips: Trip[];
  signs?: SignSpec[];
  /** Signs show lots only when true (the "sign guidance" policy). */
  isGuidanceOn?: boolean;
  /** Bays the signs withhold from the public, as central's reservations have the edges withhold them. */
  withheldBays?: readonly WithheldBay[];
  /** Branches of the hospital approach, each a list of edges from the gate back along one road; the approach queue is
   * the longest branch's sum of link queues. */
  approachBranches?: string[][];
  /** Start and end of the simulated period (s after midnight). */
  startS: number;
  endS: number;
  params?: Partial<TrafficParams>;
  /**
   * The run's seed (default 0): a minor movement's wait for a gap is drawn from it, the car and the lane, so the same
   * car waits differently from one seed to the next, as in SUMO's `--seed`. `runScenario` passes `trafficSeedOf(seed)`.
   */
  seed?: number;
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
  /** Park trips: drove out of the lot onto its exit edge (NaN: did not, or the lot has no exit). */
  leftLotS: Float64Array;
  /** Park trips: reached the end of the way home (NaN if not). */
  returnDoneS: Float64Array;
  /** Park trips: distance driven on the way home. */
  returnDistanceM: Float64Array;
  lotIds: string[];
  lotMaxOccupied: Int32Array;
  lotParkedTotal: Int32Array;
  lotCapacity: Int32Array;
  queues: QueueSeries;
}

export const PURPOSE_CODE = { park: 0, through: 1, dropoff: 2 } as const;
