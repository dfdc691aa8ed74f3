import type { Assignment } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { PinnedCars } from '../../src/core/pinned-cars.js';

const FROM_MS = Date.parse('2026-11-20T11:00:00Z');
const AT_MS = FROM_MS + 20 * 60_000;
const pinnedAssignment = (appointmentId: string, placed = true): Assignment => ({
  appointmentId,
  outcome: placed ? 'bay' : 'wait-list',
  placed,
  arrivalShiftMin: 0,
  ...(placed ? { lotId: 'P1', zoneId: 'A', kind: 'standard' as const } : {}),
  arrivalWindow: { fromMs: FROM_MS, toMs: FROM_MS + 15 * 60_000 },
  holdUntilMs: FROM_MS + 225 * 60_000,
  cost: {
    driveS: 900,
    walkS: 60,
    walkWeight: 1,
    weightedWalkS: 60,
    fallbackPenaltyS: 0,
    shiftPenaltyS: 0,
    alternativePenaltyS: 0,
    unplacedPenaltyS: 0,
    totalS: 960,
  },
});

describe('PinnedCars', () => {
  it('keeps a pinned car where it is when it parks, sets off, is expected at another time or moved by the hospital', () => {
    const pinned = new PinnedCars([pinnedAssignment('car')]);
    expect(pinned.onEvent({ type: 'parked', appointmentId: 'car', atMs: AT_MS })).toBe(0);
    expect(pinned.onEvent({ type: 'en-route', appointmentId: 'car', atMs: AT_MS })).toBe(0);
    expect(
      pinned.onEvent({
        type: 'arrival-changed',
        appointmentId: 'car',
        expectedArrivalMs: AT_MS + 3_600_000,
        atMs: AT_MS,
      }),
    ).toBe(0);
    const moved = { id: 'car', startMs: AT_MS, endMs: AT_MS + 3_600_000, status: 'booked' as const };
    const appointment = { ...moved, entranceId: 'main', needs: { preferredKinds: [] } };
    expect(pinned.onEvent({ type: 'appointment-changed', appointment, atMs: AT_MS })).toBe(0);
    expect(
      pinned.onEvent({ type: 'appointment-changed', appointment: { ...appointment, id: 'other' }, atMs: AT_MS }),
    ).toBeUndefined();
    expect(pinned.assignment('car')).toEqual(pinnedAssignment('car'));
    expect(pinned.costS()).toBe(960);
  });

  it.each(['cancelled', 'no-show'] as const)('reports a %s pinned car unplaced, at no cost', (type) => {
    const pinned = new PinnedCars([pinnedAssignment('car'), pinnedAssignment('other')]);
    expect(pinned.onEvent({ type, appointmentId: 'car', atMs: AT_MS })).toBe(1);
    expect(pinned.assignment('car')).toMatchObject({ appointmentId: 'car', placed: false, cost: { totalS: 0 } });
    expect(pinned.assignment('car')?.lotId).toBeUndefined();
    expect(pinned.costS()).toBe(960);
    // An unplaced car that is cancelled moves nothing.
    const unplaced = new PinnedCars([pinnedAssignment('walk-in', false)]);
    expect(unplaced.onEvent({ type, appointmentId: 'walk-in', atMs: AT_MS })).toBe(0);
  });

  it('leaves events about other cars, and about no car, to the allocator', () => {
    const pinned = new PinnedCars([pinnedAssignment('car')]);
    expect(pinned.onEvent({ type: 'cancelled', appointmentId: 'planned-car', atMs: AT_MS })).toBeUndefined();
    expect(pinned.onEvent({ type: 'reoptimise', atMs: AT_MS })).toBeUndefined();
    expect(pinned.onEvent({ type: 'lot-closed', lotId: 'P1', atMs: AT_MS })).toBeUndefined();
    expect(pinned.assignment('planned-car')).toBeUndefined();
  });

  it('refuses a new appointment with a pinned car id, naming the field', () => {
    const pinned = new PinnedCars([pinnedAssignment('car')]);
    const appointment = {
      id: 'car',
      startMs: AT_MS,
      endMs: AT_MS + 1,
      status: 'booked' as const,
      entranceId: 'main',
      needs: { preferredKinds: [] },
    };
    expect(() => pinned.onEvent({ type: 'new-appointment', appointment, atMs: AT_MS })).toThrow(
      expect.objectContaining({ code: 'CB_ALLOCATION_INVALID', path: 'event.appointment.id' }),
    );
  });
});
