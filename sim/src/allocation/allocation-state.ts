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

  /**
   * True when option `k` would fit once options `out1` and `out2` were taken off and `into` put on (each -1 for
   * none): a move judged without touching the loads.
   */
  fitsAfter(k: number, out1: number, out2: number, into: number): boolean {
    const inst = this.instance;
    const { optGate } = inst;
    const gate = optGate[k] as number;
    let gateLoad = this.gateLoad[gate] as number;
    if (out1 >= 0 && optGate[out1] === gate) gateLoad--;
    if (out2 >= 0 && optGate[out2] === gate) gateLoad--;
    if (into >= 0 && optGate[into] === gate) gateLoad++;
    if (gateLoad >= (inst.gateCap[gate] as number)) return false;
    return this.baysFitAfter(k, out1, out2, into);
  }

  /** {@link fitsAfter} for the bays alone (the gate not checked). */
  baysFitAfter(k: number, out1: number, out2: number, into: number): boolean {
    const inst = this.instance;
    const { optChain, optFrom, optTo } = inst;
    const chain = optChain[k] as number;
    // Each other option's hold on this chain as a range of points (empty when on another chain or none).
    const f1 = out1 >= 0 && optChain[out1] === chain ? (optFrom[out1] as number) : 0;
    const t1 = out1 >= 0 && optChain[out1] === chain ? (optTo[out1] as number) : 0;
    const f2 = out2 >= 0 && optChain[out2] === chain ? (optFrom[out2] as number) : 0;
    const t2 = out2 >= 0 && optChain[out2] === chain ? (optTo[out2] as number) : 0;
    const f3 = into >= 0 && optChain[into] === chain ? (optFrom[into] as number) : 0;
    const t3 = into >= 0 && optChain[into] === chain ? (optTo[into] as number) : 0;
    const base = chain * inst.pointCount;
    const to = optTo[k] as number;
    for (let p = optFrom[k] as number; p < to; p++) {
      let load = this.chainLoad[base + p] as number;
      if (p >= f1 && p < t1) load--;
      if (p >= f2 && p < t2) load--;
      if (p >= f3 && p < t3) load++;
      if (load >= (inst.chainCap[base + p] as number)) return false;
    }
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
