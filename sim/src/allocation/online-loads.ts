import type { Appointment } from '../model/index.js';
import { type CompiledDay, UNLIMITED } from './allocation-instance.js';
import { ALLOCATABLE_KINDS, type AllocationDay, type Assignment } from './allocation-types.js';
import type { CarOption } from './car-options.js';
import { describeOption, zoneOccupancy } from './plan-builder.js';
import { chainCapacities, type TimeAxis } from './time-axis.js';

export type CarStatus = 'planned' | 'en-route' | 'parked' | 'released';

/** One car as the online allocator keeps it. */
export interface OnlineCar {
  appointment: Appointment;
  /** Window start without shifts (minutes after midnight), and its gate slot: where the car is indexed. */
  nominalMin: number;
  nominalSlot: number;
  options: CarOption[];
  /** The cheapest of its options (or the wait-list): a car already there cannot gain from freed room. */
  minCostS: number;
  /** Index into `options`; -1 is the wait-list. */
  choice: number;
  status: CarStatus;
  /** Cost the car was promised when it set off (en-route cars never get worse than this). */
  promisedCostS: number;
  zone: number;
  /** Points whose bay load this car holds now, `[heldFrom, heldTo)`; its gate passage while `holdsGate`. */
  heldFrom: number;
  heldTo: number;
  holdsGate: boolean;
}

const K = ALLOCATABLE_KINDS.length;

/** Bays and gate passages in use, against what there is, per chain × point, gate and zone. */
export class OnlineLoads {
  readonly chainCap: Int32Array;
  readonly gateCap: Int32Array;
  readonly chainLoad: Int32Array;
  readonly gateLoad: Int32Array;
  private readonly P: number;
  private readonly zoneCap: number[][];
  private readonly zoneLoad: Int32Array[][];

  constructor(compiled: CompiledDay, day: AllocationDay, axis: TimeAxis) {
    this.P = axis.pointCount;
    this.chainCap = chainCapacities(day, axis, UNLIMITED);
    this.gateCap = compiled.instance.gateCap.slice();
    this.chainLoad = new Int32Array(this.chainCap.length);
    this.gateLoad = new Int32Array(this.gateCap.length);
    this.zoneCap = day.lots.map((lot) =>
      lot.zones.flatMap((zone) => ALLOCATABLE_KINDS.map((kind) => zone.capacityByKind[kind] ?? 0)),
    );
    const occupied = zoneOccupancy(axis, day);
    this.zoneLoad = day.lots.map((lot) =>
      lot.zones.flatMap((zone) =>
        ALLOCATABLE_KINDS.map((kind) => occupied.get(`${lot.id}/${zone.id}/${kind}`) ?? new Int32Array(this.P)),
      ),
    );
  }

  fits(option: CarOption): boolean {
    if ((this.gateLoad[option.gate] as number) >= (this.gateCap[option.gate] as number)) return false;
    const base = option.chain * this.P;
    for (let p = base + option.from; p < base + option.to; p++)
      if ((this.chainLoad[p] as number) >= (this.chainCap[p] as number)) return false;
    return true;
  }

  /** Adds (`delta` 1) or takes away (-1) the car's bay over points `[from, to)`, and its gate passage. */
  hold(car: OnlineCar, from: number, to: number, withGate: boolean, delta: 1 | -1): void {
    const option = car.options[car.choice];
    if (option === undefined) return;
    const base = option.chain * this.P;
    for (let p = from; p < to; p++) this.chainLoad[base + p] = (this.chainLoad[base + p] as number) + delta;
    if (withGate) this.gateLoad[option.gate] = (this.gateLoad[option.gate] as number) + delta;
    if (option.lot < 0) return;
    const zl = this.zoneLoad[option.lot]?.[car.zone * K + option.kind];
    if (zl !== undefined) for (let p = from; p < to; p++) zl[p] = (zl[p] as number) + delta;
  }

  /** The zone of the option's lot and kind with the most bays free over its hold. */
  bestZone(option: CarOption): number {
    let best = 0;
    let bestFree = Number.NEGATIVE_INFINITY;
    if (option.lot < 0) return 0;
    (this.zoneCap[option.lot] ?? []).forEach((cap, index) => {
      if (index % K !== option.kind || cap <= 0) return;
      const load = this.zoneLoad[option.lot]?.[index];
      let peak = 0;
      for (let p = option.from; p < option.to; p++) peak = Math.max(peak, load?.[p] ?? 0);
      if (cap - peak > bestFree) {
        bestFree = cap - peak;
        best = Math.floor(index / K);
      }
    });
    return best;
  }

  /** Free bays per chain × point and passages per gate, as if `cars` held nothing. */
  freeWithout(cars: readonly OnlineCar[]): { chainFree: Int32Array; gateFree: Int32Array } {
    const chainFree = new Int32Array(this.chainCap.length);
    const gateFree = new Int32Array(this.gateCap.length);
    for (let k = 0; k < chainFree.length; k++)
      chainFree[k] = (this.chainCap[k] as number) - (this.chainLoad[k] as number);
    for (let k = 0; k < gateFree.length; k++) gateFree[k] = (this.gateCap[k] as number) - (this.gateLoad[k] as number);
    for (const car of cars) {
      const option = car.options[car.choice];
      if (option === undefined) continue;
      for (let p = car.heldFrom; p < car.heldTo; p++)
        chainFree[option.chain * this.P + p] = (chainFree[option.chain * this.P + p] as number) + 1;
      if (car.holdsGate) gateFree[option.gate] = (gateFree[option.gate] as number) + 1;
    }
    return { chainFree: chainFree.map((v) => Math.max(0, v)), gateFree: gateFree.map((v) => Math.max(0, v)) };
  }
}

/** One car's assignment as it stands; a released car's bay given back from the cut on. */
export function describeCar(compiled: CompiledDay, day: AllocationDay, axis: TimeAxis, car: OnlineCar): Assignment {
  const isReleased = car.status === 'released';
  const option = isReleased ? undefined : car.options[car.choice];
  const zoneId = option === undefined || option.lot < 0 ? undefined : day.lots[option.lot]?.zones[car.zone]?.id;
  const waitListS = isReleased ? 0 : compiled.options.unplacedPenaltyS;
  const assignment = describeOption(compiled, day, car.appointment, option, zoneId, waitListS);
  if (!isReleased) return assignment;
  assignment.outcome = 'released';
  const held = car.options[car.choice];
  if (held !== undefined) {
    const cutMin = Math.min(held.holdUntilMin, axis.pointMin[car.heldTo] ?? held.holdUntilMin);
    assignment.holdUntilMs = day.dayStartMs + Math.round(cutMin * 60_000);
  }
  return assignment;
}
