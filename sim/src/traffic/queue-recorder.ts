import type { LaneLayout } from './lane-layout.js';
import type { LinkGraph } from './link-graph.js';
import type { LotState } from './lot-state.js';
import type { TrafficParams } from './traffic-params.js';

/** Queues and lots over time, as recorded during a run. Plain data, cloneable across threads. */
export interface QueueSeries {
  queueSampleS: number;
  seriesIntervalS: number;
  /** Start of each series point (s after midnight). */
  timesS: number[];
  /** Hospital approach queue (m): the longest branch (gate back along one road), maximum over each interval. */
  approachQueueM: number[];
  /** Hospital approach queue at every queue sample, for percentiles. */
  approachSamplesM: Float32Array;
  /** Per lot: occupied bays at the end of each series interval. */
  lotOccupancy: number[][];
  /** Per lot: cars waiting at the gate (queued on the entry link), maximum over each interval. */
  gateQueueVeh: number[][];
  vehiclesOnNetwork: number[];
  /** Cars that wanted to depart but whose first link was full (queue beyond the modelled network). */
  waitingToEnter: number[];
  /** Per link: the longest queue seen (m). */
  linkMaxQueueM: Float32Array;
  /** Per link and series point (link-major), maximum queue (m); absent when too large to keep. */
  linkSeriesM: Float32Array | undefined;
}

export interface SampleView {
  activeEdges: Int32Array;
  activeCount: number;
  /** First car of each lane (-1: empty); `vNext` links a lane's cars from head to tail. */
  laneHead: Int32Array;
  /** Per lane: when it last let a car go, when it restarted after being held, and cars gone since. */
  lastLeftS: Float64Array;
  releasedS: Float64Array;
  leftSinceRelease: Int32Array;
  vNext: Int32Array;
  vReady: Float64Array;
  waitingToEnter: number;
  onNetwork: number;
}

/**
 * A lane queue of `halted` cars in metres, as SUMO's queue-output measures it (`queueing_length`: from the lane's end
 * to the rear of the last halted car): the first car's length, then one jam spacing per car behind it; at most the
 * link's length.
 */
export function queueLengthM(halted: number, lengthM: number, params: TrafficParams): number {
  if (halted <= 0) return 0;
  const queueM = halted * params.jamSpacingM - (params.jamSpacingM - params.vehicleLengthM);
  return queueM < lengthM ? queueM : lengthM;
}

/**
 * Measures queues every `queueSampleS` as SUMO's queue-output does (`queueing_length`: from the lane's end to the rear
 * of the last halted car): a lane's queue is its cars that have driven the link and wait to leave, stacked at the jam
 * spacing (`queueLengthM`) — unless the lane is discharging and the start wave (one car every `startWaveS` from
 * the moment it restarted) has reached its last car: then every car in it is moving and nothing is halted. A link's
 * queue is its longest lane's.
 */
export class QueueRecorder {
  private nextSampleS: number;
  private readonly pointCount: number;
  private readonly series: QueueSeries;
  private readonly approach: number[][];
  private readonly queueNowM: Float64Array;
  private readonly approachSamples: number[] = [];
  private readonly gateEdgeLot: Int32Array;

  constructor(
    private readonly graph: LinkGraph,
    private readonly layout: LaneLayout,
    private readonly lots: LotState,
    private readonly params: TrafficParams,
    private readonly startS: number,
    endS: number,
    approachBranches: ReadonlyArray<readonly string[]>,
  ) {
    this.nextSampleS = startS;
    this.pointCount = Math.max(1, Math.ceil((endS - startS) / params.seriesIntervalS) + 1);
    this.approach = approachBranches.map((branch, b) =>
      branch.map((id, i) => graph.edgeIndexOrThrow(id, `approach[${b}][${i}]`)),
    );
    this.queueNowM = new Float64Array(graph.edgeCount);
    this.gateEdgeLot = new Int32Array(graph.edgeCount).fill(-1);
    for (let l = 0; l < lots.count; l++) this.gateEdgeLot[lots.entryEdge[l]!] = l;
    // Storing one non-integer first makes each series a double array from the start, whatever this run's data:
    // an array that stayed all-integer in one run and not in the next gave computeKpis a different elements kind
    // from run to run, and V8 deoptimised it over and over.
    const zeros = () => new Array<number>(this.pointCount).fill(0.5).fill(0);
    const keepLinks = graph.edgeCount * this.pointCount <= params.maxLinkSeriesCells;
    this.series = {
      queueSampleS: params.queueSampleS,
      seriesIntervalS: params.seriesIntervalS,
      timesS: Array.from({ length: this.pointCount }, (_, i) => startS + i * params.seriesIntervalS),
      approachQueueM: zeros(),
      approachSamplesM: new Float32Array(0),
      lotOccupancy: Array.from({ length: lots.count }, zeros),
      gateQueueVeh: Array.from({ length: lots.count }, zeros),
      vehiclesOnNetwork: zeros(),
      waitingToEnter: zeros(),
      linkMaxQueueM: new Float32Array(graph.edgeCount),
      linkSeriesM: keepLinks ? new Float32Array(graph.edgeCount * this.pointCount) : undefined,
    };
  }

