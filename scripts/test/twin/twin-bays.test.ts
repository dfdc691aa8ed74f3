import { describe, expect, it } from 'vitest';
import { TwinBays } from '../../src/twin/twin-bays.js';

const lots = [
  {
    lotId: 'L',
    siteId: 's',
    ranges: [
      { zoneId: 'A', kind: 'standard' as const, emulator: 'e', unitId: 1, firstBay: 0, count: 2 },
      { zoneId: 'A', kind: 'accessible' as const, emulator: 'e', unitId: 1, firstBay: 2, count: 1 },
      { zoneId: 'B', kind: 'standard' as const, emulator: 'e', unitId: 2, firstBay: 0, count: 1 },
    ],
  },
  { lotId: 'G', siteId: 's', gate: { emulator: 'g', unitId: 1 }, ranges: [] },
];

describe('TwinBays', () => {
  it('gives each car the lowest free bay of its kind, zone by zone, and takes it back', () => {
    const bays = new TwinBays(lots);
    expect(bays.take('L', 'standard', 'c1')).toMatchObject({ zoneId: 'A', unitId: 1, bay: 0 });
    expect(bays.take('L', 'standard', 'c2')).toMatchObject({ zoneId: 'A', unitId: 1, bay: 1 });
    expect(bays.take('L', 'standard', 'c3')).toMatchObject({ zoneId: 'B', unitId: 2, bay: 0 });
    expect(bays.release('c1')).toMatchObject({ bay: 0 });
    expect(bays.release('c1')).toBeUndefined();
    expect(bays.take('L', 'standard', 'c4')).toMatchObject({ zoneId: 'A', bay: 0 });
    expect(bays.takenCount('L')).toBe(3);
  });

  it('falls back to another kind when the lot has none of the kind left, and says when the lot is full', () => {
    const bays = new TwinBays(lots);
    expect(bays.take('L', 'family', 'f1')).toMatchObject({ kind: 'standard', bay: 0 });
    expect(bays.take('L', 'accessible', 'a1')).toMatchObject({ kind: 'accessible', bay: 2 });
    bays.take('L', 'standard', 's1');
    bays.take('L', 'standard', 's2');
    expect(bays.take('L', 'standard', 's3')).toBeUndefined();
  });

  it('has no bays for a gate-counted or unknown lot', () => {
    const bays = new TwinBays(lots);
    expect(bays.hasLot('G')).toBe(false);
    expect(bays.hasLot('nope')).toBe(false);
    expect(bays.take('nope', 'standard', 'x')).toBeUndefined();
  });
});
