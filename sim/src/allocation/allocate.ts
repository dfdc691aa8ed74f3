import { compileDay } from './allocation-instance.js';
import { type AllocationDay, type AllocationOptions, type AllocationPlan, activeDay } from './allocation-types.js';
import { allocateGreedy } from './greedy-allocator.js';
import { buildPlan } from './plan-builder.js';
import { solveAllocation } from './solve-allocation.js';

/**
 * Assigns each appointment's car a lot, zone and bay kind (and a route) for the whole day, minimising
 * drive time + weighted walking time + fallback and unplaced penalties under bay capacity per lot, kind
 * and slot and gate throughput per lot and slot. Plain data in and out (runs on the worker pool).
 * Throws `CB_ALLOCATION_INVALID` for an inconsistent day.
 */
export function allocate(fullDay: AllocationDay, options: AllocationOptions = {}): AllocationPlan {
  const { day, skipped } = activeDay(fullDay);
  const compiled = compileDay(day, options);
  const result = solveAllocation(
    compiled.instance,
    compiled.options.priceIterations,
    compiled.options.exactSearchNodes,
    compiled.options.stopGapPct,
  );
  return { ...buildPlan(compiled, day, result.state, result.lowerBoundS, result.isProvenOptimal), skipped };
}

/** The first-come-first-served baseline on the same day, described the same way (for comparison). */
export function allocateFirstComeFirstServed(fullDay: AllocationDay, options: AllocationOptions = {}): AllocationPlan {
  const { day, skipped } = activeDay(fullDay);
  const compiled = compileDay(day, options);
  return { ...buildPlan(compiled, day, allocateGreedy(compiled.instance), 0, false), skipped };
}
