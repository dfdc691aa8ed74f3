import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';

const V = 50 / 3.6;

/**
 * a → b → c → d, two lanes each, with a signal at b (program B: link 0 from lane 0, link 1 from lane 1). At c only lane
 * `onLane` goes on to d; the other turns into c → e. A car for d has lane `onLane` as its best lane on ab; the other
 * lane of ab leads to bc too (`bcM` long), from where it must change back before c.
 */
function network(bcM: number, phases: Array<[number, string]>, onLane = 0): RoadNetwork {
  const edge = (id: string, from: string, to: string, lengthM: number) => ({
    id,
    fromNodeId: from,
    toNodeId: to,
    lengthM,
    speedMps: V,
    laneCount: 2,
    priority: 1,
  });
  return {
    nodes: [
      { id: 'A', xM: 0, yM: 0 },
      { id: 'B', xM: 200, yM: 0 },
      { id: 'C', xM: 200 + bcM, yM: 0 },
      { id: 'D', xM: 400 + bcM, yM: 0 },
      { id: 'E', xM: 200 + bcM, yM: 200 },
    ],
    edges: [edge('ab', 'A', 'B', 200), edge('bc', 'B', 'C', bcM), edge('cd', 'C', 'D', 200), edge('ce', 'C', 'E', 200)],
    connections: [
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'B', tlLinkIndex: 0 },
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 1, toLane: 1, tlId: 'B', tlLinkIndex: 1 },
      { fromEdgeId: 'bc', toEdgeId: 'cd', fromLane: onLane, toLane: onLane },
      { fromEdgeId: 'bc', toEdgeId: 'ce', fromLane: 1 - onLane, toLane: 1 - onLane },
    ],
    signals: [
      { id: 'B', type: 'static', offsetS: 0, phases: phases.map(([durationS, state]) => ({ durationS, state })) },
    ],
  };
}

const toD = (n: number, headwayS: number): Trip[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    purpose: 'through' as const,
    departS: 5 + i * headwayS,
    originEdgeId: 'ab',
    destinationEdgeId: 'cd',
  }));

/** Longest queue seen on ab (m). */
function abMaxQueueM(bcM: number, phases: Array<[number, string]>, trips: Trip[], onLane = 0): number {
  const output = runTrafficSimulation({ network: network(bcM, phases, onLane), lots: [], trips, startS: 0, endS: 900 });
  expect(output.doneS.every((done) => !Number.isNaN(done))).toBe(true);
  return output.queues.linkMaxQueueM[0]!;
}

describe('lane changes for speed (SUMO LC2013 speed gain)', () => {
  const longRed: Array<[number, string]> = [
    [90, 'rr'],
    [60, 'GG'],
  ];

  it('spreads a red-light queue over a lane that leads on, though the route prefers the other', () => {
    // Ten cars reach the red light 2 s apart: on their best lane alone they would stand 10 × 7.5 − 2.5 = 72.5 m deep.
    // Taking the left lane while it has fewer cars ahead (at least one fewer), they stand five and five.
    expect(abMaxQueueM(200, longRed, toD(10, 2))).toBe(35);
  });

  it('keeps to the best lane when the other one leads on for less than 200 m (SUMO TURN_LANE_DIST)', () => {
    expect(abMaxQueueM(60, longRed, toD(10, 2))).toBe(72.5);
  });

  it('changes to the right only for two cars fewer ahead (SUMO is ten times as reluctant to the right)', () => {
    // The best lane is the left one. When the first car meets red, the cars behind it still driving take the right
    // lane each time it has two fewer ahead (2nd, 4th, 6th car); of the two that enter during red, the first finds
    // five cars against three and turns right, the last five against four: six and four cars, 6 × 7.5 − 2.5 m.
    expect(abMaxQueueM(200, longRed, toD(10, 2), 1)).toBe(42.5);
  });
});
