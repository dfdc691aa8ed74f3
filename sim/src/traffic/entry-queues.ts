import type { CarTable } from './car-table.js';

/**
 * Cars waiting to enter the network, one FIFO per link and set of wanted lanes, so cars held back by full lanes never
 * hold back cars that want other lanes (the lanes a car wants fix which lanes it may take, so each FIFO keeps its
 * order without holding anyone else). Internal to the engine, which links the cars through `vNext`.
 */
export class EntryQueues {
  /** Cars waiting. */
  waiting = 0;
  // Per link a short list of (wanted lanes, slot) pairs: a numeric key of link and lanes went past small integers,
  // and V8 allocated a heap number for every lookup.
  private readonly slotsOf: number[][] = [];
  private readonly head: number[] = [];
  private readonly tail: number[] = [];
  private readonly activeSlots: number[] = [];
  private readonly isActive: number[] = [];

  constructor(private readonly cars: CarTable) {}

  /** Car `v` waits to enter link `e` on one of the lanes `wanted` (bit mask). */
  push(v: number, e: number, wanted: number): void {
    const { cars } = this;
    let pairs = this.slotsOf[e];
    if (pairs === undefined) {
      pairs = [];
      this.slotsOf[e] = pairs;
    }
    let slot = -1;
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === wanted) slot = pairs[i + 1]!;
    if (slot < 0) {
      slot = this.head.length;
      pairs.push(wanted, slot);
      this.head.push(-1);
      this.tail.push(-1);
      this.isActive.push(0);
    }
    cars.vNext[v] = -1;
    if (this.tail[slot]! >= 0) cars.vNext[this.tail[slot]!] = v;
    else this.head[slot] = v;
    this.tail[slot] = v;
    this.waiting++;
    if (this.isActive[slot] === 0) {
      this.isActive[slot] = 1;
      this.activeSlots.push(slot);
    }
  }

  /**
   * Lets the first cars of every FIFO enter, in order, while `enter` takes them (it returns false when the car finds
   * no lane; the FIFO then waits for the next step).
   */
  admit(enter: (v: number) => boolean): void {
    const { cars, head, tail } = this;
    for (let i = 0; i < this.activeSlots.length;) {
      const slot = this.activeSlots[i]!;
      while (head[slot]! >= 0) {
        const v = head[slot]!;
        const after = cars.vNext[v]!; // `enter` puts the car in a lane, whose list takes over `vNext`
        if (!enter(v)) break;
        head[slot] = after;
        if (head[slot]! < 0) tail[slot] = -1;
        this.waiting--;
      }
      if (head[slot]! < 0) {
        this.isActive[slot] = 0;
        this.activeSlots[i] = this.activeSlots[this.activeSlots.length - 1]!;
        this.activeSlots.pop();
      } else i++;
    }
  }
}
