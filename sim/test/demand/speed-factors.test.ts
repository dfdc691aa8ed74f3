import { describe, expect, it } from 'vitest';
import {
  CITYBAY_CAR_SPEED,
  drawSpeedFactor,
  driverSpeedOf,
  SUMO_PASSENGER_SPEED,
  withSpeedFactors,
} from '../../src/demand/speed-factors.js';
import { defaultConnections } from '../../src/network/network-file.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../../src/traffic/traffic-params.js';
import { runTrafficSimulation } from '../../src/traffic/traffic-simulation.js';
import type { Trip } from '../../src/traffic/trip.js';
import { corridorNetwork } from '../fixtures/corridor.js';

const START_S = 8 * 3600;

describe('driverSpeedOf', () => {
  it("reads a vType's speedFactor as SUMO does, with SUMO's passenger car as the default", () => {
    expect(driverSpeedOf({})).toEqual(SUMO_PASSENGER_SPEED);
    expect(driverSpeedOf({ speedFactor: '1.2' }).factor).toEqual({ mean: 1.2, sd: 0.1, min: 0.2, max: 2 });
    expect(driverSpeedOf({ speedFactor: 'normc(0.9,0.05,0.5,1.5)' }).factor).toEqual({
      mean: 0.9,
      sd: 0.05,
      min: 0.5,
      max: 1.5,
    });
    expect(driverSpeedOf({ speedFactor: 'norm(1.1, 0.2)', speedDev: '0' }).factor).toEqual({
      mean: 1.1,
      sd: 0,
      min: 0.2,
      max: 2,
    });
    expect(driverSpeedOf({ maxSpeed: '20' }).maxSpeedMps).toBe(20);
  });
});

describe('drawSpeedFactor', () => {
  it("draws SUMO's normc(1, 0.1, 0.2, 2) per trip id and seed, the same draw for the same car", () => {
    const draws = Array.from({ length: 4000 }, (_, i) => drawSpeedFactor(42, `car${i}`, SUMO_PASSENGER_SPEED));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, d) => s + (d - mean) ** 2, 0) / (draws.length - 1));
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    expect(drawSpeedFactor(42, 'car7', SUMO_PASSENGER_SPEED)).toBe(draws[7]);
    expect(drawSpeedFactor(43, 'car7', SUMO_PASSENGER_SPEED)).not.toBe(draws[7]);
    // A car keeps its driver whichever other cars the run has.
    const trips: Trip[] = [{ id: 'car7', purpose: 'through', departS: 0, originEdgeId: 'a', destinationEdgeId: 'b' }];
    expect(withSpeedFactors(trips, 42, CITYBAY_CAR_SPEED)[0]).toMatchObject({ speedFactor: draws[7], maxSpeedMps: 50 });
  });
});

describe('per-car speed factors in the link model', () => {
  const oneLane = () => {
    const network = corridorNetwork(3, 200);
    const edges = network.edges.map((edge) => ({ ...edge, laneCount: 1 }));
    return { ...network, edges, connections: defaultConnections(edges) };
  };
  const through = (id: string, departS: number, speed: Partial<Trip>): Trip => ({
    id,
    purpose: 'through',
    departS: START_S + departS,
    originEdgeId: 'a0',
    destinationEdgeId: 'exit',
    ...speed,
  });
  const run = (trips: Trip[]) =>
    runTrafficSimulation({ network: oneLane(), lots: [], trips, startS: START_S, endS: START_S + 3600 });
  const freeS = (4 * 200) / ((50 / 3.6) * DEFAULT_TRAFFIC_PARAMS.freeFlowSpeedFactor);

  it("drives a lone car at its factor × the limit, capped by the car's top speed", () => {
    const output = run([
      through('fast', 0, { speedFactor: 1.25 }),
      through('slow', 600, { speedFactor: 0.8 }),
      through('capped', 1200, { speedFactor: 1.5, maxSpeedMps: 50 / 3.6 }),
      through('mean', 1800, {}),
    ]);
    const took = (v: number, departS: number) => output.doneS[v]! - START_S - departS;
    expect(took(0, 0)).toBeCloseTo(freeS / 1.25, 0);
    expect(took(1, 600)).toBeCloseTo(freeS / 0.8, 0);
    expect(took(2, 1200)).toBeCloseTo(freeS, 0);
    expect(took(3, 1800)).toBeCloseTo(freeS, 0);
  });

  it('keeps a fast car behind a slow one on a one-lane road: they arrive as a platoon', () => {
    const output = run([through('slow', 0, { speedFactor: 0.8 }), through('fast', 3, { speedFactor: 1.25 })]);
    const slowDoneS = output.doneS[0]! - START_S;
    const fastDoneS = output.doneS[1]! - START_S;
    expect(slowDoneS).toBeCloseTo(freeS / 0.8, 0);
    expect(fastDoneS).toBeGreaterThan(slowDoneS);
    expect(fastDoneS - slowDoneS).toBeLessThan(4);
  });
});
