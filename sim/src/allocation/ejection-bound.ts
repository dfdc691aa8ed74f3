import type { AllocationState } from './allocation-state.js';

// A margin on the pruning test (seconds): the ejection's own test adds and subtracts the same costs in another order,
// so only a bound clearly at or above the gain prunes (the day's costs are whole seconds; far above any rounding).
const PRUNE_MARGIN_S = 1e-6;

/**
 * Per gate that was full when a local-search round began, a lower bound on what pushing any car there out costs:
 * over the cars whose option passes the gate, the least of (its cheapest other option with room through another gate
 * at the round's start, or its cheapest option through gate g') less its current cost, for each gate g'. An ejection
 * into a full gate pushes out a car there, which moves to an option with room elsewhere (`altOtherGateCostS`) or to
 * the place through the gate the moving car leaves (g'); when even the bound is not below the gain, no car there can
 * make the move pay, and the candidate loop (on a tight day ~24 cars a try, ~21,000-39,000 tries a plan, ~0.5 %
 * moving) is skipped. Same plans: only candidates the loop would pass over are skipped. Kept a bound while cars move
 * within the round by {@link EjectionBound.noteMove}; a gate that fills during the round is not indexed (no pruning).
 */
export class EjectionBound {
  /** Index of each gate among the gates full at the round's start, or -1. */
  private readonly fullIndex: Int32Array;
  private fullCount = 0;
  /** Per indexed gate: the least of each car's cheapest other option with room through another gate, less its cost. */
  private readonly elsewhereS: Float64Array;
  /** Per indexed gate h and gate g' (`h * G + g'`): the least of each car's cheapest option through g', less its cost. */
  private throughS: Float64Array;

  constructor(private readonly state: AllocationState) {
    const G = state.instance.gateCap.length;
    this.fullIndex = new Int32Array(G);
    this.elsewhereS = new Float64Array(G);
    this.throughS = new Float64Array(0);
  }

  /**
   * Rebuilt from the plan as it is: `altOtherGateCostS` per car (the round's), the cars by gate
   * (`gateCars[gateStart[g] .. gateStart[g+1]]`).
   */
  rebuild(altOtherGateCostS: Float64Array, gateStart: Int32Array, gateCars: Int32Array): void {
    const { state } = this;
    const { gateCap } = state.instance;
    const G = gateCap.length;
    let count = 0;
    for (let g = 0; g < G; g++) {
      if ((state.gateLoad[g] as number) >= (gateCap[g] as number)) this.fullIndex[g] = count++;
      else this.fullIndex[g] = -1;
    }
    this.fullCount = count;
    if (this.throughS.length < count * G) this.throughS = new Float64Array(count * G);
    this.throughS.fill(Number.POSITIVE_INFINITY, 0, count * G);
    this.elsewhereS.fill(Number.POSITIVE_INFINITY, 0, count);
    for (let g = 0; g < G; g++) {
      if ((this.fullIndex[g] as number) < 0) continue;
      for (let m = gateStart[g] as number; m < (gateStart[g + 1] as number); m++) {
        const j = gateCars[m] as number;
        const oj = state.choice[j] as number;
        if (oj >= 0) this.include(j, oj, altOtherGateCostS[j] as number);
      }
    }
  }

  /** Car j now holds option `oj` (moved within the round): the bound covers it at its gate. */
  noteMove(j: number, oj: number, altOtherGateCostS: Float64Array): void {
    if (oj >= 0 && this.fullCount > 0) this.include(j, oj, altOtherGateCostS[j] as number);
  }

  /**
   * Whether no car through full gate `g` can be pushed out to let a car leaving option `oi` (-1: the wait-list) gain
   * `gainS` there.
   */
  cannotEject(g: number, oi: number, gainS: number): boolean {
    const f = this.fullIndex[g] as number;
    if (f < 0) return false;
    let least = this.elsewhereS[f] as number;
    if (oi >= 0) {
      const through = this.throughS[f * this.fullIndex.length + (this.state.instance.optGate[oi] as number)] as number;
      if (through < least) least = through;
    }
    return least >= gainS + PRUNE_MARGIN_S;
  }

  private include(j: number, oj: number, altOtherS: number): void {
    const { optStart, optCost, optGate } = this.state.instance;
    const f = this.fullIndex[optGate[oj] as number] as number;
    if (f < 0) return;
    const costS = optCost[oj] as number;
    const elsewhere = altOtherS - costS;
    if (elsewhere < (this.elsewhereS[f] as number)) this.elsewhereS[f] = elsewhere;
    const row = f * this.fullIndex.length;
    // Options come cheapest first: a gate's first is the car's cheapest through it (later ones change nothing).
    for (let k = optStart[j] as number; k < (optStart[j + 1] as number); k++) {
      const at = row + (optGate[k] as number);
      const delta = (optCost[k] as number) - costS;
      if (delta < (this.throughS[at] as number)) this.throughS[at] = delta;
    }
  }
}
