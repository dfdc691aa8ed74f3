import type { CarTable } from './car-table.js';
import type { LaneLayout } from './lane-layout.js';
import type { LaneRoom } from './lane-room.js';
import type { LinkGraph } from './link-graph.js';
import { SIGNAL_STOP, type SignalClock } from './signal-clock.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * Cars fewer ahead a lane must offer before a car takes it for speed instead of its own choice: to the left, to the
 * right. Modelled on SUMO LC2013's speed gain (`MSLCM_LC2013::_wantsChange`): a car sums, per second, how much faster
 * it could drive on the neighbour lane (its safe speed behind the leader there against behind its own leader,
 * relative to the faster, at least 10 m/s) and changes once the sum passes 0.2 to the left, 2.0 to the right
 * (`lcSpeedGainRight` 0.1). Behind a free-moving leader the safe speeds are equal: only a slow or standing queue ahead
 * makes a difference. With one car fewer ahead on the neighbour lane, a car closing in on a standing queue gains in the
 * last seconds of braking (enough for 0.2, not for 2.0); standing, its leader there is 10 m away instead of 2.5 m
 * (safe speeds about 6.0 and 2.0 m/s at 4.5 m/s², 1 s reaction: 0.4 per second), so it passes 2.0 after
 * `SPEED_GAIN_STANDING_S` of standing. Two cars fewer ahead it passes 2.0 closing in.
 */
export const SPEED_GAIN_CARS_LEFT = 1;
export const SPEED_GAIN_CARS_RIGHT = 2;
/** Seconds a car must expect to stand at red for a change to the right with one car fewer ahead (2.0 / 0.4). */
export const SPEED_GAIN_STANDING_S = 5;

/** SUMO LC2013's `LOOK_AHEAD_SPEED_MEMORY`: how much of its look-ahead speed a standing car keeps per second. */
const LOOK_AHEAD_MEMORY = 0.9;

/** Cars fewer ahead a car needs to change lanes for speed, to the left or right, standing `standS` s at red. */
function carsFewer(isLeft: boolean, standS: number): number {
  if (isLeft || standS >= SPEED_GAIN_STANDING_S) return SPEED_GAIN_CARS_LEFT;
  return SPEED_GAIN_CARS_RIGHT;
}

/**
 * Where SUMO's cars change lanes for speed, in the lane-queue model: a car entering a link, and a car still driving
 * towards a queue held by red, take another lane of the link when fewer cars would stand ahead of them there. Only
 * lanes they may use: their best lanes, or a lane that leads to the route's next link for at least `TURN_LANE_DIST`
 * (`LaneLayout.speedGainLanes`) with room, past the queue, to change back in time (SUMO's `neighLeftPlace`, see
 * `hasPlaceToReturn`). Where no queue stands, nobody changes: a car on a free lane drives at the speed limit.
 */
export class SpeedGain {
  private readonly saturationPerS: number;

  constructor(
    private readonly layout: LaneLayout,
    private readonly graph: LinkGraph,
    private readonly cars: CarTable,
    private readonly params: TrafficParams,
    private readonly signal: SignalClock,
    /** The engine's cars per lane. */
    private readonly count: Int32Array,
    /** The engine's first car per lane and its red holds (when the signal holding the first car turns; 0: none). */
    private readonly laneHead: Int32Array,
    private readonly redUntilS: Float64Array,
    /** Cars each lane holds now (`QueueCreep.storage`). */
    private readonly storage: Int32Array,
  ) {
    this.saturationPerS = params.saturationFlowVehPerHourPerLane / 3600;
  }

  /**
   * A lane of link `e` for car `v` entering it (not one of `wanted`, its best lanes), where fewer cars will stand when
   * it reaches the end than in the best of `wanted`, by the threshold for its side, and that `room` lets it take now;
   * -1 for none.
   */
  atEntry(v: number, e: number, wanted: number, nowS: number, room: LaneRoom, isEntering: boolean, dt: number): number {
    const { layout, cars } = this;
    const base = layout.laneBase[e]!;
    const tree = cars.vTree[v]!;
    const gainLanes = layout.speedGainLanes(tree, e);
    if (gainLanes === 0) return -1;
    const lanes = layout.laneBase[e + 1]! - base;
    const arriveS = this.graph.freeTimeS[e]!;
    let own = Number.POSITIVE_INFINITY;
    let ownIndex = -1;
    for (let m = wanted; m !== 0; m &= m - 1) {
      const i = 31 - Math.clz32(m & -m);
      const queue = this.queueOnArrival(base + i, arriveS, nowS);
      if (queue < own) {
        own = queue;
        ownIndex = i;
      }
    }
    if (own < SPEED_GAIN_CARS_LEFT) return -1;
    const standS = this.redEndS(base + ownIndex, nowS) - (nowS + arriveS);
    let best = -1;
    let bestMargin = -1;
    for (let i = 0; i < lanes; i++) {
      if ((gainLanes & (1 << i)) === 0) continue;
      const l = base + i;
      const isLeft = i > ownIndex;
      const margin = own - this.queueOnArrival(l, arriveS, nowS) - carsFewer(isLeft, standS);
      if (
        margin <= bestMargin ||
        !room.mayTake(l, isEntering, nowS, dt) ||
        !this.hasPlaceToReturn(v, e, l, isLeft, standS)
      )
        continue;
      best = l;
      bestMargin = margin;
    }
    return best;
  }

