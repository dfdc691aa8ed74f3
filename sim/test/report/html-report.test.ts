import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { percentile } from '../../src/report/kpis.js';
import { kpiComparisonCsv, timeSeriesCsv } from '../../src/report/result-files.js';
import { niceScale } from '../../src/report/svg-chart.js';
import type { ScenarioResult } from '../../src/scenario/run-scenario.js';

function result(policy: string, queue: number[]): ScenarioResult {
  const kpis = {
    approachQueueMaxM: Math.max(...queue),
    approachQueueP95M: 1,
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
    seed: 1,
    periodS: { fromS: 25200, toS: 25200 + 60 * (queue.length - 1) },
    demand: { appointments: 1, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 1, throughTrips: 1 },
    warnings: [],
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
    expect(html.match(/<svg/g)?.length).toBe(2 + 2 * 2);
    expect(html).toContain('signs &amp; more');
    expect(html).toContain('test &lt;district&gt;');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    expect(html).toContain('07:00');
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
