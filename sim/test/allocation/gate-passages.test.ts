import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { allocate, allocateFirstComeFirstServed } from '../../src/allocation/allocate.js';
import { compileDay } from '../../src/allocation/allocation-instance.js';
import type { AllocationDay, AllocationPlan, Assignment, GatePassage } from '../../src/allocation/allocation-types.js';
import { buildAllocationLp, decodeAllocationLp } from '../../src/allocation/ilp-builder.js';
import { createOnlineAllocator } from '../../src/allocation/online-allocator.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import type { Appointment, ParkingLot } from '../../src/model/index.js';
import { loadHighs } from '../../bench/load-highs.js';

const highs = await loadHighs();

const dayStartMs = Date.UTC(2026, 2, 2);
const SLOT_MIN = 15;
const at = (hh: number, mm = 0): number => dayStartMs + (hh * 60 + mm) * 60_000;

const lot = (id: string, gateServiceVehPerMin: number, walkS: number): ParkingLot => ({
  id,
  name: id,
  entryEdgeId: '',
  zones: [{ id: 'A', capacityByKind: { standard: 40 } }],
  gateServiceVehPerMin,
  openingHours: [],
  capacityWindows: [],
  walkTimeSByEntrance: { main: walkS },
  reserveByKind: {},
});
// The near lot's gate plans floor(0.32 × 15 × 0.85) = 4 cars per slot; the far lot's gate never binds here.
const NEAR = lot('near', 0.32, 60);
const FAR = lot('far', 6, 600);
const NEAR_GATE_PER_SLOT = 4;

const car = (id: string, startHh: number, startMm: number): Appointment => ({
  id,
  startMs: at(startHh, startMm),
  endMs: at(startHh + 1, startMm),
  status: 'booked',
  entranceId: 'main',
  needs: { preferredKinds: [] },
});
/** Six cars that pass the gate in the 08:00 slot (start 08:30 less the 30-minute lead), two at 08:15. */
const appointments = [
  ...Array.from({ length: 6 }, (_, i) => car(`eight-${i}`, 8, 30)),
  car('quarter-past-0', 8, 45),
  car('quarter-past-1', 8, 45),
];
const day = (gatePassages?: GatePassage[]): AllocationDay => ({
  dayStartMs,
  appointments,
  lots: [NEAR, FAR],
  ...(gatePassages === undefined ? {} : { gatePassages }),
});
/** Three cars outside the plan pass the near gate at 08:05, in the 08:00 slot. */
const LOADED = day([{ lotId: 'near', atMin: 8 * 60 + 5, cars: 3 }]);

const slotOf = (ms: number): number => Math.floor((ms - dayStartMs) / (SLOT_MIN * 60_000));
/** Placed cars per lot and arrival slot, `lotId/slot`. */
function gateUse(assignments: readonly Assignment[]): Map<string, number> {
  const use = new Map<string, number>();
  for (const a of assignments) {
    if (!a.placed) continue;
    const key = `${a.lotId}/${slotOf(a.arrivalWindow.fromMs)}`;
    use.set(key, (use.get(key) ?? 0) + 1);
  }
  return use;
}
const EIGHT_SLOT = (8 * 60) / SLOT_MIN;
const EIGHT = `near/${EIGHT_SLOT}`;
const QUARTER_PAST = `near/${(8 * 60 + 15) / SLOT_MIN}`;

