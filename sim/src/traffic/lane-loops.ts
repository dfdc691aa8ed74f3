import type { RoadNetwork } from '../model/index.js';
import type { CarTable } from './car-table.js';
import type { LaneLayout } from './lane-layout.js';
import type { LinkGraph } from './link-graph.js';
import { SignalClock, type LoopReader } from './signal-clock.js';
import { detectorPlanFor, type DetectorPlan } from './signal-detectors.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * Induction loops on the lane queues, read by actuated signals. A lane is a FIFO of cars, each with the time it reaches
 * the stop line driving freely (`vReady`); a loop `d` m before the stop line sees:
 * - a car driving past: from `vReady − d / v` until its rear has passed (`+ 5 m / v`), `v` the link's free speed;
 * - a queue standing over it: the queued cars (those that have driven the link) fill the lane from the stop line at the
 *   jam spacing, so the loop is occupied while the car whose place covers it is queued, and a car moves over it each
 *   time the lane lets a car go while a queued car stands at or behind it.
 * Cars between the loop and the stop line that arrived during red are not seen again (as in SUMO: the minimum green is
 * meant to clear them). Each loop keeps a pointer to the first car of its lane not yet seen passing, so reading it is
 * amortised O(1) per car.
 */
export class LaneLoops implements LoopReader {
  /** Per lane: its loop, or -1. */
  readonly loopOfLane: Int32Array;
  private readonly lane: Int32Array;
  private readonly distanceM: Float64Array;
  /** Index (from the lane's head) of the first queued car whose place reaches the loop, and whether it covers it. */
  private readonly queueIndex: Int32Array;
  private readonly isCovered: Uint8Array;
  private readonly lastSeenS: Float64Array;
  private readonly nextCar: Int32Array;
  private readonly speedMps: Float64Array;

  constructor(
    plan: DetectorPlan,
    laneCount: number,
    laneSpeedMps: (lane: number) => number,
    jamSpacingM: number,
    private readonly carLengthM: number,
    private readonly laneHead: Int32Array,
    private readonly vNext: Int32Array,
    private readonly vReady: Float64Array,
  ) {
    const n = plan.loopLane.length;
    this.loopOfLane = new Int32Array(laneCount).fill(-1);
    this.lane = plan.loopLane;
    this.distanceM = plan.loopDistanceM;
    this.queueIndex = new Int32Array(n);
    this.isCovered = new Uint8Array(n);
    this.lastSeenS = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.nextCar = new Int32Array(n).fill(-1);
    this.speedMps = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = this.distanceM[i]!;
      this.loopOfLane[this.lane[i]!] = i;
      this.queueIndex[i] = Math.max(0, Math.ceil((d - this.carLengthM) / jamSpacingM - 1e-9));
      this.isCovered[i] = this.queueIndex[i]! * jamSpacingM <= d + 1e-9 ? 1 : 0;
      this.speedMps[i] = laneSpeedMps(this.lane[i]!);
    }
  }

  /** Car `v` was appended to lane `l`. */
  entered(l: number, v: number): void {
    const loop = this.loopOfLane[l]!;
    if (loop >= 0 && this.nextCar[loop]! < 0) this.nextCar[loop] = v;
  }

  /** The head car `v` of lane `l` is leaving at `nowS` (call before it is taken off the lane). */
  leaving(l: number, v: number, nowS: number): void {
    const loop = this.loopOfLane[l]!;
    if (loop < 0) return;
    if (this.nextCar[loop] === v) {
      this.see(loop, v);
      this.nextCar[loop] = this.vNext[v]!;
    }
    // The queue moves up one place: a queued car at or behind the loop drives over it.
    const car = this.carAt(v, this.queueIndex[loop]!);
    if (car >= 0 && this.vReady[car]! <= nowS && nowS > this.lastSeenS[loop]!) this.lastSeenS[loop] = nowS;
  }

  sinceDetectionS(loop: number, nowS: number): number {
    const { vReady, vNext } = this;
    const leadS = this.distanceM[loop]! / this.speedMps[loop]!;
    for (let v = this.nextCar[loop]!; v >= 0 && vReady[v]! - leadS <= nowS; v = vNext[v]!) {
      this.see(loop, v);
      this.nextCar[loop] = vNext[v]!;
    }
    if (this.isCovered[loop] === 1) {
      const car = this.carAt(this.laneHead[this.lane[loop]!]!, this.queueIndex[loop]!);
      if (car >= 0 && vReady[car]! <= nowS) return 0;
    }
    return nowS > this.lastSeenS[loop]! ? nowS - this.lastSeenS[loop]! : 0;
  }

  /** Car `v` drives freely past the loop: seen until its rear has passed. */
  private see(loop: number, v: number): void {
    const speed = this.speedMps[loop]!;
    const leftS = this.vReady[v]! - (this.distanceM[loop]! - this.carLengthM) / speed;
    if (leftS > this.lastSeenS[loop]!) this.lastSeenS[loop] = leftS;
  }

  /** The car `index` places behind `head` in its lane, or -1. */
  private carAt(head: number, index: number): number {
    let v = head;
    for (let i = 0; i < index && v >= 0; i++) v = this.vNext[v]!;
    return v;
  }
}

/** The network's signal programs, and the loops on the lane queues that its actuated programs read (null: none). */
export function signalsWithLoops(
  network: RoadNetwork,
  graph: LinkGraph,
  layout: LaneLayout,
  params: TrafficParams,
  laneHead: Int32Array,
  cars: CarTable,
): { signal: SignalClock; loops: LaneLoops | null } {
  const plan = detectorPlanFor(layout, network, (edgeId, carLane) => {
    const e = graph.router.edgeIndex(edgeId);
    return e >= 0 && carLane < layout.laneBase[e + 1]! - layout.laneBase[e]! ? layout.laneBase[e]! + carLane : -1;
  });
  const signal = new SignalClock(network.signals ?? [], params.yellowUsableS, plan);
  if (!signal.hasActuated) return { signal, loops: null };
  const freeSpeed = (lane: number) => graph.lengthM[layout.laneEdge[lane]!]! / graph.freeTimeS[layout.laneEdge[lane]!]!;
  const { jamSpacingM, vehicleLengthM } = params;
  const loops = new LaneLoops(
    plan,
    layout.laneCount,
    freeSpeed,
    jamSpacingM,
    vehicleLengthM,
    laneHead,
    cars.vNext,
    cars.vReady,
  );
  return { signal, loops };
}
