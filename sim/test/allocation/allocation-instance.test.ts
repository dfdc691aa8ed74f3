import { describe, expect, it } from 'vitest';
import { compileDay, isCheapestFirst } from '../../src/allocation/allocation-instance.js';
import { solveAllocation } from '../../src/allocation/solve-allocation.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import type { AllocationDay } from '../../src/allocation/allocation-types.js';
import type { ParkingLot } from '../../src/model/index.js';
import { gridNetwork } from '../routing/grid-network.js';

const dayStartMs = Date.UTC(2026, 2, 2);
const lot: ParkingLot = {
  id: 'P1',
  name: 'Shared lot',
  entryEdgeId: 'n2_1-n2_2',
  zones: [
    { id: 'A', capacityByKind: { standard: 60, accessible: 4 } },
    { id: 'B', capacityByKind: { standard: 40 } },
  ],
  gateServiceVehPerMin: 2,
  openingHours: [{ fromMin: 7 * 60, toMin: 19 * 60 }],
  capacityWindows: [
    { kind: 'standard', capacityBays: 30, fromMin: 0, toMin: 9 * 60 + 30 },
    { kind: 'standard', capacityBays: 50, fromMin: 12 * 60, toMin: 24 * 60 },
  ],
  walkTimeSByEntrance: { main: 120 },
  reserveByKind: { standard: 5 },
};

function day(extra: Partial<AllocationDay> = {}): AllocationDay {
  return {
    dayStartMs,
    lots: [lot],
    appointments: [
      {
        id: 'a',
        startMs: dayStartMs + 10 * 3_600_000,
        endMs: dayStartMs + 11 * 3_600_000,
        status: 'booked',
        entranceId: 'main',
        needs: { preferredKinds: [] },
      },
    ],
    ...extra,
  };
}

