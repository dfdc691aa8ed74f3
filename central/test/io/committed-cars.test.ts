import { type Assignment, parseAppointments } from '@citybay/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationIdOf } from '../../src/core/appointment-day.js';
import type { SiteDefinition } from '../../src/core/site-definition.js';
import { createDayPlanner, type DayPlanner } from '../../src/io/day-planner.js';
import { planDriftedDay, SMALL_SITE } from '../helpers/drifted-day.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';

// Two near bays (P1) and a far lot (P2). Two long stays take P1 first; one then arrives, the other's arrival
// window begins; later two cars that weigh walking three times as much come for the same hours. Planned
// from scratch with everyone, P1 would go to the later two and the first two would be moved to P2 on paper.
const SITE: SiteDefinition = {
  ...SMALL_SITE,
  id: 'committed-site',
  lots: SMALL_SITE.lots.map((lot) => (lot.id === 'P1' ? { ...lot, capacity: { standard: 2 } } : lot)),
};
// The same with P1's two bays in two zones, so a bay freed in one zone cannot be handed out in the other.
const ZONED_SITE: SiteDefinition = {
  ...SITE,
  id: 'committed-zoned-site',
  lots: SITE.lots.map((lot) =>
    lot.id === 'P1'
      ? {
          ...lot,
          zones: [
            { id: 'A', capacity: { standard: 1 } },
            { id: 'B', capacity: { standard: 1 } },
          ],
        }
      : lot,
  ),
};
const SLOT_MS = 15 * 60_000;
// The near lot has bays to spare but a slow gate: floor(0.2 veh/min × 15 min × 0.85) = 2 cars per slot.
const GATE_SITE: SiteDefinition = {
  ...SMALL_SITE,
  id: 'committed-gate-site',
  lots: SMALL_SITE.lots.map((lot) =>
    lot.id === 'P1' ? { ...lot, capacity: { standard: 6 }, gateServiceVehPerMin: 0.2 } : lot,
  ),
};
const GATE_PER_SLOT = 2;
// One near bay: the drifted day (see helpers/drifted-day.ts) that a re-optimisation improves by moving `long` far.
const SET_OFF_SITE: SiteDefinition = { ...SMALL_SITE, id: 'set-off-site' };

let t: TestApp;
/** Another central instance on the same store: its allocator thread holds no day, so it plans from scratch. */
let otherInstance: DayPlanner;
beforeAll(async () => {
  t = await makeTestApp();
  await t.store.putSite(SITE, 0);
  await t.store.putSite(ZONED_SITE, 0);
  await t.store.putSite(SET_OFF_SITE, 0);
  await t.store.putSite(GATE_SITE, 0);
  otherInstance = createDayPlanner({ store: t.store, clock: t.clock });
  // Starts both allocator threads now (on days no test uses), so no test below pays for it.
  await submit(t.planner, '2027-01-01', [longStay('2027-01-01', 'warm-up', '09:00')]);
  await submit(otherInstance, '2027-01-02', [longStay('2027-01-02', 'warm-up', '09:00')]);
});
afterAll(async () => {
  await otherInstance.close();
  await t.close();
});

const dayStartOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const at = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00Z`);

async function submit(planner: DayPlanner, _date: string, appointments: object[], site = SITE) {
  const parsed = parseAppointments(JSON.stringify({ appointments }), 'test appointments');
  const result = await planner.planSubmission(site, parsed, { isAtomic: true });
  if (result.refused.length > 0) throw new Error(`refused: ${JSON.stringify(result.refused)}`);
  return parsed.map((a) => result.answers.get(a.id)!);
}

const longStay = (date: string, id: string, hhmm: string, extra: object = {}) => ({
  id,
  start: `${date}T${hhmm}:00Z`,
  durationMin: 180,
  ...extra,
});
const needy = (date: string, id: string) => ({
  id,
  start: `${date}T12:00:00Z`,
  durationMin: 60,
  preferredKinds: ['accessible'],
});

/**
 * Plans the day through `t.planner` up to the point where `parked` stands in P1 and `en-route`'s window
 * (from 11:10, its start less the 30-minute lead) has begun at 11:20, with `needy-1` and `needy-2` placed in P2 around them.
 */
async function planCommittedDay(date: string): Promise<Map<string, Assignment>> {
  t.clock.set(at(date, '10:50'));
  await submit(t.planner, date, [longStay(date, 'parked', '11:30'), longStay(date, 'en-route', '11:40')]);
  t.clock.set(at(date, '11:20'));
  await submit(t.planner, date, [longStay(date, 'parked', '11:30', { status: 'arrived' })]);
  await submit(t.planner, date, [needy(date, 'needy-1'), needy(date, 'needy-2')]);
  const stored = await t.store.getAppointmentDay(SITE.id, dayStartOf(date));
  const byId = new Map(stored?.assignments.map((a) => [a.appointmentId, a]));
  expect(byId.get('parked')).toMatchObject({ placed: true, lotId: 'P1' });
  expect(byId.get('en-route')).toMatchObject({ placed: true, lotId: 'P1' });
  return byId;
}

const placementOf = (a: Assignment | undefined) =>
  a && { lotId: a.lotId, zoneId: a.zoneId, kind: a.kind, arrivalWindow: a.arrivalWindow, holdUntilMs: a.holdUntilMs };

/** Bays of a kind in a zone of a site's lot (the whole lot for a lot without zones, zone ""). */
function capacityOf(site: SiteDefinition, lotId: string, zoneId: string, kind: string): number {
  const lot = site.lots.find((l) => l.id === lotId);
  const capacity = lot?.zones.length ? lot.zones.find((z) => z.id === zoneId)?.capacity : lot?.capacity;
  return capacity?.[kind as 'standard'] ?? 0;
}

/** Fails when some slot has more placed cars in a lot × zone × kind than the site has bays there. */
function expectNoDoubleBooking(assignments: readonly Assignment[], site = SITE): void {
  const held = new Map<string, number>();
  for (const a of assignments) {
    if (!a.placed) continue;
    for (let slotMs = a.arrivalWindow.fromMs; slotMs < a.holdUntilMs; slotMs += SLOT_MS) {
      const key = `${a.lotId}/${a.zoneId ?? ''}/${a.kind}/${slotMs}`;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of held) {
    const [lotId = '', zoneId = '', kind = ''] = key.split('/');
    expect(count, `${key}: cars held over bays`).toBeLessThanOrEqual(capacityOf(site, lotId, zoneId, kind));
  }
}

async function storedAssignments(date: string, site = SITE): Promise<Map<string, Assignment>> {
  const stored = await t.store.getAppointmentDay(site.id, dayStartOf(date));
  return new Map(stored?.assignments.map((a) => [a.appointmentId, a]));
}

async function reservationOf(appointmentId: string) {
  const directives = await t.store.getDirectives(SITE.id);
  return directives.reservations?.find((r) => r.reservationId === reservationIdOf(appointmentId));
}

describe('a day planned from scratch keeps committed cars where they are', () => {
  it('another instance re-optimising the day leaves the parked and the en-route car in their bays', async () => {
    const date = '2026-11-20';
    const before = await planCommittedDay(date);
    const result = await otherInstance.reoptimiseDay(SITE, dayStartOf(date));
    expect(result).toMatchObject({ isReplanned: true });
    const after = await storedAssignments(date);
    expect(placementOf(after.get('parked'))).toEqual(placementOf(before.get('parked')));
    expect(placementOf(after.get('en-route'))).toEqual(placementOf(before.get('en-route')));
    expect(after.get('needy-1')).toMatchObject({ placed: true, lotId: 'P2' });
    expectNoDoubleBooking([...after.values()]);
    expect(await reservationOf('parked')).toMatchObject({ lotId: 'P1', validFromMs: at(date, '11:00') });
    expect(await reservationOf('en-route')).toMatchObject({ lotId: 'P1', validFromMs: at(date, '11:10') });
  });

  it('a change that needs a re-plan (another end time) keeps them too', async () => {
    const date = '2026-11-21';
    const before = await planCommittedDay(date);
    await submit(t.planner, date, [{ ...needy(date, 'needy-2'), durationMin: 75 }]);
    const after = await storedAssignments(date);
    expect(placementOf(after.get('parked'))).toEqual(placementOf(before.get('parked')));
    expect(placementOf(after.get('en-route'))).toEqual(placementOf(before.get('en-route')));
    expectNoDoubleBooking([...after.values()]);
    expect(await reservationOf('en-route')).toMatchObject({ lotId: 'P1' });
  });

  it('nobody is planned into the zone of a parked car, though its lot has a bay free in another zone', async () => {
    const date = '2026-11-24';
    t.clock.set(at(date, '11:20'));
    await submit(t.planner, date, [longStay(date, 'parked', '11:30', { status: 'arrived' })], ZONED_SITE);
    await submit(t.planner, date, [needy(date, 'needy-1')], ZONED_SITE);
    const before = await storedAssignments(date, ZONED_SITE);
    expect(before.get('parked')).toMatchObject({ lotId: 'P1', zoneId: 'A' });
    await otherInstance.reoptimiseDay(ZONED_SITE, dayStartOf(date));
    const after = await storedAssignments(date, ZONED_SITE);
    expect(placementOf(after.get('parked'))).toEqual(placementOf(before.get('parked')));
    expect(after.get('needy-1')).toMatchObject({ lotId: 'P1', zoneId: 'B' });
    expectNoDoubleBooking([...after.values()], ZONED_SITE);
  });
});

describe('a day planned from scratch and the gates committed cars have still to pass', () => {
  it('plans into a gate slot only what the en-route cars leave of it; the parked car has passed already', async () => {
    const date = '2026-11-25';
    // Both pass the near gate in the 11:00 slot (the slot of their window's middle; a window starts at the start less
    // the 30-minute lead); one has parked by 11:05.
    t.clock.set(at(date, '10:50'));
    await submit(t.planner, date, [longStay(date, 'parked', '11:30'), longStay(date, 'en-route', '11:35')], GATE_SITE);
    t.clock.set(at(date, '11:05'));
    await submit(t.planner, date, [longStay(date, 'parked', '11:30', { status: 'arrived' })], GATE_SITE);
    const before = await storedAssignments(date, GATE_SITE);
    expect(before.get('en-route')).toMatchObject({ lotId: 'P1', arrivalWindow: { fromMs: at(date, '11:05') } });
    expect(before.get('parked')).toMatchObject({ lotId: 'P1', arrivalWindow: { fromMs: at(date, '11:00') } });
    // Two late bookings for the same gate slot, planned from scratch by the other instance.
    const late = [longStay(date, 'late-1', '11:31'), longStay(date, 'late-2', '11:36')];
    await submit(otherInstance, date, late, GATE_SITE);
    const after = await storedAssignments(date, GATE_SITE);
    expect(placementOf(after.get('en-route'))).toEqual(placementOf(before.get('en-route')));
    const planned = [after.get('late-1'), after.get('late-2')];
    expect(planned.map((a) => a?.arrivalWindow.fromMs)).toEqual([at(date, '11:01'), at(date, '11:06')]);
    // The en-route car and one late car fill the slot's two passages; the other late car goes far.
    expect(planned.map((a) => a?.lotId).sort()).toEqual(['P1', 'P2']);
    const stillToPass = [...after.values()].filter(
      (a) =>
        a.appointmentId !== 'parked' &&
        a.lotId === 'P1' &&
        Math.floor((a.arrivalWindow.fromMs + a.arrivalWindow.toMs) / 2 / SLOT_MS) === at(date, '11:00') / SLOT_MS,
    );
    expect(stillToPass).toHaveLength(GATE_PER_SLOT);
    expectNoDoubleBooking([...after.values()], GATE_SITE);
  });
});

describe('events about a car pinned by a plan from scratch', () => {
  it('checking in, a new start time and cancelling neither throw nor move it; a cancelled car frees its bay at the next plan from scratch', async () => {
    const date = '2026-11-23';
    const before = await planCommittedDay(date);
    await otherInstance.reoptimiseDay(SITE, dayStartOf(date));
    // The other instance now holds the day, with both cars pinned: these go to its allocator as events.
    const [checkedIn] = await submit(otherInstance, date, [
      longStay(date, 'parked', '11:30', { status: 'checked-in' }),
    ]);
    expect(checkedIn).toMatchObject({ placed: true, lotId: 'P1', arrivalWindow: { fromMs: at(date, '11:00') } });
    const [later] = await submit(otherInstance, date, [longStay(date, 'en-route', '12:10')]);
    expect(later).toMatchObject({ placed: true, lotId: 'P1', arrivalWindow: { fromMs: at(date, '11:10') } });
    expect(placementOf((await storedAssignments(date)).get('en-route'))).toEqual(placementOf(before.get('en-route')));

    const [cancelled] = await submit(otherInstance, date, [
      longStay(date, 'en-route', '12:10', { status: 'cancelled' }),
    ]);
    expect(cancelled).toMatchObject({ placed: false });
    expect(await reservationOf('en-route')).toBeUndefined();
    const afterCancel = await storedAssignments(date);
    // Conservative: its bay stays out of the plan until the day is planned from scratch again.
    expect(afterCancel.get('needy-1')).toMatchObject({ lotId: 'P2' });
    expect(afterCancel.get('needy-2')).toMatchObject({ lotId: 'P2' });
    expect(placementOf(afterCancel.get('parked'))).toEqual(placementOf(before.get('parked')));

    await t.planner.forgetDaysBefore(dayStartOf(date) + 1);
    await t.planner.reoptimiseDay(SITE, dayStartOf(date));
    const replanned = await storedAssignments(date);
    expect([replanned.get('needy-1')?.lotId, replanned.get('needy-2')?.lotId].sort()).toEqual(['P1', 'P2']);
    expect(placementOf(replanned.get('parked'))).toEqual(placementOf(before.get('parked')));
    expectNoDoubleBooking([...replanned.values()]);
  });
});

describe('a car whose arrival window has begun, on the instance that holds its day', () => {
  it('is not moved to something worse by a re-optimisation in the slot it sets off in', async () => {
    const date = '2026-11-18'; // the test clock's first day
    const before = t.clock.nowMs();
    // Earlier tests moved the clock on: the drifted day's cars must still be to come when it is planned.
    t.clock.set(Date.parse(`${date}T11:07:40Z`));
    await planDriftedDay(t.planner, SET_OFF_SITE, date);
    const assignmentOf = async (id: string) =>
      (await t.store.getAppointmentDay(SET_OFF_SITE.id, dayStartOf(date)))?.assignments.find(
        (a) => a.appointmentId === id,
      );
    const long = await assignmentOf('long');
    expect(long?.lotId).toBe('P1');
    // Its window has just begun: the allocator would still count it movable in this slot, were it not marked set off.
    t.clock.set(long!.arrivalWindow.fromMs);
    try {
      await t.planner.reoptimiseDay(SET_OFF_SITE, dayStartOf(date));
      expect((await assignmentOf('long'))?.lotId).toBe('P1');
    } finally {
      t.clock.set(before);
    }
  });
});
