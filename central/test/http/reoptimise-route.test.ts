import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import { planDriftedDay, SMALL_SITE } from '../helpers/drifted-day.js';
import { HOSPITAL_KEY, makeTestApp, OPERATOR_KEY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
// The day after the test clock: every car is still movable.
const DAY = '2026-11-19';
const DAY_START_MS = Date.parse(`${DAY}T00:00:00Z`);

beforeAll(async () => {
  t = await makeTestApp();
  await t.store.putSite(SMALL_SITE, 0);
  await planDriftedDay(t.planner, SMALL_SITE, DAY);
});
afterAll(() => t.close());

const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
const reoptimise = (query: string, headers: Record<string, string> = operator, siteId = SMALL_SITE.id) =>
  t.app.inject({ method: 'POST', url: `/v1/sites/${siteId}/appointments/reoptimise${query}`, headers });

const lotOfReservation = async (appointmentId: string) =>
  (await t.store.getDirectives(SMALL_SITE.id)).reservations?.find(
    (r) => r.reservationId === reservationIdOf(appointmentId),
  )?.lotId;

describe('POST /v1/sites/:siteId/appointments/reoptimise', () => {
  it('re-optimises the day: a new version, a lower objective, and the reservations follow', async () => {
    const before = await t.store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    expect(await lotOfReservation('long')).toBe('P1');
    const res = await reoptimise(`?date=${DAY}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      siteId: SMALL_SITE.id,
      date: DAY,
      version: before!.version + 1,
      changedAssignments: 3,
    });
    expect(body.objectiveAfterS).toBeLessThan(body.objectiveBeforeS);
    const after = await t.store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    expect(after?.version).toBe(body.version);
    expect(after?.assignments.find((a) => a.appointmentId === 'long')?.lotId).toBe('P2');
    expect(await lotOfReservation('long')).toBe('P2');
    expect(await lotOfReservation('short-1')).toBe('P1');
    expect(await lotOfReservation('short-2')).toBe('P1');
  });

  it('saves nothing when there is nothing left to gain', async () => {
    const directivesBefore = (await t.store.getDirectives(SMALL_SITE.id)).version;
    const stored = await t.store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    const res = await reoptimise(`?date=${DAY}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: stored!.version, changedAssignments: 0 });
    expect(body.objectiveAfterS).toBe(body.objectiveBeforeS);
    expect((await t.store.getDirectives(SMALL_SITE.id)).version).toBe(directivesBefore);
  });

  it('answers 404 naming the date when the day has no appointments', async () => {
    const res = await reoptimise('?date=2026-11-20');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'CB_HTTP_NOT_FOUND', path: 'querystring.date' });
    expect(res.json().message).toContain('2026-11-20');
  });

  it.each([
    ['a missing date', ''],
    ['a date in another form', '?date=19.11.2026'],
    ['a day that does not exist', '?date=2026-02-30'],
    ['a month that does not exist', '?date=2026-13-01'],
  ])('answers 400 naming querystring.date for %s', async (_name, query) => {
    const res = await reoptimise(query);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'querystring.date' });
  });

  it('answers 404 for an unknown site', async () => {
    const res = await reoptimise(`?date=${DAY}`, operator, 'no-such-site');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CB_SITE_UNKNOWN');
  });

  it.each([
    ['no key', {}],
    ['a key nobody holds', { authorization: 'Bearer cbk_not-a-key-anyone-holds-000000000000000000' }],
    ['a hospital key', { authorization: `Bearer ${HOSPITAL_KEY}` }],
  ])('needs an operator key: 401 with %s', async (_name, headers) => {
    const before = await t.store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS);
    const res = await reoptimise(`?date=${DAY}`, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CB_HTTP_UNAUTHORIZED');
    expect((await t.store.getAppointmentDay(SMALL_SITE.id, DAY_START_MS))?.version).toBe(before?.version);
  });

  it('is in the OpenAPI document as an operator route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const route = doc.paths['/v1/sites/{siteId}/appointments/reoptimise']?.post;
    expect(route?.tags).toEqual(['operator']);
    expect(route?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'date', in: 'query' })]));
  });
});

describe('GET /v1/sites/:siteId/appointments', () => {
  it('refuses a date that does not exist instead of reading a NaN day', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/sites/small-site/appointments?date=2026-02-30',
      headers: operator,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'querystring.date' });
  });
});
