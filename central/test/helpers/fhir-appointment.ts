/** A booked FHIR R4 Appointment of 30 minutes for patient `id`, as hospital systems send it; `extra` adds or replaces fields. */
export const fhirAppointment = (id: string, start: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  start,
  minutesDuration: 30,
  participant: [{ actor: { reference: `Patient/${id}` }, status: 'accepted' }],
  ...extra,
});
