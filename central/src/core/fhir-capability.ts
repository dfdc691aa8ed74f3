import { FHIR_BUNDLE_TYPES } from '@citybay/sim';
import { FHIR_JSON, FHIR_VERSION, PARKING_ASSIGNMENT_URL } from './fhir-resources.js';

/**
 * The R4 `CapabilityStatement` central answers `GET /metadata` with: what its FHIR side really does. Appointments
 * go to `POST /v1/appointments` (an operation-like endpoint, not the RESTful `[base]/Appointment`), so it lists
 * the Appointment resource with its documentation and claims no RESTful interaction it does not implement.
 */
export function capabilityStatement(version: string, nowMs: number): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(nowMs).toISOString(),
    publisher: 'citybay',
    kind: 'instance',
    software: { name: 'citybay central', version },
    implementation: {
      description:
        'citybay central: hospital appointments in, pre-assigned parking (lot, zone, bay kind, arrival window) out',
    },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          `POST /v1/appointments[?siteId=…] takes an Appointment or a Bundle (${FHIR_BUNDLE_TYPES.join(', ')}) as ` +
          `${FHIR_JSON}; entries of other resource types are ignored. A transaction, collection, searchset or single ` +
          'Appointment is one transaction: any bad entry refuses it all (OperationOutcome, 400 or 422). A batch is ' +
          'answered per entry. With Accept: application/fhir+json the answer is the Appointment, a ' +
          'transaction-response or batch-response Bundle, or a collection Bundle, each Appointment carrying the ' +
          `assignment in the extension ${PARKING_ASSIGNMENT_URL}.`,
        security: {
          description: 'Authorization: Bearer <hospital API key>; a key limited to sites may only post to them.',
        },
        resource: [
          {
            type: 'Appointment',
            documentation:
              'Read: id (or request.url Appointment/<id>, or identifier[0].value), status, start with end or ' +
              'minutesDuration (at most 1440), requestedPeriod for proposed/cancelled/waitlist ones without start, ' +
              'participant (Patient; Location only through the site entrances\u2019 fhirLocations), serviceType, ' +
              'appointmentType and citybay\u2019s parking-need extensions and codings.',
          },
        ],
      },
    ],
  };
}
