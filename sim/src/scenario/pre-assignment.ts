import { allocate } from '../allocation/allocate.js';
import type { AllocationOptions } from '../allocation/allocation-options.js';
import type { AllocationPlan, Assignment, LiveOccupancy } from '../allocation/allocation-types.js';
import { withheldWindowOf } from '../allocation/withheld-bays.js';
import type { TruncatedNormal } from '../demand/distributions.js';
import { errors } from '../errors.js';
import type { Appointment, BayKind, ParkingLot, RoadNetwork } from '../model/index.js';
import type { WithheldBay } from '../traffic/traffic-run-types.js';
import { type Trip, tripOf } from '../traffic/trip.js';

export interface PreAssignmentInput {
  dayStartMs: number;
  /** The appointments whose patients come by car and park, each with its trip's origin edge. */
  carAppointments: ReadonlyArray<{ appointment: Appointment; originEdgeId: string }>;
  /** Lots open to hospital traffic under the policy (park-and-ride lots included). */
  lots: ParkingLot[];
  network: RoadNetwork;
  /** Bays taken at the start, per lot and kind (held all day). */
  initialOccupancy: Readonly<Record<string, Partial<Record<BayKind, number>>>>;
  /** The scenario's allocation options, the policy's over them. */
  options: AllocationOptions;
}

/**
 * The "pre-assigned bays" policy's plan: the bay allocator (`allocate`) on the day's car appointments, with the
 * network's drive times, every car's origin as its zone and the bays taken at the start as occupancy.
 */
export function preAssignmentPlan(input: PreAssignmentInput): AllocationPlan {
  const originEdgeByZone: Record<string, string> = {};
  const appointments = input.carAppointments.map(({ appointment, originEdgeId }) => {
    originEdgeByZone[originEdgeId] = originEdgeId;
    return { ...appointment, originZoneId: originEdgeId };
  });
  const occupancy: LiveOccupancy[] = [];
  for (const lot of input.lots) {
    for (const [kind, bays] of Object.entries(input.initialOccupancy[lot.id] ?? {})) {
      if (bays !== undefined && bays > 0) occupancy.push({ lotId: lot.id, kind: kind as BayKind, bays });
    }
  }
  return allocate(
    {
      dayStartMs: input.dayStartMs,
      appointments,
      lots: input.lots,
      network: input.network,
      originEdgeByZone,
      occupancy,
    },
    // The proof-of-optimality search only pays off for the allocator's own users; the simulation needs the plan.
    { ...input.options, includeRoutes: false, exactSearchNodes: 0 },
  );
}

/**
 * What playing a plan needs of each assignment: the allocator's own `Assignment`, or an appointment service's answer
 * (central's) put in the same terms, so a run can play the plan the field got.
 */
export type PlayedAssignment = Pick<
  Assignment,
  'appointmentId' | 'outcome' | 'lotId' | 'kind' | 'arrivalWindow' | 'arrivalShiftMin'
> & {
  reschedule?: { byMin: number };
  /** Until when the bay is held (absent: to the end of the arrival window's grace). */
  holdUntilMs?: number;
};

/** A plan to play: one assignment per car appointment it covers (the others drive as without a plan). */
export interface PlayablePlan {
  assignments: readonly PlayedAssignment[];
}

/** What wait-listed drivers do: come anyway and look for a bay as everyone else does, or stay away (come otherwise). */
export type WaitListedDrivers = 'drive' | 'stay-away';

export interface PlayContext {
  dayStartMs: number;
  /** The demand's arrival habit (minutes before the appointment), whose draw places a car inside its window. */
  arrivalBeforeMin: TruncatedNormal;
  driveTimeS(originEdgeId: string, lotId: string): number;
  /** Where a car from this origin drops its patient, and the drive there (s); undefined without drop-off edges. */
  dropOffFor(originEdgeId: string): { edgeId: string; driveS: number } | undefined;
  waitListed: WaitListedDrivers;
  /** Share of drivers who follow their plan (the others drive as without one: to their nearest hospital lot). */
  planCompliance: number;
  /** Seeds which drivers ignore their plan: the same drivers in every policy of a seed. */
  seed: number;
}

/** How a pre-assigned run played the plan (counts of cars, minutes). */
export interface PreAssignmentStats {
  cars: number;
  bay: number;
  parkAndRide: number;
  dropOff: number;
  waitListed: number;
  /** Wait-listed cars that drove anyway (looking for a bay) and that stayed away. */
  waitListedDriving: number;
  waitListedStayingAway: number;
  /** Drivers who ignored their plan and drove as without one. */
  ignoredPlan: number;
  /** Cars asked to arrive at another time, and the mean shift over all cars (minutes). */
  shifted: number;
  meanAbsShiftMin: number;
  rescheduled: number;
}

/**
 * Plays a plan's outcomes as they are: a car with a bay (or a park-and-ride lot) heads for that lot from home and
 * reaches it inside its arrival window, at the place in it its arrival habit puts it (an early habit early in the
 * window), and leaves when it would have left anyway; a drop-off car drops its patient at the entrance in its window
 * and drives on; a wait-listed car drives to the nearest hospital lot as it would have without a plan, or stays away,
 * as `waitListed` says. A driver who ignores the plan (1 − `planCompliance` of them) drives as without one.
 * `trips` are the policy-free trips (each park trip heading for its nearest hospital lot).
 */
