import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { carsCsv } from '../../src/report/result-files.js';
import { type ResolvedScenario, runScenario, type ScenarioResult } from '../../src/scenario/run-scenario.js';

const SCENARIO = new URL('../fixtures/small-district/scenario-sumo.yaml', import.meta.url).pathname;

describe('per-car results, flows, queue window and parked per hour', () => {
  let scenario: ResolvedScenario;
  let result: ScenarioResult;
  beforeAll(() => {
    scenario = loadScenario(SCENARIO);
    result = runScenario(scenario, { keepCars: true, queueWindow: { fromS: 8 * 3600, toS: 9 * 3600 } });
  });

  it('has a row per car with SUMO tripinfo-like times', () => {
    const cars = result.cars!;
    expect(cars.id.length).toBe(result.demand.parkTrips + result.demand.throughTrips + result.demand.dropOffs);
    for (let v = 0; v < cars.id.length; v++) {
      const entered = cars.enteredS[v];
      if (entered !== null) expect(entered).toBeGreaterThanOrEqual(cars.departS[v]! - 1e-9);
      if (cars.purpose[v] === 'park' && cars.parkedS[v] !== null) {
        expect(cars.parkedS[v]!).toBeGreaterThan(entered!);
        expect(cars.lot[v]).not.toBeNull();
        expect(cars.delayS[v]).toBeGreaterThanOrEqual(0);
      }
      if (cars.purpose[v] !== 'park' && cars.arrivedS[v] !== null) expect(cars.routeLengthM[v]).toBeGreaterThan(0);
    }
    const visit = cars.id.indexOf('visit1');
    expect(cars).toMatchObject({
      flow: expect.arrayContaining(['sumo:vehicles', 'sumo:eastbound', 'background:through']),
    });
    expect(cars.lot[visit]).toBe('H');
    expect(carsCsv(result).split('\n')[0]).toBe(
      'id,flow,purpose,lot,departS,enteredS,parkedS,leftLotS,arrivedS,routeLengthM,delayS',
    );
  });

  it('reports through travel time per flow, as entered → arrived', () => {
    const eastbound = result.flows.find((f) => f.flow === 'sumo:eastbound')!;
    expect(eastbound.trips).toBe(120);
    expect(eastbound.finished).toBe(120);
    // 1,500 m + 400 m + 600 m at 50 km/h and the model's 0.95 of it: about 190 s free-flow.
    expect(eastbound.meanTravelTimeS).toBeGreaterThan(180);
    expect(result.flows.map((f) => f.flow)).toContain('background:through');
  });

  it('measures the queue over the chosen window and counts parked cars per hour', () => {
    expect(result.queueWindow).toMatchObject({ fromS: 28800, toS: 32400 });
    expect(result.queueWindow.approach.samples).toBe(360);
    expect(result.queueWindow.approach.maxM).toBeLessThanOrEqual(result.kpis.approachQueueMaxM);
    expect(result.queueWindow.approach.meanM).toBeLessThanOrEqual(result.queueWindow.approach.p95M);
    expect(result.kpis.windowQueueMaxM).toBe(result.queueWindow.approach.maxM);
    const parked = result.perHour.reduce((sum, h) => sum + Object.values(h.parked).reduce((a, b) => a + b, 0), 0);
    expect(parked).toBe(result.kpis.parkedCars);
    expect(result.perHour.map((h) => h.hourStartS)).toEqual([25200, 28800, 32400, 36000]);
  });

  it('leaves the per-car table out unless asked (sweeps)', () => {
    expect(runScenario(scenario).cars).toBeUndefined();
  });
});
