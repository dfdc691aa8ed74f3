import { describe, expect, it } from 'vitest';
import { type AllocationInstance, compileDay } from '../../src/allocation/allocation-instance.js';
import { AllocationState } from '../../src/allocation/allocation-state.js';
import { improveByGatePaths } from '../../src/allocation/gate-paths.js';
import { allocateGreedy } from '../../src/allocation/greedy-allocator.js';
import { improveLocally } from '../../src/allocation/local-search.js';
import { syntheticDay } from '../../src/allocation/synthetic-day.js';
import { twoGateDay } from './two-gate-day.js';

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

/**
 * Three cars, two gates of one passage each, bays without limit; leaving a car off costs 1,000 s. Car 0 (on the
 * wait-list) may take gate 0 for 100 s; car 1 holds gate 0 for 200 s and could take gate 1 for 300 s; car 2 holds
 * gate 1 for 900 s and has nothing else. The cheapest plan (1,400 s) moves car 0 in, car 1 over and car 2 out.
 */
function waitListSwapDay(): AllocationInstance {
  return twoGateDay([0, 1, 3, 4], [0, 0, 1, 1], [100, 200, 300, 900]);
}

describe('a path through full gates', () => {
  it('may end with its last car on the wait-list, when that gains', () => {
    const state = new AllocationState(waitListSwapDay());
    state.place(1, 1);
    state.place(2, 3);
    expect(state.objective()).toBe(2100);
    expect(improveByGatePaths(state)).toBe(true);
    expect(Array.from(state.choice)).toEqual([0, 2, -1]);
    expect(state.objective()).toBe(1400);
    expectFeasible(state);
  });

  it('does not send a car to the wait-list when that would not gain', () => {
    const instance = waitListSwapDay();
    // Car 0's option now costs 950 s: putting car 1 or car 2 off for it would cost more than car 0 gains.
    const state = new AllocationState({ ...instance, optCost: Float64Array.from([950, 200, 300, 100]) });
    state.place(1, 1);
    state.place(2, 3);
    expect(improveByGatePaths(state)).toBe(false);
    expect(Array.from(state.choice)).toEqual([-1, 1, 3]);
  });
});
