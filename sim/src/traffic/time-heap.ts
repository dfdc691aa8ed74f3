/** A binary min-heap of (time, item) pairs in typed arrays; ties pop in insertion order (deterministic). */
export class TimeHeap {
  private times: Float64Array;
  private items: Int32Array;
  private order: Float64Array;
  private size = 0;
  private nextOrder = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.items = new Int32Array(initialCapacity);
    this.order = new Float64Array(initialCapacity);
  }

  get length(): number {
    return this.size;
  }

  /** Time of the earliest entry, or +Infinity when empty. */
  peekTime(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  push(time: number, item: number): void {
    if (this.size === this.times.length) this.grow();
    let i = this.size++;
    const order = this.nextOrder++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, order, this.times[parent]!, this.order[parent]!)) break;
      this.times[i] = this.times[parent]!;
      this.items[i] = this.items[parent]!;
      this.order[i] = this.order[parent]!;
      i = parent;
    }
    this.times[i] = time;
    this.items[i] = item;
    this.order[i] = order;
  }

  /** Removes the earliest entry and returns its item (call only when `length > 0`). */
  pop(): number {
    const top = this.items[0]!;
    const last = --this.size;
    const time = this.times[last]!;
    const item = this.items[last]!;
    const order = this.order[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && this.before(this.times[right]!, this.order[right]!, this.times[child]!, this.order[child]!)) {
        child = right;
      }
      if (!this.before(this.times[child]!, this.order[child]!, time, order)) break;
      this.times[i] = this.times[child]!;
      this.items[i] = this.items[child]!;
      this.order[i] = this.order[child]!;
      i = child;
    }
    this.times[i] = time;
    this.items[i] = item;
    this.order[i] = order;
    return top;
  }

  private before(timeA: number, orderA: number, timeB: number, orderB: number): boolean {
    return timeA < timeB || (timeA === timeB && orderA < orderB);
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const items = new Int32Array(this.items.length * 2);
    const order = new Float64Array(this.order.length * 2);
    times.set(this.times);
    items.set(this.items);
    order.set(this.order);
    this.times = times;
    this.items = items;
    this.order = order;
  }
}
