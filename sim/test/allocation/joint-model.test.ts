import { describe, expect, it } from 'vitest';
import { allocate, allocateFirstComeFirstServed } from '../../src/allocation/allocate.js';
import { compileDay } from '../../src/allocation/allocation-instance.js';
import type { AllocationDay, AllocationOptions } from '../../src/allocation/allocation-types.js';
import { buildAllocationLp } from '../../src/allocation/ilp-builder.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import type { Appointment, ParkingLot } from '../../src/model/index.js';
import { loadHighs } from '../../bench/load-highs.js';
import { checkPlanFeasible } from './plan-check.js';

const highs = await loadHighs();
const dayStartMs = Date.UTC(2026, 2, 2);
const at = (hh: number, mm = 0): number => dayStartMs + (hh * 60 + mm) * 60_000;
const minutesOf = (ms: number): number => (ms - dayStartMs) / 60_000;

const lot = (id: string, bays: number, gateVehPerMin: number, walkS: number): ParkingLot => ({
  id,
  name: id,
  entryEdgeId: '',
  zones: [{ id: 'A', capacityByKind: { standard: bays } }],
  gateServiceVehPerMin: gateVehPerMin,
  openingHours: [],
  capacityWindows: [],
  walkTimeSByEntrance: { main: walkS },
  reserveByKind: {},
});
const car = (id: string, start: number, durationMin = 60, extra: Partial<Appointment> = {}): Appointment => ({
  id,
  startMs: start,
  endMs: start + durationMin * 60_000,
  status: 'booked',
  entranceId: 'main',
  needs: { preferredKinds: [] },
  ...extra,
});

function optimum(day: AllocationDay, options: AllocationOptions): number {
  const solution = highs.solve(buildAllocationLp(compileDay(day, options).instance), { output_flag: false });
  expect(solution.Status).toBe('Optimal');
  return solution.ObjectiveValue;
}

