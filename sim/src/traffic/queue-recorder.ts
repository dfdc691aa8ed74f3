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
  /**
   * Per lane: when it last let a car go (or turned green after a red hold), when it restarted after a pause, cars gone
   * since, and how many of its cars
   * were standing when it restarted (`standingAtRestart`).
   */
  lastLeftS: Float64Array;
  releasedS: Float64Array;
  leftSinceRelease: Int32Array;
  standingAtRelease: Int32Array;
  /** Per lane: the room a queued car takes (m) and the cars the lane holds at it (`QueueCreep`). */
  laneSpacingM: Float64Array;
  laneStorage: Int32Array;
  vNext: Int32Array;
  vReady: Float64Array;
  waitingToEnter: number;
  onNetwork: number;
}

/**
 * How far short of a lane's end SUMO's first standing car stops at a traffic light (m): its front stands 1.0 m before
 * the end, so its rear is 6 m from the end, not 5 (SUMO FCD, 7 Dec: benchmark (c) seed 42, 2,281 of 2,339 standing
 * first cars on lanes into a traffic light). At a priority junction it stands 0.1 m short (the priority grid of
 * benchmark (b), 2,354 of 2,801; (c), 71 of 97): 0 here.
 */
export const STOP_SHORT_AT_SIGNAL_M = 1;

/**
 * A lane queue of `halted` cars in metres, as SUMO's queue-output measures it (`queueing_length`: from the lane's end
 * to the rear of the last halted car): the first car stops `stopShortM` short of the end (`STOP_SHORT_AT_SIGNAL_M`
 * at a traffic light, else 0), then its length, then one spacing per car behind it — the jam spacing where the queue
 * stands (n cars at a signal: 7.5 n − 1.5 m with SUMO's 5 m cars and 2.5 m minGap; elsewhere 7.5 n − 2.5 m), more
 * where it creeps (`spacingM`, `QueueCreep`). At most the link's length plus a car: a lane holds every car whose front
 * is on it (`laneStorageVeh`), so the last one's rear may stand in the junction behind, and SUMO measures to that rear.
 */
export function queueLengthM(
  halted: number,
  lengthM: number,
  params: TrafficParams,
  stopShortM = 0,
  spacingM = params.jamSpacingM,
): number {
  if (halted <= 0) return 0;
  const queueM = stopShortM + halted * spacingM - (spacingM - params.vehicleLengthM);
  const longestM = lengthM + params.vehicleLengthM;
  return queueM < longestM ? queueM : longestM;
}

/** SUMO's queue speed threshold (`--queue-output.speed-threshold`, 5 km/h): a slower car is queued. */
export const QUEUE_SPEED_THRESHOLD_MPS = 5 / 3.6;

/**
 * How far back lane `l`'s queue reaches at `nowS`, in jam places from the stop line (0: no queue; `queueLengthM` turns
 * it into metres), as SUMO's queue-output sees the lane: to the rear of the last car below 5 km/h or standing.
 * - A car joins the queue where it stops, not at the stop line: the car at place p stops p jam spacings before the
 *   line, so it reaches its place p · jamSpacingM / v earlier than it would have reached the line driving freely
 *   (`vReady`, v the link's free speed), and is below 5 km/h (v − v_5) / b after it starts braking — braking to a
 *   stop from v at the car's deceleration b ends v / 2b later than driving on would have — so it counts from
 *   `vReady − p · jamSpacingM / v + v / 2b − v_5 / b`. Cars count in lane order; the first that has not reached its
 *   place ends the queue.
 * - A standing queue's tail stays where it stopped while the lane discharges: the start wave reaches one car every
 *   `startWaveS` from the moment the lane restarted, and the cars it has not reached stand at their places, behind
 *   the places of the cars gone since (`leftSinceRelease`) that were standing when it restarted (`standingAtRelease`;
 *   a lane that restarts with a car arriving at its free-flow time was flowing, and its cars gone leave no places).
 *   Once the wave has reached every queued car, all of them are moving and nothing is queued.
 * - A car at place p stops p spacings before the line: the jam spacing, or more where the queue creeps (`QueueCreep`).
 * - No further back than the lane holds (`storageVeh` cars): a car enters a full lane only when one has left it.
 */
export function laneQueuePlaces(
  view: SampleView,
  l: number,
  freeSpeedMps: number,
  storageVeh: number,
  params: TrafficParams,
  nowS: number,
): number {
  const headwayS = 3600 / params.saturationFlowVehPerHourPerLane;
  const isDischarging = nowS - view.lastLeftS[l]! <= headwayS + params.stepS;
  const gone = isDischarging ? Math.min(view.leftSinceRelease[l]!, view.standingAtRelease[l]!) : 0;
  const queued = carsAtTheirPlaces(view, view.laneHead[l]!, gone, freeSpeedMps, params, nowS, view.laneSpacingM[l]);
  if (queued === 0) return 0;
  if (isDischarging) {
    const reached = Math.floor((nowS - view.releasedS[l]!) / params.startWaveS) + 1 - gone;
    if (reached >= queued) return 0;
  }
  return gone + queued < storageVeh ? gone + queued : storageVeh;
}

