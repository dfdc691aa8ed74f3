import type { AllocationInstance } from '../../src/allocation/allocation-instance.js';

/**
 * A hand-made day of one slot for the polish tests: two gates of one passage each, bays without limit (one chain of
 * 10), leaving a car off costs 1,000 s. Car i's options are `optStart[i]` to `optStart[i + 1]`, each through its
 * `optGate` at its `optCost` (seconds, cheapest first per car); every other column is zero.
 */
export function twoGateDay(optStart: number[], optGate: number[], optCost: number[]): AllocationInstance {
  const m = optGate.length;
  const carCount = optStart.length - 1;
  const zeros = (): Float64Array => new Float64Array(m);
  return {
    slotMin: 15,
    slotCount: 1,
    lotCount: 2,
    carCount,
    pointCount: 1,
    pointMin: Float64Array.from([0]),
    chainCount: 1,
    optStart: Int32Array.from(optStart),
    optLot: new Int32Array(m),
    optKind: new Int32Array(m),
    optChain: new Int32Array(m),
    optFrom: new Int32Array(m),
    optTo: new Int32Array(m).fill(1),
    optGate: Int32Array.from(optGate),
    optOutcome: new Uint8Array(m),
    optShiftMin: zeros(),
    optRescheduleMin: zeros(),
    optWindowFromMin: zeros(),
    optHoldUntilMin: zeros(),
    optCost: Float64Array.from(optCost),
    optDriveS: zeros(),
    optWalkS: zeros(),
    optWalkWeight: zeros(),
    optFallbackS: zeros(),
    optShiftS: zeros(),
    optAlternativeS: zeros(),
    chainCap: Int32Array.from([10]),
    gateCap: Int32Array.from([1, 1]),
    carNominalMin: new Float64Array(carCount),
    unplacedPenaltyS: 1000,
  };
}
