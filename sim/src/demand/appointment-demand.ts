import { SeededRandom } from '@citybay/common';
import type { Appointment } from '../model/index.js';
import { type Trip, tripOf } from '../traffic/trip.js';
import { drawTruncatedNormal, drawWeighted, type TruncatedNormal } from './distributions.js';

/** How appointments become car trips. Shares are 0–1; see `sim/README.md` for the demand model. */
export interface AppointmentDemandSettings {
  /** Local midnight of the simulated day (ms since the epoch). */
  dayStartMs: number;
  /** Share of kept appointments that come by car. */
  carShare: number;
  /** Share of appointments nobody turns up for. */
  noShowShare: number;
  /** Share of car trips where a companion drops the patient at the entrance and drives away. */
  dropOffShare: number;
  /** How long before the appointment the car reaches the lot (min). */
  arrivalBeforeMin: TruncatedNormal;
  /** Time in the bay beyond early arrival + appointment duration (min): walking, pharmacy, tests. */
  extraStayMin: TruncatedNormal;
  /** Where trips enter the network, by share (an appointment whose `originZoneId` is one of these edges uses it). */
  origins: ReadonlyArray<{ edgeId: string; share: number }>;
  /** Where a parked car from this origin drives after its stay (its way home), if anywhere. */
  returnEdgeFor?: (originEdgeId: string) => string | undefined;
  /** Edge where a drop-off car from this origin stops and leaves the network (required when `dropOffShare` > 0). */
  dropOffEdgeFor?: (originEdgeId: string) => string;
  /** Share of drivers who drive on to another lot they know when theirs is full (the rest queue). */
  searchShare: number;
  /** Share of drivers who know the overflow/shared lots. */
  knowsSharedLotsShare: number;
  /** Share of drivers who follow a guidance sign's lot. */
  signCompliance: number;
}

/** Where a car heads first: the policy decides (nearest hospital lot, or a pre-assigned lot). */
export type LotChooser = (appointment: Appointment, originEdgeId: string) => { lotId: string; isPreAssigned: boolean };

export interface AppointmentDemand {
  trips: Trip[];
  noShows: number;
  notByCar: number;
  dropOffs: number;
  parkTrips: number;
}

const SKIPPED_STATUSES = new Set(['cancelled', 'noshow', 'entered-in-error', 'proposed', 'waitlist']);

/**
 * Draws one set of random numbers per appointment in a fixed order whatever the policy, so policies compared
 * with the same seed see the same patients, origins and arrival habits (common random numbers).
 */
export function buildAppointmentTrips(
  appointments: readonly Appointment[],
  settings: AppointmentDemandSettings,
  seed: number,
  chooseLot: LotChooser,
  driveTimeS: (originEdgeId: string, lotId: string) => number,
): AppointmentDemand {
  const random = new SeededRandom(seed);
  const originWeights = Float64Array.from(settings.origins, (origin) => origin.share);
  const result: AppointmentDemand = { trips: [], noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0 };
  for (const appointment of appointments) {
    const draws = {
      noShow: random.next(),
      car: random.next(),
      dropOff: random.next(),
      origin: drawWeighted(random, originWeights),
      beforeMin: drawTruncatedNormal(random, settings.arrivalBeforeMin),
      extraMin: drawTruncatedNormal(random, settings.extraStayMin),
      search: random.next(),
      knows: random.next(),
      comply: random.next(),
    };
    if (SKIPPED_STATUSES.has(appointment.status)) continue;
    if (draws.noShow < settings.noShowShare) {
      result.noShows++;
      continue;
    }
    if (draws.car >= settings.carShare) {
      result.notByCar++;
      continue;
    }
    // An appointment that names its origin (a zone that is one of the origin edges) keeps it.
    const named = settings.origins.find((origin) => origin.edgeId === appointment.originZoneId);
    const originEdgeId = named?.edgeId ?? settings.origins[draws.origin]!.edgeId;
    const startS = (appointment.startMs - settings.dayStartMs) / 1000;
    if (draws.dropOff < settings.dropOffShare && settings.dropOffEdgeFor !== undefined) {
      result.dropOffs++;
      const { lotId } = chooseLot(appointment, originEdgeId);
      result.trips.push(
        tripOf({
          id: `${appointment.id}.dropoff`,
          purpose: 'dropoff',
          departS: startS - draws.beforeMin * 60 - driveTimeS(originEdgeId, lotId),
          originEdgeId,
          destinationEdgeId: settings.dropOffEdgeFor(originEdgeId),
        }),
      );
      continue;
    }
    const { lotId, isPreAssigned } = chooseLot(appointment, originEdgeId);
    const durationS = Math.max(0, (appointment.endMs - appointment.startMs) / 1000);
    result.parkTrips++;
    result.trips.push(
      tripOf({
        id: appointment.id,
        purpose: 'park',
        departS: startS - draws.beforeMin * 60 - driveTimeS(originEdgeId, lotId),
        originEdgeId,
        lotId,
        bayKind: appointment.needs.requiredKind ?? appointment.needs.preferredKinds[0] ?? 'standard',
        isKindRequired: appointment.needs.requiredKind !== undefined,
        stayS: (draws.beforeMin + draws.extraMin) * 60 + durationS,
        returnDestinationEdgeId: settings.returnEdgeFor?.(originEdgeId),
        entranceId: appointment.entranceId,
        followsSigns: draws.comply < settings.signCompliance,
        searchesWhenFull: draws.search < settings.searchShare,
        knowsSharedLots: draws.knows < settings.knowsSharedLotsShare,
        isPreAssigned,
      }),
    );
  }
  return result;
}

/** The "appointment times spread" policy: maps starts inside `[fromMin, toMin)` linearly onto `[newFromMin, newToMin)`. */
export interface AppointmentSpread {
  fromMin: number;
  toMin: number;
  newFromMin: number;
  newToMin: number;
}

export function spreadAppointments(
  appointments: readonly Appointment[],
  spread: AppointmentSpread,
  dayStartMs: number,
): Appointment[] {
  const scale = (spread.newToMin - spread.newFromMin) / (spread.toMin - spread.fromMin);
  return appointments.map((appointment) => {
    const startMin = (appointment.startMs - dayStartMs) / 60_000;
    if (startMin < spread.fromMin || startMin >= spread.toMin) return appointment;
    const shiftedMin = spread.newFromMin + (startMin - spread.fromMin) * scale;
    const shiftMs = Math.round((shiftedMin - startMin) * 60_000);
    return { ...appointment, startMs: appointment.startMs + shiftMs, endMs: appointment.endMs + shiftMs };
  });
}
