import type { Appointment } from '../model/index.js';
import type { AllocationOptions, AllocationPlan, Assignment } from './allocation-types.js';

/** Something that happened during the day; `atMs` is when (ms since the epoch). */
export type AllocationEvent =
  /** The car will reach the lot earlier or later than planned (from tracking or a message). */
  | { type: 'arrival-changed'; appointmentId: string; expectedArrivalMs: number; atMs: number }
  /** The car set off towards its promised lot: from now on it is never moved to something worse. */
  | { type: 'en-route'; appointmentId: string; atMs: number }
  | { type: 'parked'; appointmentId: string; atMs: number }
  /** The car did not come; its bay is released after the no-show grace time. */
  | { type: 'no-show'; appointmentId: string; atMs: number }
  | { type: 'cancelled'; appointmentId: string; atMs: number }
  | { type: 'new-appointment'; appointment: Appointment; atMs: number }
  /**
   * The hospital moved an appointment of the day (its start or end; same id, entrance and needs): the car is
   * offered every window its allowance gives around the new time, as a new booking would be.
   */
  | { type: 'appointment-changed'; appointment: Appointment; atMs: number }
  /** The lot stops admitting cars from `atMs` until `untilMs` (default: the end of the day). */
  | { type: 'lot-closed'; lotId: string; atMs: number; untilMs?: number }
  /**
   * Re-plans every car that has not set off yet with the full optimiser (≈ 100 ms on a 2,000-car day),
   * around the cars en route, parked or released; adopted only when it lowers the cost. For a periodic
   * clean-up between events, not per event.
   */
  | { type: 'reoptimise'; atMs: number };

export interface AllocationUpdate {
  event: AllocationEvent['type'];
  /** Assignments that changed because of the event, as they are now. */
  changed: Assignment[];
  /** Appointments whose bay was given back. */
  released: string[];
  objectiveS: number;
}

export interface OnlineAllocatorOptions extends AllocationOptions {
  /** How long a no-show's bay stays held after the no-show is reported, minutes. Default 15. */
  noShowGraceMin?: number;
}

export interface OnlineAllocator {
  /** The plan the day started from. */
  readonly initialPlan: AllocationPlan;
  onEvent(event: AllocationEvent): AllocationUpdate;
  assignment(appointmentId: string): Assignment | undefined;
  objectiveS(): number;
}
