import type { Appointment, AppointmentStatus, Assignment } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { allocatorLotsOf } from '../../src/core/appointment-day.js';
import { type AllocatorTask, allocateDay, forgetDay } from '../../src/io/allocator-worker.js';
import { SMALL_SITE } from '../helpers/drifted-day.js';

// The worker's functions run in this thread here: what they keep between tasks is what the pool's thread keeps.
const DAY_START = Date.parse('2026-11-20T00:00:00Z');
const at = (hhmm: string) => Date.parse(`2026-11-20T${hhmm}:00Z`);
const KEY = `${SMALL_SITE.id}/${DAY_START}`;

const appointment = (id: string, status: AppointmentStatus, start: string, end: string): Appointment => ({
  id,
  startMs: at(start),
  endMs: at(end),
  status,
  entranceId: 'main',
  needs: { preferredKinds: [] },
});
// The one near bay (P1), held since 11:00 by a car that has arrived.
const PARKED: Assignment = {
  appointmentId: 'parked',
  outcome: 'bay',
  placed: true,
  arrivalShiftMin: 0,
  lotId: 'P1',
  lotName: 'Near',
  zoneId: '',
  kind: 'standard',
  arrivalWindow: { fromMs: at('11:00'), toMs: at('11:15') },
  holdUntilMs: at('14:45'),
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
};
const task = (
  version: number,
  events: AllocatorTask['events'],
  parkedStatus: AppointmentStatus = 'arrived',
): AllocatorTask => ({
  key: KEY,
  version,
  day: {
    dayStartMs: DAY_START,
    lots: allocatorLotsOf(SMALL_SITE),
    appointments: [
      appointment('parked', parkedStatus, '11:30', '14:30'),
      appointment('other', 'booked', '12:00', '13:00'),
    ],
  },
  options: {},
  events,
  committed: [PARKED],
  nowMs: at('12:00'),
  isReplan: false,
  isSavedOnlyWhenChanged: false,
  isSkippedWhenBehind: false,
});
const assignmentOf = (assignments: Assignment[], id: string) => assignments.find((a) => a.appointmentId === id);
const atMs = at('11:20');

describe('allocateDay with committed cars', () => {
  it('pins them on a plan from scratch, answers their events without the allocator, and still refuses unknown cars', () => {
    const planned = allocateDay(task(1, []));
    expect(planned).toMatchObject({ isReplanned: true });
    expect(assignmentOf(planned.assignments, 'parked')).toEqual(PARKED);
    expect(assignmentOf(planned.assignments, 'other')).toMatchObject({ placed: true, lotId: 'P2' });
    expect(planned.objectiveS).toBeCloseTo(960 + (assignmentOf(planned.assignments, 'other')?.cost.totalS ?? 0));

    const parked = allocateDay(
      task(
        2,
        [
          { type: 'parked', appointmentId: 'parked', atMs },
          { type: 'arrival-changed', appointmentId: 'parked', expectedArrivalMs: at('12:00'), atMs },
        ],
        'checked-in',
      ),
    );
    expect(parked).toMatchObject({ isReplanned: false, isUnchanged: true });
    expect(parked.error).toBeUndefined();
    expect(assignmentOf(parked.assignments, 'parked')).toEqual(PARKED);

    const cancelled = allocateDay(task(3, [{ type: 'cancelled', appointmentId: 'parked', atMs }], 'cancelled'));
    expect(cancelled).toMatchObject({ isReplanned: false, isUnchanged: false });
    expect(assignmentOf(cancelled.assignments, 'parked')).toMatchObject({ placed: false });
    // Its bay stays out of the plan until the day is planned from scratch again.
    expect(assignmentOf(cancelled.assignments, 'other')).toMatchObject({ lotId: 'P2' });

    const unknown = allocateDay(task(4, [{ type: 'cancelled', appointmentId: 'ghost', atMs }], 'cancelled'));
    expect(unknown.error).toMatchObject({ code: 'CB_ALLOCATION_INVALID', path: 'event.appointmentId' });

    // After the failure the day is planned from scratch: the cancelled car is inactive, so its bay is free.
    const replanned = allocateDay({ ...task(5, [], 'cancelled'), committed: [] });
    expect(replanned).toMatchObject({ isReplanned: true });
    expect(assignmentOf(replanned.assignments, 'other')).toMatchObject({ lotId: 'P1' });
  });
});

describe('allocateDay and the site’s allocation options', () => {
  it('plans under the task’s options, and plans the day again when they change', () => {
    forgetDay({ key: KEY });
    const plain = allocateDay({ ...task(1, []), options: {} });
    expect(plain.isReplanned).toBe(true);
    // The same version under other options: held under the old ones, so planned again.
    const costly = allocateDay({ ...task(2, []), options: { walkWeightByNeed: { none: 10 } } });
    expect(costly.isReplanned).toBe(true);
    expect(costly.objectiveS).toBeGreaterThan(plain.objectiveS);
    const same = allocateDay({ ...task(3, []), options: { walkWeightByNeed: { none: 10 } } });
    expect(same.isReplanned).toBe(false);
    const bad = allocateDay({ ...task(4, []), options: { slotMin: 7 } });
    expect(bad.error).toMatchObject({ code: 'CB_ALLOCATION_INVALID', path: 'slotMin' });
  });
});
