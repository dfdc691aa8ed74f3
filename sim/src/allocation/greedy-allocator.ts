import type { AllocationInstance } from './allocation-instance.js';
import { AllocationState } from './allocation-state.js';

/**
 * First come, first served: cars in order of arrival (then appointment order) each take the cheapest
 * option that still has room. The baseline the optimiser must beat.
 */
export function allocateGreedy(instance: AllocationInstance): AllocationState {
  const state = new AllocationState(instance);
  const order = Array.from({ length: instance.carCount }, (_, i) => i).sort(
    (x, y) => (instance.carNominalMin[x] as number) - (instance.carNominalMin[y] as number) || x - y,
  );
  for (const i of order) {
    // Options come cheapest first: the first that fits.
    for (let o = instance.optStart[i] as number; o < (instance.optStart[i + 1] as number); o++) {
      if ((instance.optCost[o] as number) >= instance.unplacedPenaltyS) break;
      if (state.fits(o)) {
        state.place(i, o);
        break;
      }
    }
  }
  return state;
}
