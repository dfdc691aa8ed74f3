import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import { HOSPITAL_KEY, makeTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const hospital = { authorization: `Bearer ${HOSPITAL_KEY}` };
const [DAY1, DAY2] = ['2026-11-19', '2026-11-20'];
const plain = (id: string, start: string) => ({ id, start, durationMin: 30, participantRef: `Patient/${id}` });
const post = (appointments: object[]) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/appointments?siteId=hospital-north',
    headers: hospital,
    payload: { appointments },
  });
const idsOn = async (date: string): Promise<string[]> => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/sites/hospital-north/appointments?date=${date}`,
    headers: hospital,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().appointments.map((a: { appointmentId: string }) => a.appointmentId);
};
const reservationsOf = async (appointmentId: string) =>
  ((await t.store.getDirectives('hospital-north')).reservations ?? []).filter(
    (r) => r.reservationId === reservationIdOf(appointmentId),
  );

describe('an appointment the hospital moves to another day', () => {
  it('leaves the day it was on, with its reservation, and its driver link follows it', async () => {
    const first = await post([plain('mv', `${DAY1}T09:00:00Z`), plain('stays', `${DAY1}T09:00:00Z`)]);
    expect(first.statusCode, first.body).toBe(200);
    const link = first.json().appointments[0].driverLink.url as string;
    const token = link.split('/d/')[1];

    const moved = await post([plain('mv', `${DAY2}T10:00:00Z`)]);
    expect(moved.statusCode, moved.body).toBe(200);
    const answer = moved.json().appointments[0];
    expect(answer).toMatchObject({ appointmentId: 'mv', placed: true });
    expect(answer.arrivalWindow.from.slice(0, 10)).toBe(DAY2);
    expect(await idsOn(DAY1)).toEqual(['stays']);
    expect(await idsOn(DAY2)).toEqual(['mv']);
    // One reservation, for the new day.
    const reservations = await reservationsOf('mv');
    expect(reservations).toHaveLength(1);
    expect(new Date(Number(reservations[0]!.validFromMs)).toISOString().slice(0, 10)).toBe(DAY2);
    expect(await reservationsOf('stays')).toHaveLength(1);
    // The link the patient was sent shows the new plan.
    const view = await t.app.inject({ method: 'GET', url: `/v1/driver/${token}` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().arrivalWindow.fromMs).toBe(answer.arrivalWindow.fromMs);

    // And back: the second day is left empty.
    const back = await post([plain('mv', `${DAY1}T11:00:00Z`)]);
    expect(back.statusCode, back.body).toBe(200);
    expect((await idsOn(DAY1)).sort()).toEqual(['mv', 'stays']);
    expect(await idsOn(DAY2)).toEqual([]);
    const again = await reservationsOf('mv');
    expect(again).toHaveLength(1);
    expect(new Date(Number(again[0]!.validFromMs)).toISOString().slice(0, 10)).toBe(DAY1);
  });
});