export function playPlan(
  trips: readonly Trip[],
  plan: PlayablePlan,
  appointmentsById: ReadonlyMap<string, Appointment>,
  ctx: PlayContext,
): { trips: Trip[]; stats: PreAssignmentStats; withheld: WithheldBay[] } {
  const byId = new Map(plan.assignments.map((a) => [a.appointmentId, a]));
  const stats: PreAssignmentStats = {
    cars: 0,
    bay: 0,
    parkAndRide: 0,
    dropOff: 0,
    waitListed: 0,
    waitListedDriving: 0,
    waitListedStayingAway: 0,
    ignoredPlan: 0,
    shifted: 0,
    meanAbsShiftMin: 0,
    rescheduled: 0,
  };
  const out: Trip[] = [];
  let shiftSum = 0;
  for (const trip of trips) {
    const assignment = trip.purpose === 'park' ? byId.get(trip.id) : undefined;
    const appointment = appointmentsById.get(trip.id);
    if (assignment === undefined || appointment === undefined || trip.lotId === undefined) {
      out.push(trip);
      continue;
    }
    stats.cars++;
    if (ctx.planCompliance < 1 && uniformOf(ctx.seed, trip.id) >= ctx.planCompliance) {
      stats.ignoredPlan++;
      out.push(trip);
      continue;
    }
    shiftSum += Math.abs(assignment.arrivalShiftMin);
    if (assignment.arrivalShiftMin !== 0) stats.shifted++;
    if (assignment.reschedule !== undefined) stats.rescheduled++;
    const played = playOne(trip, assignment, appointment, ctx, stats);
    if (played !== undefined) out.push(played);
  }
  stats.meanAbsShiftMin = stats.cars === 0 ? 0 : shiftSum / stats.cars;
  return { trips: out, stats, withheld: withheldBaysOf(plan, ctx.dayStartMs) };
}

/**
 * The bays the field withholds from the public for the plan, as central's reservations to the edges do
 * (`withheldWindowOf`), whether their drivers follow the plan or not.
 */
export function withheldBaysOf(plan: PlayablePlan, dayStartMs: number): WithheldBay[] {
  const withheld: WithheldBay[] = [];
  for (const a of plan.assignments) {
    const window = withheldWindowOf(a);
    if (window === undefined) continue;
    withheld.push({
      lotId: window.lotId,
      kind: window.kind,
      fromS: (window.fromMs - dayStartMs) / 1000,
      untilS: (window.untilMs - dayStartMs) / 1000,
    });
  }
  return withheld;
}

function playOne(
  trip: Trip,
  assignment: PlayedAssignment,
  appointment: Appointment,
  ctx: PlayContext,
  stats: PreAssignmentStats,
): Trip | undefined {
  const habitLotId = trip.lotId ?? '';
  // The habit the demand drew: arrive `beforeMin` before the appointment, stay `stayS`.
  const startS = (appointment.startMs - ctx.dayStartMs) / 1000;
  const habitArrivalS = trip.departS + ctx.driveTimeS(trip.originEdgeId, habitLotId);
  const beforeMin = (startS - habitArrivalS) / 60;
  const rescheduleS = (assignment.reschedule?.byMin ?? 0) * 60;
  const leaveS = habitArrivalS + (trip.stayS ?? 0) + rescheduleS;
  const windowFromS = (assignment.arrivalWindow.fromMs - ctx.dayStartMs) / 1000;
  const windowS = (assignment.arrivalWindow.toMs - assignment.arrivalWindow.fromMs) / 1000;
  const { mean, sd } = ctx.arrivalBeforeMin;
  // Early-habit drivers come early in their window: the habit's quantile is the place in it.
  const place = sd > 0 ? standardNormalCdf((beforeMin - mean) / sd) : 0.5;
  const arrivalS = windowFromS + (1 - place) * windowS;
  switch (assignment.outcome) {
    case 'bay':
    case 'park-and-ride': {
      const lotId = assignment.lotId ?? habitLotId;
      if (assignment.outcome === 'bay') stats.bay++;
      else stats.parkAndRide++;
      return tripOf({
        ...trip,
        lotId,
        departS: arrivalS - ctx.driveTimeS(trip.originEdgeId, lotId),
        stayS: Math.max(60, leaveS - arrivalS),
        isPreAssigned: true,
      });
    }
    case 'drop-off': {
      stats.dropOff++;
      const dropOff = ctx.dropOffFor(trip.originEdgeId);
      // The scenario check requires drop-off edges wherever the allocator may advise a drop-off.
      if (dropOff === undefined)
        throw errors.CB_SCENARIO_INVALID('demand.dropOffEdgeIds: drop-off advice needs edges to drop off at', {
          path: 'demand.dropOffEdgeIds',
        });
      return tripOf({
        id: `${trip.id}.dropoff`,
        purpose: 'dropoff',
        departS: arrivalS - dropOff.driveS,
        originEdgeId: trip.originEdgeId,
        destinationEdgeId: dropOff.edgeId,
      });
    }
    default: {
      stats.waitListed++;
      if (ctx.waitListed === 'stay-away') {
        stats.waitListedStayingAway++;
        return undefined;
      }
      stats.waitListedDriving++;
      return trip;
    }
  }
}

/**
 * A number in [0, 1) fixed by the seed and the trip id (FNV-1a, then a 32-bit mix): which drivers ignore their
 * plan, without a draw from the demand's stream (whose draws every policy shares).
 */
function uniformOf(seed: number, id: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) / 4294967296;
}

/** Φ(x), the standard normal distribution function (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
export function standardNormalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}
