import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARKING_ASSIGNMENT_URL } from '../../src/core/fhir-resources.js';
import { fhirSchemaErrors } from '../helpers/fhir-schema.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';
import { fhirAppointment } from '../helpers/fhir-appointment.js';
import { HOSPITAL_KEY, makeTestApp, type TestApp } from '../helpers/test-app.js';

// The R4 specification's own examples (verbatim; see their README for the source).
const fixtures = new URL('../../../sim/test/appointments/fixtures/fhir-r4/', import.meta.url);
const exampleText = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');
/** An example moved from its date in 2013 or 2016 to `date` (the test clock is 2026-11-18 11:07 UTC). */
const example = (name: string, from?: string, to?: string): Record<string, unknown> =>
  JSON.parse(from === undefined ? exampleText(name) : exampleText(name).replaceAll(from, to!)) as Record<
    string,
    unknown
  >;

const TOMORROW = '2026-11-19';
const FHIR = 'application/fhir+json';
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  // The spec examples' Location/1 is the site's main entrance.
  const definition = siteDefinitionFor(sampleSite());
  definition.entrances[0]!.fhirLocations = ['Location/1'];
  await t.store.putSite(definition, 0);
});
afterAll(() => t.close());

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/appointments',
    headers: { authorization: `Bearer ${HOSPITAL_KEY}`, 'content-type': FHIR, accept: FHIR, ...headers },
    payload: JSON.stringify(payload),
  });

function expectValidFhir(body: unknown): void {
  expect(fhirSchemaErrors(body), JSON.stringify(fhirSchemaErrors(body)).slice(0, 1500)).toEqual([]);
}

const storedDay = (date: string) => t.store.getAppointmentDay('hospital-north', Date.parse(`${date}T00:00:00Z`));
const assignmentOf = (resource: { extension?: Array<{ url: string; extension?: Array<Record<string, unknown>> }> }) =>
  Object.fromEntries(
    (resource.extension?.find((e) => e.url === PARKING_ASSIGNMENT_URL)?.extension ?? []).map((part) => [
      part.url,
      Object.entries(part).find(([key]) => key.startsWith('value'))?.[1],
    ]),
  );

describe('GET /metadata', () => {
  it('is an R4 CapabilityStatement that the R4 schema accepts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.json()).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    expectValidFhir(res.json());
  });
});

describe('the R4 specification examples on POST /v1/appointments', () => {
  it('plans appointment-example.json (moved to tomorrow) and answers the Appointment with its assignment', async () => {
    const res = await post(example('appointment-example.json', '2013-12-10', TOMORROW), {
      'content-type': `${FHIR}; fhirVersion=4.0`,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const body = res.json();
    expect(body).toMatchObject({ resourceType: 'Appointment', id: 'example', status: 'booked' });
    expect(assignmentOf(body)).toMatchObject({ placed: true, lot: expect.stringMatching(/^P[12]$/), kind: 'standard' });
    // The patient's page and its QR code, for the hospital to send on.
    expect(assignmentOf(body)).toMatchObject({
      outcome: 'bay',
      driverLink: expect.stringMatching(/\/d\/[A-Za-z0-9_-]{22}$/),
      driverLinkQrCode: expect.stringMatching(/\/d\/[A-Za-z0-9_-]{22}\/qr\.svg$/),
    });
    expectValidFhir(body);
    expect((await storedDay(TOMORROW))?.appointments.map((a) => a.id)).toContain('example');
    // Sent again unchanged, it is an update (200), not a create.
    expect((await post(example('appointment-example.json', '2013-12-10', TOMORROW))).statusCode).toBe(200);
  });

  it('refuses appointment-example.json as it is (2013): OperationOutcome at Appointment.start, nothing stored', async () => {
    const res = await post(example('appointment-example.json'));
    expect(res.statusCode).toBe(422);
    const outcome = res.json();
    expect(outcome.issue).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'business-rule',
        expression: ['Appointment.start'],
        details: expect.objectContaining({ coding: [expect.objectContaining({ code: 'CB_APPOINTMENTS_PAST' })] }),
      }),
    ]);
    expectValidFhir(outcome);
    expect(await storedDay('2013-12-10')).toBeUndefined();
  });

  it('plans appointment-example2doctors.json moved to tomorrow', async () => {
    const res = await post(example('appointment-example2doctors.json', '2013-12-09', TOMORROW));
    expect(res.statusCode, res.body).toBe(201);
    expectValidFhir(res.json());
  });

  it('refuses appointment-example-request.json (a requested week), and plans a proposed day on its period', async () => {
    const week = await post(example('appointment-example-request.json'));
    expect(week.statusCode).toBe(400);
    expect(week.json().issue[0].expression).toEqual(['Appointment.requestedPeriod[0].end']);
    expectValidFhir(week.json());
    const request = example('appointment-example-request.json');
    request.requestedPeriod = [{ start: `${TOMORROW}T13:00:00Z`, end: `${TOMORROW}T14:00:00Z` }];
    const res = await post(request);
    expect(res.statusCode, res.body).toBe(201);
    const window = assignmentOf(res.json()).arrivalWindow as { start: string };
    expect(Date.parse(window.start)).toBeLessThan(Date.parse(`${TOMORROW}T13:00:00Z`));
    expect((await storedDay(TOMORROW))?.appointments.find((a) => a.id === 'examplereq')).toMatchObject({
      status: 'proposed',
      startMs: Date.parse(`${TOMORROW}T13:00:00Z`),
      endMs: Date.parse(`${TOMORROW}T14:00:00Z`),
    });
  });
});

