import type { SignalProgram } from '../model/index.js';

/** What a signal shows a lane link: go with priority, go but yield (SUMO `g`, `o`, `s`), or stop. */
export const SIGNAL_GO = 0;
export const SIGNAL_YIELD = 1;
export const SIGNAL_STOP = 2;
const YELLOW = 3;

function codeOf(character: string): number {
  switch (character) {
    case 'G':
    case 'O':
      return SIGNAL_GO;
    case 'g':
    case 'o':
    case 's':
      return SIGNAL_YIELD;
    case 'y':
    case 'Y':
      return YELLOW;
    default:
      return SIGNAL_STOP; // r, R, u (red-yellow)
  }
}

/**
 * Fixed-time signal programs in simulated time. A program runs its phases in a cycle from its offset (SUMO: the
 * position in the cycle at time t is t − offset); actuated and delay-based programs run as their static plan (their
 * phases' `duration`), as SUMO does when no detector extends them. Yellow counts as green for its first
 * `yellowUsableS` seconds (the HCM's extension of effective green: cars too close to stop go on), then as red.
 */
export class SignalClock {
  private readonly cycleS: Float64Array;
  private readonly offsetS: Float64Array;
  private readonly phaseBase: Int32Array;
  private readonly phaseEndS: Float64Array;
  private readonly stateBase: Int32Array;
  private readonly stateWidth: Int32Array;
  private readonly codes: Uint8Array;
  /** Per program: the time its current phase was last looked up for, the phase and where it started. */
  private readonly lookedUpAt: Float64Array;
  private readonly phaseNow: Int32Array;
  private readonly phaseStartS: Float64Array;

  constructor(
    programs: readonly SignalProgram[],
    private readonly yellowUsableS: number,
  ) {
    const P = programs.length;
    this.cycleS = new Float64Array(P);
    this.offsetS = new Float64Array(P);
    this.phaseBase = new Int32Array(P + 1);
    this.stateBase = new Int32Array(P);
    this.stateWidth = new Int32Array(P);
    let phases = 0;
    let cells = 0;
    programs.forEach((program, p) => {
      this.phaseBase[p] = phases;
      this.stateBase[p] = cells;
      const width = Math.max(...program.phases.map((phase) => phase.state.length));
      this.stateWidth[p] = width;
      phases += program.phases.length;
      cells += width * program.phases.length;
    });
    this.phaseBase[P] = phases;
    this.phaseEndS = new Float64Array(phases);
    this.codes = new Uint8Array(cells).fill(SIGNAL_STOP);
    programs.forEach((program, p) => {
      let t = 0;
      program.phases.forEach((phase, i) => {
        t += phase.durationS;
        this.phaseEndS[this.phaseBase[p]! + i] = t;
        const row = this.stateBase[p]! + i * this.stateWidth[p]!;
        for (let c = 0; c < phase.state.length; c++) this.codes[row + c] = codeOf(phase.state[c]!);
      });
      this.cycleS[p] = t;
      this.offsetS[p] = program.offsetS;
    });
    this.lookedUpAt = new Float64Array(P).fill(Number.NaN);
    this.phaseNow = new Int32Array(P);
    this.phaseStartS = new Float64Array(P);
  }

  /** What program `p` shows link `index` at `nowS`: SIGNAL_GO, SIGNAL_YIELD or SIGNAL_STOP. */
  stateAt(p: number, index: number, nowS: number): number {
    if (this.lookedUpAt[p] !== nowS) this.lookUp(p, nowS);
    const phase = this.phaseNow[p]!;
    if (index >= this.stateWidth[p]!) return SIGNAL_GO;
    const code = this.codes[this.stateBase[p]! + phase * this.stateWidth[p]! + index]!;
    if (code !== YELLOW) return code;
    return nowS - this.phaseStartS[p]! < this.yellowUsableS ? SIGNAL_GO : SIGNAL_STOP;
  }

  private lookUp(p: number, nowS: number): void {
    const cycle = this.cycleS[p]!;
    const intoCycle = (((nowS - this.offsetS[p]!) % cycle) + cycle) % cycle;
    const base = this.phaseBase[p]!;
    let i = 0;
    while (base + i < this.phaseBase[p + 1]! - 1 && this.phaseEndS[base + i]! <= intoCycle) i++;
    this.phaseNow[p] = i;
    this.phaseStartS[p] = nowS - (intoCycle - (i === 0 ? 0 : this.phaseEndS[base + i - 1]!));
    this.lookedUpAt[p] = nowS;
  }
}
