import { describe, expect, it } from 'vitest';
import { TwinBays } from '../../src/twin/twin-bays.js';

const lots = [
  {
    lotId: 'L',
    siteId: 's',
    ranges: [
      { zoneId: 'B', kind: 'standard' as const, emulator: 'e', unitId: 2, firstBay: 0, count: 1 },
      { zoneId: 'A', kind: 'standard' as const, emulator: 'e', unitId: 1, firstBay: 0, count: 2 },
      { zoneId: 'A', kind: 'accessible' as const, emulator: 'e', unitId: 1, firstBay: 2, count: 1 },
    ],
  },
  { lotId: 'G', siteId: 's', gate: { emulator: 'g', unitId: 1 }, ranges: [] },
];

describe('TwinBays', () => {
  it('shows bay i of a lot’s kind on the i-th emulated bay of that kind, zone by zone, and sets only changes', () => {
    const bays = new TwinBays(lots);
    expect(bays.slot('L', 'standard', 2)).toMatchObject({ zoneId: 'B', unitId: 2, bay: 0 });
    const first = bays.update('L', 'standard', Uint8Array.from([1, 0, 1]));
    expect(first.map((c) => [c.slot.zoneId, c.slot.bay, c.isOccupied])).toEqual([
      ['A', 0, true],
      ['B', 0, true],
    ]);
    const second = bays.update('L', 'standard', Uint8Array.from([0, 0, 1]));
    expect(second.map((c) => [c.slot.zoneId, c.slot.bay, c.isOccupied])).toEqual([['A', 0, false]]);
    expect(bays.update('L', 'standard', Uint8Array.from([0, 0, 1]))).toEqual([]);
    expect(bays.zoneCounts()).toEqual([
      {
        lotId: 'L',
        zoneId: 'A',
        byKind: {
          standard: { free: 2, occupied: 0, unknown: 0 },
          accessible: { free: 1, occupied: 0, unknown: 0 },
        },
      },
      { lotId: 'L', zoneId: 'B', byKind: { standard: { free: 0, occupied: 1, unknown: 0 } } },
    ]);
  });

  it('leaves out bays the emulated lot does not have, and has none for a gate-counted or unknown lot', () => {
    const bays = new TwinBays(lots);
    expect(bays.update('L', 'accessible', Uint8Array.from([1, 1])).length).toBe(1);
    expect(bays.hasLot('L')).toBe(true);
    expect(bays.hasLot('G')).toBe(false);
    expect(bays.hasLot('nope')).toBe(false);
    expect(bays.update('nope', 'standard', Uint8Array.from([1]))).toEqual([]);
  });
});