describe('EHR-shaped Bundles', () => {
  it('answers a transaction with Patient entries with a transaction-response, entry for entry', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: { resourceType: 'Patient', name: [{ family: 'Chalmers', given: ['Peter'] }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:4a8e6f7d-9a4c-4c11-9a0e-6b0b3a2e1f10',
          resource: {
            ...fhirAppointment('t1', `${TOMORROW}T10:00:00Z`, {
              participant: [
                { actor: { reference: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' }, status: 'accepted' },
              ],
            }),
          },
          request: { method: 'PUT', url: 'Appointment/t1' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json();
    expect(bundle.type).toBe('transaction-response');
    expect(bundle.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual([
      '200 OK',
      '201 Created',
    ]);
    expect(assignmentOf(bundle.entry[1].resource).placed).toBe(true);
    expectValidFhir(bundle);
  });

  it('answers a searchset with _included Patients with a collection of the answered Appointments', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      entry: [
        {
          fullUrl: 'https://ehr.example/fhir/Appointment/s1',
          resource: fhirAppointment('s1', `${TOMORROW}T10:15:00Z`),
          search: { mode: 'match' },
        },
        {
          fullUrl: 'https://ehr.example/fhir/Patient/s1',
          resource: { resourceType: 'Patient', id: 's1' },
          search: { mode: 'include' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json();
    expect(bundle.type).toBe('collection');
    expect(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'Appointment',
      'OperationOutcome',
    ]);
    expectValidFhir(bundle);
  });

  it('answers a batch entry by entry: a past one refused, the others planned', async () => {
    const res = await post({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        {
          resource: fhirAppointment('b-past', '2026-11-17T09:00:00Z'),
          request: { method: 'PUT', url: 'Appointment/b-past' },
        },
        {
          resource: fhirAppointment('b-ok', `${TOMORROW}T11:00:00Z`),
          request: { method: 'PUT', url: 'Appointment/b-ok' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json();
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry[0].response).toMatchObject({
      status: '422 Unprocessable Entity',
      outcome: { issue: [expect.objectContaining({ expression: ['Bundle.entry[0].resource.start'] })] },
    });
    expect(bundle.entry[1].response.status).toBe('201 Created');
    expectValidFhir(bundle);
    const ids = (await storedDay(TOMORROW))?.appointments.map((a) => a.id);
    expect(ids).toContain('b-ok');
    expect(await storedDay('2026-11-17')).toBeUndefined();
  });

  it('stores nothing of a transaction whose second day is bad, and names every bad entry', async () => {
    const directivesBefore = (await t.store.getDirectives('hospital-north')).version;
    const res = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: fhirAppointment('d1', '2026-11-20T09:00:00Z'), request: { method: 'PUT', url: 'Appointment/d1' } },
        {
          resource: fhirAppointment('d2', '2026-11-21T09:00:00Z', { participant: [{ actor: { reference: 7 } }] }),
          request: { method: 'PUT', url: 'Appointment/d2' },
        },
        {
          resource: fhirAppointment('d3', '2026-11-21T10:00:00Z', { minutesDuration: 40_000_000 }),
          request: { method: 'PUT', url: 'Appointment/d3' },
        },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issue.map((i: { expression: string[] }) => i.expression[0])).toEqual([
      'Bundle.entry[1].resource.participant[0].actor.reference',
      'Bundle.entry[2].resource.minutesDuration',
    ]);
    expectValidFhir(res.json());
    expect(await storedDay('2026-11-20')).toBeUndefined();
    expect(await storedDay('2026-11-21')).toBeUndefined();
    expect((await t.store.getDirectives('hospital-north')).version).toBe(directivesBefore);
  });
});

describe('FHIR errors', () => {
  it.each([
    ['a Bundle with a null entry', { resourceType: 'Bundle', entry: [null] }, {}, 400, 'Bundle.entry[0]'],
    [
      'fhirVersion 3.0',
      fhirAppointment('v3', `${TOMORROW}T10:00:00Z`),
      { 'content-type': `${FHIR}; fhirVersion=3.0` },
      415,
      undefined,
    ],
    ['no API key', fhirAppointment('k', `${TOMORROW}T10:00:00Z`), { authorization: '' }, 401, undefined],
    ['a Patient', { resourceType: 'Patient', id: 'p' }, {}, 400, 'Patient.resourceType'],
    ['malformed JSON', '{"resourceType": "Appointment",', {}, 400, undefined],
  ])('%s gets an OperationOutcome (%#)', async (_name, payload, headers, status, expression) => {
    const res =
      typeof payload === 'string'
        ? await t.app.inject({
            method: 'POST',
            url: '/v1/appointments',
            headers: { authorization: `Bearer ${HOSPITAL_KEY}`, 'content-type': FHIR, accept: FHIR },
            payload,
          })
        : await post(payload, headers);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const outcome = res.json();
    expect(outcome.resourceType).toBe('OperationOutcome');
    if (expression !== undefined) expect(outcome.issue[0].expression).toEqual([expression]);
    expectValidFhir(outcome);
  });

  it('answers the plain JSON error shape with every issue when FHIR is not asked for', async () => {
    const res = await post(
      {
        appointments: [
          { id: 'j1', start: `${TOMORROW}T09:00:00Z`, durationMin: 30 },
          { id: 'j2', start: 1e308, durationMin: 30 },
        ],
      },
      { 'content-type': 'application/json', accept: 'application/json' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_APPOINTMENT_INVALID', path: 'appointments[1].start' });
    expect(res.json().issues).toHaveLength(1);
    expect((await storedDay(TOMORROW))?.appointments.map((a) => a.id)).not.toContain('j1');
  });
});
