import type { BayKind } from './bay-kind.js';

/** Lifecycle of an appointment as hospital systems report it (FHIR R4 `Appointment.status`, subset). */
export type AppointmentStatus =
  | 'proposed'
  | 'pending'
  | 'booked'
  | 'arrived'
  | 'fulfilled'
  | 'cancelled'
  | 'noshow'
  | 'checked-in'
  | 'waitlist'
  | 'entered-in-error';

/** What the car needs at the lot. `required` must be met; `preferred` may fall back at a cost. */
export interface ParkingNeeds {
  /** A bay kind the car must get (e.g. `accessible` for a blue-badge holder). */
  requiredKind?: BayKind;
  /** Kinds the car would rather have, best first (e.g. `family`, `ev`); anything else is a fallback. */
  preferredKinds: BayKind[];
}

/**
 * One hospital appointment, normalised from FHIR R4, plain JSON or CSV. Times are ms since the epoch.
 * Both the simulator's demand builder and the bay allocator consume this shape.
 */
export interface Appointment {
  id: string;
  startMs: number;
  endMs: number;
  status: AppointmentStatus;
  /** Hospital entrance the patient goes to (walking times are per lot and entrance). */
  entranceId: string;
  needs: ParkingNeeds;
  /** Free text from `serviceType` / `appointmentType`, kept for reports. */
  serviceType?: string;
  /** Origin zone of the trip in the demand model, when known. */
  originZoneId?: string;
  /** Opaque patient/participant reference, never interpreted. */
  participantRef?: string;
}
