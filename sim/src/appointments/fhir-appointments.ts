import { describeValue, invalid } from './appointment-fields.js';
import { APPOINTMENT_LIMITS } from './appointment-limits.js';
import type {
  AppointmentContainer,
  AppointmentEntry,
  AppointmentIssue,
  AppointmentRead,
  ReadAppointmentsOptions,
} from './appointment-read.js';
import { EntryCollector } from './entry-collector.js';
import { isObject, type JsonObject, readFhirAppointment } from './fhir-appointment-resource.js';

export { FHIR_PARKING } from './fhir-appointment-resource.js';

/** Bundle types whose Appointment entries citybay takes. */
export const FHIR_BUNDLE_TYPES = ['transaction', 'batch', 'collection', 'searchset'] as const;
/** Most entries of any type one Bundle may hold (included Patients and the like count too). */
export const MAX_BUNDLE_ENTRIES = 5 * APPOINTMENT_LIMITS.maxAppointments;

/**
 * Reads a FHIR R4 document: one `Appointment`, a `Bundle` (transaction, batch, collection, searchset) whose
 * `Appointment` entries are taken and other entries ignored, or a JSON array of Appointments. Never throws on
 * bad input: every problem is an issue with the FHIRPath of the field (`Bundle.entry[2].resource.start`).
 */
export function readFhirAppointments(document: unknown, options: ReadAppointmentsOptions = {}): AppointmentRead {
  const collector = new EntryCollector();
  const locationEntrances = new Map(Object.entries(options.locationEntrances ?? {}));
  const utcOffsetMin = options.utcOffsetMin ?? 0;
  const readResource: ResourceReader = (resource, entry, requestId) =>
    readFhirAppointment(resource, {
      path: entry.path,
      ...(requestId === undefined ? {} : { requestId }),
      locationEntrances,
      utcOffsetMin,
      warn: (issue) => collector.issue({ ...issue, severity: 'warning', entry: entry.index }),
    });
  const done = (container: AppointmentContainer): AppointmentRead => ({
    format: 'fhir',
    container,
    ...collector.finish(),
  });

  if (Array.isArray(document)) {
    if (!collector.checkCount(document.length, '', MAX_BUNDLE_ENTRIES)) return done('array');
    document.forEach((resource, index) => {
      const entry: AppointmentEntry = { index, path: `[${index}]`, outcome: 'invalid' };
      collector.read(entry, () =>
        isObject(resource) && resource.resourceType === 'Appointment'
          ? readResource(resource, entry)
          : invalid(entry.path, `item ${index}`, `expected an Appointment resource, got ${describeValue(resource)}`),
      );
    });
    return done('array');
  }
  if (!isObject(document)) {
    collector.issue({
      severity: 'error',
      type: 'structure',
      path: '',
      message: `document: expected a FHIR resource (Appointment or Bundle), got ${describeValue(document)}`,
    });
    return done('Appointment');
  }
  if (document.resourceType === 'Appointment') {
    const entry: AppointmentEntry = { index: 0, path: 'Appointment', outcome: 'invalid' };
    collector.read(entry, () => readResource(document, entry));
    return done('Appointment');
  }
  if (document.resourceType !== 'Bundle') {
    const type = typeof document.resourceType === 'string' ? document.resourceType : undefined;
    collector.issue({
      severity: 'error',
      type: type === undefined ? 'required' : 'not-supported',
      path: type === undefined || !/^[A-Z][A-Za-z]{0,63}$/.test(type) ? 'resourceType' : `${type}.resourceType`,
      message: `resourceType: expected an Appointment or a Bundle of them, got ${describeValue(document.resourceType)}`,
    });
    return done('Appointment');
  }
  return readBundle(document, collector, readResource, done);
}

function readBundle(
  bundle: JsonObject,
  collector: EntryCollector,
  readResource: ResourceReader,
  done: (container: AppointmentContainer) => AppointmentRead,
): AppointmentRead {
  let container: AppointmentContainer = 'collection';
  if (bundle.type === undefined) {
    collector.issue({
      severity: 'warning',
      type: 'required',
      path: 'Bundle.type',
      message: 'Bundle.type: a Bundle needs a type; read as a collection',
    });
  } else if ((FHIR_BUNDLE_TYPES as readonly unknown[]).includes(bundle.type)) {
    container = bundle.type as AppointmentContainer;
  } else {
    collector.issue({
      severity: 'error',
      type: 'not-supported',
      path: 'Bundle.type',
      message: `Bundle.type: expected ${FHIR_BUNDLE_TYPES.join(', ')}, got ${describeValue(bundle.type)}`,
    });
    return done('collection');
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    collector.issue({
      severity: 'error',
      type: 'structure',
      path: 'Bundle.entry',
      message: `Bundle.entry: expected an array, got ${describeValue(bundle.entry)}`,
    });
    return done(container);
  }
  const entries = (bundle.entry ?? []) as unknown[];
  if (!collector.checkCount(entries.length, 'Bundle.entry', MAX_BUNDLE_ENTRIES)) return done(container);
  entries.forEach((raw, index) => {
    const entryPath = `Bundle.entry[${index}]`;
    const entry: AppointmentEntry = { index, path: `${entryPath}.resource`, outcome: 'invalid' };
    collector.read(entry, () => {
      if (!isObject(raw))
        return invalid(entryPath, `entry ${index}`, `expected an entry, got ${describeValue(raw)}`, 'structure');
      const request = raw.request === undefined ? undefined : isObject(raw.request) ? raw.request : null;
      if (request === null) return invalid(`${entryPath}.request`, `entry ${index}`, 'expected an object', 'structure');
      const url = typeof request?.url === 'string' ? request.url : undefined;
      const resource = raw.resource;
      if (resource === undefined) {
        if (request?.method !== undefined && request.method !== 'GET' && url?.startsWith('Appointment') === true) {
          return invalid(
            `${entryPath}.request.method`,
            `entry ${index}`,
            `${describeValue(request.method)} of an Appointment is not supported: send the Appointment (status cancelled to cancel it)`,
            'not-supported',
          );
        }
        return collector.ignore(entry, request === undefined ? 'empty' : 'request');
      }
      if (!isObject(resource))
        return invalid(
          entry.path,
          `entry ${index}`,
          `expected a resource, got ${describeValue(resource)}`,
          'structure',
        );
      if (resource.resourceType !== 'Appointment') {
        const type = typeof resource.resourceType === 'string' ? resource.resourceType.slice(0, 64) : 'unknown';
        return collector.ignore(entry, type);
      }
      const requestId = url === undefined ? undefined : /^Appointment\/([A-Za-z0-9\-.]{1,64})$/.exec(url)?.[1];
      return readResource(resource, entry, requestId);
    });
  });
  return done(container);
}

type ResourceReader = (
  resource: JsonObject,
  entry: AppointmentEntry,
  requestId?: string,
) => ReturnType<typeof readFhirAppointment>;

export type { AppointmentIssue };
