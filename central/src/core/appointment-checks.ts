import {
  ALLOCATABLE_KINDS,
  type Appointment,
  type AppointmentEntry,
  type AppointmentIssue,
  type AppointmentStatus,
} from '@citybay/sim';

/** How far ahead an appointment may start, days: bookings a year or so ahead, with room to spare. */
export const APPOINTMENT_HORIZON_DAYS = 731;
const DAY_MS = 86_400_000;

/** Statuses of an appointment still to be planned; the others record what happened and are always taken. */
const TO_PLAN: readonly AppointmentStatus[] = ['proposed', 'pending', 'booked', 'waitlist'];

/**
 * An issue about the request: the reader's, or central's own (`type` then also a FHIR IssueType such as
 * `business-rule`), with the citybay error code it stands for.
 */
export type PlanIssue = Omit<AppointmentIssue, 'type'> & { type: string; code?: string };

/** One appointment refused on its own (the others of a batch go on). */
export interface Refusal {
  appointmentId: string;
  code: 'CB_APPOINTMENTS_PAST' | 'CB_APPOINTMENTS_TOO_FAR';
  message: string;
}

/**
 * Appointments of a submission that cannot be planned at `nowMs`: ended already, or starting more than
 * {@link APPOINTMENT_HORIZON_DAYS} ahead. Only new or changed ones still to be planned count: an unchanged
 * resubmission of a stored day (an EHR sending its whole day again) and a status update of one that is over
 * (`arrived`, `fulfilled`, `noshow`, …) are taken as they are.
 */
export function refusalsOf(stored: readonly Appointment[], incoming: readonly Appointment[], nowMs: number): Refusal[] {
  const storedById = new Map(stored.map((a) => [a.id, a]));
  const refusals: Refusal[] = [];
  for (const a of incoming) {
    if (!TO_PLAN.includes(a.status)) continue;
    const before = storedById.get(a.id);
    if (before !== undefined && JSON.stringify(before) === JSON.stringify(a)) continue;
    if (a.endMs <= nowMs) {
      refusals.push({
        appointmentId: a.id,
        code: 'CB_APPOINTMENTS_PAST',
        message: `the appointment ended at ${new Date(a.endMs).toISOString()}, before now (${new Date(nowMs).toISOString()}): nothing to plan`,
      });
    } else if (a.startMs > nowMs + APPOINTMENT_HORIZON_DAYS * DAY_MS) {
      refusals.push({
        appointmentId: a.id,
        code: 'CB_APPOINTMENTS_TOO_FAR',
        message: `the appointment starts more than ${APPOINTMENT_HORIZON_DAYS} days ahead`,
      });
    }
  }
  return refusals;
}

/**
 * Read appointments the site cannot plan whatever the time: an entrance no lot has a walking time to, or a
 * bay kind that is never pre-assigned. One error per entry, at the field the value came from.
 */
export function siteIssuesOf(entries: readonly AppointmentEntry[], entrances: ReadonlySet<string>): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const known = [...entrances].join(', ') || 'none';
  for (const entry of entries) {
    const { appointment: a, fields } = entry;
    if (a === undefined || fields === undefined) continue;
    const item = `id "${a.id}"`;
    if (!entrances.has(a.entranceId)) {
      const isDefault = fields.entrance === entry.path;
      issues.push({
        severity: 'error',
        type: isDefault ? 'required' : 'value',
        code: 'CB_APPOINTMENTS_UNPLANNABLE',
        path: fields.entrance,
        entry: entry.index,
        message: `${fields.entrance} (${item}): ${
          isDefault
            ? `no entrance named and the site has no "${a.entranceId}"`
            : `no lot has a walking time to entrance "${a.entranceId}"`
        } (known: ${known})`,
      });
      continue;
    }
    const kinds = [
      ...(a.needs.requiredKind === undefined ? [] : [{ kind: a.needs.requiredKind, path: fields.requiredKind }]),
      ...a.needs.preferredKinds.map((kind, i) => ({ kind, path: fields.preferredKinds[i] })),
    ];
    const bad = kinds.find(({ kind }) => !(ALLOCATABLE_KINDS as readonly string[]).includes(kind));
    if (bad !== undefined) {
      const path = bad.path ?? entry.path;
      issues.push({
        severity: 'error',
        type: 'value',
        code: 'CB_APPOINTMENTS_UNPLANNABLE',
        path,
        entry: entry.index,
        message: `${path} (${item}): bay kind "${bad.kind}" is never pre-assigned (allocatable: ${ALLOCATABLE_KINDS.join(', ')})`,
      });
    }
  }
  return issues;
}
