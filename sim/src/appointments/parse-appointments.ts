import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import type { AppointmentRead, ReadAppointmentsOptions } from './appointment-read.js';
import { readFhirAppointments } from './fhir-appointments.js';
import { readCsvAppointments, readPlainJsonAppointments } from './plain-appointments.js';

export type AppointmentFormat = 'fhir' | 'json' | 'csv';

/** FHIR when the document (or its first element) has a `resourceType`; the plain JSON form otherwise. */
export function detectJsonFormat(document: unknown): 'fhir' | 'json' {
  const probe = Array.isArray(document) ? document[0] : document;
  return typeof probe === 'object' && probe !== null && 'resourceType' in probe ? 'fhir' : 'json';
}

/**
 * Reads an already parsed JSON document of appointments (FHIR R4 or the plain form; `format` from the content
 * when not given). Never throws on bad input: each entry is an appointment, invalid or ignored, and every
 * problem is an issue naming its field (FHIRPath for FHIR, JSON path for the plain form).
 */
export function readAppointmentDocument(
  document: unknown,
  format: 'fhir' | 'json' = detectJsonFormat(document),
  options: ReadAppointmentsOptions = {},
): AppointmentRead {
  return format === 'fhir' ? readFhirAppointments(document, options) : readPlainJsonAppointments(document);
}

/** Reads a file's text like {@link readAppointmentDocument}; a `.csv` name (or `format: 'csv'`) means CSV. */
export function readAppointments(
  text: string,
  fileName: string,
  format?: AppointmentFormat,
  options: ReadAppointmentsOptions = {},
): AppointmentRead {
  const chosen = format ?? (fileName.toLowerCase().endsWith('.csv') ? 'csv' : undefined);
  if (chosen === 'csv') return readCsvAppointments(text);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    return {
      format: chosen ?? 'json',
      container: 'plain',
      entries: [],
      issues: [
        { severity: 'error', type: 'structure', path: '', message: `not valid JSON (${(cause as Error).message})` },
      ],
    };
  }
  return readAppointmentDocument(document, chosen, options);
}

/** The first error of a read as `CB_APPOINTMENT_INVALID` (file, path, item and problem), if there is one. */
export function firstAppointmentError(read: AppointmentRead, fileName: string): Error | undefined {
  const issue = read.issues.find((i) => i.severity === 'error');
  if (issue === undefined) return undefined;
  return errors.CB_APPOINTMENT_INVALID(`${fileName}: ${issue.message}`, { path: issue.path });
}

/**
 * Parses a file of appointments (see {@link readAppointments}). All items are checked before any is
 * returned: a bad item fails the whole file with `CB_APPOINTMENT_INVALID` naming the item and field;
 * entries of other FHIR resource types are left out, and warnings dropped.
 */
export function parseAppointments(
  text: string,
  fileName: string,
  format?: AppointmentFormat,
  options: ReadAppointmentsOptions = {},
): Appointment[] {
  const read = readAppointments(text, fileName, format, options);
  const error = firstAppointmentError(read, fileName);
  if (error) throw error;
  return read.entries.flatMap((entry) => (entry.appointment === undefined ? [] : [entry.appointment]));
}
