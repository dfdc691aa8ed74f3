import type { BayKind } from './bay-kind.js';

/** A time window in minutes after local midnight, `[fromMin, toMin)`. */
export interface MinuteWindow {
  fromMin: number;
  toMin: number;
}

/** Capacity of one bay kind that applies only inside a window (e.g. staff-held bays until 09:00). */
export interface CapacityWindow extends MinuteWindow {
  kind: BayKind;
  /** Bays of this kind available to the allocator/public inside the window. */
  capacityBays: number;
}

export interface ParkingZone {
  id: string;
  /** Bays per kind in this zone. */
  capacityByKind: Partial<Record<BayKind, number>>;
}

/**
 * A parking lot as both the simulator and the allocator see it. The entrance sits at the end of a
 * network edge; cars queue on that edge when the gate is slower than arrivals. The exit opens onto the start of
 * another edge: leaving cars enter the network there, and wait in their bay while it has no room for them.
 */
export interface ParkingLot {
  id: string;
  name: string;
  /** Network edge whose downstream end is the lot's entry gate. */
  entryEdgeId: string;
  /**
   * Network edge the lot's exit opens onto: leaving cars enter the network at its start. Absent: the lot has no
   * modelled exit, and its cars leave the model when their stay ends.
   */
  exitEdgeId?: string;
  zones: ParkingZone[];
  /** Entry-gate service rate (vehicles per minute). */
  gateServiceVehPerMin: number;
  /** Windows when the lot admits hospital traffic; empty = always open. */
  openingHours: MinuteWindow[];
  /** Overrides of capacity per kind by time of day (shared lots, staff-held bays). */
  capacityWindows: CapacityWindow[];
  /** Walking time from the lot to each hospital entrance (seconds). */
  walkTimeSByEntrance: Record<string, number>;
  /** Bays per kind kept back for walk-ins and emergencies (never pre-assigned). */
  reserveByKind: Partial<Record<BayKind, number>>;
  /** Where the lot is in SUMO, when it was read from a `<parkingArea>` (the export puts it back there). */
  sumoParkingArea?: SumoParkingAreaPlace;
}

/** A SUMO parkingArea's place: a lane and positions along it (m; negative = from the lane's end). */
export interface SumoParkingAreaPlace {
  laneId: string;
  startPosM?: number;
  endPosM?: number;
}
