import type { CarTable } from './car-table.js';
import type { LaneLayout } from './lane-layout.js';
import type { LaneLoops } from './lane-loops.js';
import type { LinkGraph } from './link-graph.js';
import type { SpeedGain } from './speed-gain.js';
import { TimeHeap } from './time-heap.js';
import type { TrafficParams } from './traffic-params.js';

/** SUMO LC2013's speed-gain thresholds (`lcSpeedGain` 1, `lcSpeedGainRight` 0.1): left, right. */
const GAIN_THRESHOLD_LEFT = 0.2;
const GAIN_THRESHOLD_RIGHT = 2.0;
/** LC2013's `RELGAIN_NORMALIZATION_MIN_SPEED`: a relative gain is taken against at least this speed (m/s). */
const GAIN_MIN_SPEED_MPS = 10;
/** How often a car that wants to pass looks at the other lanes again while they leave it no safe gap (s). */
const GAP_RECHECK_S = 1;

/**
 * Overtaking on a link of two lanes or more (SUMO LC2013's speed gain and `MSLaneChanger`'s safe-gap check, in the
 * lane-queue model). A lane is a FIFO: a fast car entering behind a slower one stays behind it unless it changes
 * lanes. Each car keeps, per link, when it entered and when it reaches the end driving as freely as the cars ahead in
 * its lane let it (its own free time, or `followTauS` after its leader's): so its position at any time is a straight
 * line, and each lane's cars are a column at known positions, no closer than the jam spacing (cars that reached the
 * end stand in its queue). A car entering behind a slower one catches it up where the lines meet (a following
 * distance behind it), then sums SUMO's relative speed gain — its own speed against its leader's, relative to the
 * faster and at least 10 m/s — per second, and wants to change once the sum passes 0.2 to the left (2.0 to the right
 * when no lane lies to its left). From then, once a second until its leader reaches the end, it looks at the
 * neighbour lanes at its place (their cars as they are then, also those that entered after it) and changes where the
 * car ahead there and the car behind leave it SUMO's minGap plus Krauss's secure gap (`v_f·τ + v_f²/2b − v_l²/2b` at
 * the two cars' speeds, a queued car at 0), the car ahead there is not slower than its leader within 10 s at its
 * speed, and no more cars stand queued ahead of it there than in its own lane. On a lane it may keep (a best lane, or
 * a speed-gain lane with room to get back, `SpeedGain.hasPlaceToReturn`; with room and no induction loop) it stays,
 * among that lane's cars by position; on a neighbour lane that does not lead on for it, it passes its leader and gets
 * back in front of it, when it is a following distance ahead before the end and the car ahead of its leader leaves
 * the room. It pays for the change: it has followed its leader until then, and drives the rest at its own speed
 * behind the car ahead of it. Cost: walks along the lanes' cars up to its place, once a second, only for a car behind
 * a slower one; nothing for anyone else.
 */
export class Overtaking {
  /** Per car: when it entered its current link, and when it reaches that link's end behind the cars ahead of it. */
  private readonly enteredS: Float64Array;
  private readonly arriveS: Float64Array;
  /** Per car: the link on which it wants to pass (-1: none), and until when it may still look for a gap there. */
  private readonly passLink: Int32Array;
  private readonly passUntilS: Float64Array;
  /** Per car: when it is due to look (an entry of `due` at another time is left over from an earlier link). */
  private readonly passAtS: Float64Array;
  /** Cars wanting to pass, by when they next look at the other lanes. */
  private readonly due = new TimeHeap(256);

  constructor(
    private readonly layout: LaneLayout,
    private readonly graph: LinkGraph,
    private readonly cars: CarTable,
    private readonly params: TrafficParams,
    private readonly speedGain: SpeedGain,
    private readonly loops: LaneLoops | null,
    /** The engine's lanes: first and last car, cars per lane, the cars each lane holds now, red holds. */
    private readonly laneHead: Int32Array,
    private readonly laneTail: Int32Array,
    private readonly count: Int32Array,
    private readonly storage: Int32Array,
    private readonly redUntilS: Float64Array,
    /** The engine's per-link wake time (lowered when a car becomes the first of a lane). */
    private readonly edgeWakeS: Float64Array,
  ) {
    this.enteredS = new Float64Array(cars.V);
    this.arriveS = new Float64Array(cars.V);
    this.passLink = new Int32Array(cars.V).fill(-1);
    this.passUntilS = new Float64Array(cars.V);
    this.passAtS = new Float64Array(cars.V);
  }