describe('compileDay', () => {
  it('turns staff-held bays, an afternoon share, the reserve and live occupancy into bays, to the minute', () => {
    const { instance, axis } = compileDay(
      day({ occupancy: [{ lotId: 'P1', kind: 'standard', bays: 20, fromMin: 10 * 60, untilMin: 11 * 60 }] }),
    );
    const P = instance.pointCount;
    // The axis has the minutes where a hold may begin or capacity changes; bays hold from each until the next.
    expect([...instance.pointMin]).toEqual([0, 570, 600, 660, 720, 1440]);
    const standard = (hh: number, mm = 0): number => instance.chainCap[0 * P + axis.atOrBefore(hh * 60 + mm)] ?? -1;
    expect(standard(8)).toBe(30 - 5); // staff hold bays until 09:30
    expect(standard(9, 15)).toBe(25);
    expect(standard(9, 30)).toBe(100 - 5);
    expect(standard(10)).toBe(100 - 5 - 20); // others park here 10:00–11:00
    expect(standard(11)).toBe(95);
    expect(standard(13)).toBe(50 - 5); // the owner keeps half after noon
    expect(instance.chainCap[1 * P + axis.atOrBefore(600)]).toBe(4); // accessible, no window
  });

  it('names the occupancy field that points at a lot or zone that does not exist', () => {
    const pathOf = (occupancy: AllocationDay['occupancy']): unknown => {
      try {
        compileDay(day({ occupancy }));
      } catch (err) {
        return (err as { code?: string; path?: string }).code + ' ' + (err as { path?: string }).path;
      }
      return undefined;
    };
    expect(pathOf([{ lotId: 'P9', kind: 'standard', bays: 1 }])).toBe('CB_ALLOCATION_INVALID occupancy[0].lotId');
    expect(
      pathOf([
        { lotId: 'P1', zoneId: 'A', kind: 'standard', bays: 1 },
        { lotId: 'P1', zoneId: 'Z', kind: 'standard', bays: 1 },
      ]),
    ).toBe('CB_ALLOCATION_INVALID occupancy[1].zoneId');
    expect(pathOf([{ lotId: 'P1', zoneId: 'B', kind: 'standard', bays: 1 }])).toBeUndefined();
  });

  it('names the occupancy field whose kind, count or window is not one', () => {
    const pathOf = (item: Record<string, unknown>): unknown => {
      try {
        compileDay(
          day({
            occupancy: [
              { lotId: 'P1', kind: 'standard', bays: 1 },
              { lotId: 'P1', kind: 'standard', bays: 1, ...item } as never,
            ],
          }),
        );
      } catch (err) {
        return (err as { code?: string; path?: string }).code + ' ' + (err as { path?: string }).path;
      }
      return undefined;
    };
    expect(pathOf({ kind: 'bus' })).toBe('CB_ALLOCATION_INVALID occupancy[1].kind');
    for (const bays of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(pathOf({ bays }), String(bays)).toBe('CB_ALLOCATION_INVALID occupancy[1].bays');
    }
    for (const fromMin of [Number.NaN, -15]) {
      expect(pathOf({ fromMin }), String(fromMin)).toBe('CB_ALLOCATION_INVALID occupancy[1].fromMin');
    }
    expect(pathOf({ fromMin: 600, untilMin: 600 })).toBe('CB_ALLOCATION_INVALID occupancy[1].untilMin');
    expect(pathOf({ untilMin: Number.NaN })).toBe('CB_ALLOCATION_INVALID occupancy[1].untilMin');
    expect(pathOf({ bays: 0, fromMin: 600, untilMin: 660 })).toBeUndefined();
  });

  it('admits cars only while the lot is open, at gate rate × slot × utilisation', () => {
    const { instance } = compileDay(day(), { gateUtilisation: 0.8 });
    const T = instance.slotCount;
    expect(instance.gateCap[(6 * 60 + 45) / 15]).toBe(0);
    expect(instance.gateCap[(7 * 60) / 15]).toBe(Math.floor(2 * 15 * 0.8));
    expect(instance.gateCap[(19 * 60) / 15]).toBe(0);
    expect(T).toBe(96);
  });

  it('holds the bay from start − lead to end + exit buffer, and prices the walk by need', () => {
    const accessible = day();
    accessible.appointments = [
      {
        ...(accessible.appointments[0] as AllocationDay['appointments'][0]),
        needs: { requiredKind: 'accessible', preferredKinds: [] },
      },
    ];
    const { instance } = compileDay(accessible, { arrivalLeadMin: 30, exitBufferMin: 15, defaultDriveTimeS: 500 });
    expect(instance.optWindowFromMin[0]).toBe(9 * 60 + 30);
    expect(instance.optHoldUntilMin[0]).toBe(11 * 60 + 15);
    // Held from the window's own point to the first point at or after the hold's end: no rounding to slots.
    expect(instance.pointMin[instance.optFrom[0] ?? -1]).toBe(9 * 60 + 30);
    expect(instance.pointMin[(instance.optTo[0] ?? 0) - 1]).toBeLessThan(11 * 60 + 15);
    expect(instance.pointMin[instance.optTo[0] ?? -1] ?? 1440).toBeGreaterThanOrEqual(11 * 60 + 15);
    expect([...instance.optKind]).toEqual([1]);
    expect(instance.optCost[0]).toBe(500 + 120 * 3);
  });

  it('uses the travel-time band of the arrival time for drive times over the network', () => {
    const network = gridNetwork(3);
    const slow = network.edges.map((e) => (e.lengthM / e.speedMps) * (e.fromNodeId.startsWith('n1') ? 4 : 2));
    const withBands = day({
      network,
      originEdgeByZone: { home: 'n0_0-n1_0' },
      travelTimeBands: [
        { fromMin: 0, edgeCostS: network.edges.map((e) => e.lengthM / e.speedMps) },
        { fromMin: 9 * 60, edgeCostS: slow },
      ],
    });
    withBands.appointments = [
      {
        id: 'early',
        startMs: dayStartMs + 8 * 3_600_000,
        endMs: dayStartMs + 9 * 3_600_000,
        status: 'booked',
        entranceId: 'main',
        originZoneId: 'home',
        needs: { preferredKinds: [] },
      },
      {
        id: 'late',
        startMs: dayStartMs + 10 * 3_600_000,
        endMs: dayStartMs + 11 * 3_600_000,
        status: 'booked',
        entranceId: 'main',
        originZoneId: 'home',
        needs: { preferredKinds: [] },
      },
    ];
    const { instance } = compileDay(withBands);
    // Free flow: 4 edges of 10 s. In the slow band every edge takes twice as long, those leaving n1_* four
    // times: every route from n0_0-n1_0 leaves n1_* once, so 20 + 40 + 20 + 20.
    expect(instance.optDriveS[0]).toBe(40);
    expect(instance.optDriveS[1]).toBe(20 + 40 + 20 + 20);
  });
});

describe('option order', () => {
  it("lists each car's options cheapest first, and the optimiser refuses an instance that does not", () => {
    const { instance } = compileDay(syntheticDay(3, { appointmentCount: 300, gateScale: 0.6 }), {
      arrivalShift: { earlierMin: 30, laterMin: 15 },
      dropOff: {},
    });
    expect(instance.optCost.length).toBeGreaterThan(3 * instance.carCount);
    expect(isCheapestFirst(instance)).toBe(true);
    const i = Array.from({ length: instance.carCount }, (_, c) => c).find(
      (c) =>
        (instance.optCost[(instance.optStart[c] as number) + 1] as number) >
        (instance.optCost[instance.optStart[c] as number] as number),
    ) as number;
    const swapped = instance.optCost.slice();
    const first = instance.optStart[i] as number;
    [swapped[first], swapped[first + 1]] = [swapped[first + 1] as number, swapped[first] as number];
    expect(isCheapestFirst({ ...instance, optCost: swapped })).toBe(false);
    expect(() => solveAllocation({ ...instance, optCost: swapped }, 10, 0, 0)).toThrow(/cheapest first/);
  });
});
