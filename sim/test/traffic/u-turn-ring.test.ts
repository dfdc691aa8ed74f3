import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';

const SPEED_MPS = 50 / 3.6;
const FREE_SPEED = SPEED_MPS * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor;

/**
 * A ring of two short links with a U-turn at each end, as on benchmark (c)'s OSM city (`142575672#0` and
 * `-142575672#2`, 10.65 m, two cars each as SUMO stands them): `ab` (A → B) and `ba` (B → A), 8 m each, so that each
 * holds one car (`laneStorageVeh`). Roads of 200 m lead in and out at both ends: `wa` into A, `ab` on to `bc`, `eb` into B and on to `ba`, `ba` on to `aw`
 * through a signal at A (`phases`).
 */
function uTurnRing(phases: Array<{ durationS: number; state: string }>): RoadNetwork {
  const edge = (id: string, fromNodeId: string, toNodeId: string, lengthM: number) => ({
    id,
    fromNodeId,
    toNodeId,
    lengthM,
    speedMps: SPEED_MPS,
    laneCount: 1,
    priority: 1,
  });
  const link = (fromEdgeId: string, toEdgeId: string) => ({ fromEdgeId, toEdgeId, fromLane: 0, toLane: 0 });
  return {
    nodes: [
      { id: 'W', xM: -200, yM: 0 },
      { id: 'A', xM: 0, yM: 0 },
      { id: 'B', xM: 8, yM: 0 },
      { id: 'E', xM: 208, yM: 0 },
    ],
    edges: [
      edge('wa', 'W', 'A', 200),
      edge('ab', 'A', 'B', 8),
      edge('bc', 'B', 'E', 200),
      edge('eb', 'E', 'B', 200),
      edge('ba', 'B', 'A', 8),
      edge('aw', 'A', 'W', 200),
    ],
    connections: [
      link('wa', 'ab'),
      link('ab', 'bc'),
      link('ab', 'ba'),
      link('eb', 'ba'),
      link('ba', 'ab'),
      { ...link('ba', 'aw'), tlId: 'A', tlLinkIndex: 0 },
    ],
    signals: [{ id: 'A', type: 'static', offsetS: 0, phases }],
  };
}

/** Red for the first 60 s on `ba` → `aw`, then green. */
const RED_THEN_GREEN = [
  { durationS: 60, state: 'r' },
  { durationS: 600, state: 'G' },
];

const trip = (id: string, departS: number, originEdgeId: string, destinationEdgeId: string): Trip => ({
  id,
  purpose: 'through',
  departS,
  originEdgeId,
  destinationEdgeId,
});

describe('a ring of two short links with a U-turn at each end', () => {
  it('lets the car waiting at the junction take the place before a car entering the network there (no lock)', () => {
    // `turner` starts on ab and U-turns into ba, which `held` fills until the red at A ends (60 s). `late` wants to
    // start on ba at 30 s and U-turn into ab. When `held` leaves, the place on ba is the turner's: were it given to
    // `late`, each would wait for the place the other holds, for ever.
    const output = runTrafficSimulation({
      network: uTurnRing(RED_THEN_GREEN),
      lots: [],
      trips: [trip('turner', 0, 'ab', 'ba'), trip('held', 1, 'ba', 'aw'), trip('late', 30, 'ba', 'ab')],
      startS: 0,
      endS: 600,
    });
    const [turnerDoneS, heldDoneS, lateDoneS] = output.doneS;
    expect(Array.from(output.doneS, (doneS) => Number.isFinite(doneS))).toEqual([true, true, true]);
    expect(heldDoneS).toBeGreaterThan(60);
    expect(heldDoneS).toBeLessThan(60 + 200 / FREE_SPEED + 10);
    // The turner drives ba right after `held` has left it; `late` enters ba only then, and finishes its U-turn.
    expect(turnerDoneS).toBeLessThan(heldDoneS! - 200 / FREE_SPEED + 10);
    expect(output.enteredS[2]).toBeGreaterThan(turnerDoneS! - 1);
    expect(lateDoneS).toBeLessThan(turnerDoneS! + 30);
  });

  it('still lets a car enter the network at once where nobody waits for its lane', () => {
    const output = runTrafficSimulation({
      network: uTurnRing(RED_THEN_GREEN),
      lots: [],
      trips: [trip('held', 1, 'ba', 'aw'), trip('late', 30, 'ab', 'ba')],
      startS: 0,
      endS: 600,
    });
    expect(output.enteredS[1]).toBe(30);
    // It drives ab and waits at B until `held` frees ba: no place was reserved for anyone else.
    expect(output.doneS[1]).toBeGreaterThan(output.doneS[0]! - 200 / FREE_SPEED);
  });

  it('lets a car follow a car still driving the link into it, as SUMO keeps clear only behind a stopped car', () => {
    // `west` comes along wa and ab to U-turn into ba, its destination; `through` drives eb and ba to aw and is on ba,
    // still moving, when `west` reaches B; `east` follows `through` on eb to U-turn at A into ab. Had `west` waited for
    // `through` to leave ba, `east` would have taken the place and each would wait for the other's.
    expectAllThrough(throughTheRing(1, 0, 1.5));
  });

  it('lets two cars that stand at the two ends, each wanting the place the other holds, swap ends', () => {
    // The same three cars a little earlier: `east` enters ba as `through` leaves it while `west` enters ab, and each
    // stands at its end of the ring wanting the place the other holds. In SUMO each U-turns into the other's link as
    // that car moves out of it.
    expectAllThrough(throughTheRing(0.5, 0, 0.5));
  });
});

/** `west` (wa, ab, U-turn, ba), `through` (eb, ba, aw) and `east` (eb, ba, U-turn, ab), departing at the given times. */
function throughTheRing(westS: number, throughS: number, eastS: number) {
  return runTrafficSimulation({
    network: uTurnRing([{ durationS: 600, state: 'G' }]),
    lots: [],
    trips: [trip('west', westS, 'wa', 'ba'), trip('through', throughS, 'eb', 'aw'), trip('east', eastS, 'eb', 'ab')],
    startS: 0,
    endS: 600,
  });
}

/** Every car arrived, each within seconds of its free-flow time over its route (220, 410 and 220 m). */
function expectAllThrough(output: ReturnType<typeof runTrafficSimulation>): void {
  expect(Array.from(output.doneS, (doneS) => Number.isFinite(doneS))).toEqual([true, true, true]);
  [220, 410, 220].forEach((routeM, i) => {
    expect(output.doneS[i]! - output.enteredS[i]!).toBeLessThan(routeM / FREE_SPEED + 10);
  });
}
