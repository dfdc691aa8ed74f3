import type { AllocationInstance } from './allocation-instance.js';

/** An assignment of cars to options with the bay and gate loads it implies; `choice[i] = -1` is unplaced. */
export class AllocationState {
  readonly choice: Int32Array;
  readonly chainLoad: Int32Array;
  readonly gateLoad: Int32Array;

  constructor(readonly instance: AllocationInstance) {
    this.choice = new Int32Array(instance.carCount).fill(-1);
    this.chainLoad = new Int32Array(instance.chainCap.length);
    this.gateLoad = new Int32Array(instance.gateCap.length);
  }

  /** True when car `i` could take option `o` on top of the current loads. */
  fits(i: number, o: number): boolean {
    const inst = this.instance;
    const T = inst.slotCount;
    const a = inst.arrivalSlot[i] as number;
    const gate = (inst.optLot[o] as number) * T + a;
    if ((this.gateLoad[gate] as number) >= (inst.gateCap[gate] as number)) return false;
    const base = (inst.optChain[o] as number) * T;
    const d = inst.departSlot[i] as number;
    for (let t = base + a; t < base + d; t++)
      if ((this.chainLoad[t] as number) >= (inst.chainCap[t] as number)) return false;
    return true;
  }

  place(i: number, o: number): void {
    this.apply(i, o, 1);
    this.choice[i] = o;
  }

  remove(i: number): void {
    const o = this.choice[i] as number;
    if (o < 0) return;
    this.apply(i, o, -1);
    this.choice[i] = -1;
  }

  costOf(i: number): number {
    const o = this.choice[i] as number;
    return o < 0 ? this.instance.unplacedPenaltyS : (this.instance.optCost[o] as number);
  }

  objective(): number {
    let sum = 0;
    for (let i = 0; i < this.instance.carCount; i++) sum += this.costOf(i);
    return sum;
  }

  copyFrom(other: AllocationState): void {
    this.choice.set(other.choice);
    this.chainLoad.set(other.chainLoad);
    this.gateLoad.set(other.gateLoad);
  }

  private apply(i: number, o: number, delta: number): void {
    const inst = this.instance;
    const T = inst.slotCount;
    const a = inst.arrivalSlot[i] as number;
    const gate = (inst.optLot[o] as number) * T + a;
    this.gateLoad[gate] = (this.gateLoad[gate] as number) + delta;
    const base = (inst.optChain[o] as number) * T;
    const d = inst.departSlot[i] as number;
    for (let t = base + a; t < base + d; t++) this.chainLoad[t] = (this.chainLoad[t] as number) + delta;
  }
}
