import { describe, expect, it } from 'vitest';
import type { RoadNetwork } from '../../src/model/index.js';
import { DEFAULT_TRAFFIC_PARAMS, type TrafficParams } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';
import { priorityJunction } from '../fixtures/priority-junction.js';

const FREE = (50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor;

/** a → b → c, one lane each, 200 m, 50 km/h; the turn at b is signalised (program B, link 0). */
function signalised(phases: Array<[number, string]>): RoadNetwork {
  return {
    nodes: [
      { id: 'A', xM: 0, yM: 0 },
      { id: 'B', xM: 200, yM: 0 },
      { id: 'C', xM: 400, yM: 0 },
    ],
    edges: [
      { id: 'ab', fromNodeId: 'A', toNodeId: 'B', lengthM: 200, speedMps: 50 / 3.6, laneCount: 1, priority: 1 },
      { id: 'bc', fromNodeId: 'B', toNodeId: 'C', lengthM: 200, speedMps: 50 / 3.6, laneCount: 1, priority: 1 },
    ],
    connections: [{ fromEdgeId: 'ab', toEdgeId: 'bc', fromLane: 0, toLane: 0, tlId: 'B', tlLinkIndex: 0 }],
    signals: [
      { id: 'B', type: 'static', offsetS: 0, phases: phases.map(([durationS, state]) => ({ durationS, state })) },
    ],
  };
}

const trip = (id: string, departS: number, from = 'ab', to = 'bc'): Trip => ({
  id,
  purpose: 'through',
  departS,
  originEdgeId: from,
  destinationEdgeId: to,
});

describe('traffic signals', () => {
  it('holds cars at red; the queue builds in metres and leaves at the saturation flow after the start-up loss', () => {
    // Green 0–30 s, yellow 30–33 s, red 33–60 s. Ten cars reach the stop line during red.
    const network = signalised([
      [30, 'G'],
      [3, 'y'],
      [27, 'r'],
    ]);
    const trips = Array.from({ length: 10 }, (_, i) => trip(`c${i}`, 20 + 2 * i));
    const output = runTrafficSimulation({ network, lots: [], trips, startS: 0, endS: 600 });
    const leftS = Array.from(output.doneS, (done) => done - 200 / FREE);
    // The first car goes about l1 + 1/s after green (60 s), then one every 2 s (1,800 veh/h).
    expect(leftS[0]).toBeGreaterThanOrEqual(61);
    expect(leftS[0]).toBeLessThanOrEqual(64);
    for (let i = 1; i < 10; i++) expect(leftS[i]! - leftS[i - 1]!).toBeCloseTo(2, 5);
    expect(Math.max(...output.queues.linkMaxQueueM)).toBe(73.5); // to the rear of the 10th car: 10 × 7.5 − 1.5 (the first stands 1 m short)
  });

  it('runs the program in a cycle from its offset; yellow is usable for its first seconds', () => {
    const network = signalised([
      [20, 'r'],
      [20, 'G'],
      [4, 'y'],
    ]);
    network.signals![0]!.offsetS = 10;
    // Cycle 44 s from t = 10: red 10–30, green 30–50, yellow 50–54 (go until 52), red again from 54.
    const car = (arriveS: number) => trip(`at${arriveS}`, arriveS - 200 / FREE);
    const output = runTrafficSimulation({
      network,
      lots: [],
      trips: [car(25), car(40), car(51), car(53)],
      startS: 0,
      endS: 400,
    });
    const leftS = Array.from(output.doneS, (done) => done - 200 / FREE);
    expect(leftS[0]).toBeGreaterThanOrEqual(30);
    expect(leftS[0]).toBeLessThan(35);
    expect(leftS[1]).toBeCloseTo(40, 0);
    expect(leftS[2]).toBeCloseTo(51, 0);
    expect(leftS[3]).toBeGreaterThanOrEqual(74); // waits for the next green at 10 + 44 + 20 = 74
  });
});

describe('priority junctions', () => {
  function minorThroughput(majorPerHour: number): number {
    const trips: Trip[] = [];
    for (let t = 0; t < 3600; t += 3600 / majorPerHour) trips.push(trip(`m${trips.length}`, t, 'm0', 'm1'));
    for (let t = 0; t < 3600; t += 2) trips.push(trip(`s${trips.length}`, t, 's', 'm1'));
    const output = runTrafficSimulation({ network: priorityJunction(), lots: [], trips, startS: 0, endS: 3600 });
    // Minor cars that crossed the junction between 10 and 50 minutes (it stays saturated).
    let crossed = 0;
    trips.forEach((t, i) => {
      const crossedS = output.doneS[i]! - 400 / FREE;
      if (t.originEdgeId === 's' && crossedS >= 600 && crossedS < 3000) crossed++;
    });
    return (crossed / 2400) * 3600;
  }

  it('gives the minor movement Siegloch’s gap-acceptance capacity against the major flow', () => {
    const { criticalGapS } = DEFAULT_TRAFFIC_PARAMS;
    for (const major of [300, 900]) {
      const expected = 1800 * Math.exp((-major / 3600) * (criticalGapS - 1));
      const measured = minorThroughput(major);
      expect(Math.abs(measured - expected) / expected).toBeLessThan(0.08);
    }
  });

  it('lets the major flow through undelayed', () => {
    const trips = [
      trip('m', 100, 'm0', 'm1'),
      ...Array.from({ length: 100 }, (_, i) => trip(`s${i}`, i * 2, 's', 'm1')),
    ];
    const output = runTrafficSimulation({ network: priorityJunction(), lots: [], trips, startS: 0, endS: 1200 });
    expect(output.doneS[0]! - 100).toBeCloseTo(800 / FREE, 0);
  });

  it('halts minor cars at the stop line while they wait for a gap (Adams’ mean); a turn waiting inside does not', () => {
    // Major flow 900 veh/h; 40 minor cars, one a minute, each alone at its stop line.
    const trips = [
      ...Array.from({ length: 900 }, (_, i) => trip(`m${i}`, i * 4, 'm0', 'm1')),
      ...Array.from({ length: 40 }, (_, i) => trip(`minor${i}`, 600 + 60 * i, 's', 'm1')),
    ];
    const run = (network: RoadNetwork) => {
      const output = runTrafficSimulation({ network, lots: [], trips, startS: 0, endS: 3600 });
      const lost = trips.flatMap((t, v) => (t.originEdgeId === 's' ? [output.doneS[v]! - t.departS - 800 / FREE] : []));
      return {
        meanLostS: lost.reduce((a, b) => a + b, 0) / lost.length,
        noWait: lost.filter((s) => s < 1.5).length,
        minorQueueM: output.queues.linkMaxQueueM[2]!,
      };
    };
    const stopLine = run(priorityJunction());
    const across = run(priorityJunction(true));
    // Halted at the line (SUMO's car stands at the lane's end at a priority junction): one car's length, as SUMO's
    // queue-output counts a car standing there; inside: no queue.
    expect(stopLine.minorQueueM).toBe(5);
    expect(across.minorQueueM).toBe(0);
    // On average a car loses Adams' mean wait for a 5.5 s gap in 0.25 veh/s (about 6.3 s), plus slowing for the
    // junction; some find a gap at once (probability exp(−q t_c) ≈ 25%), the others wait longer, at the stop line or
    // inside the junction alike (each car's wait drawn: gap-draw.test.ts).
    const q = 0.25;
    const tc = DEFAULT_TRAFFIC_PARAMS.criticalGapS;
    const waitS = (Math.exp(q * tc) - q * tc - 1) / q;
    for (const result of [stopLine, across]) {
      expect(result.meanLostS).toBeGreaterThan(waitS - 1);
      expect(result.meanLostS).toBeLessThan(waitS + 4);
    }
    for (const result of [stopLine, across]) {
      expect(result.noWait).toBeGreaterThanOrEqual(4);
      expect(result.noWait).toBeLessThanOrEqual(20);
    }
  });

  it('lets a car that must stop for its gap creep to the line, then set off from a standstill', () => {
    // Major flow 900 veh/h; minor cars one a minute, each driving up to an idle stop line.
    const trips = [
      ...Array.from({ length: 900 }, (_, i) => trip(`m${i}`, i * 4, 'm0', 'm1')),
      ...Array.from({ length: 40 }, (_, i) => trip(`minor${i}`, 600 + 60 * i, 's', 'm1')),
    ];
    const run = (params: Partial<TrafficParams>) =>
      runTrafficSimulation({ network: priorityJunction(), lots: [], trips, startS: 0, endS: 3600, params });
    const modelled = run({});
    const noCreep = run({ stopCreepS: 0 });
    // No creep and (nearly) instant acceleration: a stopped car loses nothing beyond its wait.
    const bare = run({ stopCreepS: 0, accelMps2: 1e9 });
    // The same gap draws in every run (a hash of the run seed, car and lane; the same major flow). Every minor car loses the speeding
    // up after slowing to the yielding crossing speed v_x = √(2 b · 4.5 m), (v − v_x)² / 2va; a car that stopped for
    // its gap also the creep, and speeding up from 0 instead of v_x, v_x (2v − v_x) / 2va.
    const { decelMps2, accelMps2, minorVisibilityM, stopCreepS } = DEFAULT_TRAFFIC_PARAMS;
    const vx = Math.sqrt(2 * decelMps2 * minorVisibilityM);
    const rollingS = (FREE - vx) ** 2 / (2 * FREE * accelMps2);
    const startLossS = (vx * (2 * FREE - vx)) / (2 * FREE * accelMps2);
    const startLosses: number[] = [];
    let atOnce = 0;
    trips.forEach((t, v) => {
      if (t.originEdgeId !== 's') return;
      const creepS = modelled.doneS[v]! - noCreep.doneS[v]!;
      const accelerationS = noCreep.doneS[v]! - bare.doneS[v]!;
      if (creepS === 0) {
        atOnce++;
        expect(accelerationS).toBeCloseTo(rollingS, 6);
      } else {
        expect(creepS).toBeCloseTo(stopCreepS, 6);
        startLosses.push(accelerationS - rollingS);
      }
    });
    expect(startLosses.length).toBeGreaterThan(20);
    // (Within a step's rounding: a car whose wait ends as the next step begins leaves at that step.)
    expect(startLosses.reduce((sum, s) => sum + s, 0) / startLosses.length).toBeCloseTo(startLossS, 1);
    expect(atOnce).toBeGreaterThan(3);
  });
});
