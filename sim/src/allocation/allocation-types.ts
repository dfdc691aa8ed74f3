import type { Appointment, AppointmentStatus, BayKind, ParkingLot, RoadNetwork } from '../model/index.js';

/** Bay kinds the allocator hands out; `staff` bays are never pre-assigned to patients. */
export const ALLOCATABLE_KINDS = ['standard', 'accessible', 'family', 'ev'] as const satisfies readonly BayKind[];
export type AllocatableKind = (typeof ALLOCATABLE_KINDS)[number];

/** Bays taken by others (walk-ins, staff, cars already parked) over a window of the day. */
export interface LiveOccupancy {
  lotId: string;
  /**
   * Zone of the lot the bays are in, when known: zones are then chosen around them too. Without it only the
   * lot's capacity is lowered, and a zone may be handed more cars than it has bays free.
   */
  zoneId?: string;
  kind: BayKind;
  bays: number;
  /** Minutes after the day's midnight; default 0. */
  fromMin?: number;
  /** Minutes after the day's midnight when these bays are expected free; default end of day. */
  untilMin?: number;
}

/**
 * Cars already promised a passage through a lot's gate, left out of `appointments` (e.g. cars on their way
 * to a bay they keep): they still pass in their slot, so the plan sends that many fewer cars through it.
 */
export interface GatePassage {
  lotId: string;
  /** When they pass the gate, minutes after the day's midnight; they load the planning slot this falls in. */
  atMin: number;
  /** How many cars pass, a whole number ≥ 0. */
  cars: number;
}

/** Measured edge travel times (from the simulation) that apply from `fromMin` until the next band. */
export interface TravelTimeBand {
  fromMin: number;
  /** Seconds per edge, indexed like `network.edges`. */
  edgeCostS: number[];
}

/** Everything the allocator needs about one day. Plain data, so it can cross a worker boundary. */
export interface AllocationDay {
  /** Local midnight of the day (ms since the epoch); lots' minute windows count from here. */
  dayStartMs: number;
  appointments: Appointment[];
  lots: ParkingLot[];
  /** Road network for drive times and routes; without it drive times come from `driveTimeSByOrigin`. */
  network?: RoadNetwork;
  /** Network edge where trips from each origin zone start (needed with `network`). */
  originEdgeByZone?: Record<string, string>;
  /** Drive time in seconds from an origin zone to a lot, used when there is no network. */
  driveTimeSByOrigin?: Record<string, Record<string, number>>;
  /** Time-dependent travel times; without them free-flow times are used. */
  travelTimeBands?: TravelTimeBand[];
  occupancy?: LiveOccupancy[];
  /**
   * Gate passages promised to cars outside the plan: each lowers its lot's plannable passages
   * (`gateServiceVehPerMin × slotMin × gateUtilisation`) in the slot it falls in, never below 0; one after
   * the planned day changes nothing. Default none.
   */
  gatePassages?: GatePassage[];
}

/** Splits a day into the appointments that need a bay and those whose status says they do not. */
export function activeDay(day: AllocationDay): { day: AllocationDay; skipped: AllocationPlan['skipped'] } {
  const skipped: AllocationPlan['skipped'] = [];
  const appointments = day.appointments.filter((a) => {
    if (!INACTIVE_STATUSES.includes(a.status)) return true;
    skipped.push({ appointmentId: a.id, status: a.status });
    return false;
  });
  return { day: skipped.length === 0 ? day : { ...day, appointments }, skipped };
}

