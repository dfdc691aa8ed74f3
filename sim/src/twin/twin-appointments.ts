import type { Bundle, Appointment as FhirAppointment } from 'fhir/r4.js';
import { FHIR_PARKING } from '../appointments/fhir-appointments.js';
import type { Appointment } from '../model/index.js';

/**
 * The FHIR R4 form of appointments (the inverse of `parseAppointments(…, 'fhir')`): a `Bundle` of `Appointment`
 * resources with citybay's parking extensions, moved by `shiftMs` (e.g. from the scenario's date to today). Pure.
 */
export function toFhirAppointmentBundle(appointments: readonly Appointment[], shiftMs = 0): Bundle {
  const entry = appointments.map((appointment) => {
    const extension: NonNullable<FhirAppointment['extension']> = [
      { url: FHIR_PARKING.entranceUrl, valueString: appointment.entranceId },
    ];
    if (appointment.needs.requiredKind !== undefined) {
      extension.push({ url: FHIR_PARKING.requiredKindUrl, valueCode: appointment.needs.requiredKind });
    }
    for (const kind of appointment.needs.preferredKinds) {
      extension.push({ url: FHIR_PARKING.preferredKindUrl, valueCode: kind });
    }
    if (appointment.originZoneId !== undefined) {
      extension.push({ url: FHIR_PARKING.originZoneUrl, valueString: appointment.originZoneId });
    }
    const resource: FhirAppointment = {
      resourceType: 'Appointment',
      id: appointment.id,
      status: appointment.status as FhirAppointment['status'],
      start: new Date(appointment.startMs + shiftMs).toISOString(),
      end: new Date(appointment.endMs + shiftMs).toISOString(),
      participant: [
        {
          status: 'accepted',
          ...(appointment.participantRef ? { actor: { reference: appointment.participantRef } } : {}),
        },
      ],
      extension,
      ...(appointment.serviceType === undefined ? {} : { serviceType: [{ text: appointment.serviceType }] }),
    };
    return { resource };
  });
  return { resourceType: 'Bundle', type: 'collection', entry };
}
