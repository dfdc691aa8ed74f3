import type { Appointment, Assignment } from '@citybay/sim';

/** A site's appointments of one day and their current assignments. */
export interface AppointmentDay {
  siteId: string;
  dayStartMs: number;
  /** Increases by one with every save. */
  version: number;
  appointments: Appointment[];
  assignments: Assignment[];
}
