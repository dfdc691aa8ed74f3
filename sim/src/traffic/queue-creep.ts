import type { LaneLayout } from './lane-layout.js';
import { laneStorageVeh } from './lane-storage.js';
import type { LinkGraph } from './link-graph.js';
import { QUEUE_SPEED_THRESHOLD_MPS } from './queue-recorder.js';
import type { TrafficParams } from './traffic-params.js';

/**
 * How much room a queued car takes on each lane: the jam spacing where the queue stands, more where it creeps.
 *
 * Behind a slow server — a lot gate letting a car in every 10 s, or a full lane that such a gate empties — SUMO's cars
 * do not stand: the queue creeps at walking pace, and Krauss keeps each follower minGap + v · τ behind its leader.
 * Below the car's acceleration per step SUMO's dawdling takes σ · v · rand off the speed (`MSCFModel_Krauss::dawdle2`),
 * so a car averages (1 − σ/2) of its safe speed and keeps the gap of a time gap τ / (1 − σ/2) (1.33 s with SUMO's
 * defaults τ = 1 s, σ = 0.5). A queue served at q cars/s creeps at v = q · s with s = s_jam + v · τ / (1 − σ/2), so
 * each car takes s = s_jam / (1 − q · τ / (1 − σ/2)): 8.65 m at a 6-car/min gate, where SUMO's FCD of benchmark (a)
 * gives 8.5–8.8 m per car on the gate link and the links its queue fills, and the lane holds fewer cars (a 465.6 m
 * lane: 54, SUMO 49–56; at the jam spacing 62). Only a queue that creeps below SUMO's queue speed threshold (5 km/h)
 * counts: a faster one is stop-and-go, its standing cars at the jam spacing, its moving ones not queued. A queue held
 * by red, by a gap or by nothing stands at the jam spacing.
 *
 * The rate q of a lane is read from its own departures: when its first car could go but for the gate or for room on
 * the next link (`noteHeld`) and then leaves, q = 1 / the time since the lane's previous departure; any other departure
 * (a car that did not wait for a server) makes the lane's queue a standing one again.
 */
export class QueueCreep {
  /** Per lane: the room a queued car takes (m). */
  readonly spacingM: Float64Array;
  /** Per lane: cars it holds at that spacing (`laneStorageVeh`: every car whose front is on it); the jam storage where it stands. */
  readonly storage: Int32Array;
  private readonly heldCar: Int32Array;
  private readonly timeGapS: number;

  constructor(
    private readonly layout: LaneLayout,
    private readonly graph: LinkGraph,
    private readonly params: TrafficParams,
  ) {
    const L = layout.laneCount;
    this.spacingM = new Float64Array(L).fill(params.jamSpacingM);
    this.storage = Int32Array.from(layout.laneStorage);
    this.heldCar = new Int32Array(L).fill(-1);
    this.timeGapS = params.followTauS / (1 - params.dawdleSigma / 2);
  }

  /** Car `v`, first on lane `l`, could go now but for the lot gate or for room on the next link. */
  noteHeld(l: number, v: number): void {
    this.heldCar[l] = v;
  }

  /** Car `v` leaves lane `l` at `nowS`; the lane last let a car go at `lastLeftS`. */
  noteDeparture(v: number, l: number, nowS: number, lastLeftS: number): void {
    const wasHeld = this.heldCar[l] === v;
    this.heldCar[l] = -1;
    const { jamSpacingM } = this.params;
    let spacingM = jamSpacingM;
    if (wasHeld && nowS > lastLeftS) {
      const share = this.timeGapS / (nowS - lastLeftS);
      // The crawl speed is q · s; below 5 km/h the queue creeps, otherwise it goes stop-and-go.
      if (share < 1) {
        const creepSpacingM = jamSpacingM / (1 - share);
        if ((creepSpacingM - jamSpacingM) / this.timeGapS < QUEUE_SPEED_THRESHOLD_MPS) spacingM = creepSpacingM;
      }
    }
    if (spacingM === this.spacingM[l]) return;
    this.spacingM[l] = spacingM;
    const lengthM = this.graph.lengthM[this.layout.laneEdge[l]!]!;
    this.storage[l] = spacingM === jamSpacingM ? this.layout.laneStorage[l]! : laneStorageVeh(lengthM, spacingM);
  }
}
