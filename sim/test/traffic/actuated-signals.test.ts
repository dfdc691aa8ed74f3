import { describe, expect, it } from 'vitest';
import type { RoadNetwork, SignalPhase } from '../../src/model/index.js';
import { LaneLoops } from '../../src/traffic/lane-loops.js';
import { SIGNAL_GO, SIGNAL_STOP, SignalClock, type LoopReader } from '../../src/traffic/signal-clock.js';
import { detectorPlanFor, planDetectors, type DetectorPlan } from '../../src/traffic/signal-detectors.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';

const SUMO_ACTUATION = { maxGapS: 3, detectorGapS: 2, passingTimeS: 1.9 };
const phase = (durationS: number, state: string, minDurS?: number, maxDurS?: number): SignalPhase =>
  minDurS === undefined ? { durationS, state } : { durationS, state, minDurS, maxDurS: maxDurS! };

/** netconvert's default actuated plan for a two-approach light: green 77 s planned, minDur 5, maxDur 50. */
const PLAN = [phase(77, 'G', 5, 50), phase(3, 'y'), phase(5, 'r')];
const ONE_LOOP: DetectorPlan = {
  loopLane: Int32Array.of(0),
  loopDistanceM: Float64Array.of(23.5),
  phaseLoops: [[[0], [], []]],
};

/** Runs the clock second by second to `untilS`, returning the start time of every phase after the first. */
function switches(loops: LoopReader, untilS: number): Array<[number, number]> {
  const clock = new SignalClock(
    [{ id: 'x', type: 'actuated', offsetS: 0, phases: PLAN, actuation: SUMO_ACTUATION }],
    2,
    ONE_LOOP,
  );
  const seen: Array<[number, number]> = [];
  let last = SIGNAL_GO;
  let phaseNow = 0;
  for (let t = 0; t <= untilS; t++) {
    clock.advance(t, loops);
    // Green and yellow read GO for the first 2 s (usable yellow); a new phase shows as a change of what link 0 gets.
    const state = clock.stateAt(0, 0, t);
    if (state !== last) {
      phaseNow++;
      seen.push([t, state]);
    }
    last = state;
  }
  return phaseNow === 0 ? [] : seen;
}

