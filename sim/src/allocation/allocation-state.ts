import type { AllocationInstance } from './allocation-instance.js';

/** An assignment of cars to options with the bay and gate loads it implies; `choice[i] = -1` is the wait-list. */
export class AllocationState {
  readonly choice: Int32Array;
  readonly chainLoad: Int32Array;
  readonly gateLoad: Int32Array;

  constructor(readonly instance: AllocationInstance) {
    this.choice = new Int32Array(instance.carCount).fill(-1);
    this.chainLoad = new Int32Array(instance.chainCap.length);
    this.gateLoad = new Int32Array(instance.gateCap.length);
  }

  /** True when option `o` fits on top of the current loads. */
  fits(o: number): boolean {
    const inst = this.instance;
    const gate = inst.optGate[o] as number;
    if ((this.gateLoad[gate] as number) >= (inst.gateCap[gate] as number)) return false;
    const base = (inst.optChain[o] as number) * inst.pointCount;
    const to = base + (inst.optTo[o] as number);
    for (let p = base + (inst.optFrom[o] as number); p < to; p++)
      if ((this.chainLoad[p] as number) >= (inst.chainCap[p] as number)) return false;
    return true;
  }

  place(i: number, o: number): void {
    this.apply(o, 1);
    this.choice[i] = o;
  }

  remove(i: number): void {
    const o = this.choice[i] as number;
    if (o < 0) return;
    this.apply(o, -1);
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

  private apply(o: number, delta: number): void {
    const inst = this.instance;
    const gate = inst.optGate[o] as number;
    this.gateLoad[gate] = (this.gateLoad[gate] as number) + delta;
    const base = (inst.optChain[o] as number) * inst.pointCount;
    const to = base + (inst.optTo[o] as number);
    for (let p = base + (inst.optFrom[o] as number); p < to; p++)
      this.chainLoad[p] = (this.chainLoad[p] as number) + delta;
  }
}
