import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import type { TrafficParams } from '../../src/traffic/traffic-params.js';
import { TrafficSimulation } from '../../src/traffic/traffic-simulation.js';

/** a → b → c, one lane each, 200 m, a signal at b: red for the first 60 s, then green for 60 s. */
function network(): RoadNetwork {
  const edge = (id: string, from: string, to: string) => ({
    id,
    fromNodeId: from,
    toNodeId: to,
    lengthM: 200,
    speedMps: 50 / 3.6,
    laneCount: 1,
    priority: 1,
  });
  return {
    nodes: [
      { id: 'A', xM: 0, yM: 0 },
      { id: 'B', xM: 200, yM: 0 },
      { id: 'C', xM: 400, yM: 0 },
    ],
    edges: [edge('ab', 'A', 'B'), edge('bc', 'B', 'C')],
    connections: [{ fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'B', tlLinkIndex: 0 }],
    signals: [
      {
        id: 'B',
        type: 'static',
        offsetS: 0,
        phases: [
          { durationS: 60, state: 'r' },
          { durationS: 60, state: 'G' },
        ],
      },
    ],
  };
}

/** The queue on ab (m) at each of `atS`, for `cars` cars departing 2 s apart at 0 s (or at `departS`). */
function abQueuesM(
  cars: number,
  atS: number[],
  departS = Array.from({ length: cars }, (_, i) => 2 * i),
  params: Partial<TrafficParams> = {},
): number[] {
  const simulation = new TrafficSimulation({
    network: network(),
    lots: [],
    trips: departS.map((d, i) => ({
      id: `c${i}`,
      purpose: 'through' as const,
      departS: d,
      originEdgeId: 'ab',
      destinationEdgeId: 'bc',
    })),
    startS: 0,
    endS: 240,
    params,
  });
  return atS.map((t) => {
    simulation.step(t);
    return simulation.linkQueuesM()[0]!;
  });
}

describe('a queue held by red, at the green (SUMO: the first car moves off in the green’s first step)', () => {
  it('reads a lone car at red as no queue from the green on, before the start-up lost time lets it leave', () => {
    expect(abQueuesM(1, [50, 60])).toEqual([6, 0]);
  });

  it('keeps a longer queue to its standing tail at the green, and lets the start wave run from the green', () => {
    // Three cars: 7.5 × 3 − 1.5 m. At 60 s the first is moving and the others stand; by 63.6 s (three waves of 1.2 s)
    // the wave has reached all three, though the first leaves only after the start-up lost time.
    expect(abQueuesM(3, [50, 60, 62, 64])).toEqual([21, 21, 21, 0]);
  });

  it('keeps the restart from the green when the first car leaves more than a headway after it (start-up loss)', () => {
    // Three cars stand at the red; two more reach the stop line 65–67 s, after the wave from the green (60 s) has
    // passed their places: they drive into a queue already moving off, no queue. With a 3.5 s start-up loss the first
    // car leaves 4–5 s after the green; until 7 Dec 2026 that departure restarted the lane, the wave ran again from
    // it, and the queue read 21 m again, then 36 m (five cars standing) until 70 s (benchmark (c), `142575674#3`).
    const queues = abQueuesM(5, [62, 63, 64, 65, 66, 67, 68, 69], [0, 2, 4, 51, 52], { startupLostTimeS: 3.5 });
    expect(queues).toEqual([21, 0, 0, 0, 0, 0, 0, 0]);
  });
});
