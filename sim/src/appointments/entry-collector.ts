import type { Appointment } from '../model/index.js';
import { APPOINTMENT_LIMITS } from './appointment-limits.js';
import {
  type AppointmentEntry,
  type AppointmentFieldPaths,
  type AppointmentIssue,
  FieldProblem,
} from './appointment-read.js';

/**
 * Gathers a document's entries and issues as a reader goes: one bad field makes its entry invalid (the others
 * are still read, so every bad entry is reported at once), a repeated id makes the later entry invalid, and
 * ignored entries are summed up per resource type. Issues past {@link APPOINTMENT_LIMITS.maxIssues} are counted.
 */
export class EntryCollector {
  private readonly entries: AppointmentEntry[] = [];
  private readonly issues: AppointmentIssue[] = [];
  private readonly seenIds = new Set<string>();
  private readonly ignored = new Map<string, { count: number; firstPath: string }>();
  private appointmentCount = 0;
  private droppedIssues = 0;

  /** Reads one entry: its result makes it an appointment; a `FieldProblem` makes it invalid. */
  read(entry: AppointmentEntry, read: () => { appointment: Appointment; fields: AppointmentFieldPaths } | void): void {
    try {
      const result = read();
      if (result === undefined) return;
      const { appointment, fields } = result;
      if (this.seenIds.has(appointment.id))
        throw new FieldProblem(fields.id, `id "${appointment.id}"`, 'duplicate id in this document', 'invalid');
      this.seenIds.add(appointment.id);
      this.appointmentCount += 1;
      this.entries.push({ ...entry, outcome: 'appointment', appointment, fields });
    } catch (err) {
      if (!(err instanceof FieldProblem)) throw err;
      this.entries.push({ ...entry, outcome: 'invalid' });
      this.issue({ severity: 'error', type: err.type, path: err.path, message: err.message, entry: entry.index });
    }
  }

  /** An entry that is not an appointment (another resource type, a request without a resource). */
  ignore(entry: AppointmentEntry, what: string): void {
    this.entries.push({ ...entry, outcome: 'ignored', ignoredType: what });
    const seen = this.ignored.get(what);
    if (seen) seen.count += 1;
    else this.ignored.set(what, { count: 1, firstPath: entry.path });
  }

  issue(issue: AppointmentIssue): void {
    if (this.issues.length < APPOINTMENT_LIMITS.maxIssues) this.issues.push(issue);
    else this.droppedIssues += 1;
  }

  /** False (with an issue at `path`) when a document holds more than `max` items: nothing of it is read. */
  checkCount(count: number, path: string, max: number): boolean {
    if (count <= max) return true;
    this.issue({
      severity: 'error',
      type: 'too-costly',
      path,
      message: `${path || 'document'}: ${count} entries, more than the ${max} one request may hold`,
    });
    return false;
  }

  finish(): { entries: AppointmentEntry[]; issues: AppointmentIssue[] } {
    if (this.appointmentCount > APPOINTMENT_LIMITS.maxAppointments) {
      this.issues.unshift({
        severity: 'error',
        type: 'too-costly',
        path: this.entries[0]?.path ?? '',
        message: `${this.entries[0]?.path ?? 'document'}: ${this.appointmentCount} appointments, more than the ${APPOINTMENT_LIMITS.maxAppointments} one document may hold`,
      });
    }
    for (const [what, { count, firstPath }] of this.ignored) {
      const described =
        what === 'request' ? 'entries without a resource' : what === 'empty' ? 'empty entries' : `${what} entries`;
      this.issue({
        severity: 'information',
        type: 'informational',
        path: firstPath,
        message: `${firstPath}: ${count} ${described} ignored: only Appointments are read`,
      });
    }
    if (this.droppedIssues > 0) {
      this.issues.push({
        severity: 'information',
        type: 'informational',
        path: '',
        message: `${this.droppedIssues} more issues not listed`,
      });
    }
    return { entries: this.entries, issues: this.issues };
  }
}
