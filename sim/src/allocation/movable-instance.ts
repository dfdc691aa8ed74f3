import type { AllocationInstance } from './allocation-instance.js';
import type { Car } from './online-car.js';

/** Capacity and load per (chain × slot) and per (lot × slot), as the online allocator keeps them. */
export interface CapacityLedger {
  chainCap: Int32Array;
  chainLoad: Int32Array;
  gateCap: Int32Array;
  gateLoad: Int32Array;
}

/**
 * The movable cars as an allocation instance of their own, over the bays and gate passages the other cars leave
 * (what `movable` holds now counts as free). `optStart` maps the instance's options back: car `i`'s option
 * `o - optStart[i]`.
 */
export function buildMovableInstance(
  inst: AllocationInstance,
  movable: readonly Car[],
  ledger: CapacityLedger,
): { sub: AllocationInstance; optStart: Int32Array } {
  const T = inst.slotCount;
  const { chainCap, chainLoad, gateCap, gateLoad } = ledger;
  const chainFree = new Int32Array(chainCap.length);
  const gateFree = new Int32Array(gateCap.length);
  for (let k = 0; k < chainFree.length; k++) chainFree[k] = (chainCap[k] as number) - (chainLoad[k] as number);
  for (let k = 0; k < gateFree.length; k++) gateFree[k] = (gateCap[k] as number) - (gateLoad[k] as number);
  for (const car of movable) {
    const option = car.options[car.choice];
    if (option === undefined) continue;
    for (let t = car.heldFrom; t < car.heldTo; t++)
      chainFree[option.chain * T + t] = (chainFree[option.chain * T + t] as number) + 1;
    if (car.holdsGate) gateFree[option.lot * T + car.arrival] = (gateFree[option.lot * T + car.arrival] as number) + 1;
  }
  const options = movable.flatMap((car) => car.options);
  const optStart = new Int32Array(movable.length + 1);
  movable.forEach((car, i) => {
    optStart[i + 1] = (optStart[i] as number) + car.options.length;
  });
  const sub: AllocationInstance = {
    slotMin: inst.slotMin,
    slotCount: T,
    lotCount: inst.lotCount,
    carCount: movable.length,
    arrivalSlot: Int32Array.from(movable, (car) => car.arrival),
    departSlot: Int32Array.from(movable, (car) => car.depart),
    optStart,
    optLot: Int32Array.from(options, (o) => o.lot),
    optKind: Int32Array.from(options, (o) => o.kind),
    optChain: Int32Array.from(options, (o) => o.chain),
    optCost: Float64Array.from(options, (o) => o.costS),
    optDriveS: Float64Array.from(options, (o) => o.driveS),
    optWalkS: Float64Array.from(options, (o) => o.walkS),
    optWalkWeight: Float64Array.from(options, (o) => o.walkWeight),
    optFallbackS: Float64Array.from(options, (o) => o.fallbackS),
    chainCap: chainFree.map((v) => Math.max(0, v)),
    gateCap: gateFree.map((v) => Math.max(0, v)),
    unplacedPenaltyS: inst.unplacedPenaltyS,
  };
  return { sub, optStart };
}
