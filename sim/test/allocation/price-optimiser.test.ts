import { describe, expect, it } from 'vitest';
import { compileDay } from '../../src/allocation/allocation-instance.js';
import { mayBeFarOff, NO_EXTRA_ROUNDS, optimiseWithPrices } from '../../src/allocation/price-optimiser.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';

// Targets tighter than the full days' (0.5 / 0.4 %): on a small day the first polish leaves less than 0.5 %.
const extra = { rounds: 60, targetRatio: 0.001, stopRatio: 0.0008 };
/** A small day whose gates bind (arrival shifts in use). */
const tightDay = (seed: number) =>
  compileDay(syntheticDay(seed, { appointmentCount: 250 }), { arrivalShift: { earlierMin: 30 }, gateUtilisation: 0.25 })
    .instance;
const gapOf = (r: ReturnType<typeof optimiseWithPrices>): number =>
  (r.state.objective() - r.lowerBoundS) / r.state.objective();

describe('extra price rounds', () => {
  it('are wanted only while the plan may be further above the optimum than the target, by its bound', () => {
    expect(mayBeFarOff(1010, 1000, 0.005)).toBe(true);
    expect(mayBeFarOff(1004, 1000, 0.005)).toBe(false);
    expect(mayBeFarOff(1005, 1000, 0.005)).toBe(false);
    expect(mayBeFarOff(100, 100, 0)).toBe(false);
  });

  it('run when the duality gap after the first rounds is above the target, stop once it is certified, never worsen the plan', () => {
    let extended = 0;
    let kept = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const instance = tightDay(seed);
      const base = optimiseWithPrices(instance, 10, 0, NO_EXTRA_ROUNDS);
      const more = optimiseWithPrices(instance, 10, 0, extra);
      expect(more.state.objective()).toBeLessThanOrEqual(base.state.objective());
      if (gapOf(base) <= extra.targetRatio) {
        expect(more.extraIterations).toBe(0);
        expect(Array.from(more.state.choice)).toEqual(Array.from(base.state.choice));
        kept++;
        continue;
      }
      extended++;
      expect(more.extraIterations).toBeGreaterThan(0);
      expect(more.iterations).toBe(10 + more.extraIterations);
      // Either the gap was certified within the stop ratio (then no round more than needed) or every round ran.
      if (more.extraIterations < extra.rounds) expect(gapOf(more)).toBeLessThanOrEqual(extra.stopRatio + 1e-12);
      expect(more.lowerBoundS).toBeGreaterThanOrEqual(base.lowerBoundS);
      // Deterministic: the same plan again.
      expect(Array.from(optimiseWithPrices(instance, 10, 0, extra).state.choice)).toEqual(
        Array.from(more.state.choice),
      );
    }
    expect(extended).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('are not run when the target is met already', () => {
    const instance = tightDay(1);
    const loose = optimiseWithPrices(instance, 10, 0, { ...extra, targetRatio: 1 });
    expect(loose.extraIterations).toBe(0);
    expect(Array.from(loose.state.choice)).toEqual(Array.from(optimiseWithPrices(instance, 10, 0).state.choice));
  });
});