describe('actuated signals (SUMO gap control)', () => {
  it('runs the static plan until its first switch, then every green for its minDur when no car comes', () => {
    const none: LoopReader = { sinceDetectionS: () => Number.POSITIVE_INFINITY };
    // Green 0–77 (the plan's duration), yellow 77–80 (usable to 79), red 80–85, green 85–90 (minDur), yellow 90–93 …
    expect(switches(none, 100)).toEqual([
      [79, SIGNAL_STOP],
      [85, SIGNAL_GO],
      [92, SIGNAL_STOP],
      [98, SIGNAL_GO],
    ]);
  });

  it('extends green to maxDur while cars keep coming less than max-gap apart', () => {
    const busy: LoopReader = { sinceDetectionS: () => 0.8 };
    // The first green ran its planned 77 s (> maxDur: SUMO switches at its first check); later greens last maxDur 50.
    expect(switches(busy, 190)).toEqual([
      [79, SIGNAL_STOP],
      [85, SIGNAL_GO],
      [137, SIGNAL_STOP],
      [143, SIGNAL_GO],
    ]);
  });

  it('ends green once every loop has been free for max-gap, checked on whole seconds', () => {
    // The last car left the loop at 88.4 s: at 90 (minDur) the gap is 1.6 s → extended by 2 − 1.6 to the next whole
    // second (91); at 91 the gap is 2.6 s → one more second; at 92 it is 3.6 s ≥ 3 → yellow.
    const lastCar: LoopReader = { sinceDetectionS: (_, nowS) => (nowS < 88.4 ? 0 : nowS - 88.4) };
    const seen = switches(lastCar, 100);
    expect(seen[1]).toEqual([85, SIGNAL_GO]);
    expect(seen[2]).toEqual([94, SIGNAL_STOP]); // yellow from 92, usable for 2 s
  });

  it('places loops as SUMO does and gives a phase only the loops whose lanes have no red link in it', () => {
    // Lane ab_0 goes straight (link 0) and turns left (link 1, permissive `g`); lane db_0 goes straight (link 2).
    const network: RoadNetwork = {
      nodes: [
        { id: 'a', xM: 0, yM: 0 },
        { id: 'b', xM: 300, yM: 0 },
        { id: 'c', xM: 600, yM: 0 },
        { id: 'd', xM: 300, yM: 300 },
        { id: 'e', xM: 300, yM: -300 },
      ],
      edges: [
        { id: 'ab', fromNodeId: 'a', toNodeId: 'b', lengthM: 300, speedMps: 13.89, laneCount: 1, priority: 2 },
        { id: 'db', fromNodeId: 'd', toNodeId: 'b', lengthM: 10, speedMps: 8, laneCount: 2, priority: 1 },
        { id: 'bc', fromNodeId: 'b', toNodeId: 'c', lengthM: 300, speedMps: 13.89, laneCount: 1, priority: 2 },
        { id: 'be', fromNodeId: 'b', toNodeId: 'e', lengthM: 300, speedMps: 13.89, laneCount: 1, priority: 1 },
      ],
      connections: [
        { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'b', tlLinkIndex: 0 },
        { fromEdgeId: 'ab', toEdgeId: 'be', fromLane: 0, toLane: 0, tlId: 'b', tlLinkIndex: 1 },
        { fromEdgeId: 'db', toEdgeId: 'be', fromLane: 0, toLane: 0, tlId: 'b', tlLinkIndex: 2 },
      ],
      signals: [
        {
          id: 'b',
          type: 'actuated',
          offsetS: 0,
          actuation: SUMO_ACTUATION,
          phases: [phase(30, 'Ggr', 10, 40), phase(3, 'yyr'), phase(20, 'Grr', 5, 40), phase(20, 'rrG', 5, 30)],
        },
      ],
    };
    const plan = planDetectors(network, (edgeId, lane) => ['ab', 'db', 'bc', 'be'].indexOf(edgeId) * 2 + lane);
    // ab: min(2 s × 13.89 m/s, (5 / 1.9 + 0.5) × 7.5 m) = 23.5 m (its shortest actuated green is 5 s);
    // db: 2 s × 8 m/s = 16 m, but the lane is 10 m long.
    expect(Array.from(plan.loopLane)).toEqual([0, 2]);
    expect(plan.loopDistanceM[0]).toBeCloseTo((5 / 1.9 + 0.5) * 7.5, 9);
    expect(plan.loopDistanceM[1]).toBe(10);
    // Phase 0: link 1 is a `g` that is never `G` with a `G` from the same lane (SUMO's check 1a/1b) → ab's loop counts.
    // Phase 2: ab's left turn is red there → ab's loop does not extend it. Phase 3: db's loop.
    expect(plan.phaseLoops[0]).toEqual([[0], [], [], [1]]);
    // Planned once per network tables (every run on the network reads the same plan), equal to a fresh plan.
    const tables = {};
    const once = detectorPlanFor(
      tables,
      network,
      (edgeId, lane) => ['ab', 'db', 'bc', 'be'].indexOf(edgeId) * 2 + lane,
    );
    expect(once).toEqual(plan);
    expect(detectorPlanFor(tables, network, () => -1)).toBe(once);
    expect(detectorPlanFor({}, network, () => -1).loopLane.length).toBe(0);
  });

  it('reads a loop from the lane queue: passing cars, and a queue standing over it', () => {
    const laneHead = Int32Array.of(-1);
    const vNext = new Int32Array(6).fill(-1);
    const vReady = new Float64Array(6);
    const plan: DetectorPlan = { loopLane: Int32Array.of(0), loopDistanceM: Float64Array.of(23.5), phaseLoops: [] };
    const loops = new LaneLoops(plan, 1, () => 10, 7.5, 5, laneHead, vNext, vReady);
    const append = (v: number, readyS: number) => {
      vReady[v] = readyS;
      if (laneHead[0]! < 0) laneHead[0] = v;
      else {
        let tail = laneHead[0]!;
        while (vNext[tail]! >= 0) tail = vNext[tail]!;
        vNext[tail] = v;
      }
      loops.entered(0, v);
    };
    expect(loops.sinceDetectionS(0, 50)).toBe(Number.POSITIVE_INFINITY);
    // A free car reaching the stop line at 100 s at 10 m/s: its front is on the loop at 97.65 s, its rear leaves 98.15 s.
    append(0, 100);
    expect(loops.sinceDetectionS(0, 97)).toBe(Number.POSITIVE_INFINITY);
    expect(loops.sinceDetectionS(0, 98)).toBe(0);
    expect(loops.sinceDetectionS(0, 99)).toBeCloseTo(0.85, 9);
    // Three more cars queue behind it at red: the fourth car's place (22.5–27.5 m) covers the loop at 23.5 m.
    append(1, 103);
    append(2, 106);
    expect(loops.sinceDetectionS(0, 110)).toBeCloseTo(110 - (106 - 1.85), 9);
    append(3, 115);
    expect(loops.sinceDetectionS(0, 116)).toBe(0);
    // Green: the head car leaves and the queue moves up over the loop at 120 s.
    loops.leaving(0, 0, 120);
    laneHead[0] = 1;
    expect(loops.sinceDetectionS(0, 121)).toBeCloseTo(1, 9);
  });
});

