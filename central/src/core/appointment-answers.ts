import type { AppointmentEntry, AppointmentRead } from '@citybay/sim';
import type { AppointmentAnswer } from './appointment-day.js';
import type { PlanIssue } from './appointment-checks.js';
import { answeredAppointment, operationOutcome, responseStatus } from './fhir-resources.js';

type Json = Record<string, unknown>;

/** What a submission came to: the document read, the issues of every kind, and the answers of planned entries. */
export interface SubmissionView {
  siteId: string;
  document: unknown;
  read: AppointmentRead;
  /** Every issue: reading, site checks, refusals (errors only on entries of a batch), warnings, information. */
  issues: readonly PlanIssue[];
  answers: ReadonlyMap<string, AppointmentAnswer>;
  createdIds: ReadonlySet<string>;
}

/** The plain JSON answer: one answer per planned appointment, in document order, and the issues if any. */
export function jsonAnswer(view: SubmissionView): Json {
  const appointments = view.read.entries.flatMap((e) => {
    const answer = e.appointment === undefined ? undefined : view.answers.get(e.appointment.id);
    return answer === undefined ? [] : [answer];
  });
  const issues = view.issues.map(({ severity, type, path, message, code }) => ({
    severity,
    type,
    path,
    message,
    ...(code === undefined ? {} : { code }),
  }));
  return { siteId: view.siteId, appointments, ...(issues.length > 0 ? { issues } : {}) };
}

/** The resource an entry was read from, as sent. */
function resourceOf(document: unknown, read: AppointmentRead, entry: AppointmentEntry): Json {
  const raw =
    read.container === 'Appointment'
      ? document
      : read.container === 'array'
        ? (document as unknown[])[entry.index]
        : (document as { entry: Array<{ resource: unknown }> }).entry[entry.index]?.resource;
  return raw as Json;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function answered(view: SubmissionView, entry: AppointmentEntry): Json | undefined {
  const id = entry.appointment?.id;
  const answer = id === undefined ? undefined : view.answers.get(id);
  if (id === undefined || answer === undefined) return undefined;
  const resource = resourceOf(view.document, view.read, entry);
  // A key taken from an identifier need not be a FHIR id: such a resource goes back without one.
  return FHIR_ID.test(id) ? answeredAppointment(resource, id, answer) : answeredAppointment(resource, '', answer);
}

/**
 * The FHIR answer (status and resource): the Appointment for an Appointment; a `transaction-response` or
 * `batch-response` Bundle, entry for entry, for a transaction or batch (what FHIR clients expect of those); a
 * `collection` Bundle of the answered Appointments and an OperationOutcome of the issues for a collection,
 * searchset or array (FHIR defines no response to those, and only response Bundles may carry per-entry status).
 * `Prefer: return=OperationOutcome` asks for the OperationOutcome instead.
 */
export function fhirAnswer(view: SubmissionView, isOutcomePreferred: boolean): { statusCode: number; body: Json } {
  const { read, issues } = view;
  if (isOutcomePreferred) return { statusCode: 200, body: operationOutcome(issues) };
  const issuesOf = (entry: AppointmentEntry) => issues.filter((i) => i.entry === entry.index);
  const statusOf = (entry: AppointmentEntry) => (view.createdIds.has(entry.appointment?.id ?? '') ? 201 : 200);
  if (read.container === 'Appointment') {
    const entry = read.entries[0]!;
    const resource = answered(view, entry) ?? operationOutcome(issues);
    return { statusCode: statusOf(entry), body: stripEmptyId(resource) };
  }
  if (read.container === 'transaction' || read.container === 'batch') {
    const entry = read.entries.map((e) => {
      const own = issuesOf(e);
      const resource = answered(view, e);
      const errors = own.filter((i) => i.severity === 'error');
      const status =
        errors.length > 0 ? (errors.some((i) => i.code === 'CB_APPOINTMENT_INVALID') ? 400 : 422) : statusOf(e);
      const outcome =
        own.length > 0
          ? operationOutcome(own)
          : e.outcome === 'ignored'
            ? operationOutcome([
                {
                  severity: 'information',
                  type: 'informational',
                  path: e.path,
                  message: `${e.path}: ${e.ignoredType ?? 'entry'} not kept: citybay keeps Appointments only`,
                },
              ])
            : undefined;
      return {
        response: { status: responseStatus(status), ...(outcome === undefined ? {} : { outcome }) },
        ...(resource === undefined ? {} : { resource: stripEmptyId(resource) }),
      };
    });
    return { statusCode: 200, body: { resourceType: 'Bundle', type: `${read.container}-response`, entry } };
  }
  const entry: Json[] = read.entries.flatMap((e) => {
    const resource = answered(view, e);
    return resource === undefined ? [] : [{ resource: stripEmptyId(resource) }];
  });
  if (issues.length > 0) entry.push({ resource: operationOutcome(issues) });
  return { statusCode: 200, body: { resourceType: 'Bundle', type: 'collection', entry } };
}

function stripEmptyId(resource: Json): Json {
  if (resource.id !== '') return resource;
  const { id: _id, ...rest } = resource;
  return rest;
}
