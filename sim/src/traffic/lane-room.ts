import type { CarTable } from './car-table.js';
import type { LaneLayout } from './lane-layout.js';
import { SPEED_GAIN_CARS_LEFT, type SpeedGain } from './speed-gain.js';

/**
 * Which lane of a link a car may take: the cars on each lane against its storage, and the lanes cars on the network
 * wait for. Internal to the engine, which counts cars in and out of `count`.
 *
 * Cars on the network go before cars entering it: a car on the network that finds all its lanes full marks them
 * awaited, and a car entering the network does not take a lane awaited in this step or the step before. As in SUMO,
 * which inserts departures after the moves of a step (`MSNet::simulationStep`) and only with a safe gap to the car
 * approaching from upstream (`MSLane::isInsertionSuccess`): the car waiting at the junction moves up as soon as the
 * lane's last car moves off. Without it a departure could take the place a waiting car needs while wanting the place
 * that car holds — two short links with a U-turn at each end then locked for good (benchmark (c), seed 2).
 */
export class LaneRoom {
  /** Per lane: the last step in which a car on the network was ready to enter it and found it full. */
  private readonly awaitedS: Float64Array;
  /** Per lane: the last step in which its first car (`heldCar`) could go but for room on the next link. */
  private readonly heldS: Float64Array;
  private readonly heldCar: Int32Array;

  constructor(
    private readonly layout: LaneLayout,
    private readonly cars: CarTable,
    /** The engine's first car per lane (-1: empty). */
    private readonly laneHead: Int32Array,
    /** Cars on each lane, counted in and out by the engine. */
    readonly count: Int32Array,
    /** Cars each lane holds now (`QueueCreep.storage`: fewer where its queue creeps). */
    private readonly storage: Int32Array,
    /** Where a car may change lanes for speed (none: it keeps to its best lanes). */
    private readonly speedGain?: SpeedGain,
  ) {
    this.awaitedS = new Float64Array(layout.laneCount).fill(Number.NEGATIVE_INFINITY);
    this.heldS = new Float64Array(layout.laneCount).fill(Number.NEGATIVE_INFINITY);
    this.heldCar = new Int32Array(layout.laneCount).fill(-1);
  }

  /**
   * The lane of link `e` car `v` takes in the step at `nowS` (of `dt` s): among the lanes it wants (its best lanes for
   * the route ahead; any lane where its route ends), the one with the fewest cars that has room, preferring lanes
   * `reach` leads to without a lane change; -1 when all are full. `isEntering`: the car enters the network here.
   */
  choose(v: number, e: number, reach: number, isEntering: boolean, nowS: number, dt: number): number {
    const { layout } = this;
    const base = layout.laneBase[e]!;
    const lanes = layout.laneBase[e + 1]! - base;
    const wanted = this.wantedLanes(v, e);
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    let fewest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < lanes; i++) {
      if ((wanted & (1 << i)) === 0) continue;
      const l = base + i;
      if (this.count[l]! < fewest) fewest = this.count[l]!;
      if (!this.mayTake(l, isEntering, nowS, dt)) continue;
      const score = 2 * this.count[l]! + ((reach & (1 << i)) !== 0 ? 0 : 1);
      if (score < bestScore) {
        bestScore = score;
        best = l;
      }
    }
    // Only a car whose best lanes all have cars may find a faster lane (tested here: most cars find one empty).
    if (fewest >= SPEED_GAIN_CARS_LEFT && this.speedGain !== undefined && this.cars.vDest[v] !== e) {
      const other = this.speedGain.atEntry(v, e, wanted, nowS, this, isEntering, dt);
      if (other >= 0) return other;
    }
    if (best < 0 && !isEntering) {
      for (let i = 0; i < lanes; i++) if ((wanted & (1 << i)) !== 0) this.awaitedS[base + i] = nowS;
    }
    return best;
  }

  /** Whether lane `l` may take a car now: it has room, and a car entering the network finds it not awaited. */
  mayTake(l: number, isEntering: boolean, nowS: number, dt: number): boolean {
    return this.hasRoom(l, isEntering, nowS) && !(isEntering && this.awaitedS[l]! >= nowS - dt);
  }

  /** Car `v`, first on lane `l`, could go now but for room on the next link. */
  noteHeld(v: number, l: number, nowS: number): void {
    this.heldS[l] = nowS;
    this.heldCar[l] = v;
  }

  /**
   * The lane of link `n` whose first car takes car `v`'s place on lane `l` of link `e` while `v` takes its place, when
   * every lane `v` wants on `n` is full; -1 if none. That car wants `e` next and `l` is one of its lanes there, it is
   * on a lane `v` wants, and in this step or the step before it could go but for room (`noteHeld`). Two such cars are
   * the two ends of a ring of two short links with a U-turn at each end: in SUMO each U-turns into the other's link
   * while that car moves out of it, and they swap ends; in the lane model, where a car moves only into a place already
   * free, both would wait for ever.
   */
  swapPartner(v: number, l: number, e: number, n: number, nowS: number, dt: number): number {
    const { cars, layout } = this;
    const base = layout.laneBase[n]!;
    const lanes = layout.laneBase[n + 1]! - base;
    const wanted = this.wantedLanes(v, n);
    const bit = 1 << (l - layout.laneBase[e]!);
    for (let i = 0; i < lanes; i++) {
      if ((wanted & (1 << i)) === 0) continue;
      const m = base + i;
      const u = this.laneHead[m]!;
      if (u < 0 || this.heldCar[m] !== u || this.heldS[m]! < nowS - dt || cars.vNextEdge[u] !== e) continue;
      if ((this.wantedLanes(u, e) & bit) !== 0) return m;
    }
    return -1;
  }

  /** The lanes of link `e` car `v` wants, as a bit mask: its best lanes for the route ahead, any where its route ends. */
  private wantedLanes(v: number, e: number): number {
    const { cars, layout } = this;
    const dest = cars.vDest[v]!;
    if (dest === e) return (1 << (layout.laneBase[e + 1]! - layout.laneBase[e]!)) - 1;
    return layout.preferredLanes(cars.vTree[v]!, e, dest);
  }

  /**
   * Whether lane `l` has room for one more car. A full lane still takes a car from the network (not one entering it)
   * while none of its cars has driven the link yet: SUMO's keep-clear rule holds a car before a junction only when the
   * last car on its exit lane stands or must wait (`MSVehicle::checkRewindLinkLanes`), so a car follows one still
   * driving a short link into it, its rear in the junction if that car then stops. The lane then holds one car more than
   * its storage. Without it one car driving through a 10–15 m link held whoever waited at its entry, and a car from
   * elsewhere could take the place as it left (benchmark (c): seeds 6 and 18 locked that way).
   */
  private hasRoom(l: number, isEntering: boolean, nowS: number): boolean {
    const count = this.count[l]!;
    const storage = this.storage[l]!;
    if (count < storage) return true;
    return !isEntering && count === storage && this.cars.vReady[this.laneHead[l]!]! > nowS;
  }
}
