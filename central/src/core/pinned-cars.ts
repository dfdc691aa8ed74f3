import { type AllocationEvent, type Assignment, errors as simErrors } from '@citybay/sim';

/**
 * Committed cars a plan from scratch left out of the allocator (see `dayAroundCommitted`), held beside it
 * for the rest of that day's life in the allocator thread. Their bays are already out of the allocator's
 * capacity, so events about them never reach it (it does not know them and would refuse them).
 */
export class PinnedCars {
  private readonly byId: Map<string, Assignment>;

  constructor(assignments: readonly Assignment[]) {
    this.byId = new Map(assignments.map((a) => [a.appointmentId, a]));
  }

  /** The pinned car's assignment as it is now; `undefined` for a car the allocator plans. */
  assignment(appointmentId: string): Assignment | undefined {
    return this.byId.get(appointmentId);
  }

  /** What the pinned cars add to the day's cost (what the allocator's `objectiveS()` leaves out). */
  costS(): number {
    let sum = 0;
    for (const a of this.byId.values()) sum += a.cost.totalS;
    return sum;
  }

  /**
   * Applies an event if it is about a pinned car: answers how many assignments it changed (0 or 1), or
   * `undefined` when the event is for the allocator.
   */
  onEvent(event: AllocationEvent): number | undefined {
    if (event.type === 'new-appointment') {
      if (!this.byId.has(event.appointment.id)) return undefined;
      throw simErrors.CB_ALLOCATION_INVALID(
        `event: appointment.id: appointment "${event.appointment.id}" already exists`,
        { path: 'event.appointment.id' },
      );
    }
    // Moved by the hospital while parked or on its way: like a new start time above, it keeps what it has.
    if (event.type === 'appointment-changed') return this.byId.has(event.appointment.id) ? 0 : undefined;
    if (!('appointmentId' in event)) return undefined;
    const pinned = this.byId.get(event.appointmentId);
    if (pinned === undefined) return undefined;
    switch (event.type) {
      // Parked or on its way already: it keeps its bay and its window. A new start time does not move a
      // car that is in the bay, or one driving there; its hold stays as planned until the day is planned
      // from scratch again, which pins it with that same stored assignment.
      case 'parked':
      case 'en-route':
      case 'arrival-changed':
        return 0;
      // The driver no longer needs the bay: the edges stop holding it (no reservation), but the plan still
      // keeps it out of capacity until the day is planned from scratch again. Conservative: nobody is planned
      // into a bay that may still be taken, and the next plan from scratch (the car now inactive) frees it.
      case 'cancelled':
      case 'no-show':
        this.byId.set(event.appointmentId, released(pinned));
        return pinned.placed ? 1 : 0;
    }
  }
}

function released(a: Assignment): Assignment {
  const cost = {
    driveS: 0,
    walkS: 0,
    walkWeight: 0,
    weightedWalkS: 0,
    fallbackPenaltyS: 0,
    shiftPenaltyS: 0,
    alternativePenaltyS: 0,
    unplacedPenaltyS: 0,
    totalS: 0,
  };
  return {
    appointmentId: a.appointmentId,
    outcome: 'released',
    placed: false,
    arrivalShiftMin: 0,
    arrivalWindow: a.arrivalWindow,
    holdUntilMs: a.holdUntilMs,
    cost,
  };
}
