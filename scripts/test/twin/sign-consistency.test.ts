import { describe, expect, it } from 'vitest';
import { facesReadOff, lotDriverTakes, SignConsistency } from '../../src/twin/sign-consistency.js';

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

  it('counts FULL shown over at least the hysteresis of free public bays for longer than the sign’s latency, reservations in force withheld', () => {
    const check = new SignConsistency();
    const zones = (b1Free: number) => [
      { lotId: 'H', zoneId: 'B1', byKind: { standard: { free: b1Free, occupied: 10, unknown: 0 } } },
      { lotId: 'H', zoneId: 'B2', byKind: { standard: { free: 0, occupied: 10, unknown: 0 } } },
    ];
    const faces = facesReadOff(signs, [
      { lines: [line('H', 'FULL')] },
      { lines: [line('B1', 'FULL'), line('B2', 'FULL')] },
    ]);
    // 6 free, 2 of them held for reservations: 4 public, below a hysteresis of 6.
    const held = [
      { lotId: 'H', kind: 'standard' },
      { lotId: 'H', zoneId: 'B1', kind: 'standard' },
    ];
    check.sample(faces, { situation: { zones: zones(6), reservations: held }, reopenAtFree: 6, atMs: 0 });
    expect([check.samples, check.contradictory, check.fullOverFree]).toEqual([1, 0, 0]);
    // 8 public free: FULL over free bays. Within the sign's latency (2 s) it is the latency; beyond, contradictory.
    const free = { situation: { zones: zones(8), reservations: [] }, reopenAtFree: 6, graceMs: 2000 };
    check.sample(faces, { ...free, atMs: 10_000 });
    check.sample(faces, { ...free, atMs: 11_000 });
    expect([check.contradictory, check.fullOverFree, check.fullOverFreeWithinGrace]).toEqual([0, 0, 2]);
    check.sample(faces, { ...free, atMs: 12_500 });
    expect([check.samples, check.contradictory, check.fullOverFree]).toEqual([4, 1, 1]);
    // Once the sign is right again the clock starts over.
    check.sample(faces, { ...free, situation: { zones: zones(1), reservations: [] }, atMs: 13_000 });
    check.sample(faces, { ...free, atMs: 14_000 });
    expect([check.contradictory, check.fullOverFreeWithinGrace]).toEqual([1, 3]);
    expect(check.last).toBe('G-west "H FULL" with 8 free');
  });
});

describe('SignConsistency: signs being rewritten', () => {
  it('counts signs that disagree only once they have disagreed for longer than the latency (an edge rewrites them one by one)', () => {
    const check = new SignConsistency();
    const truth = {
      situation: { zones: [], reservations: [] },
      reopenAtFree: 3,
      graceMs: 1500,
    };
    const disagreeing = facesReadOff(signs, [
      { lines: [line('H', 'FULL')] },
      { lines: [line('B1', 4), line('B2', 4)] },
    ]);
    const agreeing = facesReadOff(signs, [
      { lines: [line('H', 'FULL')] },
      { lines: [line('B1', 'FULL'), line('B2', 'FULL')] },
    ]);
    // G-west already shows the new FULL, H-entrance not yet: the next sample, 1 s later, finds both rewritten.
    check.sample(disagreeing, { ...truth, atMs: 0 });
    check.sample(agreeing, { ...truth, atMs: 1000 });
    expect([check.samples, check.contradictory, check.disagreeingWithinGrace]).toEqual([2, 0, 1]);
    // The same disagreement again, now lasting past the latency: contradictory from its third second on.
    check.sample(disagreeing, { ...truth, atMs: 5000 });
    check.sample(disagreeing, { ...truth, atMs: 6000 });
    check.sample(disagreeing, { ...truth, atMs: 7000 });
    expect([check.contradictory, check.disagreeingWithinGrace]).toEqual([1, 3]);
    expect(check.last).toBe('G-west "H FULL" while H-entrance "B1 4"');
  });
});

describe('SignConsistency: the samples showing FULL', () => {
  it('counts, per lot, the samples in which any sign showed it red FULL (amber FULL is a fail-safe, not full)', () => {
    const check = new SignConsistency();
    // H FULL on two signs in one sample: one FULL sample for H.
    check.sample(
      facesReadOff(signs, [{ lines: [line('H', 'FULL')] }, { lines: [line('B1', 'FULL'), line('B2', 'FULL')] }]),
    );
    check.sample(facesReadOff(signs, [{ lines: [line('H', 40)] }, { lines: [line('B1', 'FULL'), line('B2', 40)] }]));
    check.sample(facesReadOff(signs, [{ lines: [line('H', 'FULL', 'amber')] }, null]));
    check.sample(facesReadOff(signs, [{ lines: [line('H', 40)] }, { lines: [line('B1', 2), line('B2', 38)] }]));
    const p2 = [{ signId: 'G-east', areas: [{ lotId: 'P2', kinds: PUBLIC }] }, signs[0]!];
    check.sample(facesReadOff(p2, [{ lines: [line('P2', 'FULL')] }, { lines: [line('H', 'FULL')] }]));
    expect(check.samples).toBe(5);
    expect(check.samplesWithFull).toBe(3);
    expect(Object.fromEntries(check.fullSamplesByLot)).toEqual({ H: 3, P2: 1 });
  });
});

describe('lotDriverTakes', () => {
  it('is the lot of the line a compliant driver follows, read off the emulated sign', () => {
    const sign = {
      signId: 'G-west',
      areas: [
        { lotId: 'H', kinds: PUBLIC },
        { lotId: 'P2', kinds: PUBLIC },
      ],
    };
    expect(lotDriverTakes(sign, { lines: [line('H', 'FULL'), line('P2', 40)] })).toBe('P2');
    expect(lotDriverTakes(sign, { lines: [line('H', 3), line('P2', 40)] })).toBe('H');
    expect(lotDriverTakes(sign, { lines: [line('H', 'FULL'), line('P2', 0)] })).toBeUndefined();
    expect(lotDriverTakes(sign, null)).toBeUndefined();
  });
});
