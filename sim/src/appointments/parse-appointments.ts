import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import { parseFhirAppointments } from './fhir-appointments.js';
import { parseCsvAppointments, parsePlainJsonAppointments } from './plain-appointments.js';

export type AppointmentFormat = 'fhir' | 'json' | 'csv';

/**
 * Parses a file of appointments. Without `format`, a `.csv` name means CSV; otherwise the text is JSON,
 * and FHIR when it (or its first element) has a `resourceType`. All items are checked before any is
 * returned: one bad item fails the whole file with `CB_APPOINTMENT_INVALID` naming the item and field.
 */
export function parseAppointments(text: string, fileName: string, format?: AppointmentFormat): Appointment[] {
  const chosen = format ?? (fileName.toLowerCase().endsWith('.csv') ? 'csv' : undefined);
  if (chosen === 'csv') return checkUniqueIds(parseCsvAppointments(text, fileName), fileName);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw errors.CB_APPOINTMENT_INVALID(`${fileName}: not valid JSON (${(cause as Error).message})`, {
      path: '',
      cause,
    });
  }
  const probe = Array.isArray(document) ? document[0] : document;
  const looksFhir = typeof probe === 'object' && probe !== null && 'resourceType' in probe;
  const parsed =
    (chosen ?? (looksFhir ? 'fhir' : 'json')) === 'fhir'
      ? parseFhirAppointments(document, fileName)
      : parsePlainJsonAppointments(document, fileName);
  return checkUniqueIds(parsed, fileName);
}

function checkUniqueIds(list: Appointment[], fileName: string): Appointment[] {
  const seen = new Set<string>();
  list.forEach((a, i) => {
    if (seen.has(a.id))
      throw errors.CB_APPOINTMENT_INVALID(`${fileName}: item ${i} (id "${a.id}"): id: duplicate id`, {
        path: `[${i}].id`,
      });
    seen.add(a.id);
  });
  return list;
}