const FREE = (50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor;

describe('actuated signals in the lane model', () => {
  /** a → b → c straight (link 0) and d → b → c (link 1), 200 m each, 50 km/h, one lane; actuated at b. */
  const network: RoadNetwork = {
    nodes: [
      { id: 'a', xM: 0, yM: 0 },
      { id: 'b', xM: 200, yM: 0 },
      { id: 'c', xM: 400, yM: 0 },
      { id: 'd', xM: 200, yM: 200 },
    ],
    edges: [
      { id: 'ab', fromNodeId: 'a', toNodeId: 'b', lengthM: 200, speedMps: 50 / 3.6, laneCount: 1, priority: 1 },
      { id: 'db', fromNodeId: 'd', toNodeId: 'b', lengthM: 200, speedMps: 50 / 3.6, laneCount: 1, priority: 1 },
      { id: 'bc', fromNodeId: 'b', toNodeId: 'c', lengthM: 200, speedMps: 50 / 3.6, laneCount: 1, priority: 1 },
    ],
    connections: [
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'b', tlLinkIndex: 0 },
      { fromEdgeId: 'db', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'b', tlLinkIndex: 1 },
    ],
    signals: [
      {
        id: 'b',
        type: 'actuated',
        offsetS: 0,
        actuation: SUMO_ACTUATION,
        phases: [phase(20, 'Gr', 5, 40), phase(3, 'yr'), phase(20, 'rG', 5, 40), phase(3, 'ry')],
      },
    ],
  };
  const trip = (id: string, departS: number, from: string): Trip => ({
    id,
    purpose: 'through',
    departS,
    originEdgeId: from,
    destinationEdgeId: 'bc',
  });
  // A car from a every 2.5 s keeps its loop busy; one car from d reaches its stop line at 110 s.
  const trips = [
    ...Array.from({ length: 100 }, (_, i) => trip(`a${i}`, 2.5 * i, 'ab')),
    trip('d', 110 - 200 / FREE, 'db'),
  ];
  const stopLineS = (output: ReturnType<typeof runTrafficSimulation>, v: number) => output.doneS[v]! - 200 / FREE;

  it('holds the busy approach green to maxDur and serves the other one at its minDur', () => {
    const output = runTrafficSimulation({ network, lots: [], trips, startS: 0, endS: 400 });
    // Phase 0 runs 0–40 (maxDur), yellow to 43, d's green 43–48 (minDur: nobody there), yellow to 51, phase 0 51–91,
    // d's green 94–99, phase 0 102–142. The d car reaches its stop line at 110, in a's green, and goes at 145 (+ the
    // start-up loss).
    const d = stopLineS(output, 100);
    expect(d).toBeGreaterThanOrEqual(145);
    expect(d).toBeLessThanOrEqual(150);
    // As a fixed plan (20/3/20/3, cycle 46) it would have gone at 115 + start-up.
    const fixed = structuredClone(network);
    fixed.signals![0]!.type = 'static';
    delete fixed.signals![0]!.actuation;
    const asPlanned = runTrafficSimulation({ network: fixed, lots: [], trips, startS: 0, endS: 400 });
    expect(stopLineS(asPlanned, 100)).toBeLessThan(120);
  });
});
