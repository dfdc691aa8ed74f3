import type { CarTable } from './car-table.js';
import type { LaneLoops } from './lane-loops.js';
import type { SpeedGain } from './speed-gain.js';

/**
 * Lane changes of cars already on a link, behind a queue held by red (`SpeedGain.behindQueue` decides): the car leaves
 * its lane's list and joins the other lane's among the cars in the order they reach the end (`vReady`). Internal to the
 * engine, whose lane lists and per-lane arrays it edits in place. Lanes with an induction loop of an actuated signal
 * are left alone: the loop keeps a place in its lane's list.
 */
export class QueueLaneChange {
  constructor(
    private readonly cars: CarTable,
    private readonly speedGain: SpeedGain,
    private readonly loops: LaneLoops | null,
    /** The engine's lanes: first and last car, cars per lane, red hold; and per link, when it next has work. */
    private readonly laneHead: Int32Array,
    private readonly laneTail: Int32Array,
    private readonly count: Int32Array,
    private readonly redUntilS: Float64Array,
    private readonly edgeWakeS: Float64Array,
  ) {}

  /**
   * Lane `l` of link `e` is held by red from now: each car still driving towards its queue, in order, takes another
   * lane of the link where enough fewer cars would stand ahead of it, as SUMO's cars change lanes for speed behind a
   * standing queue.
   */
  behindRed(l: number, e: number, nowS: number): void {
    const { cars, loops } = this;
    if (loops !== null && loops.loopOfLane[l]! >= 0) return;
    let prev = this.laneHead[l]!;
    let ahead = 1;
    for (let v = cars.vNext[prev]!; v >= 0;) {
      const after = cars.vNext[v]!;
      if (cars.vReady[v]! > nowS) {
        const m = this.speedGain.behindQueue(v, l, e, ahead);
        if (m >= 0 && (loops === null || loops.loopOfLane[m]! < 0)) {
          cars.vNext[prev] = after;
          if (after < 0) this.laneTail[l] = prev;
          this.count[l]!--;
          this.insertByReady(v, m, e);
          v = after;
          continue;
        }
      }
      ahead++;
      prev = v;
      v = after;
    }
  }

  /** Puts car `v` into lane `m` of link `e` among its cars in the order they reach its end. */
  private insertByReady(v: number, m: number, e: number): void {
    const { cars } = this;
    const readyS = cars.vReady[v]!;
    cars.vLane[v] = m;
    this.count[m]!++;
    let prev = -1;
    let u = this.laneHead[m]!;
    while (u >= 0 && cars.vReady[u]! <= readyS) {
      prev = u;
      u = cars.vNext[u]!;
    }
    cars.vNext[v] = u;
    if (u < 0) this.laneTail[m] = v;
    if (prev >= 0) cars.vNext[prev] = v;
    else {
      this.laneHead[m] = v;
      const wakeS = this.redUntilS[m]! > 0 ? this.redUntilS[m]! : readyS;
      if (wakeS < this.edgeWakeS[e]!) this.edgeWakeS[e] = wakeS;
    }
  }
}
