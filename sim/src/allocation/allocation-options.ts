import type { ErrorFactory } from '@citybay/common';
import { errors } from '../errors.js';
import type { Appointment, BayKind } from '../model/index.js';
import { ALLOCATION_OPTIONS_SCHEMA } from './allocation-options-schema.js';
import type { AllocatableKind } from './allocation-types.js';
import { firstSchemaError } from './json-schema-check.js';

/** How far one appointment's arrival may move (all minutes). */
export interface ArrivalShift {
  /** Most minutes the car may be asked to arrive earlier than `start − arrivalLeadMin`. Default 0. */
  earlierMin?: number;
  /** Most minutes later (a shorter lead; at most `arrivalLeadMin`). Default 0. */
  laterMin?: number;
  /** Shifts are tried in steps of this many minutes. Default `slotMin`. */
  stepMin?: number;
  /** Offsets the appointment itself may be moved by, as a suggestion to the hospital (a costlier lever). Default none. */
  rescheduleMin?: number[];
}

/** A lot of the day that serves as park-and-ride: the patient parks there and takes a shuttle. */
export interface ParkAndRide {
  lotId: string;
  /** Shuttle ride to the hospital (s). Default 600. */
  shuttleRideS?: number;
  /** Time between shuttles (s); a patient waits half of it. Default 600. */
  shuttleHeadwayS?: number;
  /** Cost of sending a car there beyond its drive, shuttle and walk (s). Default 900. */
  penaltyS?: number;
}

/** Drop-off advice: a companion drops the patient at the entrance and drives on. */
export interface DropOffAdvice {
  /** Cost of advising a drop-off (s). Default 2400. */
  penaltyS?: number;
  /** Drop-offs the entrance kerb takes per minute (planned at `gateUtilisation` of it per slot). Default unlimited. */
  vehPerMin?: number;
}

/**
 * Every cost and limit of the allocator. One schema (`ALLOCATION_OPTIONS_SCHEMA`) checks these wherever they come
 * from: `allocate()`, the CLI's `--options` file, the scenario file's `allocation:` block, central's configuration.
 */
export interface AllocationOptions {
  /** Gate slot (min): gate throughput is planned per slot; must divide a day. Default 15. */
  slotMin?: number;
  /** Length of the arrival window each driver is given (min). Default `slotMin`. */
  arrivalWindowMin?: number;
  /** How long before the appointment start the car should reach the lot (min). Default 30. */
  arrivalLeadMin?: number;
  /** How long a bay stays held after the appointment end (min). Default 15. */
  exitBufferMin?: number;
  /** Share of a gate's service rate the plan may fill, so entrances do not queue. Default 0.85. */
  gateUtilisation?: number;
  /** Cost of the wait-list outcome: no bay and no alternative (s). Default 7200. */
  unplacedPenaltyS?: number;
  /**
   * Cost of not getting the first preferred kind, by that kind (s); a later preferred kind costs half.
   * Default `{ standard: 0, accessible: 1800, family: 600, ev: 900 }`.
   */
  fallbackPenaltySByKind?: Partial<Record<BayKind, number>>;
  /** Weight on walking and shuttle seconds by need. Default `{ none: 1, standard: 1, accessible: 3, family: 1.5, ev: 1 }`. */
  walkWeightByNeed?: Partial<Record<'none' | AllocatableKind, number>>;
  /** Drive time used when an origin is unknown (s). Default 900. */
  defaultDriveTimeS?: number;
  /** Drive times (s) by origin zone and lot id; each entry wins over the day's `driveTimeSByOrigin`. Default none. */
  driveTimeSByOrigin?: Record<string, Record<string, number>>;
  /** Arrival shifts allowed for every appointment. Default none. */
  arrivalShift?: ArrivalShift;
  /** Arrival shifts by clinic (`serviceType`), instead of `arrivalShift`. */
  arrivalShiftByServiceType?: Record<string, ArrivalShift>;
  /** Arrival shifts by appointment id, instead of the clinic's or the default. */
  arrivalShiftByAppointment?: Record<string, ArrivalShift>;
  /** Cost of each minute a car is asked to arrive earlier or later (s/min). Default 60. */
  shiftPenaltySPerMin?: number;
  /** Cost of suggesting another appointment time at all (s). Default 3600. */
  reschedulePenaltyS?: number;
  /** Cost of each minute a suggested time moves the appointment (s/min). Default 60. */
  reschedulePenaltySPerMin?: number;
  /** Park-and-ride lots among the day's lots. Default none. */
  parkAndRide?: ParkAndRide[];
  /** Drop-off advice, when the site offers it. Default not offered. */
  dropOff?: DropOffAdvice;
  /**
   * Lagrangian price rounds of the optimiser. Default 120. On full days (> 2,000 options) up to 120 more follow when
   * the plan's own duality gap is above 0.5 %, until it is within 0.45 % (before the polish on days whose gates bind
   * hard).
   */
  priceIterations?: number;
  /** Stop improving once the plan is proven within this many percent of the optimum. Default 0.05. */
  stopGapPct?: number;
  /** Branch-and-bound nodes on small days (≤ 2,000 options), which then come out proven optimal. Default 2,000,000. */
  exactSearchNodes?: number;
  /** Include the route (edge ids and text) in each assignment when a network is given. Default true. */
  includeRoutes?: boolean;
}

