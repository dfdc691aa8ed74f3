import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_LIMITS } from '../../src/appointments/appointment-limits.js';
import { readAppointmentDocument } from '../../src/appointments/parse-appointments.js';

const fixtures = new URL('./fixtures/fhir-r4/', import.meta.url);
export const specExample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

const read = (document: unknown, options = {}) => readAppointmentDocument(document, 'fhir', options);
const errorsOf = (document: unknown) =>
  read(document)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => ({ path: i.path, type: i.type }));

function appointment(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Appointment',
    id,
    status: 'booked',
    start: '2026-03-02T08:30:00+01:00',
    end: '2026-03-02T09:00:00+01:00',
    participant: [{ actor: { reference: `Patient/${id}` }, status: 'accepted' }],
    ...extra,
  };
}

describe('the FHIR R4 specification examples', () => {
  it('reads appointment-example.json, ignoring its unmapped Location with a warning', () => {
    const result = read(specExample('appointment-example.json'));
    expect(result.container).toBe('Appointment');
    expect(result.entries[0]).toMatchObject({
      outcome: 'appointment',
      appointment: {
        id: 'example',
        status: 'booked',
        startMs: Date.parse('2013-12-10T09:00:00Z'),
        endMs: Date.parse('2013-12-10T11:00:00Z'),
        entranceId: 'main',
        participantRef: 'Patient/example',
        serviceType: 'General Discussion',
      },
      fields: { start: 'Appointment.start', entrance: 'Appointment' },
    });
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        type: 'not-found',
        path: 'Appointment.participant[2].actor.reference',
      }),
    ]);
  });

  it('maps Location/1 to an entrance only through the configured mapping', () => {
    const result = read(specExample('appointment-example.json'), { locationEntrances: { 'Location/1': 'south' } });
    expect(result.issues).toEqual([]);
    expect(result.entries[0]?.appointment?.entranceId).toBe('south');
    expect(result.entries[0]?.fields?.entrance).toBe('Appointment.participant[2].actor.reference');
  });

  it('reads appointment-example2doctors.json (an actor with only a display)', () => {
    const result = read(specExample('appointment-example2doctors.json'));
    expect(result.issues).toEqual([]);
    expect(result.entries[0]?.appointment).toMatchObject({ id: '2docs', participantRef: 'Patient/example' });
  });

  it('refuses appointment-example-request.json: its requested week is longer than a bay is planned for', () => {
    expect(errorsOf(specExample('appointment-example-request.json'))).toEqual([
      { path: 'Appointment.requestedPeriod[0].end', type: 'value' },
    ]);
  });

  it('plans a proposed appointment with only a requestedPeriod on that period (dates in the site offset)', () => {
    const request = { ...specExample('appointment-example-request.json'), requestedPeriod: [{ start: '2026-06-02' }] };
    const oneDay = {
      ...request,
      requestedPeriod: [
        { start: '2026-06-03T10:00:00+02:00', end: '2026-06-03T11:00:00+02:00' },
        { start: '2026-06-02', end: '2026-06-02' },
      ],
    };
    const result = read(oneDay, { utcOffsetMin: 120 });
    expect(result.entries[0]).toMatchObject({
      appointment: {
        id: 'examplereq',
        status: 'proposed',
        startMs: Date.parse('2026-06-01T22:00:00Z'),
        endMs: Date.parse('2026-06-02T22:00:00Z'),
      },
      fields: { start: 'Appointment.requestedPeriod[1].start' },
    });
    // A start without an end takes minutesDuration (15 in the example).
    expect(read(request).entries[0]?.appointment?.endMs).toBe(Date.parse('2026-06-02T00:15:00Z'));
    expect(errorsOf({ ...request, status: 'booked' })).toEqual([{ path: 'Appointment.start', type: 'required' }]);
  });
});

describe('Bundles as EHRs send them', () => {
  it('takes the Appointments of a transaction and ignores its Patient entries', () => {
    const result = read({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a',
          resource: { resourceType: 'Patient', name: [{ family: 'Chalmers' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059',
          resource: {
            ...appointment('x', { id: undefined }),
            identifier: [{ system: 'https://ehr.example/appt', value: 'E-1001' }],
          },
          request: { method: 'POST', url: 'Appointment' },
        },
        { resource: appointment('y', { id: undefined }), request: { method: 'PUT', url: 'Appointment/A-77' } },
      ],
    });
    expect(result.container).toBe('transaction');
    expect(result.entries.map((e) => [e.outcome, e.appointment?.id ?? e.ignoredType])).toEqual([
      ['ignored', 'Patient'],
      ['appointment', 'E-1001'],
      ['appointment', 'A-77'],
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'information', path: 'Bundle.entry[0].resource' }),
    ]);
  });

  it('takes the matches of a searchset and ignores _included and OperationOutcome entries', () => {
    const result = read({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 2,
      entry: [
        { resource: appointment('a1'), search: { mode: 'match' } },
        { resource: { resourceType: 'Patient', id: 'a1' }, search: { mode: 'include' } },
        { resource: appointment('a2'), search: { mode: 'match' } },
        { resource: { resourceType: 'Practitioner', id: 'd1' }, search: { mode: 'include' } },
        {
          resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'incomplete' }] },
          search: { mode: 'outcome' },
        },
      ],
    });
    expect(result.entries.filter((e) => e.outcome === 'appointment').map((e) => e.appointment?.id)).toEqual([
      'a1',
      'a2',
    ]);
    expect(result.issues.every((i) => i.severity === 'information')).toBe(true);
  });

  it('refuses other Bundle types, and reads a Bundle without a type as a collection with a warning', () => {
    expect(errorsOf({ resourceType: 'Bundle', type: 'document', entry: [] })).toEqual([
      { path: 'Bundle.type', type: 'not-supported' },
    ]);
    const untyped = read({ resourceType: 'Bundle', entry: [{ resource: appointment('a1') }] });
    expect(untyped.container).toBe('collection');
    expect(untyped.issues[0]).toMatchObject({ severity: 'warning', path: 'Bundle.type' });
  });

  it('refuses a DELETE of an Appointment and a repeated id, naming the entry', () => {
    expect(
      errorsOf({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'DELETE', url: 'Appointment/a1' } },
          { resource: appointment('a2') },
          { resource: appointment('a2') },
        ],
      }),
    ).toEqual([
      { path: 'Bundle.entry[0].request.method', type: 'not-supported' },
      { path: 'Bundle.entry[2].resource.id', type: 'invalid' },
    ]);
  });
});