  /**
   * Car `v` was put on lane `l` of link `e` at `atS` (its free arrival in `vReady`), behind `prev` (-1: first): its
   * line on the link; and, when it will catch up a slower car there on a link of two lanes or more, when it wants to
   * pass (its speed gain sums to the threshold for the nearer side).
   */
  entered(v: number, l: number, e: number, prev: number, atS: number): void {
    const { cars, params, layout } = this;
    const tau = params.followTauS;
    this.enteredS[v] = atS;
    const ready = cars.vReady[v]!;
    const behind = prev >= 0 ? this.arriveS[prev]! + tau : ready;
    this.arriveS[v] = ready > behind ? ready : behind;
    this.passLink[v] = -1;
    if (prev < 0 || ready >= behind - 1e-9 || cars.vDest[v] === e) return;
    const base = layout.laneBase[e]!;
    const lanes = layout.laneBase[e + 1]! - base;
    if (lanes < 2) return;
    const L = this.graph.lengthM[e]!;
    const ownSpeed = L / (ready - atS);
    const leaderArriveS = this.arriveS[prev]!;
    const leaderSpeed = L / (leaderArriveS - this.enteredS[prev]!);
    if (!(ownSpeed > leaderSpeed) || leaderArriveS <= atS) return;
    // Where it catches its leader up: a following distance (minGap + length + v·τ) behind it.
    const followM = params.jamSpacingM + leaderSpeed * tau;
    const meetS = (L - followM - leaderArriveS * leaderSpeed + atS * ownSpeed) / (ownSpeed - leaderSpeed);
    const catchS = meetS > atS ? meetS : atS;
    const endS = leaderArriveS - followM / leaderSpeed;
    const gain = (ownSpeed - leaderSpeed) / Math.max(ownSpeed, GAIN_MIN_SPEED_MPS);
    // The nearer threshold of the sides it has: the left one when a lane lies to its left.
    const own = l - base;
    const threshold = own < lanes - 1 ? GAIN_THRESHOLD_LEFT : GAIN_THRESHOLD_RIGHT;
    const wantS = catchS + threshold / gain;
    if (wantS >= endS) return;
    this.passLink[v] = e;
    this.passUntilS[v] = endS;
    this.passAtS[v] = wantS;
    this.due.push(wantS, v);
  }

  /** The cars whose time to look for a gap has come do, at `nowS`: each changes lanes, or looks again later. */
  runDue(nowS: number): void {
    const { due } = this;
    while (due.peekTime() <= nowS) {
      const atS = due.peekTime();
      const v = due.pop();
      const e = this.passLink[v]!;
      if (e < 0 || this.cars.vEdge[v] !== e || this.passAtS[v] !== atS) continue;
      if (this.tryPass(v, e, nowS)) {
        this.passLink[v] = -1;
        continue;
      }
      const againS = nowS + Math.max(this.params.stepS, GAP_RECHECK_S);
      if (againS < this.passUntilS[v]!) {
        this.passAtS[v] = againS;
        due.push(againS, v);
      } else this.passLink[v] = -1;
    }
  }