  /** Whether a queue sample is due at `nowS` (callers build the view only then). */
  isDue(nowS: number): boolean {
    return nowS >= this.nextSampleS;
  }

  maybeSample(nowS: number, view: SampleView): void {
    if (nowS < this.nextSampleS) return;
    this.nextSampleS += this.params.queueSampleS;
    const point = Math.min(this.pointCount - 1, Math.floor((nowS - this.startS) / this.params.seriesIntervalS));
    const { graph, series } = this;
    for (let i = 0; i < view.activeCount; i++) {
      const e = view.activeEdges[i]!;
      let queued = 0;
      let longest = 0;
      for (let l = this.layout.laneBase[e]!, end = this.layout.laneBase[e + 1]!; l < end; l++) {
        let inLane = 0;
        for (let v = view.laneHead[l]!; v >= 0 && view.vReady[v]! <= nowS; v = view.vNext[v]!) inLane++;
        queued += inLane;
        if (inLane > longest && !this.isAllMoving(view, l, inLane, nowS)) longest = inLane;
      }
      const queueM = queueLengthM(longest, graph.lengthM[e]!, this.params);
      this.queueNowM[e] = queueM;
      if (queueM > series.linkMaxQueueM[e]!) series.linkMaxQueueM[e] = queueM;
      if (series.linkSeriesM !== undefined) {
        const cell = e * this.pointCount + point;
        if (queueM > series.linkSeriesM[cell]!) series.linkSeriesM[cell] = queueM;
      }
      const lot = this.gateEdgeLot[e]!;
      if (lot >= 0 && queued > series.gateQueueVeh[lot]![point]!) series.gateQueueVeh[lot]![point] = queued;
    }
    let approachM = 0;
    for (const branch of this.approach) {
      let branchM = 0;
      for (const e of branch) branchM += this.queueNowM[e]!;
      if (branchM > approachM) approachM = branchM;
    }
    this.approachSamples.push(approachM);
    if (approachM > series.approachQueueM[point]!) series.approachQueueM[point] = approachM;
    for (let l = 0; l < this.lots.count; l++) series.lotOccupancy[l]![point] = this.lots.totalOccupied(l);
    if (view.onNetwork > series.vehiclesOnNetwork[point]!) series.vehiclesOnNetwork[point] = view.onNetwork;
    if (view.waitingToEnter > series.waitingToEnter[point]!) series.waitingToEnter[point] = view.waitingToEnter;
    for (let i = 0; i < view.activeCount; i++) this.queueNowM[view.activeEdges[i]!] = 0;
  }

  /** Whether lane `l` is discharging and its start wave has reached all `waiting` cars. */
  private isAllMoving(view: SampleView, l: number, waiting: number, nowS: number): boolean {
    const headwayS = 3600 / this.params.saturationFlowVehPerHourPerLane;
    if (nowS - view.lastLeftS[l]! > headwayS + this.params.stepS) return false;
    const reached = Math.floor((nowS - view.releasedS[l]!) / this.params.startWaveS) + 1 - view.leftSinceRelease[l]!;
    return reached >= waiting;
  }

  finish(): QueueSeries {
    this.series.approachSamplesM = Float32Array.from(this.approachSamples);
    return this.series;
  }
}
