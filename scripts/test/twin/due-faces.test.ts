import { describe, expect, it } from 'vitest';
import { DueFaces } from '../../src/twin/due-faces.js';
import { faceKeyOf } from '../../src/twin/loop-latency.js';

const PUBLIC = ['standard', 'family'];
const signs = [
  {
    siteId: 'hospital',
    signId: 'G-west',
    location: 'Ring Rd',
    emulator: 'hospital-signs',
    unitId: 1,
    labels: ['H', 'SC'],
    areas: [
      { lotId: 'H', kinds: PUBLIC },
      { lotId: 'SC', kinds: PUBLIC },
    ],
  },
];
const situation = (hFree: number) => ({
  zones: [
    { lotId: 'H', zoneId: 'B1', byKind: { standard: { free: hFree, occupied: 50, unknown: 0 } } },
    { lotId: 'SC', zoneId: 'A', byKind: { standard: { free: 30, occupied: 0, unknown: 0 } } },
  ],
  reservations: [{ lotId: 'H', kind: 'standard' }],
  closedByDefault: new Set(['SC']),
});
const key = (h: number | 'FULL') =>
  faceKeyOf([
    { value: h, colour: h === 'FULL' ? 'red' : 'green' },
    { value: 'CLOSED', colour: 'red' },
  ]);

describe('DueFaces', () => {
  it('plans what each sign must show with the edges’ hysteresis, reservations withheld, closed lots CLOSED', () => {
    const due = new DueFaces(signs, { fullAtFree: 2, reopenAtFree: 6, maxUnknownPct: 25 });
    expect(due.plan(situation(10)).get('G-west')).toBe(key(9));
    expect(due.plan(situation(3)).get('G-west')).toBe(key('FULL'));
    // 5 public free: under the hysteresis, still FULL; from 6 a count again.
    expect(due.plan(situation(6)).get('G-west')).toBe(key('FULL'));
    expect(due.plan(situation(7)).get('G-west')).toBe(key(6));
  });
});