  /** Car `v` on link `e` changes to another lane if it gains there and that lane leaves it a safe gap now. */
  private tryPass(v: number, e: number, t: number): boolean {
    const { layout, cars, params } = this;
    const l = cars.vLane[v]!;
    if (this.loops !== null && this.loops.loopOfLane[l]! >= 0) return false;
    const L = this.graph.lengthM[e]!;
    // Where v is on its lane, and the car it follows.
    this.columnAt(l, e, L, t, Number.NEGATIVE_INFINITY, v);
    const prev = this.stopPrev;
    if (prev < 0) return false;
    const x = this.stopPosM;
    const leaderSpeed = this.stopPrevSpeed;
    const standingHere = this.standingAhead;
    const ownSpeed = L / (cars.vReady[v]! - this.enteredS[v]!);
    if (!(ownSpeed > leaderSpeed) || leaderSpeed <= 0 || x <= 0) return false;
    if (cars.vReady[v]! >= this.arriveS[prev]! + params.followTauS) return false;
    const base = layout.laneBase[e]!;
    const lanes = layout.laneBase[e + 1]! - base;
    const tree = cars.vTree[v]!;
    const dest = cars.vDest[v]!;
    const best = layout.preferredLanes(tree, e, dest);
    const usable = best | layout.speedGainLanes(tree, e);
    const own = l - base;
    const tau = params.followTauS;
    const b = params.decelMps2;
    const lengthM = params.vehicleLengthM;
    const minGapM = params.jamSpacingM - lengthM;
    let bestLane = -1;
    let bestReadyS = this.arriveS[prev]! + tau;
    let bestAfter = -1;
    const followM = params.jamSpacingM + leaderSpeed * tau;
    const sPosM = this.stopPrevPosM;
    const p2 = this.stopPrev2;
    const p2PosM = this.stopPrev2PosM;
    const p2Speed = this.stopPrev2Speed;
    for (let i = 0; i < lanes; i++) {
      if (i === own) continue;
      const m = base + i;
      const isLeft = i > own;
      let stays = (usable & (1 << i)) !== 0;
      if (stays && (best & (1 << i)) === 0 && !this.speedGain.hasPlaceToReturn(v, e, m, isLeft, 0)) stays = false;
      if (!stays && i !== own + 1 && i !== own - 1) continue;
      if (stays && this.count[m]! >= this.storage[m]!) continue;
      if (this.loops !== null && this.loops.loopOfLane[m]! >= 0) continue;
      this.columnAt(m, e, L, t, x, -1);
      // Not into a lane with more cars queued ahead than its own.
      if (this.standingAhead > standingHere) continue;
      if (this.leadU >= 0) {
        // No gain behind a car there that is slower than its leader here and within its look-ahead (10 s).
        if (this.leadSpeed <= leaderSpeed && this.leadPosM - x < 10 * ownSpeed) continue;
        if (this.leadPosM - lengthM - x < minGapM + secureGapM(leaderSpeed, this.leadSpeed, tau, b)) continue;
      }
      if (
        this.followU >= 0 &&
        x - lengthM - this.followPosM < minGapM + secureGapM(this.followSpeed, leaderSpeed, tau, b)
      ) {
        continue;
      }
      let readyS: number;
      if (stays) {
        readyS = t + (L - x) / ownSpeed;
        if (this.leadU >= 0 && readyS < this.arriveS[this.leadU]! + tau) readyS = this.arriveS[this.leadU]! + tau;
      } else {
        // Passes its leader on lane m and gets back in front of it: done once a following distance ahead of it.
        const passS = (sPosM - x + followM) / (ownSpeed - leaderSpeed);
        const doneM = x + ownSpeed * passS;
        if (doneM > L - params.jamSpacingM) continue;
        if (this.leadU >= 0 && this.leadPosM + this.leadSpeed * passS - lengthM - minGapM < doneM) continue;
        if (p2 >= 0 && p2PosM + p2Speed * passS - lengthM - minGapM < doneM) continue;
        readyS = t + passS + (L - doneM) / ownSpeed;
        if (p2 >= 0 && readyS < this.arriveS[p2]! + tau) readyS = this.arriveS[p2]! + tau;
      }
      if (readyS < bestReadyS) {
        bestReadyS = readyS;
        bestLane = stays ? m : l;
        bestAfter = stays ? this.leadU : p2;
      }
    }
    if (bestLane < 0) return false;
    this.move(v, l, prev, bestLane, bestAfter, e, bestReadyS);
    return true;
  }

