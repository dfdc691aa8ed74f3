import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import { fhirAppointment } from '../helpers/fhir-appointment.js';
import { HOSPITAL_KEY, makeTestApp, OPERATOR_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const hospital = { authorization: `Bearer ${HOSPITAL_KEY}` };
// 2026-11-19, the day after T0: appointments from 09:00 UTC.
const DAY = '2026-11-19';
const at = (hhmm: string) => `${DAY}T${hhmm}:00Z`;

const post = (payload: unknown, headers: Record<string, string> = hospital) =>
  t.app.inject({ method: 'POST', url: '/v1/appointments', headers, payload: payload as object });

describe('POST /v1/appointments', () => {
  it('needs a hospital API key', async () => {
    const res = await post({ resourceType: 'Bundle', entry: [] }, {});
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CB_HTTP_UNAUTHORIZED');
    const operator = await post({ resourceType: 'Bundle', entry: [] }, { authorization: `Bearer ${OPERATOR_KEY}` });
    expect(operator.statusCode).toBe(401);
  });

  it('assigns each appointment of a FHIR Bundle a lot, zone, kind, arrival window and route, as reservations', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: ['a1', 'a2', 'a3'].map((id, i) => ({
        resource: fhirAppointment(id, at(`09:${String(i * 15).padStart(2, '0')}`)),
      })),
    };
    const res = await post(bundle);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.siteId).toBe('hospital-north');
    expect(body.appointments).toHaveLength(3);
    for (const answer of body.appointments) {
      expect(answer).toMatchObject({
        placed: true,
        lotId: expect.stringMatching(/^P[12]$/),
        zoneId: expect.any(String),
      });
      expect(answer.kind).toBe('standard');
      expect(answer.arrivalWindow.fromMs).toBeLessThan(Date.parse(at('09:30')) + 1);
      expect(answer.routeText).toContain(answer.lotName);
    }
    const directives = await t.store.getDirectives('hospital-north');
    expect(directives.reservations?.map((r) => r.reservationId).sort()).toEqual(
      ['a1', 'a2', 'a3'].map(reservationIdOf).sort(),
    );
  });

  it('re-plans on a cancellation and drops that reservation', async () => {
    const res = await post(fhirAppointment('a2', at('09:15'), { status: 'cancelled' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().appointments[0]).toMatchObject({ appointmentId: 'a2', status: 'cancelled', placed: false });
    const ids = (await t.store.getDirectives('hospital-north')).reservations?.map((r) => r.reservationId);
    expect(ids).not.toContain(reservationIdOf('a2'));
    expect(ids).toContain(reservationIdOf('a1'));
  });

  it('takes the plain JSON form and honours a required bay kind', async () => {
    const res = await post({
      appointments: [{ id: 'p1', start: at('10:00'), durationMin: 45, requiredKind: 'accessible', entranceId: 'main' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().appointments[0]).toMatchObject({ appointmentId: 'p1', placed: true, kind: 'accessible' });
  });

  it('answers a resubmission unchanged without a new plan', async () => {
    const before = await t.store.getAppointmentDay('hospital-north', Date.parse(`${DAY}T00:00:00Z`));
    const res = await post(fhirAppointment('a1', at('09:00')));
    expect(res.json().appointments[0]).toMatchObject({ appointmentId: 'a1', placed: true });
    const after = await t.store.getAppointmentDay('hospital-north', Date.parse(`${DAY}T00:00:00Z`));
    expect(after?.version).toBe(before?.version);
  });

  it('names the bad field of an invalid appointment', async () => {
    const res = await post({
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'Appointment', id: 'x', status: 'booked' } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_APPOINTMENT_INVALID', path: 'Bundle.entry[0].resource.start' });
  });

  it('lists the day with its assignments', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/hospital-north/appointments?date=${DAY}`,
      headers: hospital,
    });
    expect(res.statusCode).toBe(200);
    const ids = res
      .json()
      .appointments.map((a: { appointmentId: string }) => a.appointmentId)
      .sort();
    expect(ids).toEqual(['a1', 'a2', 'a3', 'p1']);
  });
});
