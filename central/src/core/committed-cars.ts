import type {
  AllocationDay,
  Appointment,
  AppointmentStatus,
  Assignment,
  GatePassage,
  LiveOccupancy,
} from '@citybay/sim';

/** The car stands in its bay. */
const PARKED_STATUSES: readonly AppointmentStatus[] = ['arrived', 'checked-in'];
/** The appointment is still to come: once its arrival window has begun the car is taken to be on its way. */
const BOOKED_STATUSES: readonly AppointmentStatus[] = ['booked', 'pending'];

/**
 * The stored assignments of the cars a plan from scratch must leave where they are at `nowMs`: cars parked
 * in their bay (`arrived`, `checked-in`), and cars still booked whose bay is placed and whose arrival window
 * has begun (probably on their way to the lot they were promised). Only a car with a stored assignment is
 * committed: one never planned has nowhere to be kept.
 */
export function committedAssignmentsOf(
  appointments: readonly Appointment[],
  storedAssignments: readonly Assignment[],
  nowMs: number,
): Assignment[] {
  const storedById = new Map(storedAssignments.map((a) => [a.appointmentId, a]));
  const committed: Assignment[] = [];
  for (const appointment of appointments) {
    const assignment = storedById.get(appointment.id);
    if (assignment === undefined) continue;
    const isParked = PARKED_STATUSES.includes(appointment.status);
    const isEnRoute =
      BOOKED_STATUSES.includes(appointment.status) && assignment.placed && assignment.arrivalWindow.fromMs <= nowMs;
    if (isParked || isEnRoute) committed.push(assignment);
  }
  return committed;
}

/**
 * The day for a plan from scratch around committed cars: they are left out of the appointments, and their
 * bays are taken out of the lots' capacity from their arrival slot until their hold ends, so nobody else is
 * planned into them. A committed car in a lot the site no longer has takes nothing (there is nothing there
 * to plan around, and the allocator would refuse an unknown lot); one in a zone the lot no longer has takes
 * a bay of the lot only.
 *
 * A committed car still `booked`/`pending` (on its way) also takes one passage of its lot's gate in the slot
 * of its arrival window (the allocator's `gatePassages`), so the plan does not send a full slot's worth of
 * other cars through a gate that car has still to pass; a parked car has passed it already, and so has most
 * likely a car whose window ended by `nowMs`.
 */
export function dayAroundCommitted(day: AllocationDay, committed: readonly Assignment[], nowMs: number): AllocationDay {
  if (committed.length === 0) return day;
  const committedIds = new Set(committed.map((a) => a.appointmentId));
  const statusById = new Map(day.appointments.map((a) => [a.id, a.status]));
  const lotsById = new Map(day.lots.map((lot) => [lot.id, lot]));
  const occupancy: LiveOccupancy[] = [...(day.occupancy ?? [])];
  const gatePassages: GatePassage[] = [...(day.gatePassages ?? [])];
  for (const a of committed) {
    const lot = a.lotId === undefined ? undefined : lotsById.get(a.lotId);
    if (!a.placed || lot === undefined || a.kind === undefined) continue;
    const fromMin = (a.arrivalWindow.fromMs - day.dayStartMs) / 60_000;
    // Its zone too, so the allocator's zone choice does not hand out the bay within the lot either.
    const zoneId = lot.zones.find((z) => z.id === a.zoneId)?.id;
    occupancy.push({
      lotId: lot.id,
      ...(zoneId === undefined ? {} : { zoneId }),
      kind: a.kind,
      bays: 1,
      fromMin,
      untilMin: (a.holdUntilMs - day.dayStartMs) / 60_000,
    });
    const status = statusById.get(a.appointmentId);
    const isOnItsWay = status !== undefined && BOOKED_STATUSES.includes(status);
    if (isOnItsWay && a.arrivalWindow.toMs > nowMs) {
      gatePassages.push({ lotId: lot.id, atMin: fromMin, cars: 1 });
    }
  }
  return {
    ...day,
    appointments: day.appointments.filter((a) => !committedIds.has(a.id)),
    occupancy,
    ...(gatePassages.length === 0 ? {} : { gatePassages }),
  };
}
