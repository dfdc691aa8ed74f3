import { standstillStartLossS } from './crossing-times.js';
import type { LaneLayout } from './lane-layout.js';
import type { LinkGraph } from './link-graph.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * Minor movements at junctions (see sim/README.md, right of way): the conflicting flow each lane link sees (its foes'
 * departures as an exponential average), Siegloch's capacity c = s · exp(−q_p (t_c − t_f / 2)) with t_f = 1 / s, and
 * Adams' mean wait for a gap of t_c in Poisson traffic of rate q_p, (exp(q_p t_c) − q_p t_c − 1) / q_p; each car's own
 * wait drawn from that model's distribution with the run's seed (`drawWaitS`).
 *
 * Where a car waits for its gap decides what the queue shows: a movement that waits at the stop line (a minor road)
 * holds its lane for the wait — the car is halted there, as SUMO's queue-output counts it, and the cars behind it
 * wait too; a movement that waits inside the junction (SUMO `cont="1"`, e.g. a left turn into oncoming traffic) takes
 * its drawn wait on the way across and leaves its lane free. Only a car that finds the stop line idle waits for a gap of its
 * own; a car following its leader within a saturation headway goes in the same gap (the capacity paces a queue).
 *
 * A car that must stop for its gap has an approach phase, as SUMO's car does at a minor link: having driven up to an
 * idle stop line, it creeps the last metre below 5 km/h before it halts (`stopCreepS`, counted in the queue), and it
 * sets off from a standstill (`startLossS`, which the engine adds to its crossing).
 */
/** Whole seconds since a departure up to which the decay factors are kept (beyond: computed each time). */
const DECAY_STEPS = 4096;
/** Rejected gaps drawn one by one in a car's wait; beyond, each counts at its mean (a saturated major flow). */
const MAX_DRAWN_GAPS = 64;