  /** Takes car `v` (behind `prev`) off lane `l` and puts it on lane `m` behind `after` (-1: first), ready at `readyS`. */
  private move(v: number, l: number, prev: number, m: number, after: number, e: number, readyS: number): void {
    const { cars } = this;
    const { vNext } = cars;
    vNext[prev] = vNext[v]!;
    if (vNext[v]! < 0) this.laneTail[l] = prev;
    this.count[l]!--;
    cars.vLane[v] = m;
    cars.vReady[v] = readyS;
    this.count[m]!++;
    const next = after >= 0 ? vNext[after]! : this.laneHead[m]!;
    vNext[v] = next;
    if (next < 0) this.laneTail[m] = v;
    if (after >= 0) vNext[after] = v;
    else {
      this.laneHead[m] = v;
      const wakeS = this.redUntilS[m]! > 0 ? this.redUntilS[m]! : readyS;
      if (wakeS < this.edgeWakeS[e]!) this.edgeWakeS[e] = wakeS;
    }
    this.arriveS[v] = readyS;
    // The cars behind it on its new lane keep behind it.
    const tau = this.params.followTauS;
    for (let u = vNext[v]!, lead = v; u >= 0; lead = u, u = vNext[u]!) {
      const min = this.arriveS[lead]! + tau;
      if (this.arriveS[u]! >= min) break;
      this.arriveS[u] = min;
    }
  }

  // Results of `columnAt`: the cars of a lane just ahead of and behind a position, where they are and how fast; or
  // where a given car is and the car ahead of it.
  private leadU = -1;
  private leadPosM = 0;
  private leadSpeed = 0;
  private followU = -1;
  private followPosM = 0;
  private followSpeed = 0;
  private stopPrev = -1;
  private stopPosM = 0;
  private stopPrevSpeed = 0;
  private stopPrevPosM = 0;
  private stopPrev2 = -1;
  private stopPrev2PosM = 0;
  private stopPrev2Speed = 0;
  /** Cars standing (queued) ahead of the position, or of the given car. */
  private standingAhead = 0;

  /**
   * Lane `m`'s cars at time `t`, from its first: each on its straight line, no closer than the jam spacing to the car
   * ahead (a car that has reached the end stands in the queue). Sets the last car at or ahead of `x` and the first
   * behind it; or, with `stopAt` a car of the lane, where it is and the car ahead of it (with that car's speed).
   */
  private columnAt(m: number, e: number, L: number, t: number, x: number, stopAt: number): void {
    const { cars, params } = this;
    const jamM = params.jamSpacingM;
    this.leadU = -1;
    this.followU = -1;
    this.stopPrev = -1;
    this.standingAhead = 0;
    let prevM = L + jamM;
    let prevSpeed = 0;
    let prevU = -1;
    let prev2U = -1;
    let prev2M = 0;
    let prev2Speed = 0;
    for (let u = this.laneHead[m]!; u >= 0; u = cars.vNext[u]!) {
      const arriveS = this.arriveS[u]!;
      const enteredS = this.enteredS[u]!;
      const speed = cars.vEdge[u] === e && arriveS > enteredS ? L / (arriveS - enteredS) : 0;
      let pos = t >= arriveS || speed === 0 ? L : L - (arriveS - t) * speed;
      let moving = t < arriveS && speed > 0 ? speed : 0;
      if (pos > prevM - jamM) {
        pos = prevM - jamM;
        moving = prevSpeed < moving ? prevSpeed : moving;
      }
      if (u === stopAt) {
        this.stopPrev = prevU;
        this.stopPosM = pos;
        this.stopPrevSpeed = prevSpeed;
        this.stopPrevPosM = prevM;
        this.stopPrev2 = prev2U;
        this.stopPrev2PosM = prev2M;
        this.stopPrev2Speed = prev2Speed;
        return;
      }
      if (stopAt >= 0) {
        if (moving === 0) this.standingAhead++;
        prev2U = prevU;
        prev2M = prevM;
        prev2Speed = prevSpeed;
        prevM = pos;
        prevSpeed = moving;
        prevU = u;
        continue;
      }
      if (pos >= x) {
        if (moving === 0) this.standingAhead++;
        this.leadU = u;
        this.leadPosM = pos;
        this.leadSpeed = moving;
      } else {
        this.followU = u;
        this.followPosM = pos;
        this.followSpeed = moving;
        return;
      }
      prevM = pos;
      prevSpeed = moving;
      prevU = u;
    }
  }
}

/** Krauss's secure gap (m): what a follower at `followerMps` needs behind a leader at `leaderMps`, minGap aside. */
function secureGapM(followerMps: number, leaderMps: number, tau: number, decel: number): number {
  const gap = followerMps * tau + (followerMps * followerMps - leaderMps * leaderMps) / (2 * decel);
  return gap > 0 ? gap : 0;
}