describe('the joint choice of where and when', () => {
  // The near lot passes floor(0.4 × 15 × 0.85) = 5 cars per slot; the far lot is a long walk.
  const near = lot('near', 100, 0.4, 60);
  const far = lot('far', 100, 6, 900);
  const eight = Array.from({ length: 9 }, (_, i) => car(`c${i}`, at(8, 30)));
  const day: AllocationDay = { dayStartMs, appointments: eight, lots: [near, far] };

  it('without shifts, the cars the near gate cannot pass in their slot walk from the far lot', () => {
    const plan = allocate(day);
    expect(plan.assignments.filter((a) => a.lotId === 'near')).toHaveLength(5);
    expect(plan.summary.shifted).toBe(0);
    checkPlanFeasible(day, {}, plan.assignments);
  });

  it('with arrival shifts, spreads them over the near gate’s earlier slots when that costs less than the walk', () => {
    const options: AllocationOptions = { arrivalShift: { earlierMin: 30 }, shiftPenaltySPerMin: 20 };
    const plan = allocate(day, options);
    expect(plan.assignments.every((a) => a.lotId === 'near')).toBe(true);
    const shifts = plan.assignments.map((a) => a.arrivalShiftMin).sort((x, y) => x - y);
    // Five keep their window, four come 15 minutes early: each 300 s of shift against 840 s more walking.
    expect(shifts).toEqual([-15, -15, -15, -15, 0, 0, 0, 0, 0]);
    for (const a of plan.assignments) {
      expect(minutesOf(a.arrivalWindow.fromMs)).toBe(8 * 60 + a.arrivalShiftMin);
      expect(a.cost.shiftPenaltyS).toBe(Math.abs(a.arrivalShiftMin) * 20);
    }
    expect(plan.summary.objectiveS).toBeCloseTo(optimum(day, options), 6);
    expect(plan.summary.meanAbsShiftMin).toBeCloseTo((4 * 15) / 9, 9);
    checkPlanFeasible(day, options, plan.assignments);
  });

  it('keeps the walk when the shift costs more, and takes shifts per clinic or appointment over the default', () => {
    expect(allocate(day, { arrivalShift: { earlierMin: 30 }, shiftPenaltySPerMin: 60 }).summary.shifted).toBe(0);
    const clinics = eight.map((a, i) => ({ ...a, serviceType: i < 3 ? 'cardiology' : 'dermatology' }));
    const plan = allocate(
      { ...day, appointments: clinics },
      {
        shiftPenaltySPerMin: 20,
        arrivalShiftByServiceType: { cardiology: { earlierMin: 15 } },
        arrivalShiftByAppointment: { c8: { earlierMin: 15 } },
      },
    );
    const shifted = plan.assignments.filter((a) => a.arrivalShiftMin !== 0).map((a) => a.appointmentId);
    expect(shifted.every((id) => ['c0', 'c1', 'c2', 'c8'].includes(id))).toBe(true);
    expect(shifted).toHaveLength(4);
  });

  it('holds bays to the minute: a bay left at 09:05 takes a car whose window opens at 09:10', () => {
    // One bay; the first car leaves at 09:05 (08:00–08:50 plus the 15-minute exit buffer), the second arrives
    // from 09:10. Rounded to 15-minute slots both would hold 09:00–09:15.
    const one = lot('one', 1, 6, 60);
    const pair: AllocationDay = {
      dayStartMs,
      lots: [one, far],
      appointments: [car('first', at(8), 50), car('second', at(9, 40))],
    };
    const plan = allocate(pair);
    expect(plan.assignments.map((a) => a.lotId)).toEqual(['one', 'one']);
    expect(plan.assignments[0]?.holdUntilMs).toBe(at(9, 5));
    expect(plan.assignments[1]?.arrivalWindow.fromMs).toBe(at(9, 10));
    checkPlanFeasible(pair, {}, plan.assignments);
  });

  it('suggests another appointment time, a costlier lever, when no window of the day’s own fits', () => {
    const one = lot('one', 1, 6, 60);
    const clash: AllocationDay = {
      dayStartMs,
      lots: [one],
      appointments: [car('first', at(9)), car('second', at(9, 15), 60, { serviceType: 'x' })],
    };
    const options: AllocationOptions = {
      arrivalShiftByServiceType: { x: { rescheduleMin: [-120, 90] } },
      reschedulePenaltyS: 1200,
      reschedulePenaltySPerMin: 10,
    };
    const plan = allocate(clash, options);
    const second = plan.assignments[1];
    expect(second).toMatchObject({ outcome: 'bay', lotId: 'one', reschedule: { byMin: 90 } });
    expect(second?.reschedule?.suggestedStartMs).toBe(at(10, 45));
    expect(second?.arrivalWindow.fromMs).toBe(at(10, 15));
    expect(second?.cost.shiftPenaltyS).toBe(1200 + 900);
    expect(plan.summary.rescheduled).toBe(1);
    checkPlanFeasible(clash, options, plan.assignments);
  });
});

