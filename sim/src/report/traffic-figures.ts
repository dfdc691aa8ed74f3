import type { QueueSeries } from '../traffic/queue-recorder.js';
import type { CarResults } from './car-results.js';
import { percentile } from './kpis.js';

/** Travel times of one flow's through (and drop-off) cars, from entering the network to arriving (s). */
export interface FlowResult {
  flow: string;
  trips: number;
  /** Cars that arrived within the period. */
  finished: number;
  meanTravelTimeS: number;
  p95TravelTimeS: number;
  /** Mean of (entered − wanted departure): waiting to get onto the network. */
  meanDepartDelayS: number;
  meanDelayS: number;
}

/** Queue figures over a window of the period (m). */
export interface QueueWindowResult {
  fromS: number;
  toS: number;
  /** The hospital approach queue, over every queue sample (`queueSampleS`) inside the window. */
  approach: { meanM: number; p95M: number; maxM: number; samples: number };
  /** Per link that queued inside the window, longest first: over the series points (per-interval maxima). */
  links: Array<{ edgeId: string; meanM: number; p95M: number; maxM: number }>;
}

/** Cars that parked (passed a gate) and left each lot per clock hour. */
export interface HourResult {
  hourStartS: number;
  parked: Record<string, number>;
  left: Record<string, number>;
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}

/** Through and drop-off cars by flow (`background:<id>`, `sumo:<id>`, `dropoff`): travel time as SUMO's `duration`. */
export function flowResults(cars: CarResults, endS: number): FlowResult[] {
  const byFlow = new Map<string, { trips: number; times: number[]; departDelays: number[]; delays: number[] }>();
  for (let v = 0; v < cars.id.length; v++) {
    if (cars.purpose[v] === 'park' || cars.departS[v]! >= endS) continue;
    const flow = cars.flow[v]!;
    let entry = byFlow.get(flow);
    if (entry === undefined) {
      entry = { trips: 0, times: [], departDelays: [], delays: [] };
      byFlow.set(flow, entry);
    }
    entry.trips++;
    const entered = cars.enteredS[v];
    const arrived = cars.arrivedS[v];
    if (entered === null || entered === undefined || arrived === null || arrived === undefined) continue;
    entry.times.push(arrived - entered);
    entry.departDelays.push(entered - cars.departS[v]!);
    entry.delays.push(cars.delayS[v] ?? 0);
  }
  return [...byFlow]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([flow, entry]) => ({
      flow,
      trips: entry.trips,
      finished: entry.times.length,
      meanTravelTimeS: round(mean(entry.times)),
      p95TravelTimeS: round(percentile(entry.times, 0.95)),
      meanDepartDelayS: round(mean(entry.departDelays)),
      meanDelayS: round(mean(entry.delays)),
    }));
}

/** Mean, p95 and max of the approach queue and of each link's queue inside `[fromS, toS)`. */
export function queueWindowResult(
  queues: QueueSeries,
  edgeIds: readonly string[],
  startS: number,
  window: { fromS: number; toS: number },
): QueueWindowResult {
  const { fromS, toS } = window;
  const samples: number[] = [];
  for (let k = 0; k < queues.approachSamplesM.length; k++) {
    const atS = startS + k * queues.queueSampleS;
    if (atS >= fromS && atS < toS) samples.push(queues.approachSamplesM[k]!);
  }
  let maxM = 0;
  for (const sample of samples) if (sample > maxM) maxM = sample;
  const points: number[] = [];
  queues.timesS.forEach((timeS, i) => {
    if (timeS + queues.seriesIntervalS > fromS && timeS < toS) points.push(i);
  });
  const links: QueueWindowResult['links'] = [];
  const series = queues.linkSeriesM;
  if (series !== undefined) {
    const pointCount = queues.timesS.length;
    for (let e = 0; e < edgeIds.length; e++) {
      if (queues.linkMaxQueueM[e]! <= 0) continue;
      const values = points.map((i) => series[e * pointCount + i]!);
      let linkMax = 0;
      for (const value of values) if (value > linkMax) linkMax = value;
      if (linkMax <= 0) continue;
      links.push({
        edgeId: edgeIds[e]!,
        meanM: round(mean(values)),
        p95M: round(percentile(values, 0.95)),
        maxM: round(linkMax),
      });
    }
  }
  links.sort((a, b) => b.maxM - a.maxM || (a.edgeId < b.edgeId ? -1 : 1));
  return {
    fromS,
    toS,
    approach: {
      meanM: round(mean(samples)),
      p95M: round(percentile(samples, 0.95)),
      maxM: round(maxM),
      samples: samples.length,
    },
    links,
  };
}

/** Per clock hour of the period: cars parked (gate passed) and cars that left, by lot. */
export function hourResults(cars: CarResults, lotIds: readonly string[], startS: number, endS: number): HourResult[] {
  const firstHour = Math.floor(startS / 3600);
  const hours: HourResult[] = [];
  for (let h = firstHour; h * 3600 < endS; h++) {
    const zero = () => Object.fromEntries(lotIds.map((id) => [id, 0])) as Record<string, number>;
    hours.push({ hourStartS: h * 3600, parked: zero(), left: zero() });
  }
  const add = (timeS: number | null | undefined, lot: string | null | undefined, field: 'parked' | 'left') => {
    if (timeS === null || timeS === undefined || lot === null || lot === undefined) return;
    const hour = hours[Math.floor(timeS / 3600) - firstHour];
    if (hour !== undefined) hour[field][lot] = (hour[field][lot] ?? 0) + 1;
  };
  for (let v = 0; v < cars.id.length; v++) {
    add(cars.parkedS[v], cars.lot[v], 'parked');
    add(cars.leftLotS[v], cars.lot[v], 'left');
  }
  return hours;
}