export interface ResolvedShift {
  earlierMin: number;
  laterMin: number;
  stepMin: number;
  rescheduleMin: number[];
}

export interface ResolvedOptions {
  slotMin: number;
  arrivalWindowMin: number;
  arrivalLeadMin: number;
  exitBufferMin: number;
  gateUtilisation: number;
  unplacedPenaltyS: number;
  fallbackPenaltySByKind: Record<BayKind, number>;
  walkWeightByNeed: Record<'none' | AllocatableKind, number>;
  defaultDriveTimeS: number;
  driveTimeSByOrigin: Record<string, Record<string, number>>;
  shiftOf(appointment: Appointment): ResolvedShift;
  shiftPenaltySPerMin: number;
  reschedulePenaltyS: number;
  reschedulePenaltySPerMin: number;
  parkAndRide: Required<ParkAndRide>[];
  dropOff: Required<Omit<DropOffAdvice, 'vehPerMin'>> & { vehPerMin?: number };
  isDropOffOffered: boolean;
  priceIterations: number;
  stopGapPct: number;
  exactSearchNodes: number;
  includeRoutes: boolean;
}

/**
 * Checks options against the one schema and its rules across fields, throwing (by default `CB_ALLOCATION_INVALID`)
 * at `<where>: <prefix>.<field>`. Returns them typed.
 */
export function checkAllocationOptions(
  value: unknown,
  where = 'allocation options',
  pathPrefix = '',
  errorFactory: ErrorFactory = errors.CB_ALLOCATION_INVALID,
): AllocationOptions {
  const fail = (path: string, message: string): never => {
    const full = pathPrefix === '' ? path : path === '(root)' ? pathPrefix : `${pathPrefix}.${path}`;
    throw errorFactory(`${where}: ${full}: ${message}`, { path: full });
  };
  const error = firstSchemaError(ALLOCATION_OPTIONS_SCHEMA, value ?? {});
  if (error !== undefined) fail(error.path, error.message);
  const options = (value ?? {}) as AllocationOptions;
  const slotMin = options.slotMin ?? 15;
  if (1440 % slotMin !== 0) fail('slotMin', `${slotMin} does not divide a day into whole slots`);
  const lead = options.arrivalLeadMin ?? 30;
  const shifts: Array<[string, ArrivalShift | undefined]> = [
    ['arrivalShift', options.arrivalShift],
    ...Object.entries(options.arrivalShiftByServiceType ?? {}).map(([k, v]): [string, ArrivalShift] => [
      `arrivalShiftByServiceType.${k}`,
      v,
    ]),
    ...Object.entries(options.arrivalShiftByAppointment ?? {}).map(([k, v]): [string, ArrivalShift] => [
      `arrivalShiftByAppointment.${k}`,
      v,
    ]),
  ];
  for (const [path, shift] of shifts) {
    if ((shift?.laterMin ?? 0) > lead)
      fail(`${path}.laterMin`, `${shift?.laterMin} would bring the car after the appointment start (lead ${lead})`);
    if ((shift?.rescheduleMin ?? []).includes(0)) fail(`${path}.rescheduleMin`, 'an offset of 0 is no reschedule');
  }
  const seen = new Set<string>();
  (options.parkAndRide ?? []).forEach((p, i) => {
    if (seen.has(p.lotId)) fail(`parkAndRide[${i}].lotId`, `lot "${p.lotId}" is listed twice`);
    seen.add(p.lotId);
  });
  return options;
}

