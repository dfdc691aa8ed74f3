import { describe, expect, it } from 'vitest';
import { type AllocationInstance, compileDay } from '../../src/allocation/allocation-instance.js';
import type { AllocationState } from '../../src/allocation/allocation-state.js';
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

  it('run before the only polish when the first repaired plan is further off than deferPolishRatio', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const instance = tightDay(seed);
      const twoPolishes = optimiseWithPrices(instance, 10, 0, extra);
      const deferred = optimiseWithPrices(instance, 10, 0, { ...extra, deferPolishRatio: 0 });
      // Ten rounds leave every repaired plan above its bound, so the extra rounds run, until the gap is certified.
      expect(deferred.extraIterations).toBeGreaterThan(0);
      expect(deferred.iterations).toBe(10 + deferred.extraIterations);
      if (deferred.extraIterations < extra.rounds) expect(gapOf(deferred)).toBeLessThanOrEqual(extra.stopRatio + 1e-12);
      expectFeasible(instance, deferred.state);
      expect(deferred.lowerBoundS).toBeLessThanOrEqual(deferred.state.objective());
      // One polish instead of two, on a plan repaired at better prices: within 1 % of the two-polish plan.
      expect(deferred.state.objective()).toBeLessThanOrEqual(1.01 * twoPolishes.state.objective());
      expect(Array.from(optimiseWithPrices(instance, 10, 0, { ...extra, deferPolishRatio: 0 }).state.choice)).toEqual(
        Array.from(deferred.state.choice),
      );
      // A ratio the first plan is within leaves the two-polish path as it was.
      expect(Array.from(optimiseWithPrices(instance, 10, 0, { ...extra, deferPolishRatio: 1 }).state.choice)).toEqual(
        Array.from(twoPolishes.state.choice),
      );
    }
  });
});

/** Every bay point and gate within capacity, recounted from the choices alone. */
function expectFeasible(instance: AllocationInstance, state: AllocationState): void {
  const { optChain, optFrom, optTo, optGate, pointCount: P, chainCap, gateCap } = instance;
  const bays = new Int32Array(chainCap.length);
  const gates = new Int32Array(gateCap.length);
  for (const o of state.choice) {
    if (o < 0) continue;
    gates[optGate[o] as number]! += 1;
    for (let p = optFrom[o] as number; p < (optTo[o] as number); p++) bays[(optChain[o] as number) * P + p]! += 1;
  }
  expect(bays.every((load, k) => load <= (chainCap[k] as number))).toBe(true);
  expect(gates.every((load, g) => load <= (gateCap[g] as number))).toBe(true);
}
