import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { FHIR_PARKING } from '../../src/appointments/fhir-appointments.js';
import { parseAppointments } from '../../src/appointments/parse-appointments.js';

function fhirAppointment(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Appointment',
    id,
    status: 'booked',
    start: '2026-03-02T08:30:00+01:00',
    minutesDuration: 45,
    serviceType: [{ text: 'Paediatric cardiology' }],
    participant: [
      { actor: { reference: 'Patient/p-17' }, status: 'accepted' },
      { actor: { reference: 'Location/east' }, status: 'accepted' },
    ],
    ...extra,
  };
}

function failure(run: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    run();
  } catch (err) {
    if (isCitybayError(err)) return { code: err.code, path: err.path, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('parseAppointments — FHIR R4', () => {
  it('maps start, duration, participant, entrance and needs from a Bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: fhirAppointment('a1', {
            extension: [
              { url: FHIR_PARKING.requiredKindUrl, valueCode: 'accessible' },
              { url: FHIR_PARKING.originZoneUrl, valueString: 'north' },
            ],
          }),
        },
        {
          resource: fhirAppointment('a2', {
            minutesDuration: undefined,
            end: '2026-03-02T09:00:00Z',
            appointmentType: {
              coding: [
                { system: FHIR_PARKING.needCodeSystem, code: 'family-preferred' },
                { system: FHIR_PARKING.needCodeSystem, code: 'ev-preferred' },
              ],
            },
            participant: [],
          }),
        },
      ],
    };
    const [a1, a2] = parseAppointments(JSON.stringify(bundle), 'day.json', undefined, {
      locationEntrances: { 'Location/east': 'east' },
    });
    expect(a1).toEqual({
      id: 'a1',
      startMs: Date.parse('2026-03-02T07:30:00Z'),
      endMs: Date.parse('2026-03-02T08:15:00Z'),
      status: 'booked',
      entranceId: 'east',
      needs: { requiredKind: 'accessible', preferredKinds: [] },
      serviceType: 'Paediatric cardiology',
      originZoneId: 'north',
      participantRef: 'Patient/p-17',
    });
    expect(a2?.endMs).toBe(Date.parse('2026-03-02T09:00:00Z'));
    expect(a2?.needs).toEqual({ preferredKinds: ['family', 'ev'] });
    expect(a2?.entranceId).toBe('main');
  });

  it('leaves out entries of other resource types', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }, { resource: fhirAppointment('a1') }],
    };
    expect(parseAppointments(JSON.stringify(bundle), 'day.json').map((a) => a.id)).toEqual(['a1']);
  });

  it('names the entry and field of a bad one with its FHIRPath', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: fhirAppointment('a1') }, { resource: fhirAppointment('a2', { status: 'maybe' }) }],
    };
    const err = failure(() => parseAppointments(JSON.stringify(bundle), 'day.json'));
    expect(err.code).toBe('CB_APPOINTMENT_INVALID');
    expect(err.path).toBe('Bundle.entry[1].resource.status');
    expect(err.message).toContain('"maybe"');
  });

  it('rejects an appointment without a start', () => {
    const err = failure(() =>
      parseAppointments(
        JSON.stringify([fhirAppointment('a1'), fhirAppointment('a9', { start: undefined })]),
        'day.json',
        'fhir',
      ),
    );
    expect(err.path).toBe('[1].start');
    expect(err.message).toContain('id "a9"');
  });

  it('rejects an unknown bay kind in an extension or a need coding', () => {
    const ext = failure(() =>
      parseAppointments(
        JSON.stringify(
          fhirAppointment('a1', { extension: [{ url: FHIR_PARKING.preferredKindUrl, valueCode: 'limo' }] }),
        ),
        'one.json',
      ),
    );
    expect(ext.path).toBe('Appointment.extension[0].valueCode');
    expect(ext.message).toContain('"limo"');
    const coded = failure(() =>
      parseAppointments(
        JSON.stringify(
          fhirAppointment('a1', {
            serviceType: [{ coding: [{ system: FHIR_PARKING.needCodeSystem, code: 'limo-required' }] }],
          }),
        ),
        'one.json',
      ),
    );
    expect(coded.path).toBe('Appointment.serviceType[0].coding[0].code');
  });

  it('rejects a missing end and duration, an end before start and an unknown status', () => {
    expect(
      failure(() => parseAppointments(JSON.stringify(fhirAppointment('a1', { minutesDuration: undefined })), 'x.json'))
        .path,
    ).toBe('Appointment.end');
    expect(
      failure(() => parseAppointments(JSON.stringify(fhirAppointment('a1', { end: '2026-03-02T06:00:00Z' })), 'x.json'))
        .path,
    ).toBe('Appointment.end');
    expect(
      failure(() => parseAppointments(JSON.stringify(fhirAppointment('a1', { status: 'maybe' })), 'x.json')).path,
    ).toBe('Appointment.status');
  });
});