/** One round of a 32-bit integer hash (murmur3's finaliser over `h` mixed with `x`). */
function mix(h: number, x: number): number {
  h = Math.imul(h ^ Math.imul(x + 0x165667b1, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A hash as a number in (0, 1). */
function unit(h: number): number {
  return ((h >>> 0) + 0.5) / 4294967296;
}

export class GapAcceptance {
  private readonly flow: Float64Array;
  private readonly flowAt: Float64Array;
  /** Per lane link: 1 when some movement yields to it (only then is its flow ever read). */
  private readonly isFoe: Uint8Array;
  /**
   * The decay factors of the flow average for whole seconds since a link's last departure, as `countDeparture` and
   * `conflictingFlow` compute them (each its own expression, so each its own table): with whole-second steps the same
   * few values recur, and `Math.exp` per departure and per foe was a tenth of a (c) run. The same doubles either way.
   */
  private readonly countDecay: number[] = [];
  private readonly readDecay: number[] = [];
  /** Per lane: the car whose stop-line wait is set, and until when it waits. */
  private readonly waitingCar: Int32Array;
  private readonly waitUntilS: Float64Array;
  private readonly saturation: number;
  /** Per lane link: what a car that stopped for its gap loses setting off from a standstill (s). */
  readonly startLossS: Float64Array;
  /** The capacity (veh/s) and Adams' mean wait (s) of the lane link last passed to `evaluate`. */
  rate = 0;
  waitS = 0;
  /** Probability that a car finds a gap of t_c at once (exp(−q_p t_c)), for the last `evaluate`. */
  gapAtOnce = 1;
  /** The conflicting flow (veh/s) of the last `evaluate`. */
  private q = 0;

  constructor(
    private readonly layout: LaneLayout,
    graph: LinkGraph,
    private readonly params: TrafficParams,
    startS: number,
    /** The run's seed for the gap waits (`TrafficSimulationInput.seed`). */
    private readonly seed: number,
  ) {
    this.startLossS = standstillStartLossS(layout, graph, params);
    const K = layout.linkTo.length;
    this.flow = new Float64Array(K);
    this.flowAt = new Float64Array(K).fill(startS);
    this.isFoe = new Uint8Array(K);
    for (const foe of layout.conflicts) this.isFoe[foe] = 1;
    this.waitingCar = new Int32Array(layout.laneCount).fill(-1);
    this.waitUntilS = new Float64Array(layout.laneCount);
    this.saturation = params.saturationFlowVehPerHourPerLane / 3600;
  }

  /** Whether lane link `k` yields to anyone. */
  yields(k: number): boolean {
    return this.layout.conflictBase[k + 1]! > this.layout.conflictBase[k]!;
  }

  /** Sets `rate` and `waitS` for lane link `k` from its conflicting flow now. */
  evaluate(k: number, nowS: number): void {
    const q = this.conflictingFlow(k, nowS);
    const tc = this.params.criticalGapS;
    this.rate = this.saturation * Math.exp(-q * (tc - 0.5 / this.saturation));
    this.waitS = q > 1e-9 ? (Math.exp(q * tc) - q * tc - 1) / q : 0;
    this.gapAtOnce = Math.exp(-q * tc);
    this.q = q;
  }

  /** Whether car `v` at the head of lane `l` is still waiting at the stop line for its gap at `nowS`. */
  isWaiting(l: number, v: number, nowS: number): boolean {
    return this.waitingCar[l] === v && this.waitUntilS[l]! > nowS;
  }

  /**
   * Until when car `v`, at the head of lane `l` since `arrivedS`, waits at the stop line for its gap (after `evaluate`
   * for its link). `readyS`: when it reached the line driving freely; `lastLeftS`: when the lane last let a car go. A
   * car following its leader within a saturation headway goes in the same gap; one that drove up to an idle stop line
   * (not moved up in a queue) and must stop first creeps to the line (`stopCreepS`). Fixed when the car first asks.
   */
  stopLineWaitUntilS(l: number, v: number, arrivedS: number, readyS: number, lastLeftS: number, nowS: number): number {
    if (this.waitingCar[l] !== v) {
      this.waitingCar[l] = v;
      const isFollower = nowS - lastLeftS <= 1 / this.saturation + this.params.stepS;
      const waitS = isFollower ? 0 : this.drawWaitS(v, l);
      this.waitUntilS[l] = arrivedS + (waitS > 0 && readyS > lastLeftS ? waitS + this.params.stopCreepS : waitS);
    }
    return this.waitUntilS[l]!;
  }

  /**
   * Car `v`'s wait, on lane `l`, for a gap of t_c in Poisson traffic of rate q_p (after `evaluate` for its link), as
   * the gap-acceptance model has it: the gaps it lets pass are N ~ geometric (none with probability exp(−q_p t_c)), each
   * an exponential headway shorter than t_c; the wait is their sum, whose mean is Adams'. The draws are hashes of the
   * run's seed, the car and the lane (deterministic, no random stream): the same car waits differently in another run.
   * Past `MAX_DRAWN_GAPS` rejected gaps (a saturated major flow) the rest count at their mean.
   */
  drawWaitS(v: number, l: number): number {
    const p0 = this.gapAtOnce;
    if (this.waitS <= 0 || p0 >= 1) return 0;
    const key = mix(mix(this.seed ^ 0x27d4eb2f, v), l);
    const u = unit(mix(key, 0));
    if (u < p0) return 0;
    const rejected = Math.floor(Math.log1p(-u) / Math.log1p(-p0));
    const q = this.q;
    const drawn = Math.min(rejected, MAX_DRAWN_GAPS);
    let waitS = 0;
    for (let i = 1; i <= drawn; i++) waitS -= Math.log1p(-unit(mix(key, i)) * (1 - p0)) / q;
    if (rejected > drawn) waitS += (rejected - drawn) * (1 / q - (this.params.criticalGapS * p0) / (1 - p0));
    return waitS;
  }

  /** A car left by lane link `k` at `nowS`: it counts in the flow its foes see. */
  countDeparture(k: number, nowS: number): void {
    // A lane link that is nobody's foe has its flow never read.
    if (this.isFoe[k] === 0) return;
    const window = this.params.conflictFlowWindowS;
    const sinceS = nowS - this.flowAt[k]!;
    const whole = sinceS | 0;
    const decay =
      whole === sinceS && whole < DECAY_STEPS
        ? (this.countDecay[whole] ??= Math.exp(-whole / window))
        : Math.exp(-sinceS / window);
    this.flow[k] = this.flow[k]! * decay + 1 / window;
    this.flowAt[k] = nowS;
  }

  /** Conflicting flow (veh/s) lane link `k` yields to: the foes' recent departure rates. */
  private conflictingFlow(k: number, nowS: number): number {
    const { layout, flow, flowAt } = this;
    const decay = 1 / this.params.conflictFlowWindowS;
    let q = 0;
    for (let c = layout.conflictBase[k]!, end = layout.conflictBase[k + 1]!; c < end; c++) {
      const foe = layout.conflicts[c]!;
      const sinceS = nowS - flowAt[foe]!;
      const whole = sinceS | 0;
      q +=
        flow[foe]! *
        (whole === sinceS && whole < DECAY_STEPS
          ? (this.readDecay[whole] ??= Math.exp(-whole * decay))
          : Math.exp(-sinceS * decay));
    }
    return q;
  }
}
