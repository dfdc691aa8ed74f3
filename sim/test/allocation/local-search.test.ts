import { describe, expect, it } from 'vitest';
import type { AllocationInstance } from '../../src/allocation/allocation-instance.js';
import { AllocationState } from '../../src/allocation/allocation-state.js';
import { improveLocally } from '../../src/allocation/local-search.js';
import { twoGateDay } from './two-gate-day.js';

/**
 * Two cars, two gates of one passage each, bays without limit; leaving a car off costs 1,000 s. Car 0 holds gate A
 * for 500 s and could take gate B for 100 s; car 1 holds gate B for 100 s and could take gate A for 200 s. Neither
 * can move alone (each other gate is full); the cheapest plan (300 s) swaps them: car 1 takes the place car 0 frees.
 */
function swapDay(): AllocationInstance {
  return twoGateDay([0, 2, 4], [1, 0, 1, 0], [100, 500, 100, 200]);
}

describe('local search', () => {
  it('moves a car out of a full gate into the place the car taking its own frees (an ejection through the freed gate)', () => {
    const state = new AllocationState(swapDay());
    state.place(0, 1);
    state.place(1, 2);
    expect(state.objective()).toBe(600);
    improveLocally(state);
    expect(Array.from(state.choice)).toEqual([0, 3]);
    expect(state.objective()).toBe(300);
    expect(Array.from(state.gateLoad)).toEqual([1, 1]);
  });
});
