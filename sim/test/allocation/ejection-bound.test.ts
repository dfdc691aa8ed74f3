import { describe, expect, it } from 'vitest';
import { AllocationState } from '../../src/allocation/allocation-state.js';
import { EjectionBound } from '../../src/allocation/ejection-bound.js';
import { twoGateDay } from './two-gate-day.js';

/**
 * Two gates of one passage each (gate 0, gate 1). Car 0: gate 1 for 100 s or gate 0 for `car0AtGate0S` (options 0, 1
 * by cost: gate 1 first). Car 1: gate 1 for 100 s or gate 0 for 200 s (options 2, 3). Car 0 at gate 0, car 1 at gate
 * 1: both gates full.
 */
function fullDay(car0AtGate0S = 500): {
  state: AllocationState;
  bound: EjectionBound;
  altOtherGateCostS: Float64Array;
} {
  const state = new AllocationState(twoGateDay([0, 2, 4], [1, 0, 1, 0], [100, car0AtGate0S, 100, 200]));
  state.place(0, 1);
  state.place(1, 2);
  const bound = new EjectionBound(state);
  // Nothing has room elsewhere: each car's cheapest other option with room through another gate is the wait-list.
  const altOtherGateCostS = Float64Array.from([1000, 1000]);
  bound.rebuild(altOtherGateCostS, Int32Array.from([0, 1, 2]), Int32Array.from([0, 1]));
  return { state, bound, altOtherGateCostS };
}

describe('ejection bound', () => {
  it('lets an ejection through when the pushed-out car can take the place the moving car frees at a gain', () => {
    const { bound } = fullDay();
    // Car 0 leaving gate 0 (option 1) for gate 1 gains 400 s; car 1 there moves to gate 0 for 100 s more.
    expect(bound.cannotEject(1, 1, 400)).toBe(false);
    expect(bound.cannotEject(1, 1, 101)).toBe(false);
  });

  it('skips it when every car there costs at least the gain to move', () => {
    const { bound } = fullDay();
    expect(bound.cannotEject(1, 1, 99)).toBe(true);
    expect(bound.cannotEject(1, 1, 50)).toBe(true);
    // From the wait-list nothing is freed: car 1 could only go to the wait-list, 900 s dearer.
    expect(bound.cannotEject(1, -1, 400)).toBe(true);
    expect(bound.cannotEject(1, -1, 901)).toBe(false);
  });

  it('never skips a gate that was not full when the round began', () => {
    const { state, bound } = fullDay();
    state.remove(1);
    bound.rebuild(Float64Array.from([1000, 1000]), Int32Array.from([0, 1, 1]), Int32Array.from([0, 0]));
    expect(bound.cannotEject(1, 1, 0)).toBe(false);
  });

  it('stays a bound when a car moves into a full gate within the round', () => {
    // Car 0: gate 1 for 100 s or gate 0 for 150 s; car 1: gate 1 for 100 s or gate 0 for 200 s.
    const { state, bound, altOtherGateCostS } = fullDay(150);
    // Car 1 alone at gate 1: moving it to gate 0 costs 100 s more.
    expect(bound.cannotEject(1, 1, 60)).toBe(true);
    // Car 0 joins gate 1 at 100 s: it could go back to gate 0 for 50 s more.
    state.remove(0);
    state.place(0, 0);
    bound.noteMove(0, 0, altOtherGateCostS);
    expect(bound.cannotEject(1, 1, 60)).toBe(false);
    expect(bound.cannotEject(1, 1, 49)).toBe(true);
  });
});
