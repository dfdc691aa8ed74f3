import type { Appointment, AppointmentStatus, BayKind, ParkingLot, RoadNetwork } from '../model/index.js';

export type { AllocationOptions, ArrivalShift, DropOffAdvice, ParkAndRide } from './allocation-options.js';

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

export interface CostBreakdown {
  driveS: number;
  /** Walking from the bay (or from the shuttle stop) to the entrance, plus shuttle wait and ride, s. */
  walkS: number;
  walkWeight: number;
  /** `walkS × walkWeight`. */
  weightedWalkS: number;
  fallbackPenaltyS: number;
  /** Arrival shift and reschedule suggestion. */
  shiftPenaltyS: number;
  /** Park-and-ride or drop-off penalty. */
  alternativePenaltyS: number;
  /** The wait-list outcome's cost. */
  unplacedPenaltyS: number;
  totalS: number;
}

export interface AssignedRoute {
  edgeIds: string[];
  driveS: number;
  /** For a sign or a message: "Via Binjiang Rd, turn right into P2 (gate B)". */
  text: string;
}

/**
 * What the driver is told: a `bay` (lot, zone, kind, arrival window); a `park-and-ride` lot with its shuttle; `drop-off`
 * advice (be dropped at the entrance in the window, no bay); or the `wait-list` (no bay now; one that frees goes to the
 * wait-listed cars first). Every car gets exactly one; there is no silent default. `released`: the appointment was
 * cancelled or a no-show during the day and its bay given back (online allocator only).
 */
export type AssignmentOutcome = 'bay' | 'park-and-ride' | 'drop-off' | 'wait-list' | 'released';

export interface Assignment {
  appointmentId: string;
  outcome: AssignmentOutcome;
  /** True when a bay is held: outcome `bay` or `park-and-ride`. */
  placed: boolean;
  lotId?: string;
  lotName?: string;
  zoneId?: string;
  kind?: AllocatableKind;
  /** The first preferred or the required kind when the car got something else. */
  fallbackFrom?: BayKind;
  /**
   * When the car should pass the lot gate (or reach the drop-off kerb), ms since the epoch, `arrivalWindowMin` long;
   * for the wait-list, the window it would have had.
   */
  arrivalWindow: { fromMs: number; toMs: number };
  /** Until when the bay is held, ms since the epoch (to the minute). */
  holdUntilMs: number;
  /** Minutes the arrival moved from `start − arrivalLeadMin`: negative earlier, positive later; 0 when not moved. */
  arrivalShiftMin: number;
  /** A suggested new appointment time, for the hospital to offer the patient (the arrival window assumes it). */
  reschedule?: { byMin: number; suggestedStartMs: number };
  /** For `park-and-ride`: the shuttle from the lot to the hospital. */
  shuttle?: { rideS: number; headwayS: number };
  route?: AssignedRoute;
  cost: CostBreakdown;
}

export interface LotSummary {
  lotId: string;
  assigned: number;
  byKind: Partial<Record<AllocatableKind, number>>;
  /** Highest number of held bays in any slot, over all kinds. */
  peakHeldBays: number;
  /** Highest planned arrivals in one gate slot, and the gate's plannable capacity per slot. */
  peakArrivalsPerSlot: number;
  gateCapacityPerSlot: number;
}

export interface AllocationSummary {
  appointments: number;
  /** Cars with a bay held (outcomes `bay` and `park-and-ride`). */
  placed: number;
  /** Cars without a bay (outcomes `drop-off` and `wait-list`). */
  unplaced: number;
  byOutcome: Record<AssignmentOutcome, number>;
  fallbacks: number;
  /** Cars asked to arrive at another time than `start − arrivalLeadMin`, and their mean shift (min, over all cars). */
  shifted: number;
  meanAbsShiftMin: number;
  rescheduled: number;
  objectiveS: number;
  /** Lagrangian lower bound on the optimum (seconds); the plan is within `gapPct` of it. */
  lowerBoundS: number;
  gapPct: number;
  /** True when the plan is proven optimal (the bound met the plan, or the exact search finished). */
  isProvenOptimal: boolean;
  driveS: number;
  weightedWalkS: number;
  fallbackPenaltyS: number;
  shiftPenaltyS: number;
  alternativePenaltyS: number;
  unplacedPenaltyS: number;
  lots: LotSummary[];
}

/** Appointment statuses that need no bay: they are left out of the plan and listed in `skipped`. */
export const INACTIVE_STATUSES: readonly AppointmentStatus[] = ['cancelled', 'noshow', 'entered-in-error', 'fulfilled'];

export interface AllocationPlan {
  dayStartMs: number;
  slotMin: number;
  arrivalWindowMin: number;
  /** One per appointment that needs a bay, in the order of `day.appointments`. */
  assignments: Assignment[];
  /** Appointments left out because of their status (cancelled, no-show, entered in error, fulfilled). */
  skipped: Array<{ appointmentId: string; status: AppointmentStatus }>;
  summary: AllocationSummary;
}
