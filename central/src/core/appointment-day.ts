import { BAY_KIND_BY_NAME, type BayReservation } from '@citybay/proto';
import type { AllocationEvent, Appointment, Assignment, BayKind, ParkingLot } from '@citybay/sim';
import { BAY_KINDS, withheldWindowOf } from '@citybay/sim';
import type { BayCapacity, SiteDefinition } from './site-definition.js';

const DAY_MS = 86_400_000;
/** Gate throughput assumed for a lot that does not state one (vehicles per minute). */
export const DEFAULT_GATE_VEH_PER_MIN = 6;

/** Local midnight (as ms since the epoch) of the day an instant falls in, for a site `utcOffsetMin` from UTC. */
export function dayStartOf(instantMs: number, utcOffsetMin: number): number {
  const offsetMs = utcOffsetMin * 60_000;
  return Math.floor((instantMs + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
}

/** Local midnight of a `YYYY-MM-DD` date at a site `utcOffsetMin` from UTC; `undefined` unless a real date. */
export function dayStartOfDate(date: string, utcOffsetMin: number): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const utcMidnightMs = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over into March instead of refusing it.
  if (Number.isNaN(utcMidnightMs) || new Date(utcMidnightMs).toISOString().slice(0, 10) !== date) return undefined;
  return utcMidnightMs - utcOffsetMin * 60_000;
}

function split(total: BayCapacity, parts: number, index: number): Partial<Record<BayKind, number>> {
  const out: Partial<Record<BayKind, number>> = {};
  for (const kind of BAY_KINDS) {
    const n = total[kind] ?? 0;
    out[kind] = Math.floor(n / parts) + (index < n % parts ? 1 : 0);
  }
  return out;
}

/** The site's lots as the allocator sees them; zones without their own capacity share the lot's evenly. */
export function allocatorLotsOf(site: SiteDefinition): ParkingLot[] {
  return site.lots.map((lot) => {
    const zones = lot.zones.length > 0 ? lot.zones : [{ id: '', capacity: lot.capacity }];
    return {
      id: lot.id,
      name: lot.name,
      entryEdgeId: '',
      zones: zones.map((zone, i) => ({
        id: zone.id,
        capacityByKind: zone.capacity ? { ...zone.capacity } : split(lot.capacity, zones.length, i),
      })),
      gateServiceVehPerMin: lot.gateServiceVehPerMin ?? DEFAULT_GATE_VEH_PER_MIN,
      openingHours: [],
      capacityWindows: [],
      walkTimeSByEntrance: { ...(lot.walkTimeSByEntrance ?? {}) },
      reserveByKind: {},
    };
  });
}

function sameNeeds(a: Appointment, b: Appointment): boolean {
  return (
    a.entranceId === b.entranceId &&
    a.needs.requiredKind === b.needs.requiredKind &&
    a.needs.preferredKinds.join(',') === b.needs.preferredKinds.join(',')
  );
}

/**
 * What a submission changes in a day: the merged appointment list and the allocator events that express
 * it. New appointments, cancellations, no-shows, arrivals and time changes are events; a change the
 * allocator has no event for (needs, entrance) asks for a re-plan of the day. A new start or end is the
 * hospital moving the appointment, not a car reporting its arrival: the car is offered every window its
 * allowance gives around the new time (`appointment-changed`).
 */
export function diffAppointments(
  stored: readonly Appointment[],
  incoming: readonly Appointment[],
  nowMs: number,
): { merged: Appointment[]; events: AllocationEvent[]; needsReplan: boolean; changedIds: string[] } {
  const byId = new Map(stored.map((a) => [a.id, a]));
  const events: AllocationEvent[] = [];
  const changedIds: string[] = [];
  let needsReplan = false;
  for (const next of incoming) {
    const before = byId.get(next.id);
    byId.set(next.id, next);
    if (!before) {
      changedIds.push(next.id);
      events.push({ type: 'new-appointment', appointment: next, atMs: nowMs });
      continue;
    }
    if (JSON.stringify(before) === JSON.stringify(next)) continue;
    changedIds.push(next.id);
    if (before.status !== next.status) {
      if (next.status === 'cancelled' || next.status === 'entered-in-error') {
        events.push({ type: 'cancelled', appointmentId: next.id, atMs: nowMs });
      } else if (next.status === 'noshow') {
        events.push({ type: 'no-show', appointmentId: next.id, atMs: nowMs });
      } else if (next.status === 'arrived' || next.status === 'checked-in' || next.status === 'fulfilled') {
        events.push({ type: 'parked', appointmentId: next.id, atMs: nowMs });
      } else {
        needsReplan = true;
      }
    }
    if (before.startMs !== next.startMs || before.endMs !== next.endMs)
      events.push({ type: 'appointment-changed', appointment: next, atMs: nowMs });
    if (!sameNeeds(before, next)) needsReplan = true;
  }
  return { merged: [...byId.values()], events, needsReplan, changedIds };
}

/** A reservation id (wire id rules: letters, digits, `._:-`, at most 64) for an appointment id. */
export function reservationIdOf(appointmentId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < appointmentId.length; i++) hash = Math.imul(hash ^ appointmentId.charCodeAt(i), 0x01000193);
  const safe = appointmentId.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 40);
  return `appt-${safe}-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Reservation directives for the assignments that hold a bay, each over the time the simulator's signs withhold it
 * too (`withheldWindowOf`); every other appointment of the day loses its own.
 */
export function reservationsOf(
  assignments: readonly Assignment[],
  allAppointmentIds: readonly string[],
): { upsert: BayReservation[]; removeIds: string[] } {
  const upsert: BayReservation[] = [];
  const placed = new Set<string>();
  for (const a of assignments) {
    const window = withheldWindowOf(a);
    if (window === undefined) continue;
    placed.add(a.appointmentId);
    upsert.push({
      reservationId: reservationIdOf(a.appointmentId),
      lotId: window.lotId,
      zoneId: a.zoneId ?? '',
      kind: BAY_KIND_BY_NAME[window.kind],
      bayId: '',
      validFromMs: window.fromMs,
      validUntilMs: window.untilMs,
    });
  }
  const removeIds = allAppointmentIds.filter((id) => !placed.has(id)).map(reservationIdOf);
  return { upsert, removeIds };
}

/** What a hospital system gets back for one appointment. */
export interface AppointmentAnswer {
  appointmentId: string;
  status: string;
  /** The car's outcome: `bay`, `park-and-ride`, `drop-off`, `wait-list`, or `released` (cancelled, no-show). */
  outcome: string;
  /** True when a bay is held (a bay or a park-and-ride lot). */
  placed: boolean;
  lotId?: string;
  lotName?: string;
  zoneId?: string;
  kind?: string;
  arrivalWindow?: { from: string; to: string; fromMs: number; toMs: number };
  holdUntilMs?: number;
  /** Minutes the arrival was moved (negative earlier); a suggested new appointment time, for the hospital to offer. */
  arrivalShiftMin?: number;
  suggestedStart?: string;
  shuttle?: { rideS: number; headwayS: number };
  routeText: string;
  /** The patient's link to their page (and its QR code): the plan and the lot's free count, kept up to date. */
  driverLink?: { url: string; qrUrl: string };
}

export function answerOf(appointment: Appointment, assignment: Assignment | undefined): AppointmentAnswer {
  const isGone = appointment.status === 'cancelled' || appointment.status === 'noshow';
  // Days stored before outcomes were named say only whether a bay is held.
  const outcome = assignment?.outcome ?? (assignment?.placed ? 'bay' : isGone ? 'released' : 'wait-list');
  const window = assignment?.arrivalWindow;
  const arrival =
    window === undefined
      ? {}
      : {
          arrivalWindow: {
            from: new Date(window.fromMs).toISOString(),
            to: new Date(window.toMs).toISOString(),
            fromMs: window.fromMs,
            toMs: window.toMs,
          },
        };
  const moved = {
    ...(assignment?.arrivalShiftMin ? { arrivalShiftMin: assignment.arrivalShiftMin } : {}),
    ...(assignment?.reschedule
      ? { suggestedStart: new Date(assignment.reschedule.suggestedStartMs).toISOString() }
      : {}),
  };
  if (!assignment || !assignment.placed || !assignment.lotId || isGone) {
    const routeText = isGone
      ? 'No bay is held for this appointment.'
      : outcome === 'drop-off'
        ? 'No bay is free: please be dropped off at the entrance in the arrival window.'
        : outcome === 'released'
          ? 'No bay is held for this appointment.'
          : "No bay is free yet: the car is on the wait-list and the driver's link shows a bay as soon as one frees.";
    return {
      appointmentId: appointment.id,
      status: appointment.status,
      outcome: isGone ? 'released' : outcome,
      placed: false,
      ...(isGone ? {} : { ...arrival, ...moved }),
      routeText,
    };
  }
  const lotName = assignment.lotName ?? assignment.lotId;
  return {
    appointmentId: appointment.id,
    status: appointment.status,
    outcome,
    placed: true,
    lotId: assignment.lotId,
    lotName,
    ...(assignment.zoneId ? { zoneId: assignment.zoneId } : {}),
    ...(assignment.kind ? { kind: assignment.kind } : {}),
    ...arrival,
    holdUntilMs: assignment.holdUntilMs,
    ...moved,
    ...(assignment.shuttle ? { shuttle: assignment.shuttle } : {}),
    routeText:
      assignment.route?.text ??
      (outcome === 'park-and-ride'
        ? `Drive to ${lotName} and take the shuttle to the hospital.`
        : `Drive to ${lotName}${assignment.zoneId ? `, zone ${assignment.zoneId}` : ''}; follow the "${lotName}" signs.`),
  };
}