/**
 * Cars standing in a lane as the car that leaves it restarts it after a pause (a lane's `standingAtRelease`): none
 * if that car reached the line less than its braking lag ago (it was still rolling: the lane was flowing), else that
 * car and the cars behind it (from `nextCar`) that had reached their places, counted as `laneQueuePlaces` counts them.
 */
export function standingAtRestart(
  cars: Pick<SampleView, 'vNext' | 'vReady'>,
  leavingReadyS: number,
  nextCar: number,
  freeSpeedMps: number,
  params: TrafficParams,
  leftAtS: number,
): number {
  if (leavingReadyS + brakingLagS(freeSpeedMps, params) > leftAtS) return 0;
  return 1 + carsAtTheirPlaces(cars, nextCar, 1, freeSpeedMps, params, leftAtS);
}

/** Seconds after its free-flow time at its place that a car braking to a stop there is below 5 km/h: v / 2b − v₅ / b. */
function brakingLagS(freeSpeedMps: number, params: TrafficParams): number {
  return Math.max(0, (freeSpeedMps / 2 - QUEUE_SPEED_THRESHOLD_MPS) / params.decelMps2);
}

/** How many cars from `first` on, the first at place `firstPlace`, had reached their places in the queue by `atS`. */
function carsAtTheirPlaces(
  cars: Pick<SampleView, 'vNext' | 'vReady'>,
  first: number,
  firstPlace: number,
  freeSpeedMps: number,
  params: TrafficParams,
  atS: number,
  spacingM = params.jamSpacingM,
): number {
  const lagS = brakingLagS(freeSpeedMps, params);
  const placeS = spacingM / freeSpeedMps;
  let count = 0;
  for (let v = first; v >= 0; v = cars.vNext[v]!) {
    if (cars.vReady[v]! - (firstPlace + count) * placeS + lagS > atS) break;
    count++;
  }
  return count;
}

/**
 * Measures queues every `queueSampleS` as SUMO's queue-output does: a lane's queue reaches the rear of its last car
 * below 5 km/h or standing (`laneQueuePlaces`, `queueLengthM`); a link's queue is its longest lane's. A lot's gate
 * queue counts the cars on its entry link that have driven it and wait.
 */
export class QueueRecorder {
  private nextSampleS: number;
  private readonly pointCount: number;
  private readonly series: QueueSeries;
  private readonly approach: number[][];
  private readonly queueNowM: Float64Array;
  private readonly approachSamples: number[] = [];
  private readonly gateEdgeLot: Int32Array;
  /** Per lane: how far short of its end its first car stops (`STOP_SHORT_AT_SIGNAL_M` where a signal controls it). */
  private readonly laneStopShortM: Float64Array;

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
    this.laneStopShortM = new Float64Array(layout.laneCount);
    for (let l = 0; l < layout.laneCount; l++) {
      for (let k = layout.linkBase[l]!, end = layout.linkBase[l + 1]!; k < end; k++)
        if (layout.linkSignal[k]! >= 0) this.laneStopShortM[l] = STOP_SHORT_AT_SIGNAL_M;
    }
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
    const { series } = this;
    for (let i = 0; i < view.activeCount; i++) {
      const e = view.activeEdges[i]!;
      const queueM = this.linkQueueM(view, e, nowS);
      this.queueNowM[e] = queueM;
      if (queueM > series.linkMaxQueueM[e]!) series.linkMaxQueueM[e] = queueM;
      if (series.linkSeriesM !== undefined) {
        const cell = e * this.pointCount + point;
        if (queueM > series.linkSeriesM[cell]!) series.linkSeriesM[cell] = queueM;
      }
      const lot = this.gateEdgeLot[e]!;
      if (lot >= 0) {
        let atGate = 0;
        for (let l = this.layout.laneBase[e]!, end = this.layout.laneBase[e + 1]!; l < end; l++) {
          for (let v = view.laneHead[l]!; v >= 0 && view.vReady[v]! <= nowS; v = view.vNext[v]!) atGate++;
        }
        if (atGate > series.gateQueueVeh[lot]![point]!) series.gateQueueVeh[lot]![point] = atGate;
      }
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

  /** Link `e`'s queue at `nowS` (m): its longest lane's (`laneQueuePlaces`, `queueLengthM`). */
  linkQueueM(view: SampleView, e: number, nowS: number): number {
    const { graph, layout, params } = this;
    const freeSpeedMps = graph.lengthM[e]! / graph.freeTimeS[e]!;
    let longestM = 0;
    for (let l = layout.laneBase[e]!, end = layout.laneBase[e + 1]!; l < end; l++) {
      const places = laneQueuePlaces(view, l, freeSpeedMps, view.laneStorage[l]!, params, nowS);
      const queueM = queueLengthM(places, graph.lengthM[e]!, params, this.laneStopShortM[l]!, view.laneSpacingM[l]);
      if (queueM > longestM) longestM = queueM;
    }
    return longestM;
  }

  finish(): QueueSeries {
    this.series.approachSamplesM = Float32Array.from(this.approachSamples);
    return this.series;
  }
}
