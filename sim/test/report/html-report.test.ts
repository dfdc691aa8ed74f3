import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { percentile } from '../../src/report/kpis.js';
import {
  flowsCsv,
  kpiComparisonCsv,
  perHourCsv,
  queueWindowCsv,
  timeSeriesCsv,
} from '../../src/report/result-files.js';
import { niceScale } from '../../src/report/svg-chart.js';
import type { ScenarioResult } from '../../src/scenario/run-scenario.js';

function result(policy: string, queue: number[], seed = 1): ScenarioResult {
  const kpis = {
    approachQueueMaxM: queue.reduce((a, b) => Math.max(a, b), 0),
    approachQueueP95M: 1,
    windowQueueMeanM: 1,
    windowQueueP95M: 1,
    windowQueueMaxM: 1,
    timeToParkMeanS: 2,
    timeToParkP95S: 3,
    meanTravelTimeS: 4,
    cruisingVehKm: 5,
    totalVehKm: 6,
    parkTrips: 7,
    parkedCars: 7,
    vehiclesNotServed: 0,
    throughTrips: 1,
    throughTripsFinished: 1,
    maxWaitingToEnter: 0,
    vehicleSteps: 100,
  };
  return {
    scenario: 'test <district>',
    policy,
    seed,
    periodS: { fromS: 25200, toS: 25200 + 60 * (queue.length - 1) },
    demand: { appointments: 1, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 1, throughTrips: 1 },
    warnings: [{ code: 'W_DEMAND_ORIGIN_SHARES', path: 'demand.origins', message: 'shares add up to 1.1' }],
    flows: [
      {
        flow: 'background:east',
        trips: 10,
        finished: 9,
        meanTravelTimeS: 100,
        p95TravelTimeS: 150,
        meanDepartDelayS: 0,
        meanDelayS: 10,
      },
    ],
    queueWindow: {
      fromS: 25200,
      toS: 28800,
      approach: { meanM: 12, p95M: 30, maxM: 40, samples: 360 },
      links: [{ edgeId: 'a', meanM: 5, p95M: 15, maxM: 30 }],
    },
    perHour: [{ hourStartS: 25200, parked: { H: 7 }, left: { H: 2 } }],
    kpis,
    lots: [{ lotId: 'H', capacityBays: 10, maxOccupiedBays: 9, parkedCars: 12 }],
    links: [{ edgeId: 'a', maxQueueM: 30, p95QueueM: 15 }],
    series: {
      seriesIntervalS: 60,
      timesS: queue.map((_, i) => 25200 + 60 * i),
      approachQueueM: queue,
      lotOccupancy: { H: queue.map((_, i) => i) },
      gateQueueVeh: { H: queue.map(() => 1) },
      vehiclesOnNetwork: queue.map(() => 3),
      waitingToEnter: queue.map(() => 0),
    },
  };
}

describe('report', () => {
  it('renders a self-contained page with a chart per figure and escaped names', () => {
    const html = renderHtmlReport(
      [result('baseline', [0, 500, 1200, 300]), result('signs & more', [0, 20, 40, 0])],
      'Compare',
    );
    expect(html.match(/<svg/g)?.length).toBe(2 + 2 * 3);
    expect(html).toContain('signs &amp; more');
    expect(html).toContain('test &lt;district&gt;');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    expect(html).toContain('07:00');
  });

  it('renders a 10,000-run sweep as a summary per policy', () => {
    const queue = Array.from({ length: 421 }, (_, i) => (i % 50) * 3);
    const results = Array.from({ length: 10_000 }, (_, i) =>
      result(
        i % 2 === 0 ? 'baseline' : 'signs',
        queue.map((q) => q + (i % 7)),
        i,
      ),
    );
    const html = renderHtmlReport(results, 'Big sweep');
    expect(html).toContain('10000 runs: summarised per policy');
    expect(html).toContain('baseline (5000 seeds)');
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html.length).toBeLessThan(500_000);
  });

  it('shows each run’s warnings, flows, queue window and parked per hour', () => {
    const html = renderHtmlReport([result('baseline', [0, 5])], 'One');
    expect(html).toContain('W_DEMAND_ORIGIN_SHARES');
    expect(html).toContain('background:east');
    expect(html).toContain('queue 07:00–08:00');
    expect(html).toContain('Cars parked per hour');
    const one = result('baseline', [0, 5]);
    expect(flowsCsv(one).split('\n')[1]).toBe('background:east,10,9,100,150,0,10');
    expect(queueWindowCsv(one).split('\n').slice(1, 3)).toEqual([
      '07:00-08:00,approach,12,30,40',
      '07:00-08:00,a,5,15,30',
    ]);
    expect(perHourCsv(one).split('\n').slice(0, 2)).toEqual(['hour,parked_H,left_H', '07:00,7,2']);
  });

  it('writes CSV series and a KPI comparison', () => {
    const csv = timeSeriesCsv(result('baseline', [0, 10]));
    expect(csv.split('\n')[1]).toBe('07:00,25200,0,3,0,0,1');
    expect(
      kpiComparisonCsv([result('a', [1]), result('b', [2])])
        .trim()
        .split('\n'),
    ).toHaveLength(3);
  });

  it('computes nearest-rank percentiles and nice axes', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([], 0.95)).toBe(0);
    expect(niceScale(1234)).toEqual({ max: 1500, step: 500 });
  });
});