  /**
   * Another lane of link `e` for car `v`, still driving towards the queue of lane `l` held by red with `ahead` cars
   * before it: the one with the fewest cars that reach its end before `v` would, when that is the threshold for its
   * side fewer; -1 to stay.
   */
  behindQueue(v: number, l: number, e: number, ahead: number): number {
    const { layout, cars, count } = this;
    if (ahead < SPEED_GAIN_CARS_LEFT) return -1;
    const dest = cars.vDest[v]!;
    if (dest === e) return -1;
    const tree = cars.vTree[v]!;
    const wanted = layout.preferredLanes(tree, e, dest);
    const usable = wanted | layout.speedGainLanes(tree, e);
    const base = layout.laneBase[e]!;
    const lanes = layout.laneBase[e + 1]! - base;
    const own = l - base;
    const readyS = cars.vReady[v]!;
    const standS = this.redUntilS[l]! - readyS;
    let best = -1;
    let bestMargin = -1;
    for (let i = 0; i < lanes; i++) {
      if (i === own || (usable & (1 << i)) === 0) continue;
      const m = base + i;
      if (count[m]! >= this.storage[m]!) continue;
      let aheadThere = 0;
      for (let u = this.laneHead[m]!; u >= 0 && cars.vReady[u]! <= readyS; u = cars.vNext[u]!) aheadThere++;
      const isLeft = i > own;
      const margin = ahead - aheadThere - carsFewer(isLeft, standS);
      if (margin <= bestMargin) continue;
      if ((wanted & (1 << i)) === 0 && !this.hasPlaceToReturn(v, e, m, isLeft, standS)) continue;
      best = m;
      bestMargin = margin;
    }
    return best;
  }

  /**
   * Cars expected to stand in lane `l` when a car entering its link now reaches the end, `afterS` later: its cars, less
   * those it lets go at the saturation flow once its red is over (the red holding its first car, or else the signal
   * of its first lane link: a driver sees the light, not whether the first car has reached it yet).
   */
  private queueOnArrival(l: number, afterS: number, nowS: number): number {
    const n = this.count[l]!;
    if (n === 0) return 0;
    const redEndS = this.redEndS(l, nowS);
    const holdS = redEndS > nowS ? redEndS - nowS + this.params.startupLostTimeS : 0;
    const gone = afterS > holdS ? (afterS - holdS) * this.saturationPerS : 0;
    return n > gone ? n - gone : 0;
  }

  /** When the red that holds lane `l` ends (at most `nowS` when it is not red). */
  private redEndS(l: number, nowS: number): number {
    const { layout, signal } = this;
    const red = this.redUntilS[l]!;
    if (red > nowS) return red;
    const k = layout.linkBase[l]!;
    if (k < layout.linkBase[l + 1]! && layout.linkSignal[k]! >= 0) {
      const program = layout.linkSignal[k]!;
      if (signal.stateAt(program, layout.linkSignalIndex[k]!, nowS) === SIGNAL_STOP) return signal.phaseEndsS(program);
    }
    return nowS;
  }

  /**
   * Whether lane `m` of link `e` (off the car's best lanes) leaves room to get back to them in time, as SUMO's cars
   * leave their best lane only while `neighLeftPlace` is at least half their look-ahead distance (`laDist`: 10 s at
   * the look-ahead speed, twice that to the left, plus two cars). `neighLeftPlace` is what the neighbour lane lets the
   * car drive on, less the jam (the cars on the best lanes' continuation, SUMO's `occupation`); here, from the queue on
   * the car's lane of `e` on: the distance lane `m` leads on past the link, less the cars on the car's best lanes of
   * the links after `e` over `laneChoiceLookaheadM`; the look-ahead speed is the link's free speed, less 10% per second
   * the car will have stood at red (`standS`), as SUMO's follows a standing car's speed down. So a car never leaves a
   * lane whose queue goes on over the next links (a lot queue spilling back): it would have to merge back into it.
   */
  private hasPlaceToReturn(v: number, e: number, m: number, isLeft: boolean, standS: number): boolean {
    const { layout, count, cars, graph, params } = this;
    const tree = cars.vTree[v]!;
    const dest = cars.vDest[v]!;
    const jamM = params.jamSpacingM;
    // SUMO's look-ahead speed follows the car's speed down with a memory of 0.9 per second: at red it has stood.
    const speedMps = (graph.lengthM[e]! / graph.freeTimeS[e]!) * (standS > 0 ? LOOK_AHEAD_MEMORY ** standS : 1);
    const lookAheadM = 10 * speedMps * (isLeft ? 2 : 1) + 2 * jamM;
    const allowedJamM = layout.placeAfterM(tree, m) - lookAheadM / 2;
    if (allowedJamM < 0) return false;
    let jamCars = 0;
    let walkedM = 0;
    for (let link = layout.nextHop(tree, e); link >= 0 && walkedM < params.laneChoiceLookaheadM;) {
      const base = layout.laneBase[link]!;
      const lanes = layout.laneBase[link + 1]! - base;
      const wanted = link === dest ? (1 << lanes) - 1 : layout.preferredLanes(tree, link, dest);
      let fewest = Number.POSITIVE_INFINITY;
      for (let mask = wanted; mask !== 0; mask &= mask - 1) {
        const j = base + 31 - Math.clz32(mask & -mask);
        if (count[j]! < fewest) fewest = count[j]!;
      }
      jamCars += fewest;
      if (jamCars * jamM > allowedJamM) return false;
      walkedM += graph.lengthM[link]!;
      link = link === dest ? -1 : layout.nextHop(tree, link);
    }
    return true;
  }
}
