import type { SignalProgram } from '../model/index.js';
import { isActuatedProgram, isGreenPhase, type DetectorPlan } from './signal-detectors.js';

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

/** What an actuated signal reads from its induction loops. */
export interface LoopReader {
  /** Seconds since loop `loop` last had a car on it at `nowS` (0 while one is on it; Infinity if none yet). */
  sinceDetectionS(loop: number, nowS: number): number;
}

/**
 * Signal programs in simulated time. A fixed-time program runs its phases in a cycle from its offset (SUMO: the
 * position in the cycle at time t is t − offset); delay-based programs run as their static plan. Yellow counts as
 * green for its first `yellowUsableS` seconds (the HCM's extension of effective green: cars too close to stop go on),
 * then as red.
 *
 * **Actuated** programs (SUMO `type="actuated"`) switch as SUMO's MSActuatedTrafficLightLogic does by default (gap
 * control): the phase in force at the start is the static plan's, until its planned end; then every phase starts with
 * its `minDur` (a phase without `minDur`/`maxDur`, e.g. yellow, lasts its `duration`). When a green phase's time is up
 * and it has not reached `maxDur`, it is extended while one of its loops (`DetectorPlan`) saw a car less than `max-gap`
 * ago: by `max(minDur − elapsed, detector-gap − gap)`, at least to the next whole second of the phase and at most to
 * `maxDur`, then checked again; otherwise the next phase starts. Phases follow in order (no skipping). `advance` runs
 * the switches due; call it once per step before `stateAt`.
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
  // Actuated programs: their indices, each one's next switch check, and per phase minDur, maxDur and green.
  private readonly actuated: Int32Array;
  private readonly runByLoops: Uint8Array;
  private readonly nextCheckS: Float64Array;
  private readonly minDurS: Float64Array;
  private readonly maxDurS: Float64Array;
  private readonly durationS: Float64Array;
  private readonly isGreen: Uint8Array;
  private readonly maxGapS: Float64Array;
  private readonly detectorGapS: Float64Array;
  private isStarted = false;

  /**
   * `detectors` places the loops of actuated programs (`planDetectors`); without it every program runs its static
   * plan (a run with no detector model, e.g. a plan from a file that is not a SUMO net).
   */
  constructor(
    programs: readonly SignalProgram[],
    private readonly yellowUsableS: number,
    private readonly detectors?: DetectorPlan,
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
    this.minDurS = new Float64Array(phases);
    this.maxDurS = new Float64Array(phases);
    this.durationS = new Float64Array(phases);
    this.isGreen = new Uint8Array(phases);
    this.maxGapS = new Float64Array(P);
    this.detectorGapS = new Float64Array(P);
    this.codes = new Uint8Array(cells).fill(SIGNAL_STOP);
    programs.forEach((program, p) => {
      let t = 0;
      program.phases.forEach((phase, i) => {
        t += phase.durationS;
        const at = this.phaseBase[p]! + i;
        this.phaseEndS[at] = t;
        this.durationS[at] = phase.durationS;
        this.minDurS[at] = phase.minDurS ?? phase.durationS;
        this.maxDurS[at] = phase.maxDurS ?? phase.durationS;
        this.isGreen[at] = isGreenPhase(phase.state) ? 1 : 0;
        const row = this.stateBase[p]! + i * this.stateWidth[p]!;
        for (let c = 0; c < phase.state.length; c++) this.codes[row + c] = codeOf(phase.state[c]!);
      });
      this.cycleS[p] = t;
      this.offsetS[p] = program.offsetS;
      this.maxGapS[p] = program.actuation?.maxGapS ?? 0;
      this.detectorGapS[p] = program.actuation?.detectorGapS ?? 0;
    });
    this.lookedUpAt = new Float64Array(P).fill(Number.NaN);
    this.phaseNow = new Int32Array(P);
    this.phaseStartS = new Float64Array(P);
    const actuated: number[] = [];
    if (detectors !== undefined) programs.forEach((program, p) => isActuatedProgram(program) && actuated.push(p));
    this.actuated = Int32Array.from(actuated);
    this.runByLoops = new Uint8Array(P);
    for (const p of actuated) this.runByLoops[p] = 1;
    this.nextCheckS = new Float64Array(P);
  }

  /** Whether any program is actuated (else `advance` has nothing to do). */
  get hasActuated(): boolean {
    return this.actuated.length > 0;
  }

  /** Runs the actuated programs' switch checks due at or before `nowS`, reading the loops through `loops`. */
  advance(nowS: number, loops: LoopReader): void {
    const { actuated } = this;
    if (!this.isStarted) {
      // The phase in force at the start is the static plan's, until its planned end (SUMO's first switch).
      this.isStarted = true;
      for (let a = 0; a < actuated.length; a++) {
        const p = actuated[a]!;
        this.lookUp(p, nowS);
        const at = this.phaseBase[p]! + this.phaseNow[p]!;
        this.nextCheckS[p] = this.phaseStartS[p]! + this.durationS[at]!;
      }
    }
    for (let a = 0; a < actuated.length; a++) {
      const p = actuated[a]!;
      // Checks fall on whole seconds of the phase; a step of more than a second may take several at once.
      for (let guard = 0; this.nextCheckS[p]! <= nowS + 1e-9 && guard < 16; guard++) this.trySwitch(p, nowS, loops);
    }
  }

  /** SUMO's trySwitch with the default gap control: extend the green phase, or start the next phase. */
  private trySwitch(p: number, nowS: number, loops: LoopReader): void {
    const base = this.phaseBase[p]!;
    const at = base + this.phaseNow[p]!;
    const elapsedS = nowS - this.phaseStartS[p]!;
    if (this.isGreen[at] === 1 && elapsedS < this.maxDurS[at]! - 1e-9) {
      const gapS = this.shortestGapS(p, this.phaseNow[p]!, nowS, loops);
      if (gapS < Number.POSITIVE_INFINITY) {
        let extendS = Math.max(this.minDurS[at]! - elapsedS, this.detectorGapS[p]! - gapS, 0.001);
        const totalS = elapsedS + extendS;
        if (Math.abs(totalS - Math.round(totalS)) > 1e-9) extendS = Math.floor(totalS) + 1 - elapsedS;
        this.nextCheckS[p] = nowS + Math.min(extendS, this.maxDurS[at]! - elapsedS);
        return;
      }
    }
    const count = this.phaseBase[p + 1]! - base;
    const next = (this.phaseNow[p]! + 1) % count;
    this.phaseNow[p] = next;
    this.phaseStartS[p] = nowS;
    this.nextCheckS[p] = nowS + Math.max(1, this.minDurS[base + next]!);
  }

  /** The shortest time since detection below `max-gap` among the phase's loops; Infinity when none is that recent. */
  private shortestGapS(p: number, phase: number, nowS: number, loops: LoopReader): number {
    const list = this.detectors!.phaseLoops[p]![phase]!;
    let shortest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < list.length; i++) {
      const gap = loops.sinceDetectionS(list[i]!, nowS);
      if (gap < this.maxGapS[p]! && gap < shortest) shortest = gap;
    }
    return shortest;
  }

  /** What program `p` shows link `index` at `nowS`: SIGNAL_GO, SIGNAL_YIELD or SIGNAL_STOP. */
  stateAt(p: number, index: number, nowS: number): number {
    if (this.runByLoops[p] === 0 && this.lookedUpAt[p] !== nowS) this.lookUp(p, nowS);
    const phase = this.phaseNow[p]!;
    if (index >= this.stateWidth[p]!) return SIGNAL_GO;
    const code = this.codes[this.stateBase[p]! + phase * this.stateWidth[p]! + index]!;
    if (code !== YELLOW) return code;
    return nowS - this.phaseStartS[p]! < this.yellowUsableS ? SIGNAL_GO : SIGNAL_STOP;
  }

  /**
   * When program `p`'s current phase ends, as far as is known now (after `stateAt` for this step): a fixed-time
   * phase's planned end, an actuated phase's next switch check. What it shows can change no earlier.
   */
  phaseEndsS(p: number): number {
    if (this.runByLoops[p] === 1) return this.nextCheckS[p]!;
    return this.phaseStartS[p]! + this.durationS[this.phaseBase[p]! + this.phaseNow[p]!]!;
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
