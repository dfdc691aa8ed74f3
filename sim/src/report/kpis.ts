import type { TrafficRunOutput } from '../traffic/traffic-simulation.js';
import { queueWindowResult } from './traffic-figures.js';

export interface LinkQueueKpi {
  edgeId: string;
  maxQueueM: number;
  /** 95th percentile of the per-interval maximum queue; absent on networks too big to keep link series. */
  p95QueueM?: number;
}

export interface LotKpi {
  lotId: string;
  capacityBays: number;
  maxOccupiedBays: number;
  parkedCars: number;
}

/** The figures a traffic engineer compares policies by. Distances in m/km, times in s. */
export interface ScenarioKpis {
  approachQueueMaxM: number;
  approachQueueP95M: number;
  /** The approach queue over the report window (`report.window`, default the period): mean, p95, max of samples. */
  windowQueueMeanM: number;
  windowQueueP95M: number;
  windowQueueMaxM: number;
  /** From wanted departure (including waiting to enter the network) to passing the lot gate, parked cars only. */
  timeToParkMeanS: number;
  timeToParkP95S: number;
  /** Mean over every trip that finished (parked, or left the network), from wanted departure. */
  meanTravelTimeS: number;
  /** Distance driven by cars after they found their lot full and went looking for another. */
  cruisingVehKm: number;
  totalVehKm: number;
  parkTrips: number;
  parkedCars: number;
  /** Cars that wanted to park (departing inside the period) and had not passed a gate by its end. */
  vehiclesNotServed: number;
  throughTrips: number;
  throughTripsFinished: number;
  maxWaitingToEnter: number;
  vehicleSteps: number;
}

export interface KpiReport {
  kpis: ScenarioKpis;
  lots: LotKpi[];
  /** Links that ever queued, longest first. */
  links: LinkQueueKpi[];
}

/** Nearest-rank percentile of a sample (0 for an empty sample). */
export function percentile(values: ArrayLike<number>, fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

/** The largest of 0 and `values`. A loop, not `Math.max(0, ...values)`: a spread call specialises on the array's
 * elements kind, which differs from run to run (whole numbers or not), and V8 deoptimised here over and over. */
function maxOrZero(values: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return max;
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Per-trip sums of a run. One literal shape, filled by a loop in a function of its own (see `simulate`). */
interface TripTotals {
  timesToPark: number[];
  travelSum: number;
  travelCount: number;
  parkTrips: number;
  throughTrips: number;
  throughFinished: number;
  cruisingM: number;
  totalM: number;
}

function tripTotals(output: TrafficRunOutput): TripTotals {
  const { departS, doneS, purpose, endS } = output;
  const timesToPark: number[] = [];
  let travelSum = 0;
  let travelCount = 0;
  let parkTrips = 0;
  let throughTrips = 0;
  let throughFinished = 0;
  let cruisingM = 0;
  let totalM = 0;
  for (let v = 0; v < output.tripCount; v++) {
    // Trips wanting to leave after the period are outside this run, not unserved.
    if (departS[v]! >= endS) continue;
    const done = doneS[v]!;
    const isDone = !Number.isNaN(done);
    cruisingM += output.cruisingM[v]!;
    totalM += output.distanceM[v]!;
    if (purpose[v] === 0) {
      parkTrips++;
      if (isDone) timesToPark.push(done - departS[v]!);
    } else {
      throughTrips++;
      if (isDone) throughFinished++;
    }
    if (isDone) {
      travelSum += done - departS[v]!;
      travelCount++;
    }
  }
  return { timesToPark, travelSum, travelCount, parkTrips, throughTrips, throughFinished, cruisingM, totalM };
}

/** Links that ever queued, longest first; every entry has the same fields (`p95QueueM` undefined without series). */
function linkKpis(queues: TrafficRunOutput['queues'], edgeIds: readonly string[]): LinkQueueKpi[] {
  const points = queues.timesS.length;
  const links: LinkQueueKpi[] = [];
  for (let e = 0; e < edgeIds.length; e++) {
    const maxQueueM = queues.linkMaxQueueM[e]!;
    if (maxQueueM <= 0) continue;
    const p95QueueM =
      queues.linkSeriesM === undefined
        ? undefined
        : round(percentile(queues.linkSeriesM.subarray(e * points, (e + 1) * points), 0.95));
    links.push({ edgeId: edgeIds[e]!, maxQueueM: round(maxQueueM), p95QueueM });
  }
  return links.sort((a, b) => b.maxQueueM - a.maxQueueM || (a.edgeId < b.edgeId ? -1 : 1));
}

/** KPIs of a run; the window figures cover `window` (s after midnight; default the whole period). */
export function computeKpis(
  output: TrafficRunOutput,
  edgeIds: readonly string[],
  window: { fromS: number; toS: number } = { fromS: output.startS, toS: output.endS },
): KpiReport {
  const totals = tripTotals(output);
  const inWindow = queueWindowResult(output.queues, edgeIds, output.startS, window).approach;
  const { timesToPark, travelSum, travelCount, parkTrips } = totals;
  const parkSum = timesToPark.reduce((a, b) => a + b, 0);
  const { queues } = output;
  return {
    kpis: {
      approachQueueMaxM: round(maxOrZero(queues.approachQueueM)),
      approachQueueP95M: round(percentile(queues.approachSamplesM, 0.95)),
      windowQueueMeanM: inWindow.meanM,
      windowQueueP95M: inWindow.p95M,
      windowQueueMaxM: inWindow.maxM,
      timeToParkMeanS: round(timesToPark.length === 0 ? 0 : parkSum / timesToPark.length),
      timeToParkP95S: round(percentile(timesToPark, 0.95)),
      meanTravelTimeS: round(travelCount === 0 ? 0 : travelSum / travelCount),
      cruisingVehKm: round(totals.cruisingM / 1000, 2),
      totalVehKm: round(totals.totalM / 1000, 1),
      parkTrips,
      parkedCars: timesToPark.length,
      vehiclesNotServed: parkTrips - timesToPark.length,
      throughTrips: totals.throughTrips,
      throughTripsFinished: totals.throughFinished,
      maxWaitingToEnter: maxOrZero(queues.waitingToEnter),
      vehicleSteps: output.vehicleSteps,
    },
    lots: output.lotIds.map((lotId, l) => ({
      lotId,
      capacityBays: output.lotCapacity[l]!,
      maxOccupiedBays: output.lotMaxOccupied[l]!,
      parkedCars: output.lotParkedTotal[l]!,
    })),
    links: linkKpis(queues, edgeIds),
  };
}
