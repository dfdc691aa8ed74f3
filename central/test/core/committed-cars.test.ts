import {
  type AllocationDay,
  type Appointment,
  type AppointmentStatus,
  type Assignment,
  createOnlineAllocator,
} from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { allocatorLotsOf } from '../../src/core/appointment-day.js';
import { committedAssignmentsOf, dayAroundCommitted } from '../../src/core/committed-cars.js';
import { SMALL_SITE } from '../helpers/drifted-day.js';

const DAY_START = Date.parse('2026-11-20T00:00:00Z');
const at = (hhmm: string) => Date.parse(`2026-11-20T${hhmm}:00Z`);
const NOW = at('11:20');

const appointment = (id: string, status: AppointmentStatus, start = '11:30', end = '14:30'): Appointment => ({
  id,
  startMs: at(start),
  endMs: at(end),
  status,
  entranceId: 'main',
  needs: { preferredKinds: [] },
});
const placed = (appointmentId: string, lotId: string, from: string, until: string): Assignment => ({
  appointmentId,
  outcome: 'bay',
  placed: true,
  arrivalShiftMin: 0,
  lotId,
  zoneId: '',
  kind: 'standard',
  arrivalWindow: { fromMs: at(from), toMs: at(from) + 15 * 60_000 },
  holdUntilMs: at(until),
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
const unplaced = (appointmentId: string, from: string): Assignment => ({
  appointmentId,
  outcome: 'wait-list',
  placed: false,
  arrivalShiftMin: 0,
  arrivalWindow: { fromMs: at(from), toMs: at(from) + 15 * 60_000 },
  holdUntilMs: at(from),
  cost: {
    driveS: 0,
    walkS: 0,
    walkWeight: 0,
    weightedWalkS: 0,
    fallbackPenaltyS: 0,
    shiftPenaltyS: 0,
    alternativePenaltyS: 0,
    unplacedPenaltyS: 7200,
    totalS: 7200,
  },
});
const idsOf = (assignments: Assignment[]) => assignments.map((a) => a.appointmentId);

describe('committedAssignmentsOf', () => {
  it('takes parked cars, placed or not, with their stored assignments', () => {
    const appointments = [appointment('arrived', 'arrived'), appointment('checked-in', 'checked-in')];
    const stored = [placed('arrived', 'P1', '11:00', '14:45'), unplaced('checked-in', '11:00')];
    expect(committedAssignmentsOf(appointments, stored, NOW)).toEqual(stored);
  });

  it('takes booked and pending cars whose placed window has begun (from its first instant), and no others', () => {
    const appointments = [
      appointment('booked-started', 'booked'),
      appointment('pending-started', 'pending'),
      appointment('booked-starting-now', 'booked', '11:50'),
      appointment('booked-later', 'booked', '12:00'),
      appointment('booked-unplaced', 'booked'),
    ];
    const stored = [
      placed('booked-started', 'P1', '11:00', '14:45'),
      placed('pending-started', 'P2', '11:00', '14:45'),
      placed('booked-starting-now', 'P2', '11:20', '15:15'),
      placed('booked-later', 'P2', '11:30', '15:15'),
      unplaced('booked-unplaced', '11:00'),
    ];
    expect(idsOf(committedAssignmentsOf(appointments, stored, NOW))).toEqual([
      'booked-started',
      'pending-started',
      'booked-starting-now',
    ]);
  });

  it('leaves out cars with no stored assignment and statuses that hold no bay or are not booked yet', () => {
    const statuses: AppointmentStatus[] = [
      'cancelled',
      'noshow',
      'entered-in-error',
      'fulfilled',
      'proposed',
      'waitlist',
    ];
    const appointments = [...statuses.map((s) => appointment(s, s)), appointment('never-planned', 'arrived')];
    const stored = statuses.map((s) => placed(s, 'P1', '11:00', '14:45'));
    expect(committedAssignmentsOf(appointments, stored, NOW)).toEqual([]);
  });
});

describe('dayAroundCommitted', () => {
  const day: AllocationDay = {
    dayStartMs: DAY_START,
    lots: allocatorLotsOf(SMALL_SITE),
    appointments: [appointment('parked', 'arrived'), appointment('other', 'booked', '12:00', '13:00')],
    occupancy: [{ lotId: 'P2', kind: 'standard', bays: 3 }],
  };

  it('leaves committed cars out and takes their bays from their arrival slot until their hold ends', () => {
    const around = dayAroundCommitted(day, [placed('parked', 'P1', '11:00', '14:45')], NOW);
    expect(around.appointments.map((a) => a.id)).toEqual(['other']);
    expect(around.occupancy).toEqual([
      { lotId: 'P2', kind: 'standard', bays: 3 },
      { lotId: 'P1', zoneId: '', kind: 'standard', bays: 1, fromMin: 11 * 60, untilMin: 14 * 60 + 45 },
    ]);
    expect(day.appointments).toHaveLength(2);
  });

  it('is the day itself when nothing is committed', () => {
    expect(dayAroundCommitted(day, [], NOW)).toBe(day);
  });

  it('takes no bay for an unplaced car or for a lot the site no longer has, so the allocator accepts the day', () => {
    const around = dayAroundCommitted(
      day,
      [unplaced('parked', '11:00'), placed('other', 'P9-removed', '11:30', '13:15')],
      NOW,
    );
    expect(around.appointments).toEqual([]);
    expect(around.occupancy).toEqual(day.occupancy);
    expect(() => createOnlineAllocator(around)).not.toThrow();
  });

  it('takes a bay of the lot only for a zone the lot no longer has', () => {
    const around = dayAroundCommitted(day, [{ ...placed('parked', 'P1', '11:00', '14:45'), zoneId: 'Z-removed' }], NOW);
    expect(around.occupancy?.[1]).toEqual({ lotId: 'P1', kind: 'standard', bays: 1, fromMin: 660, untilMin: 885 });
    expect(() => createOnlineAllocator(around)).not.toThrow();
  });

  it('the allocator plans nobody into a committed bay while it is held, and does from the slot it is free', () => {
    // P1 has one bay, held by the parked car 11:00–14:45; a car that would overlap goes to P2.
    const overlapping = {
      ...day,
      appointments: [appointment('parked', 'arrived'), appointment('overlapping', 'booked', '14:00', '14:30')],
    };
    const overlap = createOnlineAllocator(
      dayAroundCommitted(overlapping, [placed('parked', 'P1', '11:00', '14:45')], NOW),
    );
    expect(overlap.assignment('overlapping')).toMatchObject({ lotId: 'P2' });
    // A car arriving at 14:45 (start 15:15 less the 30-minute lead) gets the bay as it is given back.
    const after = {
      ...day,
      appointments: [appointment('parked', 'arrived'), appointment('after', 'booked', '15:15', '16:00')],
    };
    const next = createOnlineAllocator(dayAroundCommitted(after, [placed('parked', 'P1', '11:00', '14:45')], NOW));
    expect(next.assignment('after')).toMatchObject({ lotId: 'P1' });
    expect(next.assignment('parked')).toBeUndefined();
  });
});

describe('dayAroundCommitted and the gate passages committed cars have still to make', () => {
  // The near lot has bays to spare but passes one car per slot (floor(0.1 veh/min × 15 min × 0.85)).
  const lots = allocatorLotsOf(SMALL_SITE).map((lot) =>
    lot.id === 'P1' ? { ...lot, zones: [{ id: '', capacityByKind: { standard: 3 } }], gateServiceVehPerMin: 0.1 } : lot,
  );
  // Both pass the gate in the 11:00 slot: start less the 30-minute lead.
  const dayWith = (committedStatus: AppointmentStatus): AllocationDay => ({
    dayStartMs: DAY_START,
    lots,
    appointments: [
      appointment('committed', committedStatus, '11:30', '14:30'),
      appointment('other', 'booked', '11:30', '13:00'),
    ],
  });
  const committedCar = placed('committed', 'P1', '11:00', '14:45');

  it('a car on its way takes a passage of its lot in its window, a pending one too', () => {
    for (const status of ['booked', 'pending'] as const) {
      expect(dayAroundCommitted(dayWith(status), [committedCar], at('11:05')).gatePassages).toEqual([
        { lotId: 'P1', atMin: 11 * 60, cars: 1 },
      ]);
    }
  });

  it('keeps the passages the day already had', () => {
    const day = { ...dayWith('booked'), gatePassages: [{ lotId: 'P2', atMin: 600, cars: 4 }] };
    expect(dayAroundCommitted(day, [committedCar], at('11:05')).gatePassages).toEqual([
      { lotId: 'P2', atMin: 600, cars: 4 },
      { lotId: 'P1', atMin: 11 * 60, cars: 1 },
    ]);
  });

  it('a parked car, an unplaced one, one in a removed lot and one whose window ended by now take none', () => {
    expect(dayAroundCommitted(dayWith('arrived'), [committedCar], at('11:05')).gatePassages).toBeUndefined();
    expect(dayAroundCommitted(dayWith('checked-in'), [committedCar], at('11:05')).gatePassages).toBeUndefined();
    expect(
      dayAroundCommitted(dayWith('booked'), [unplaced('committed', '11:00')], at('11:05')).gatePassages,
    ).toBeUndefined();
    const removedLot = { ...committedCar, lotId: 'P9-removed' };
    expect(dayAroundCommitted(dayWith('booked'), [removedLot], at('11:05')).gatePassages).toBeUndefined();
    // The window is 11:00–11:15: at its last instant the car may still be before the gate, at its end no longer.
    expect(dayAroundCommitted(dayWith('booked'), [committedCar], at('11:14')).gatePassages).toHaveLength(1);
    expect(dayAroundCommitted(dayWith('booked'), [committedCar], at('11:15')).gatePassages).toBeUndefined();
  });

  it('the allocator plans nobody through a gate slot an en-route car fills, and does once it has parked', () => {
    const enRoute = createOnlineAllocator(dayAroundCommitted(dayWith('booked'), [committedCar], at('11:05')));
    expect(enRoute.assignment('other')).toMatchObject({ lotId: 'P2', arrivalWindow: { fromMs: at('11:00') } });
    const parked = createOnlineAllocator(dayAroundCommitted(dayWith('arrived'), [committedCar], at('11:05')));
    expect(parked.assignment('other')).toMatchObject({ lotId: 'P1', arrivalWindow: { fromMs: at('11:00') } });
  });
});
