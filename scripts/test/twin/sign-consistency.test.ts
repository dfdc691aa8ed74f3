import { describe, expect, it } from 'vitest';
import { facesReadOff, SignConsistency } from '../../src/twin/sign-consistency.js';

const PUBLIC = ['standard', 'family'];
const signs = [
  { signId: 'G-west', areas: [{ lotId: 'H', kinds: PUBLIC }] },
  {
    signId: 'H-entrance',
    areas: [
      { lotId: 'H', zoneId: 'B1', kinds: PUBLIC },
      { lotId: 'H', zoneId: 'B2', kinds: PUBLIC },
    ],
  },
];
const line = (
  label: string,
  value: number | 'FULL',
  colour: 'red' | 'green' | 'amber' = value === 'FULL' ? 'red' : 'green',
) => ({
  label,
  arrow: 'ahead' as const,
  value,
  colour,
});

describe('SignConsistency', () => {
  it("counts the samples where a sign says FULL over bays another shows free (issue 16's 09:49 sample)", () => {
    const check = new SignConsistency();
    check.sample(facesReadOff(signs, [{ lines: [line('H', 70)] }, { lines: [line('B1', 'FULL'), line('B2', 70)] }]));
    expect([check.samples, check.contradictory]).toEqual([1, 0]);
    check.sample(
      facesReadOff(signs, [{ lines: [line('H', 'FULL')] }, { lines: [line('B1', 'FULL'), line('B2', 67)] }]),
    );
    expect([check.samples, check.contradictory]).toEqual([2, 1]);
    expect(check.last).toBe('G-west "H FULL" while H-entrance "B2 67"');
  });

  it("takes an amber FULL (a register sign's fail-safe) as unknown, and an unread sign as showing nothing", () => {
    const check = new SignConsistency();
    check.sample(
      facesReadOff(signs, [{ lines: [line('H', 'FULL', 'amber')] }, { lines: [line('B1', 3), line('B2', 4)] }]),
    );
    check.sample(facesReadOff(signs, [null, { lines: [line('B1', 3), line('B2', 4)] }]));
    expect([check.samples, check.contradictory]).toEqual([2, 0]);
  });
});