const NO_SHIFT: ResolvedShift = { earlierMin: 0, laterMin: 0, stepMin: 15, rescheduleMin: [] };

/** Options with every default filled in (checked first). */
export function resolveOptions(input: AllocationOptions = {}): ResolvedOptions {
  const options = checkAllocationOptions(input);
  const slotMin = options.slotMin ?? 15;
  const resolveShift = (shift: ArrivalShift | undefined): ResolvedShift =>
    shift === undefined
      ? { ...NO_SHIFT, stepMin: slotMin }
      : {
          earlierMin: shift.earlierMin ?? 0,
          laterMin: shift.laterMin ?? 0,
          stepMin: shift.stepMin ?? slotMin,
          rescheduleMin: [...new Set(shift.rescheduleMin ?? [])].sort((a, b) => a - b),
        };
  const fallback = resolveShift(options.arrivalShift);
  const byService = new Map(
    Object.entries(options.arrivalShiftByServiceType ?? {}).map(([k, v]) => [k, resolveShift(v)]),
  );
  const byAppointment = new Map(
    Object.entries(options.arrivalShiftByAppointment ?? {}).map(([k, v]) => [k, resolveShift(v)]),
  );
  return {
    slotMin,
    arrivalWindowMin: options.arrivalWindowMin ?? slotMin,
    arrivalLeadMin: options.arrivalLeadMin ?? 30,
    exitBufferMin: options.exitBufferMin ?? 15,
    gateUtilisation: options.gateUtilisation ?? 0.85,
    unplacedPenaltyS: options.unplacedPenaltyS ?? 7200,
    fallbackPenaltySByKind: {
      standard: 0,
      accessible: 1800,
      family: 600,
      ev: 900,
      staff: 0,
      ...options.fallbackPenaltySByKind,
    },
    walkWeightByNeed: { none: 1, standard: 1, accessible: 3, family: 1.5, ev: 1, ...options.walkWeightByNeed },
    defaultDriveTimeS: options.defaultDriveTimeS ?? 900,
    driveTimeSByOrigin: options.driveTimeSByOrigin ?? {},
    shiftOf: (a) =>
      byAppointment.get(a.id) ?? (a.serviceType === undefined ? undefined : byService.get(a.serviceType)) ?? fallback,
    shiftPenaltySPerMin: options.shiftPenaltySPerMin ?? 60,
    reschedulePenaltyS: options.reschedulePenaltyS ?? 3600,
    reschedulePenaltySPerMin: options.reschedulePenaltySPerMin ?? 60,
    parkAndRide: (options.parkAndRide ?? []).map((p) => ({
      lotId: p.lotId,
      shuttleRideS: p.shuttleRideS ?? 600,
      shuttleHeadwayS: p.shuttleHeadwayS ?? 600,
      penaltyS: p.penaltyS ?? 900,
    })),
    dropOff: {
      penaltyS: options.dropOff?.penaltyS ?? 2400,
      ...(options.dropOff?.vehPerMin === undefined ? {} : { vehPerMin: options.dropOff.vehPerMin }),
    },
    isDropOffOffered: options.dropOff !== undefined,
    priceIterations: options.priceIterations ?? 120,
    stopGapPct: options.stopGapPct ?? 0.05,
    exactSearchNodes: options.exactSearchNodes ?? 2_000_000,
    includeRoutes: options.includeRoutes ?? true,
  };
}