describe('every car gets an explicit outcome', () => {
  const small = lot('H', 2, 6, 60);
  const pr = { ...lot('PR', 3, 6, 0), walkTimeSByEntrance: {} };
  const five = Array.from({ length: 5 }, (_, i) => car(`p${i}`, at(9)));
  const day: AllocationDay = { dayStartMs, lots: [small, pr], appointments: [...five, car('late', at(9), 60)] };

  it('bays first, then the park-and-ride lot with its shuttle, then drop-off advice within the kerb, then the wait-list', () => {
    const options: AllocationOptions = {
      parkAndRide: [{ lotId: 'PR', shuttleRideS: 600, shuttleHeadwayS: 600, penaltyS: 300 }],
      dropOff: { penaltyS: 2000, vehPerMin: 0.1 },
    };
    const plan = allocate(day, options);
    expect(plan.summary.byOutcome).toEqual({ bay: 2, 'park-and-ride': 3, 'drop-off': 1, 'wait-list': 0, released: 0 });
    const ride = plan.assignments.find((a) => a.outcome === 'park-and-ride');
    expect(ride).toMatchObject({ placed: true, lotId: 'PR', shuttle: { rideS: 600, headwayS: 600 } });
    expect(ride?.cost.walkS).toBe(300 + 600);
    expect(ride?.cost.alternativePenaltyS).toBe(300);
    // The car stays parked while its patient rides the shuttle back: the hold grows by the ride and the wait.
    expect(ride?.holdUntilMs).toBe(at(10, 15) + 15 * 60_000);
    const dropOff = plan.assignments.find((a) => a.outcome === 'drop-off');
    expect(dropOff).toMatchObject({ placed: false, cost: { alternativePenaltyS: 2000 } });
    expect(dropOff?.lotId).toBeUndefined();
    expect(plan.summary.objectiveS).toBeCloseTo(optimum(day, options), 6);
    checkPlanFeasible(day, options, plan.assignments);

    // The kerb passes floor(0.1 × 15 × 0.85) = 1 drop-off per slot; more cars go on the wait-list.
    const crowded = { ...day, appointments: [...day.appointments, car('later', at(9))] };
    const more = allocate(crowded, options);
    expect(more.summary.byOutcome['wait-list']).toBe(1);
    expect(more.assignments.find((a) => a.outcome === 'wait-list')).toMatchObject({
      placed: false,
      cost: { unplacedPenaltyS: 7200, totalS: 7200 },
    });
    checkPlanFeasible(crowded, options, more.assignments);
  });

  it('with no alternative configured, the car that fits nowhere is on the wait-list, never a silent default', () => {
    const plan = allocate({ ...day, lots: [small] });
    expect(plan.assignments.map((a) => a.outcome).sort()).toEqual([
      'bay',
      'bay',
      'wait-list',
      'wait-list',
      'wait-list',
      'wait-list',
    ]);
    expect(allocateFirstComeFirstServed({ ...day, lots: [small] }).summary.byOutcome['wait-list']).toBe(4);
  });

  it('refuses a park-and-ride lot the day does not have, naming the option', () => {
    expect(() => allocate(day, { parkAndRide: [{ lotId: 'P9' }] })).toThrow(
      /parkAndRide\[0\]\.lotId: unknown lot "P9"/,
    );
  });
});

describe('the joint model against HiGHS', () => {
  it.each([1, 2, 3, 4])(
    'equals the optimum with shifts, reschedules and alternatives on a small tight day (seed %i)',
    (seed) => {
      const day = syntheticDay(seed, { appointmentCount: 30, capacityScale: 0.02, gateScale: 0.06 });
      const options: AllocationOptions = {
        arrivalShift: { earlierMin: 30, laterMin: 15, rescheduleMin: [60] },
        shiftPenaltySPerMin: 15,
        parkAndRide: [{ lotId: 'P5', penaltyS: 200 }],
        dropOff: { penaltyS: 2500, vehPerMin: 0.2 },
      };
      const plan = allocate(day, options);
      expect(plan.summary.objectiveS).toBeCloseTo(optimum(day, options), 6);
      expect(plan.summary.isProvenOptimal).toBe(true);
      checkPlanFeasible(day, options, plan.assignments);
    },
  );

  it('stays feasible and within its own bound on a 400-car day with every lever, and beats first come first served', () => {
    const day = syntheticDay(12, { appointmentCount: 400, capacityScale: 0.18, gateScale: 0.22 });
    const options: AllocationOptions = {
      arrivalShift: { earlierMin: 30 },
      shiftPenaltySPerMin: 20,
      parkAndRide: [{ lotId: 'P5' }],
      dropOff: { penaltyS: 3000 },
    };
    const plan = allocate(day, options);
    const best = optimum(day, options);
    checkPlanFeasible(day, options, plan.assignments);
    expect(plan.summary.objectiveS).toBeGreaterThanOrEqual(best - 1e-6);
    expect(plan.summary.lowerBoundS).toBeLessThanOrEqual(best + 1e-6);
    // A day this tight (gates and bays both full at the peak, a third of the cars on an alternative) is harder for
    // the optimiser than a full ordinary day (≤ 0.5 %, see the benchmark); a guard, not the target.
    expect(plan.summary.objectiveS).toBeLessThanOrEqual(best * 1.025);
    expect(plan.summary.objectiveS).toBeLessThan(allocateFirstComeFirstServed(day, options).summary.objectiveS);
  });
});
