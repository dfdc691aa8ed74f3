import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { networkTables } from '../../src/traffic/network-tables.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';

const V = 50 / 3.6;

/**
 * a → b → c → d, two lanes each, with a signal at b (program B: link 0 from lane 0, link 1 from lane 1). At c only lane
 * `onLane` goes on to d; the other turns into c → e. A car for d has lane `onLane` as its best lane on ab; the other
 * lane of ab leads to bc too (`bcM` long), from where it must change back before c.
 */
function network(bcM: number, phases: Array<[number, string]>, onLane = 0, abM = 200): RoadNetwork {
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
      { id: 'B', xM: abM, yM: 0 },
      { id: 'C', xM: abM + bcM, yM: 0 },
      { id: 'D', xM: abM + bcM + 200, yM: 0 },
      { id: 'E', xM: abM + bcM, yM: 200 },
    ],
    edges: [edge('ab', 'A', 'B', abM), edge('bc', 'B', 'C', bcM), edge('cd', 'C', 'D', 200), edge('ce', 'C', 'E', 200)],
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
function abMaxQueueM(bcM: number, phases: Array<[number, string]>, trips: Trip[], onLane = 0, abM = 200): number {
  const network_ = network(bcM, phases, onLane, abM);
  const output = runTrafficSimulation({ network: network_, lots: [], trips, startS: 0, endS: 900 });
  expect(output.doneS.every((done) => !Number.isNaN(done))).toBe(true);
  return output.queues.linkMaxQueueM[0]!;
}

describe('lane changes for speed (SUMO LC2013 speed gain)', () => {
  const longRed: Array<[number, string]> = [
    [90, 'rr'],
    [60, 'GG'],
  ];

  it('spreads a red-light queue over a lane that leads on, though the route prefers the other', () => {
    // Ten cars reach the red light 2 s apart: on their best lane alone they would stand 10 × 7.5 − 1.5 = 73.5 m deep.
    // Taking the left lane while it has fewer cars ahead (at least one fewer), they stand five and five.
    expect(abMaxQueueM(200, longRed, toD(10, 2))).toBe(36);
  });

  it('leaves the best lane only for a lane it can follow 200 m or more (SUMO TURN_LANE_DIST)', () => {
    // Left lane of ab, then bc: 200 + 60 m may be taken for speed; 100 + 60 m may not.
    const gainLanes = (abM: number) => {
      const { graph, layout } = networkTables(network(60, longRed, 0, abM), DEFAULT_TRAFFIC_PARAMS);
      const ab = graph.edgeIndexOrThrow('ab', 'test');
      const cd = graph.edgeIndexOrThrow('cd', 'test');
      const tree = graph.treeSlotFor(cd);
      expect(layout.preferredLanes(tree, ab, cd)).toBe(0b01);
      return layout.speedGainLanes(tree, ab);
    };
    expect(gainLanes(100)).toBe(0);
    expect(gainLanes(200)).toBe(0b10);
  });

  it('changes to the right for one car fewer only when it will stand for 5 s (SUMO: ten times as reluctant)', () => {
    // The best lane is the left one; red until 40 s. The cars reaching the queue by 35 s stand at least 5 s and take the
    // right lane with one car fewer ahead, as they would the left lane (five and five, 36 m); the last two, standing
    // less, need two cars fewer and stay: six cars and four, 6 × 7.5 − 1.5 m.
    const shortRed: Array<[number, string]> = [
      [40, 'rr'],
      [60, 'GG'],
    ];
    expect(abMaxQueueM(200, shortRed, toD(10, 2), 0)).toBe(36);
    expect(abMaxQueueM(200, shortRed, toD(10, 2), 1)).toBe(43.5);
    expect(abMaxQueueM(200, longRed, toD(10, 2), 1)).toBe(36);
  });
});
