import type { AllocationInstance } from './allocation-instance.js';
import type { CarOption } from './car-options.js';
import type { OnlineLoads, OnlineCar } from './online-loads.js';
import { solveAllocation } from './solve-allocation.js';
import type { TimeAxis } from './time-axis.js';

/**
 * Re-plans `movable` cars with the full optimiser over the bays and gate passages the other cars leave, each car
 * only among options whose window starts at `nowMin` or later (or its current one). Returns per car the index of
 * its new option (-1 the wait-list), or undefined when the result is not cheaper than the cars' current plan.
 */
export function replanCars(
  base: AllocationInstance,
  axis: TimeAxis,
  loads: OnlineLoads,
  movable: readonly OnlineCar[],
  nowMin: number,
  solver: { priceIterations: number; stopGapPct: number },
): number[] | undefined {
  const { chainFree, gateFree } = loads.freeWithout(movable);
  // Cheapest first, as the optimiser needs (sort is stable: equal costs keep the car's order).
  const choices: number[][] = movable.map((car) =>
    car.options
      .flatMap((option, k) => (option.windowFromMin >= nowMin || k === car.choice ? [k] : []))
      .sort((x, y) => (car.options[x]?.costS ?? 0) - (car.options[y]?.costS ?? 0)),
  );
  const options: CarOption[] = [];
  const optStart = new Int32Array(movable.length + 1);
  movable.forEach((car, i) => {
    for (const k of choices[i] ?? []) options.push(car.options[k] as CarOption);
    optStart[i + 1] = options.length;
  });
  const f64 = (pick: (o: CarOption) => number) => Float64Array.from(options, pick);
  const i32 = (pick: (o: CarOption) => number) => Int32Array.from(options, pick);
  const sub: AllocationInstance = {
    ...base,
    pointCount: axis.pointCount,
    pointMin: axis.pointMin,
    carCount: movable.length,
    optStart,
    optLot: i32((o) => o.lot),
    optKind: i32((o) => o.kind),
    optChain: i32((o) => o.chain),
    optFrom: i32((o) => o.from),
    optTo: i32((o) => o.to),
    optGate: i32((o) => o.gate),
    optOutcome: Uint8Array.from(options, (o) => o.outcome),
    optShiftMin: f64((o) => o.shiftMin),
    optRescheduleMin: f64((o) => o.rescheduleMin),
    optWindowFromMin: f64((o) => o.windowFromMin),
    optHoldUntilMin: f64((o) => o.holdUntilMin),
    optCost: f64((o) => o.costS),
    optDriveS: f64((o) => o.driveS),
    optWalkS: f64((o) => o.walkS),
    optWalkWeight: f64((o) => o.walkWeight),
    optFallbackS: f64((o) => o.fallbackS),
    optShiftS: f64((o) => o.shiftS),
    optAlternativeS: f64((o) => o.alternativeS),
    chainCap: chainFree,
    gateCap: gateFree,
    carNominalMin: Float64Array.from(movable, (car) => car.nominalMin),
  };
  const solved = solveAllocation(sub, solver.priceIterations, 0, solver.stopGapPct);
  const before = movable.reduce((sum, car) => sum + (car.options[car.choice]?.costS ?? base.unplacedPenaltyS), 0);
  if (solved.state.objective() >= before - 1e-6) return undefined;
  return movable.map((_, i) => {
    const o = solved.state.choice[i] as number;
    return o < 0 ? -1 : (choices[i]?.[o - (optStart[i] as number)] ?? -1);
  });
}
