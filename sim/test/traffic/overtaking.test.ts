import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';

const V = 50 / 3.6;

/**
 * a → b → c, ab 1 km of two lanes, bc one lane; lane 1 of ab also leads to b → d. Cars for c may use either lane of
 * ab; cars for d only lane 1.
 */
function network(): RoadNetwork {
  const edge = (id: string, from: string, to: string, lengthM: number, laneCount: number) => ({
    id,
    fromNodeId: from,
    toNodeId: to,
    lengthM,
    speedMps: V,
    laneCount,
    priority: 1,
  });
  return {
    nodes: [
      { id: 'A', xM: 0, yM: 0 },
      { id: 'B', xM: 1000, yM: 0 },
      { id: 'C', xM: 1200, yM: 0 },
      { id: 'D', xM: 1000, yM: 200 },
    ],
    edges: [edge('ab', 'A', 'B', 1000, 2), edge('bc', 'B', 'C', 200, 1), edge('bd', 'B', 'D', 200, 1)],
    connections: [
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0 },
      { fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 1, toLane: 0 },
      { fromEdgeId: 'ab', toEdgeId: 'bd', fromLane: 1, toLane: 0 },
    ],
  };
}

const trip = (id: string, departS: number, destinationEdgeId: string, speedFactor: number): Trip => ({
  id,
  purpose: 'through',
  departS,
  originEdgeId: 'ab',
  destinationEdgeId,
  speedFactor,
});

/**
 * A slow car (factor 0.7) for c enters ab at 100 s and a fast one (1.3) 4 s after it, behind it on lane 0: lane 1
 * carries cars for d, one every `headwayS` s from 0 s. Returns when each of the two leaves bc.
 */
function run(headwayS: number): {
  slowDoneS: number;
  fastDoneS: number;
  output: ReturnType<typeof runTrafficSimulation>;
} {
  const trips: Trip[] = [];
  for (let t = 0; t < 200; t += headwayS) trips.push(trip(`d${t}`, t, 'bd', 1));
  trips.push(trip('slow', 100, 'bc', 0.7), trip('fast', 104, 'bc', 1.3));
  const output = runTrafficSimulation({ network: network(), lots: [], trips, startS: 0, endS: 600 });
  expect(output.doneS.every((done) => !Number.isNaN(done))).toBe(true);
  return { slowDoneS: output.doneS[trips.length - 2]!, fastDoneS: output.doneS[trips.length - 1]!, output };
}

describe('overtaking on a link of two lanes (SUMO LC2013 speed gain with a safe gap)', () => {
  it('passes a slow car where the other lane has a gap, and pays the time spent behind it', () => {
    // Cars on lane 1 every 20 s (about 260 m apart): room to change. The fast car catches up after ~30 m, wants to
    // change about 0.3 s later and does: it drives the rest of the link at its own speed.
    const { slowDoneS, fastDoneS } = run(20);
    expect(fastDoneS).toBeLessThan(slowDoneS - 20);
    // No free teleport: it reaches c later than it would driving the whole way at its own speed.
    const freeS = 104 + 1200 / (0.95 * V * 1.3);
    expect(fastDoneS).toBeGreaterThan(freeS);
  });

  it('stays behind the slow car where the other lane has no safe gap', () => {
    // Cars on lane 1 every 2.2 s (about 29 m apart, less than the two secure gaps and a car at 9–13 m/s, 42 m): no room to change.
    const { slowDoneS, fastDoneS } = run(2.2);
    expect(fastDoneS).toBeGreaterThan(slowDoneS);
  });

  it('passes on a lane that does not lead on and gets back in front of the slow car', () => {
    // Both cars head for d, which only lane 1 of ab reaches; lane 0 (to c only) is free.
    const trips = [trip('slow', 100, 'bd', 0.7), trip('fast', 104, 'bd', 1.3)];
    const output = runTrafficSimulation({ network: network(), lots: [], trips, startS: 0, endS: 600 });
    expect(output.doneS[1]!).toBeLessThan(output.doneS[0]! - 20);
    // Where cars for c enter every 1.1 s (each lane one every 2.2 s: no gap), it stays behind.
    const busy: Trip[] = [];
    for (let t = 0; t < 200; t += 1.1) busy.push(trip(`c${t}`, t, 'bc', 1));
    const blocked = runTrafficSimulation({
      network: network(),
      lots: [],
      trips: [...busy, ...trips],
      startS: 0,
      endS: 600,
    });
    expect(blocked.doneS[busy.length + 1]!).toBeGreaterThan(blocked.doneS[busy.length]!);
  });

  it('is deterministic', () => {
    const a = run(20).output;
    const b = run(20).output;
    expect(Array.from(b.doneS)).toEqual(Array.from(a.doneS));
    expect(Array.from(b.queues.linkMaxQueueM)).toEqual(Array.from(a.queues.linkMaxQueueM));
  });
});