export interface AllocationOptions {
  /** Length of a planning slot in minutes. Default 15. */
  slotMin?: number;
  /** How long before the appointment start the car should reach the lot, minutes. Default 30. */
  arrivalLeadMin?: number;
  /** How long a bay stays held after the appointment end, minutes. Default 15. */
  exitBufferMin?: number;
  /** Cost of leaving a car without a pre-assigned bay, seconds. Default 7200. */
  unplacedPenaltyS?: number;
  /**
   * Cost of not getting the first preferred kind, seconds, by that kind. A later preferred kind costs half.
   * Default `{ family: 600, ev: 900, standard: 0, accessible: 1800 }`.
   */
  fallbackPenaltySByKind?: Partial<Record<BayKind, number>>;
  /** Weight on walking seconds by the car's need (the largest that applies). Default `{ none: 1, accessible: 3, family: 1.5, ev: 1 }`. */
  walkWeightByNeed?: Partial<Record<'none' | AllocatableKind, number>>;
  /** Share of a gate's service rate the plan may fill, so gates keep slack and entrances do not queue. Default 0.85. */
  gateUtilisation?: number;
  /** Drive time used when an origin is unknown, seconds. Default 900. */
  defaultDriveTimeS?: number;
  /** Lagrangian price iterations of the optimiser. Default 160. */
  priceIterations?: number;
  /**
   * Stop improving once the plan is proven within this many percent of the optimum (its own Lagrangian
   * bound). Default 0.05.
   */
  stopGapPct?: number;
  /**
   * Branch-and-bound nodes allowed after the optimiser on small days (at most 2,000 options), which then
   * come out proven optimal when the search finishes. 0 turns it off. Default 2,000,000.
   */
  exactSearchNodes?: number;
  /** Include the route (edge ids and text) in each assignment when a network is given. Default true. */
  includeRoutes?: boolean;
}

export interface CostBreakdown {
  driveS: number;
  walkS: number;
  walkWeight: number;
  /** `walkS × walkWeight`. */
  weightedWalkS: number;
  fallbackPenaltyS: number;
  unplacedPenaltyS: number;
  totalS: number;
}

export interface AssignedRoute {
  edgeIds: string[];
  driveS: number;
  /** For a sign or a message: "Via Binjiang Rd, turn right into P2 (gate B)". */
  text: string;
}

export interface Assignment {
  appointmentId: string;
  placed: boolean;
  lotId?: string;
  lotName?: string;
  zoneId?: string;
  kind?: AllocatableKind;
  /** The first preferred or the required kind when the car got something else. */
  fallbackFrom?: BayKind;
  /** When the car should pass the lot gate, ms since the epoch (one planning slot). */
  arrivalWindow: { fromMs: number; toMs: number };
  /** Until when the bay is held, ms since the epoch. */
  holdUntilMs: number;
  route?: AssignedRoute;
  cost: CostBreakdown;
}

export interface LotSummary {
  lotId: string;
  assigned: number;
  byKind: Partial<Record<AllocatableKind, number>>;
  /** Highest number of held bays in any slot, over all kinds. */
  peakHeldBays: number;
  /** Highest planned arrivals in one slot, and the gate's plannable capacity per slot. */
  peakArrivalsPerSlot: number;
  gateCapacityPerSlot: number;
}

export interface AllocationSummary {
  appointments: number;
  placed: number;
  unplaced: number;
  fallbacks: number;
  objectiveS: number;
  /** Lagrangian lower bound on the optimum (seconds); the plan is within `gapPct` of it. */
  lowerBoundS: number;
  gapPct: number;
  /** True when the plan is proven optimal (the bound met the plan, or the exact search finished). */
  isProvenOptimal: boolean;
  driveS: number;
  weightedWalkS: number;
  fallbackPenaltyS: number;
  unplacedPenaltyS: number;
  lots: LotSummary[];
}

/** Appointment statuses that need no bay: they are left out of the plan and listed in `skipped`. */
export const INACTIVE_STATUSES: readonly AppointmentStatus[] = ['cancelled', 'noshow', 'entered-in-error', 'fulfilled'];

export interface AllocationPlan {
  dayStartMs: number;
  slotMin: number;
  /** One per appointment that needs a bay, in the order of `day.appointments`. */
  assignments: Assignment[];
  /** Appointments left out because of their status (cancelled, no-show, entered in error, fulfilled). */
  skipped: Array<{ appointmentId: string; status: AppointmentStatus }>;
  summary: AllocationSummary;
}
