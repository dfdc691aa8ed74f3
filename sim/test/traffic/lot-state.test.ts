import { describe, expect, it } from 'vitest';
import { KIND_INDEX, LotState } from '../../src/traffic/lot-state.js';
import { corridorLot } from '../fixtures/corridor.js';

function lotState() {
  const lot = corridorLot(10, 6);
  lot.zones = [{ id: 'z', capacityByKind: { standard: 2, accessible: 1, family: 1 } }];
  lot.openingHours = [{ fromMin: 7 * 60, toMin: 12 * 60 }];
  lot.capacityWindows = [{ kind: 'standard', capacityBays: 1, fromMin: 7 * 60, toMin: 9 * 60 }];
  return new LotState(
    [{ lot, role: 'shared', isOpenToHospital: true, initialOccupancyByKind: { family: 1 } }],
    () => 0,
  );
}

describe('LotState', () => {
  it('applies opening hours and capacity windows by time of day', () => {
    const lots = lotState();
    expect(lots.isOpen(0, 6.5 * 3600)).toBe(false);
    expect(lots.isOpen(0, 8 * 3600)).toBe(true);
    expect(lots.isOpen(0, 12 * 3600)).toBe(false);
    expect(lots.capacity(0, KIND_INDEX.standard, 8 * 3600)).toBe(1);
    expect(lots.capacity(0, KIND_INDEX.standard, 10 * 3600)).toBe(2);
    expect(lots.totalOccupied(0)).toBe(1);
  });

  it('gives the wanted kind, falls back for preferences but never for required kinds or into accessible bays', () => {
    const lots = lotState();
    const at = 10 * 3600;
    expect(lots.freeKindFor(0, KIND_INDEX.family, false, at)).toBe(KIND_INDEX.standard);
    lots.park(0, KIND_INDEX.standard);
    lots.park(0, KIND_INDEX.standard);
    expect(lots.freeKindFor(0, KIND_INDEX.standard, false, at)).toBe(-1);
    expect(lots.freeKindFor(0, KIND_INDEX.accessible, true, at)).toBe(KIND_INDEX.accessible);
    expect(lots.freeKindFor(0, KIND_INDEX.family, true, at)).toBe(-1);
    lots.release(0, KIND_INDEX.standard);
    expect(lots.freeGeneralBays(0, at)).toBe(1);
    expect(lots.maxOccupied[0]).toBe(3);
  });

  it('is closed to hospital traffic when the policy keeps a shared lot shut', () => {
    const lot = corridorLot(10, 6);
    const lots = new LotState([{ lot, role: 'shared', isOpenToHospital: false }], () => 0);
    expect(lots.isOpen(0, 8 * 3600)).toBe(false);
  });
});
