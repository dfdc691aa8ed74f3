import { describe, expect, it } from 'vitest';
import { compileDay } from '../../src/allocation/allocation-instance.js';
import { AllocationState } from '../../src/allocation/allocation-state.js';
import { improveByGatePaths } from '../../src/allocation/gate-paths.js';
import { allocateGreedy } from '../../src/allocation/greedy-allocator.js';
import { improveLocally } from '../../src/allocation/local-search.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';

/** The loads recounted from the choices alone, checked against every capacity. */
function expectFeasible(state: AllocationState): void {
  const recount = new AllocationState(state.instance);
  state.choice.forEach((o, i) => {
    if (o >= 0) recount.place(i, o);
  });
  expect(Array.from(recount.chainLoad)).toEqual(Array.from(state.chainLoad));
  expect(Array.from(recount.gateLoad)).toEqual(Array.from(state.gateLoad));
  state.gateLoad.forEach((load, g) => expect(load).toBeLessThanOrEqual(state.instance.gateCap[g] as number));
  state.chainLoad.forEach((load, p) => expect(load).toBeLessThanOrEqual(state.instance.chainCap[p] as number));
}

describe('paths through full gates', () => {
  it('find cheaper plans than the local search leaves on days whose gates bind, within every bay and gate', () => {
    for (const seed of [1, 2, 3]) {
      const { instance } = compileDay(syntheticDay(seed, { appointmentCount: 500 }), {
        arrivalShift: { earlierMin: 30 },
        gateUtilisation: 0.3,
      });
      const state = allocateGreedy(instance);
      improveLocally(state);
      const before = state.objective();
      expect(improveByGatePaths(state)).toBe(true);
      expectFeasible(state);
      expect(state.objective()).toBeLessThan(before);
    }
  });
});