function failure(d: AllocationDay): { code: string; path: string | undefined } {
  try {
    allocate(d);
  } catch (err) {
    if (isCitybayError(err)) return { code: err.code, path: err.path };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('gate passages promised to cars outside the plan', () => {
  it('lower the gate capacity of the slot they fall in, adding up, never below 0, and nothing else', () => {
    const plain = compileDay(day()).instance;
    const loaded = compileDay(
      day([
        { lotId: 'near', atMin: 8 * 60, cars: 1 },
        { lotId: 'near', atMin: 8 * 60 + 14.5, cars: 2 },
        { lotId: 'near', atMin: 9 * 60, cars: 9 },
        { lotId: 'far', atMin: 8 * 60 + 15, cars: 0 },
        { lotId: 'near', atMin: 30 * 60, cars: 5 },
      ]),
    ).instance;
    const T = plain.slotCount;
    const expected = plain.gateCap.slice();
    expected[EIGHT_SLOT] = NEAR_GATE_PER_SLOT - 3;
    expected[(9 * 60) / SLOT_MIN] = 0;
    expect(plain.gateCap[EIGHT_SLOT]).toBe(NEAR_GATE_PER_SLOT);
    expect([...loaded.gateCap]).toEqual([...expected]);
    expect(loaded.slotCount).toBe(T);
    expect([...loaded.chainCap]).toEqual([...plain.chainCap]);
  });

  it('leave the optimiser fewer cars to plan through that gate: the rest go to the other lot', () => {
    const plain = allocate(day());
    expect(gateUse(plain.assignments).get(EIGHT)).toBe(NEAR_GATE_PER_SLOT);
    const plan = allocate(LOADED);
    const use = gateUse(plan.assignments);
    expect(use.get(EIGHT)).toBe(NEAR_GATE_PER_SLOT - 3);
    expect(use.get(`far/${EIGHT_SLOT}`)).toBe(5);
    // The next slot is not loaded: its two cars still take the near lot.
    expect(use.get(QUARTER_PAST)).toBe(2);
    expect(plan.summary.placed).toBe(appointments.length);
    expect(plan.summary.isProvenOptimal).toBe(true);
  });

  it('hold for first come first served, the exact ILP (HiGHS) and the online allocator alike', () => {
    expect(gateUse(allocateFirstComeFirstServed(LOADED).assignments).get(EIGHT)).toBe(1);

    const { instance } = compileDay(LOADED);
    const solution = highs.solve(buildAllocationLp(instance), { output_flag: false });
    expect(solution.Status).toBe('Optimal');
    expect(allocate(LOADED).summary.objectiveS).toBeCloseTo(solution.ObjectiveValue, 6);
    const primal = (c: string): number => (solution.Columns[c] as { Primal: number } | undefined)?.Primal ?? 0;
    const choice = decodeAllocationLp(instance, primal);
    const nearArrivals = [...choice].filter(
      (o) => o >= 0 && instance.optGate[o] === 0 * instance.slotCount + EIGHT_SLOT,
    );
    expect(nearArrivals).toHaveLength(1);

    const online = createOnlineAllocator(LOADED);
    const ids = appointments.map((a) => a.id);
    const current = (): Assignment[] => ids.map((id) => online.assignment(id) as Assignment);
    expect(gateUse(current()).get(EIGHT)).toBe(1);
    // A late booking for the loaded slot finds the near gate full; a cancellation there lets one far car in.
    online.onEvent({ type: 'new-appointment', appointment: car('late', 8, 35), atMs: at(7) });
    ids.push('late');
    expect(online.assignment('late')).toMatchObject({ lotId: 'far' });
    const nearCar = current().find((a) => a.lotId === 'near' && slotOf(a.arrivalWindow.fromMs) === EIGHT_SLOT);
    online.onEvent({ type: 'cancelled', appointmentId: nearCar?.appointmentId ?? '', atMs: at(7, 5) });
    expect(gateUse(current()).get(EIGHT)).toBe(1);
    online.onEvent({ type: 'reoptimise', atMs: at(7, 10) });
    expect(gateUse(current()).get(EIGHT)).toBe(1);
  });

  it('are respected on a bigger day by every plan, passages and planned cars together within the gate', () => {
    const base = syntheticDay(11, { appointmentCount: 400, capacityScale: 0.2, gateScale: 0.25 });
    const unloaded = compileDay(base).instance;
    const T = unloaded.slotCount;
    // Load the busiest gate slots of the plan without passages, so the optimiser must re-plan around them.
    const busiest = [...gateUse(allocate(base).assignments)].sort((x, y) => y[1] - x[1]).slice(0, 8);
    const gatePassages = busiest.map(([key], i): GatePassage => {
      const [lotId = '', slot = '0'] = key.split('/');
      return { lotId, atMin: Number(slot) * SLOT_MIN + 7, cars: 1 + (i % 3) };
    });
    const loadedDay = { ...base, gatePassages };
    const check = (plan: AllocationPlan): void => {
      const use = gateUse(plan.assignments);
      for (const p of gatePassages) {
        const key = `${p.lotId}/${Math.floor(p.atMin / SLOT_MIN)}`;
        use.set(key, (use.get(key) ?? 0) + p.cars);
      }
      for (const [key, count] of use) {
        const [lotId, slot] = key.split('/');
        const l = base.lots.findIndex((x) => x.id === lotId);
        expect(count, key).toBeLessThanOrEqual(unloaded.gateCap[l * T + Number(slot)] ?? -1);
      }
    };
    const plan = allocate(loadedDay);
    check(plan);
    check(allocateFirstComeFirstServed(loadedDay));
    check(createOnlineAllocator(loadedDay).initialPlan);
    expect(plan.summary.objectiveS).toBeGreaterThan(allocate(base).summary.objectiveS);
  });

  it('change nothing when absent or empty', () => {
    const base = syntheticDay(5, { appointmentCount: 200, capacityScale: 0.15 });
    const plain = compileDay(base).instance;
    const empty = compileDay({ ...base, gatePassages: [] }).instance;
    expect([...empty.gateCap]).toEqual([...plain.gateCap]);
    expect([...empty.optCost]).toEqual([...plain.optCost]);
    expect(allocate({ ...base, gatePassages: [] })).toEqual(allocate(base));
  });

  it('are refused naming the field: an unknown lot, a time that is no minute of the day, cars not a count', () => {
    const bad = (passage: Partial<GatePassage>, index = 0) => {
      const gatePassages = [
        { lotId: 'near', atMin: 480, cars: 1 },
        { lotId: 'far', atMin: 480, cars: 1 },
      ];
      gatePassages[index] = { ...(gatePassages[index] as GatePassage), ...passage };
      return failure(day(gatePassages));
    };
    expect(bad({ lotId: 'P9' }, 1)).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'gatePassages[1].lotId' });
    for (const atMin of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(bad({ atMin })).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'gatePassages[0].atMin' });
    }
    for (const cars of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(bad({ cars }, 1)).toEqual({ code: 'CB_ALLOCATION_INVALID', path: 'gatePassages[1].cars' });
    }
    expect(() => createOnlineAllocator(day([{ lotId: 'P9', atMin: 480, cars: 1 }]))).toThrow(
      /gatePassages\[0\]\.lotId: unknown lot "P9"/,
    );
  });
});