describe('hostile shapes', () => {
  it.each([
    ['a null entry', { resourceType: 'Bundle', type: 'collection', entry: [null] }, 'Bundle.entry[0]'],
    ['entry not an array', { resourceType: 'Bundle', type: 'collection', entry: {} }, 'Bundle.entry'],
    [
      'a null resource',
      { resourceType: 'Bundle', type: 'batch', entry: [{ resource: null }] },
      'Bundle.entry[0].resource',
    ],
    ['participant not an array', appointment('a', { participant: {} }), 'Appointment.participant'],
    ['a null participant', appointment('a', { participant: [null] }), 'Appointment.participant[0]'],
    [
      'actor not an object',
      appointment('a', { participant: [{ actor: 'Patient/1' }] }),
      'Appointment.participant[0].actor',
    ],
    [
      'reference not a string',
      appointment('a', { participant: [{}, { actor: { reference: 42 } }] }),
      'Appointment.participant[1].actor.reference',
    ],
    ['extension not an array', appointment('a', { extension: { url: 'x' } }), 'Appointment.extension'],
    ['a url that is not text', appointment('a', { extension: [{ url: [] }] }), 'Appointment.extension[0].url'],
    ['serviceType not an array', appointment('a', { serviceType: 'cardiology' }), 'Appointment.serviceType'],
    ['coding not an array', appointment('a', { serviceType: [{ coding: 'x' }] }), 'Appointment.serviceType[0].coding'],
    ['a start in year +275760', appointment('a', { start: '+275760-09-13T00:00:00Z' }), 'Appointment.start'],
    ['a numeric start', appointment('a', { start: 1e308 }), 'Appointment.start'],
    ['February 30th', appointment('a', { start: '2026-02-30T08:00:00Z' }), 'Appointment.start'],
    [
      'a huge duration',
      appointment('a', { end: undefined, minutesDuration: 40_000_000 }),
      'Appointment.minutesDuration',
    ],
    ['a two-day appointment', appointment('a', { end: '2026-03-04T08:30:00+01:00' }), 'Appointment.end'],
    ['an id that is not a FHIR id', appointment('a b'), 'Appointment.id'],
    [
      'requestedPeriod not an array',
      appointment('a', { status: 'proposed', start: undefined, requestedPeriod: {} }),
      'Appointment.requestedPeriod',
    ],
  ])('%s is a bad field, never a crash', (_name, document, path) => {
    const result = read(document);
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.path)).toEqual([path]);
    expect(result.entries.every((e) => e.outcome !== 'appointment')).toBe(true);
  });

  it('refuses a document that is not a resource, and other resource types at the top', () => {
    expect(errorsOf('nope')).toEqual([{ path: '', type: 'structure' }]);
    expect(errorsOf({ resourceType: 'Patient' })).toEqual([{ path: 'Patient.resourceType', type: 'not-supported' }]);
    expect(errorsOf({ id: 'x' })).toEqual([{ path: 'resourceType', type: 'required' }]);
  });

  it('refuses more appointments than one document may hold', () => {
    const entry = Array.from({ length: APPOINTMENT_LIMITS.maxAppointments + 1 }, (_, i) => ({
      resource: appointment(`a${i}`),
    }));
    const result = read({ resourceType: 'Bundle', type: 'collection', entry });
    expect(result.issues[0]).toMatchObject({ severity: 'error', type: 'too-costly' });
  });
});

describe('the plain JSON form at its limits', () => {
  const plain = (extra: Record<string, unknown>) =>
    readAppointmentDocument({ appointments: [{ id: 'p1', start: '2026-03-02T08:00:00Z', durationMin: 30, ...extra }] });
  it.each([
    [{ start: 1e308 }, 'appointments[0].start'],
    [{ start: -1 }, 'appointments[0].start'],
    [{ start: '+275760-09-13T00:00:00.000Z' }, 'appointments[0].start'],
    [{ durationMin: 40_000_000 }, 'appointments[0].durationMin'],
    [{ id: 'x'.repeat(65) }, 'appointments[0].id'],
    [{ preferredKinds: 'ev', requiredKind: 7 }, 'appointments[0].requiredKind'],
    [{ preferredKinds: [null] }, 'appointments[0].preferredKinds'],
  ])('%j is refused at %s', (extra, path) => {
    expect(plain(extra).issues.map((i) => i.path)).toEqual([path]);
  });

  it('takes epoch milliseconds and a duration of exactly a day', () => {
    const result = plain({ start: Date.parse('2026-03-02T08:00:00Z'), durationMin: 1440 });
    expect(result.issues).toEqual([]);
    expect(result.entries[0]?.appointment?.endMs).toBe(Date.parse('2026-03-03T08:00:00Z'));
  });
});
