/** One way to serve a car: a lot × kind × arrival window (or the drop-off kerb), with its costs. */
export interface CarOption {
  /** Lot index; -1 for drop-off. */
  lot: number;
  /** Kind index; -1 for drop-off. */
  kind: number;
  /** `lot × KIND_COUNT + kind`; the no-bay chain for drop-off. */
  chain: number;
  /** Points of the bay axis held: `[from, to)`; empty for drop-off. */
  from: number;
  to: number;
  /** Gate (lot × slot, or the kerb's slot) the car passes. */
  gate: number;
  outcome: number;
  windowFromMin: number;
  holdUntilMin: number;
  /** Arrival shift (negative = earlier) and reschedule offset, minutes. */
  shiftMin: number;
  rescheduleMin: number;
  driveS: number;
  walkS: number;
  walkWeight: number;
  fallbackS: number;
  shiftS: number;
  alternativeS: number;
  costS: number;
}

/**
 * Options as columns of typed arrays that grow as rows are added: a day has tens of thousands of options, and an
 * object kept per option cost more time in allocation and garbage collection than the optimiser spent on them.
 * Every field is written out (no loop over field names): keyed access by a variable name is slow in V8.
 */
export class OptionColumns {
  length = 0;

  /** `capacity`: rows expected (the columns grow beyond it when needed). */
  constructor(capacity = 64) {
    this.grow(Math.max(1, capacity));
  }

  lot = new Int32Array(0);
  kind = new Int32Array(0);
  chain = new Int32Array(0);
  from = new Int32Array(0);
  to = new Int32Array(0);
  gate = new Int32Array(0);
  outcome = new Uint8Array(0);
  windowFromMin = new Float64Array(0);
  holdUntilMin = new Float64Array(0);
  shiftMin = new Float64Array(0);
  rescheduleMin = new Float64Array(0);
  driveS = new Float64Array(0);
  walkS = new Float64Array(0);
  walkWeight = new Float64Array(0);
  fallbackS = new Float64Array(0);
  shiftS = new Float64Array(0);
  alternativeS = new Float64Array(0);
  costS = new Float64Array(0);

  /** Appends an empty row and answers its index, for the caller to fill in every column. */
  add(): number {
    if (this.length === this.lot.length) this.grow();
    return this.length++;
  }

  /** Appends a row and answers its index. */
  push(option: CarOption): number {
    const k = this.add();
    this.lot[k] = option.lot;
    this.kind[k] = option.kind;
    this.chain[k] = option.chain;
    this.from[k] = option.from;
    this.to[k] = option.to;
    this.gate[k] = option.gate;
    this.outcome[k] = option.outcome;
    this.windowFromMin[k] = option.windowFromMin;
    this.holdUntilMin[k] = option.holdUntilMin;
    this.shiftMin[k] = option.shiftMin;
    this.rescheduleMin[k] = option.rescheduleMin;
    this.driveS[k] = option.driveS;
    this.walkS[k] = option.walkS;
    this.walkWeight[k] = option.walkWeight;
    this.fallbackS[k] = option.fallbackS;
    this.shiftS[k] = option.shiftS;
    this.alternativeS[k] = option.alternativeS;
    this.costS[k] = option.costS;
    return k;
  }

  /** Appends row `k` of `from` and answers its index. */
  append(from: OptionColumns, k: number): number {
    const to = this.add();
    this.lot[to] = from.lot[k] as number;
    this.kind[to] = from.kind[k] as number;
    this.chain[to] = from.chain[k] as number;
    this.from[to] = from.from[k] as number;
    this.to[to] = from.to[k] as number;
    this.gate[to] = from.gate[k] as number;
    this.outcome[to] = from.outcome[k] as number;
    this.windowFromMin[to] = from.windowFromMin[k] as number;
    this.holdUntilMin[to] = from.holdUntilMin[k] as number;
    this.shiftMin[to] = from.shiftMin[k] as number;
    this.rescheduleMin[to] = from.rescheduleMin[k] as number;
    this.driveS[to] = from.driveS[k] as number;
    this.walkS[to] = from.walkS[k] as number;
    this.walkWeight[to] = from.walkWeight[k] as number;
    this.fallbackS[to] = from.fallbackS[k] as number;
    this.shiftS[to] = from.shiftS[k] as number;
    this.alternativeS[to] = from.alternativeS[k] as number;
    this.costS[to] = from.costS[k] as number;
    return to;
  }

  row(k: number): CarOption {
    return {
      lot: this.lot[k] as number,
      kind: this.kind[k] as number,
      chain: this.chain[k] as number,
      from: this.from[k] as number,
      to: this.to[k] as number,
      gate: this.gate[k] as number,
      outcome: this.outcome[k] as number,
      windowFromMin: this.windowFromMin[k] as number,
      holdUntilMin: this.holdUntilMin[k] as number,
      shiftMin: this.shiftMin[k] as number,
      rescheduleMin: this.rescheduleMin[k] as number,
      driveS: this.driveS[k] as number,
      walkS: this.walkS[k] as number,
      walkWeight: this.walkWeight[k] as number,
      fallbackS: this.fallbackS[k] as number,
      shiftS: this.shiftS[k] as number,
      alternativeS: this.alternativeS[k] as number,
      costS: this.costS[k] as number,
    };
  }

  private grow(size = this.lot.length * 2): void {
    this.lot = resized(this.lot, new Int32Array(size));
    this.kind = resized(this.kind, new Int32Array(size));
    this.chain = resized(this.chain, new Int32Array(size));
    this.from = resized(this.from, new Int32Array(size));
    this.to = resized(this.to, new Int32Array(size));
    this.gate = resized(this.gate, new Int32Array(size));
    this.outcome = resized(this.outcome, new Uint8Array(size));
    this.windowFromMin = resized(this.windowFromMin, new Float64Array(size));
    this.holdUntilMin = resized(this.holdUntilMin, new Float64Array(size));
    this.shiftMin = resized(this.shiftMin, new Float64Array(size));
    this.rescheduleMin = resized(this.rescheduleMin, new Float64Array(size));
    this.driveS = resized(this.driveS, new Float64Array(size));
    this.walkS = resized(this.walkS, new Float64Array(size));
    this.walkWeight = resized(this.walkWeight, new Float64Array(size));
    this.fallbackS = resized(this.fallbackS, new Float64Array(size));
    this.shiftS = resized(this.shiftS, new Float64Array(size));
    this.alternativeS = resized(this.alternativeS, new Float64Array(size));
    this.costS = resized(this.costS, new Float64Array(size));
  }
}

function resized<T extends Int32Array | Uint8Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}
