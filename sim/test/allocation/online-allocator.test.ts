import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/allocation/allocate.js';
import type { AllocationDay, Assignment } from '../../src/allocation/allocation-types.js';
import { createOnlineAllocator, type OnlineAllocator } from '../../src/allocation/online-allocator.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import { checkPlanFeasible } from './plan-check.js';

function all(day: AllocationDay, online: OnlineAllocator, extraIds: string[] = []): Assignment[] {
  return [...day.appointments.map((a) => a.id), ...extraIds].map((id) => online.assignment(id) as Assignment);
}

/** Every bay and gate limit holds for the plan as it stands; nobody arrives at a closed lot from `closed`. */
function checkFeasible(
  day: AllocationDay,
  assignments: Assignment[],
  closed?: { lotId: string; fromMs: number },
): void {
  checkPlanFeasible(day, {}, assignments);
  for (const a of assignments)
    if (closed !== undefined && a.placed && a.lotId === closed.lotId)
      expect(a.arrivalWindow.fromMs).toBeLessThan(closed.fromMs);
}

describe('createOnlineAllocator', () => {
  const day = syntheticDay(21, { appointmentCount: 600, capacityScale: 0.3, gateScale: 0.4 });
  const at = (hh: number, mm = 0): number => day.dayStartMs + (hh * 60 + mm) * 60_000;

  it('starts from the offline plan', () => {
    const online = createOnlineAllocator(day);
    expect(online.objectiveS()).toBeCloseTo(allocate(day).summary.objectiveS, 6);
    expect(online.initialPlan.assignments).toHaveLength(600);
  });

  it('gives a cancelled bay back and never makes the plan worse for it', () => {
    const online = createOnlineAllocator(day);
    const before = online.objectiveS();
    const victim =
      day.appointments.find((a) => a.startMs > at(10) && online.assignment(a.id)?.placed) ?? day.appointments[0];
    const update = online.onEvent({ type: 'cancelled', appointmentId: victim?.id ?? '', atMs: at(7) });
    expect(update.released).toEqual([victim?.id]);
    expect(update.changed[0]).toMatchObject({ appointmentId: victim?.id, placed: false });
    expect(update.objectiveS).toBeLessThanOrEqual(
      before - (online.initialPlan.assignments.find((a) => a.appointmentId === victim?.id)?.cost.totalS ?? 0) + 1e-6,
    );
    checkFeasible(day, all(day, online));
  });

  it('places new appointments within every bay and gate limit', () => {
    const online = createOnlineAllocator(day);
    const ids: string[] = [];
    for (let k = 0; k < 80; k++) {
      const template = day.appointments[k * 7] ?? day.appointments[0];
      if (template === undefined) throw new Error('no template');
      const id = `walk-in-${k}`;
      ids.push(id);
      const update = online.onEvent({ type: 'new-appointment', appointment: { ...template, id }, atMs: at(6) });
      expect(update.changed[0]?.appointmentId).toBe(id);
    }
    checkFeasible(day, all(day, online, ids));
    expect(ids.some((id) => online.assignment(id)?.placed)).toBe(true);
  });

  it('moves planned cars off a closing lot, keeps parked ones and keeps cars en route on their promise', () => {
    const online = createOnlineAllocator(day);
    const closeAt = at(9);
    const onP1 = day.appointments.filter((a) => online.assignment(a.id)?.lotId === 'P1');
    const parked = onP1.find((a) => (online.assignment(a.id)?.arrivalWindow.fromMs ?? 0) < closeAt);
    if (parked !== undefined) online.onEvent({ type: 'parked', appointmentId: parked.id, atMs: closeAt - 60_000 });
    // Cars on other lots set off; whatever P1's closing does, they must not end up worse.
    const enRoute = day.appointments
      .filter((a) => online.assignment(a.id)?.placed && online.assignment(a.id)?.lotId !== 'P1')
      .slice(0, 150);
    const promised = new Map(enRoute.map((a) => [a.id, online.assignment(a.id)?.cost.totalS ?? 0]));
    for (const a of enRoute) online.onEvent({ type: 'en-route', appointmentId: a.id, atMs: closeAt - 60_000 });
    const update = online.onEvent({ type: 'lot-closed', lotId: 'P1', atMs: closeAt });
    expect(update.changed.length).toBeGreaterThan(0);
    for (const a of update.changed) expect(a.lotId).not.toBe('P1');
    if (parked !== undefined) expect(online.assignment(parked.id)?.lotId).toBe('P1');
    for (const [id, cost] of promised) expect(online.assignment(id)?.cost.totalS).toBeLessThanOrEqual(cost + 1e-9);
    checkFeasible(day, all(day, online), { lotId: 'P1', fromMs: closeAt });
  });

  it('keeps a late car on its bay when it still fits and releases a no-show after the grace time', () => {
    const online = createOnlineAllocator(day, { noShowGraceMin: 30 });
    const car =
      day.appointments.find((a) => online.assignment(a.id)?.placed && a.startMs > at(13)) ?? day.appointments[0];
    const id = car?.id ?? '';
    const before = online.assignment(id);
    const late = online.onEvent({
      type: 'arrival-changed',
      appointmentId: id,
      expectedArrivalMs: (before?.arrivalWindow.fromMs ?? 0) + 15 * 60_000,
      atMs: at(12),
    });
    expect(late.changed[0]?.lotId).toBe(before?.lotId);
    // The window is centred on the reported arrival.
    const window = late.changed[0]?.arrivalWindow;
    const expected = (before?.arrivalWindow.fromMs ?? 0) + 15 * 60_000;
    expect(((window?.fromMs ?? 0) + (window?.toMs ?? 0)) / 2).toBe(expected);
    const noShowAt = (late.changed[0]?.arrivalWindow.toMs ?? 0) + 15 * 60_000;
    const update = online.onEvent({ type: 'no-show', appointmentId: id, atMs: noShowAt });
    expect(update.released).toEqual([id]);
    expect(update.changed[0]?.holdUntilMs).toBeGreaterThanOrEqual(noShowAt + 30 * 60_000 - 15 * 60_000);
    checkFeasible(day, all(day, online));
  });

  it('offers a moved appointment every window its allowance gives around the new time, as a booking would', () => {
    const options = { arrivalShift: { earlierMin: 30 } };
    const moving = day.appointments.filter((a) => a.startMs >= at(11));
    const movedTo = (a: (typeof moving)[number]) => ({
      ...a,
      startMs: at(8, 30),
      endMs: at(8, 30) + a.endMs - a.startMs,
    });
    const hospitalMoves = createOnlineAllocator(day, options);
    const carsReport = createOnlineAllocator(day, options);
    for (const a of moving) {
      const next = movedTo(a);
      const [changed] = hospitalMoves.onEvent({ type: 'appointment-changed', appointment: next, atMs: at(6) }).changed;
      expect(changed?.appointmentId).toBe(a.id);
      // Into the morning peak's full gates: as a booking would, it may be asked to come up to 30 min earlier.
      const nominalFromMs = next.startMs - 30 * 60_000;
      expect(changed!.arrivalWindow.fromMs - changed!.arrivalShiftMin * 60_000).toBe(nominalFromMs);
      expect(changed!.holdUntilMs).toBeGreaterThanOrEqual(changed!.placed ? next.endMs : 0);
      carsReport.onEvent({
        type: 'arrival-changed',
        appointmentId: a.id,
        expectedArrivalMs: nominalFromMs + 7.5 * 60_000,
        atMs: at(6),
      });
    }
    const shifted = moving.filter((a) => (hospitalMoves.assignment(a.id)?.arrivalShiftMin ?? 0) < 0);
    expect(shifted.length).toBeGreaterThan(0);
    // A reported arrival is not moved: the same cars given only that window are served worse.
    for (const a of moving) {
      const reported = carsReport.assignment(a.id);
      if (reported?.outcome === 'bay') expect(reported.arrivalWindow.fromMs).toBe(movedTo(a).startMs - 30 * 60_000);
    }
    expect(hospitalMoves.objectiveS()).toBeLessThan(carsReport.objectiveS());
    const movedDay = { ...day, appointments: day.appointments.map((a) => (moving.includes(a) ? movedTo(a) : a)) };
    checkPlanFeasible(movedDay, options, all(movedDay, hospitalMoves));
  });

  it('re-plans the cars not yet on their way without making anything worse or moving cars en route', () => {
    const online = createOnlineAllocator(day);
    const ids: string[] = [];
    // A morning of disruption handled event by event: cancellations free bays, walk-ins take them.
    day.appointments.slice(0, 60).forEach((a, k) => {
      if (k % 3 === 0) online.onEvent({ type: 'cancelled', appointmentId: a.id, atMs: at(6) });
      else if (k % 3 === 1) online.onEvent({ type: 'en-route', appointmentId: a.id, atMs: at(6) });
    });
    for (let k = 0; k < 60; k++) {
      const template = day.appointments[100 + k] ?? day.appointments[0];
      if (template === undefined) throw new Error('no template');
      ids.push(`late-booking-${k}`);
      online.onEvent({
        type: 'new-appointment',
        appointment: { ...template, id: `late-booking-${k}`, needs: { preferredKinds: ['family'] } },
        atMs: at(6),
      });
    }
    const enRoute = day.appointments.slice(0, 60).filter((_, k) => k % 3 === 1);
    const before = new Map(enRoute.map((a) => [a.id, online.assignment(a.id)]));
    const objective = online.objectiveS();
    const update = online.onEvent({ type: 'reoptimise', atMs: at(6) });
    expect(update.objectiveS).toBeLessThanOrEqual(objective + 1e-6);
    for (const a of enRoute) expect(online.assignment(a.id)).toEqual(before.get(a.id));
    for (const changed of update.changed) expect(enRoute.map((a) => a.id)).not.toContain(changed.appointmentId);
    checkFeasible(day, all(day, online, ids));
  });

  it('chooses zones around occupancy that names its zone, in the first plan and for cars added later', () => {
    const start = Date.UTC(2026, 2, 2);
    const hhmm = (hh: number, mm = 0): number => start + (hh * 60 + mm) * 60_000;
    const booked = (id: string, from: number, to: number) => ({
      id,
      startMs: from,
      endMs: to,
      status: 'booked' as const,
      entranceId: 'main',
      needs: { preferredKinds: [] },
    });
    const zoned: AllocationDay = {
      dayStartMs: start,
      lots: [
        {
          id: 'P',
          name: 'Zoned',
          entryEdgeId: '',
          zones: [
            { id: 'A', capacityByKind: { standard: 1 } },
            { id: 'B', capacityByKind: { standard: 1 } },
          ],
          gateServiceVehPerMin: 6,
          openingHours: [],
          capacityWindows: [],
          walkTimeSByEntrance: { main: 60 },
          reserveByKind: {},
        },
      ],
      appointments: [booked('first', hhmm(10, 30), hhmm(11))],
      // Zone A's bay is taken 10:00–12:00 by a car the plan does not include.
      occupancy: [{ lotId: 'P', zoneId: 'A', kind: 'standard', bays: 1, fromMin: 600, untilMin: 720 }],
    };
    const online = createOnlineAllocator(zoned);
    expect(online.initialPlan.assignments[0]).toMatchObject({ lotId: 'P', zoneId: 'B' });
    expect(online.assignment('first')).toMatchObject({ lotId: 'P', zoneId: 'B' });
    online.onEvent({ type: 'cancelled', appointmentId: 'first', atMs: hhmm(8) });
    online.onEvent({
      type: 'new-appointment',
      appointment: booked('second', hhmm(10, 45), hhmm(11, 15)),
      atMs: hhmm(8),
    });
    expect(online.assignment('second')).toMatchObject({ lotId: 'P', zoneId: 'B' });
    // Once zone A's bay is given back, both zones are free again.
    online.onEvent({ type: 'new-appointment', appointment: booked('third', hhmm(12, 30), hhmm(13)), atMs: hhmm(8) });
    expect(online.assignment('third')).toMatchObject({ lotId: 'P', zoneId: 'A' });
  });

  it('names the field of a bad event', () => {
    const online = createOnlineAllocator(syntheticDay(3, { appointmentCount: 20 }));
    const code = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (err) {
        if (isCitybayError(err)) return `${err.code} ${err.path}`;
        throw err;
      }
      return undefined;
    };
    expect(code(() => online.onEvent({ type: 'cancelled', appointmentId: 'nope', atMs: 0 }))).toBe(
      'CB_ALLOCATION_INVALID event.appointmentId',
    );
    expect(code(() => online.onEvent({ type: 'lot-closed', lotId: 'P9', atMs: 0 }))).toBe(
      'CB_ALLOCATION_INVALID event.lotId',
    );
    const first = online.initialPlan.assignments[0]?.appointmentId ?? '';
    expect(
      code(() =>
        online.onEvent({
          type: 'arrival-changed',
          appointmentId: first,
          expectedArrivalMs: Date.UTC(2026, 2, 9),
          atMs: 0,
        }),
      ),
    ).toBe('CB_ALLOCATION_INVALID event.expectedArrivalMs');
    const existing = syntheticDay(3, { appointmentCount: 20 }).appointments[0];
    if (existing === undefined) throw new Error('no appointment');
    expect(code(() => online.onEvent({ type: 'new-appointment', appointment: existing, atMs: 0 }))).toBe(
      'CB_ALLOCATION_INVALID event.appointment.id',
    );
    expect(
      code(() =>
        online.onEvent({ type: 'new-appointment', appointment: { ...existing, id: 'x', entranceId: 'roof' }, atMs: 0 }),
      ),
    ).toBe('CB_ALLOCATION_INVALID event.appointment.entranceId');
  });
});