describe('parseAppointments — plain JSON', () => {
  it('reads the plain form with defaults', () => {
    const list = parseAppointments(
      JSON.stringify({
        appointments: [
          {
            id: 'b1',
            start: '2026-03-02T08:00:00Z',
            durationMin: 30,
            requiredKind: 'accessible',
            preferredKinds: ['ev'],
            entranceId: 'west',
          },
          { id: 2, start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
        ],
      }),
      'day.json',
    );
    expect(list).toEqual([
      {
        id: 'b1',
        startMs: Date.parse('2026-03-02T08:00:00Z'),
        endMs: Date.parse('2026-03-02T08:30:00Z'),
        status: 'booked',
        entranceId: 'west',
        needs: { requiredKind: 'accessible', preferredKinds: ['ev'] },
      },
      {
        id: '2',
        startMs: Date.parse('2026-03-02T09:00:00Z'),
        endMs: Date.parse('2026-03-02T10:00:00Z'),
        status: 'booked',
        entranceId: 'main',
        needs: { preferredKinds: [] },
      },
    ]);
  });

  it('names the item and field of a bad value, and rejects unknown fields and duplicates', () => {
    const kind = failure(() =>
      parseAppointments(
        JSON.stringify([{ id: 'b1', start: '2026-03-02T08:00:00Z', durationMin: 30, requiredKind: 'truck' }]),
        'day.json',
      ),
    );
    expect(kind).toMatchObject({ code: 'CB_APPOINTMENT_INVALID', path: '[0].requiredKind' });
    expect(kind.message).toContain('id "b1"');
    const start = failure(() => parseAppointments(JSON.stringify([{ id: 'b1', durationMin: 30 }]), 'day.json'));
    expect(start.path).toBe('[0].start');
    const noZone = failure(() =>
      parseAppointments(JSON.stringify([{ id: 'b1', start: '2026-03-02T08:00:00', durationMin: 30 }]), 'day.json'),
    );
    expect(noZone.path).toBe('[0].start');
    const typo = failure(() =>
      parseAppointments(
        JSON.stringify([{ id: 'b1', start: '2026-03-02T08:00:00Z', durationMin: 30, requiredkind: 'ev' }]),
        'day.json',
      ),
    );
    expect(typo.path).toBe('[0].requiredkind');
    const dup = failure(() =>
      parseAppointments(
        JSON.stringify([
          { id: 'b1', start: '2026-03-02T08:00:00Z', durationMin: 30 },
          { id: 'b1', start: '2026-03-02T08:00:00Z', durationMin: 30 },
        ]),
        'day.json',
      ),
    );
    expect(dup.path).toBe('[1].id');
    expect(failure(() => parseAppointments('{ nope', 'day.json')).code).toBe('CB_APPOINTMENT_INVALID');
  });
});

describe('parseAppointments — CSV', () => {
  it('reads rows with quoted cells and pipe-separated preferred kinds', () => {
    const csv =
      'id,start,durationMin,requiredKind,preferredKinds,serviceType\r\nc1,2026-03-02T08:00:00Z,20,,family|ev,"Bloods, fasting"\r\n\r\nc2,2026-03-02T08:15:00Z,60,accessible,,\r\n';
    const list = parseAppointments(csv, 'day.csv');
    expect(list).toHaveLength(2);
    expect(list[0]?.needs).toEqual({ preferredKinds: ['family', 'ev'] });
    expect(list[0]?.serviceType).toBe('Bloods, fasting');
    expect(list[1]?.needs).toEqual({ requiredKind: 'accessible', preferredKinds: [] });
  });

  it('names the line and column of a bad cell or header', () => {
    const err = failure(() =>
      parseAppointments('id,start,durationMin\nc1,2026-03-02T08:00:00Z,20\nc2,,20\n', 'day.csv'),
    );
    expect(err.path).toBe('line 3.start');
    expect(err.message).toContain('id "c2"');
    expect(failure(() => parseAppointments('id,begin\nc1,x\n', 'day.csv')).path).toBe('line 1, column 2');
    expect(
      failure(() => parseAppointments('id,start,preferredKinds\nc1,2026-03-02T08:00:00Z,"ev|pony"\n', 'day.csv', 'csv'))
        .path,
    ).toBe('line 2.end');
    expect(
      failure(() =>
        parseAppointments('id,start,durationMin,preferredKinds\nc1,2026-03-02T08:00:00Z,5,ev|pony\n', 'day.csv'),
      ).path,
    ).toBe('line 2.preferredKinds[1]');
  });
});
