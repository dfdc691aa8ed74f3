import type { CarTable } from './car-table.js';
import type { LinkGraph } from './link-graph.js';
import { standingAtRestart } from './queue-recorder.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * For queue lengths as SUMO measures them (below 5 km/h or standing), per lane: when it last let a car go, when it
 * started moving again after a pause, how many cars it let go since, and how many stood in it then. Kept by the engine
 * as cars leave, read by the queue recorder (`SampleView`).
 */
export class LaneRestarts {
  readonly lastLeftS: Float64Array;
  /**
   * When it last let a car go, or, after a red hold turned green, when its first car will (the green plus the start-up
   * lost time): until a headway and a step after it, its queue is moving.
   */
  readonly movedS: Float64Array;
  readonly releasedS: Float64Array;
  readonly leftSinceRelease: Int32Array;
  readonly standingAtRelease: Int32Array;

  constructor(
    laneCount: number,
    private readonly cars: CarTable,
    private readonly graph: LinkGraph,
    private readonly params: TrafficParams,
  ) {
    this.lastLeftS = new Float64Array(laneCount).fill(Number.NEGATIVE_INFINITY);
    this.movedS = new Float64Array(laneCount).fill(Number.NEGATIVE_INFINITY);
    this.releasedS = new Float64Array(laneCount).fill(Number.NEGATIVE_INFINITY);
    this.leftSinceRelease = new Int32Array(laneCount);
    this.standingAtRelease = new Int32Array(laneCount);
  }

  /**
   * Car `v` left lane `l` of link `e` in the step ending at `nowS`, `nextCar` now first: after a pause longer than a
   * discharging queue's headway the lane restarts, and the queue recorder needs how many of its cars stood then
   * (`standingAtRestart`: none if it was flowing).
   */
  noteDeparture(v: number, l: number, e: number, nextCar: number, nowS: number): void {
    const { params } = this;
    const saturationHeadwayS = 3600 / params.saturationFlowVehPerHourPerLane;
    if (nowS - this.movedS[l]! > saturationHeadwayS + params.stepS) {
      this.releasedS[l] = nowS;
      this.leftSinceRelease[l] = 0;
      const { cars, graph } = this;
      const freeSpeedMps = graph.lengthM[e]! / graph.freeTimeS[e]!;
      const leftAtS = nowS - params.stepS; // the earliest it left within the step
      this.standingAtRelease[l] = standingAtRestart(cars, cars.vReady[v]!, nextCar, freeSpeedMps, params, leftAtS);
    }
    this.leftSinceRelease[l]!++;
    this.lastLeftS[l] = nowS;
    this.movedS[l] = nowS;
  }

  /**
   * Lane `l` of link `e`, `head` first, held by red, has green from `nowS`: it restarts now, not when its first car
   * leaves after the start-up lost time. SUMO's first standing car moves off in the first step of green (FCD of
   * benchmark (b)'s signalised grid: at the sample on the green's first second it has left the lane), so a lone car
   * at red is no queue from then on, and the start wave runs from the green. The lane counts as moving from the green
   * until its first car leaves, a start-up lost time and a headway later (the engine's outflow credit): that car, and
   * any leaving within a headway and a step of the one before, continue this restart (`noteDeparture`). Until 7 Dec
   * 2026 22:00 the first car, leaving 3.9 s after the green, restarted the lane again, so the start wave ran 4 s late
   * and cars that reached the tail of a queue already moving off counted as standing behind it (benchmark (c) seed
   * 42, `142575674#3`).
   */
  noteGreen(l: number, e: number, head: number, nowS: number): void {
    const { cars, graph, params } = this;
    const freeSpeedMps = graph.lengthM[e]! / graph.freeTimeS[e]!;
    this.releasedS[l] = nowS;
    this.leftSinceRelease[l] = 0;
    this.standingAtRelease[l] = standingAtRestart(
      cars,
      cars.vReady[head]!,
      cars.vNext[head]!,
      freeSpeedMps,
      params,
      nowS,
    );
    this.movedS[l] = nowS + params.startupLostTimeS;
  }
}
