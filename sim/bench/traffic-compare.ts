// Figures of one benchmark case, measured the same way on citybay's run and on SUMO's (see sim/README.md, benchmarks):
// - travel time: entered the network → at the lot's gate (park trips: citybay's gate time, SUMO's barrier stop began;
//   SUMO writes a parkingArea stop only when it ends) or arrived (others), mean over the cars of the demand window that
//   finished; "through": the through trips alone;
// - cars not finished: cars of the demand window not parked/arrived by the end;
// - queue: per edge and minute the longest lane queue at the 10-s samples (SUMO queue-output read by `sumoLaneQueueM`:
//   the rear of the last car below 5 km/h, or standing, the one definition of every benchmark); max = the largest,
//   mean = the mean over the network's edges × minutes (`queueFigures`);
// - speed: citybay's run (setup included, median of runs) against SUMO's step loop (`Duration`, loading excluded),
//   and vehicle-steps/s (SUMO's UPS).
import { threadCpuMs } from '@citybay/common/testing';
import type { RoadNetwork } from '../src/model/index.js';
import type { TrafficRunOutput } from '../src/traffic/traffic-simulation.js';
import type { Trip } from '../src/traffic/trip.js';
import type { SumoRunFigures } from './sumo-osm-support.js';

export interface CaseFigures {
  meanTravelS: number;
  meanThroughS: number;
  maxQueueM: number;
  meanQueueM: number;
  /** Where the max queue was: edge and minute. */
  maxAt: string;
  notFinished: number;
  simulationS: number;
  vehicleStepsPerS: number;
}

const mean = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Max and mean queue over `edges` × the first `minutes` of per-edge, per-minute queues (m; an edge absent from
 * `byEdge` has none), and where the max was. Every benchmark's queue figures come from here.
 */
export function queueFigures(
  byEdge: ReadonlyMap<string, ArrayLike<number>>,
  edges: Iterable<string>,
  minutes: number,
): { maxQueueM: number; meanQueueM: number; maxAt: string } {
  let max = 0;
  let sum = 0;
  let count = 0;
  let maxAt = '';
  for (const edge of edges) {
    count++;
    const series = byEdge.get(edge);
    for (let m = 0; m < minutes; m++) {
      const value = series?.[m] ?? 0;
      sum += value;
      if (value > max) {
        max = value;
        maxAt = `${edge} minute ${m}`;
      }
    }
  }
  return { maxQueueM: max, meanQueueM: sum / (count * minutes), maxAt };
}

export function ourFigures(
  output: TrafficRunOutput,
  trips: readonly Trip[],
  edgeIds: readonly string[],
  demandEndS: number,
  wallS: number,
  lotEntryDelayS: number,
): CaseFigures {
  const all: number[] = [];
  const through: number[] = [];
  let notFinished = 0;
  trips.forEach((trip, v) => {
    if (trip.departS >= demandEndS) return;
    const done = output.doneS[v]! - (trip.purpose === 'park' ? lotEntryDelayS : 0);
    if (Number.isNaN(done)) {
      notFinished++;
      return;
    }
    all.push(done - output.enteredS[v]!);
    if (trip.purpose === 'through') through.push(done - output.enteredS[v]!);
  });
  const points = output.queues.timesS.length;
  const byEdge = new Map<string, Float32Array>();
  const series = output.queues.linkSeriesM;
  if (series !== undefined) edgeIds.forEach((id, e) => byEdge.set(id, series.subarray(e * points, (e + 1) * points)));
  return {
    meanTravelS: mean(all),
    meanThroughS: mean(through),
    notFinished,
    ...queueFigures(byEdge, edgeIds, Math.floor((output.endS - output.startS) / 60)),
    simulationS: wallS,
    vehicleStepsPerS: output.vehicleSteps / wallS,
  };
}

export function sumoFigures(
  run: SumoRunFigures,
  trips: readonly Trip[],
  edgeIds: readonly string[],
  demandEndS: number,
  endS: number,
): CaseFigures {
  const parkedAt = new Map<string, number>();
  // The first stop of a park trip is its lot's barrier (export-sumo's gate).
  for (const stop of run.stops ?? []) {
    if (stop.parkingAreaId === undefined && !parkedAt.has(stop.vehicleId)) parkedAt.set(stop.vehicleId, stop.startedS);
  }
  const all: number[] = [];
  const through: number[] = [];
  let notFinished = 0;
  for (const trip of trips) {
    if (trip.departS >= demandEndS) continue;
    const info = run.trips.get(trip.id);
    const done = trip.purpose === 'park' ? parkedAt.get(trip.id) : info?.isArrived === true ? info.arrivalS : undefined;
    if (info === undefined || done === undefined) {
      notFinished++;
      continue;
    }
    all.push(done - info.departS);
    if (trip.purpose === 'through') through.push(done - info.departS);
  }
  const queues =
    run.queueByEdgeMinute === undefined
      ? { maxQueueM: Number.NaN, meanQueueM: Number.NaN, maxAt: '' }
      : queueFigures(run.queueByEdgeMinute, edgeIds, Math.floor(endS / 60));
  return {
    meanTravelS: mean(all),
    meanThroughS: mean(through),
    notFinished,
    ...queues,
    simulationS: run.simulationS,
    vehicleStepsPerS: run.updatesPerS,
  };
}

const pct = (ours: number, theirs: number) =>
  Number.isFinite(ours / theirs) && theirs !== 0 ? `${(((ours - theirs) / theirs) * 100).toFixed(1)}%` : 'n/a';

/** Prints citybay against SUMO micro (and SUMO meso's speed), with the differences and speed ratios. */
export function printComparison(
  title: string,
  ours: CaseFigures,
  micro: CaseFigures,
  meso?: CaseFigures,
  coldS?: number,
): void {
  console.log(`\n== ${title} ==`);
  console.log(`${''.padEnd(24)} ${'citybay'.padStart(12)} ${'SUMO micro'.padStart(12)} ${'diff'.padStart(8)}`);
  const row = (name: string, a: number, b: number, digits = 1) =>
    console.log(
      `${name.padEnd(24)} ${a.toFixed(digits).padStart(12)} ${b.toFixed(digits).padStart(12)} ${pct(a, b).padStart(8)}`,
    );
  row('mean travel time (s)', ours.meanTravelS, micro.meanTravelS);
  row('  through traffic (s)', ours.meanThroughS, micro.meanThroughS);
  row('max queue (m)', ours.maxQueueM, micro.maxQueueM);
  row('mean queue (m)', ours.meanQueueM, micro.meanQueueM, 3);
  console.log(`  max queue at: citybay ${ours.maxAt}; SUMO ${micro.maxAt}`);
  row('cars not finished', ours.notFinished, micro.notFinished, 0);
  row('simulation time (s)', ours.simulationS, micro.simulationS, 3);
  row('vehicle-steps/s', ours.vehicleStepsPerS, micro.vehicleStepsPerS, 0);
  const mesoText =
    meso === undefined
      ? ''
      : `, ×${(meso.simulationS / ours.simulationS).toFixed(1)} SUMO meso (${meso.simulationS.toFixed(3)} s; target ≥ ×5)`;
  console.log(`speed: ×${(micro.simulationS / ours.simulationS).toFixed(1)} SUMO micro (target ≥ ×50)${mesoText}`);
  if (coldS !== undefined) {
    console.log(
      `first (cold) citybay run ${coldS.toFixed(3)} s, compilation included: ×${(micro.simulationS / coldS).toFixed(1)} SUMO micro${meso === undefined ? '' : `, ×${(meso.simulationS / coldS).toFixed(1)} meso`}`,
    );
  }
}

/**
 * Wall time of a citybay run: the median of `repeats` runs once V8 has optimised the step loop (after `warmups`
 * runs: it takes V8 a few runs of a short case to finish optimising), and the first, cold run (compilation included).
 * CPU time is the main thread's: the process's also counts V8's compiler and GC threads, and with 4 warm-ups and 5
 * runs (until 7 Dec 2026) benchmark (a)'s 7–18 ms run moved its ratio to SUMO from ×303 to ×99 between two runs.
 * The counts are (c)'s (sumo-osm-timing.ts).
 */
export function timed<T>(
  run: () => T,
  warmups = 10,
  repeats = 15,
): { value: T; wallS: number; cpuS: number; coldS: number } {
  let started = performance.now();
  let value = run();
  const coldS = (performance.now() - started) / 1000;
  for (let i = 1; i < warmups; i++) value = run();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    started = performance.now();
    const cpuStartedMs = threadCpuMs();
    value = run();
    cpu.push((threadCpuMs() - cpuStartedMs) / 1000);
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { value, wallS: times[Math.floor(times.length / 2)]!, cpuS: cpu[Math.floor(cpu.length / 2)]!, coldS };
}

/** The CPU-time line of a comparison: citybay's run (median) against SUMO's simulation (loading subtracted). */
export function cpuLine(oursCpuS: number, microCpuS: number, mesoCpuS?: number): string {
  const ratio = (theirs: number) => `×${(theirs / oursCpuS).toFixed(1)}`;
  const meso = mesoCpuS === undefined ? '' : `, SUMO meso ${mesoCpuS.toFixed(3)} s: ${ratio(mesoCpuS)} meso`;
  return `CPU time: citybay ${oursCpuS.toFixed(3)} s, SUMO micro ${microCpuS.toFixed(3)} s: ${ratio(microCpuS)} micro${meso} (less affected by the machine's load than wall time)`;
}

/**
 * The mean queue split by approach, to show where a gap sits: per edge, by how many of its movements must yield at the
 * junction it ends at (SUMO's right-of-way table): `major` none, `partial` some (turns across oncoming traffic),
 * `minor` all. Per class: the summed per-minute queues (m) of citybay and of SUMO, and
 * the edge-minutes with any queue.
 */
export function queueByApproachLines(
  network: RoadNetwork,
  ours: TrafficRunOutput,
  micro: { queueByEdgeMinute?: Map<string, ArrayLike<number>> },
  minutes: number,
): string[] {
  const series = ours.queues.linkSeriesM;
  if (series === undefined || micro.queueByEdgeMinute === undefined) return [];
  const points = ours.queues.timesS.length;
  const junctions = new Map((network.junctions ?? []).map((junction) => [junction.nodeId, junction]));
  const links = new Map<string, number[]>();
  for (const c of network.connections) {
    if (c.junctionLink !== undefined) links.set(c.fromEdgeId, [...(links.get(c.fromEdgeId) ?? []), c.junctionLink]);
  }
  const classes = new Map<string, { edges: number; sums: number[]; busy: number[] }>();
  network.edges.forEach((edge, e) => {
    const own = links.get(edge.id) ?? [];
    const rules = junctions.get(edge.toNodeId)?.mustYieldTo;
    const yielding = own.filter((j) => (rules?.[j]?.length ?? 0) > 0).length;
    const name =
      own.length === 0 ? 'no junction' : yielding === 0 ? 'major' : yielding < own.length ? 'partial' : 'minor';
    const entry = classes.get(name) ?? { edges: 0, sums: [0, 0], busy: [0, 0] };
    entry.edges++;
    for (let m = 0; m < minutes; m++) {
      const values = [series[e * points + m] ?? 0, micro.queueByEdgeMinute!.get(edge.id)?.[m] ?? 0];
      values.forEach((value, i) => {
        entry.sums[i]! += value;
        if (value > 0) entry.busy[i]!++;
      });
    }
    classes.set(name, entry);
  });
  const lines = ['queue by approach (sum over edge-minutes, m; edge-minutes with a queue): citybay | SUMO'];
  for (const [name, { edges, sums, busy }] of classes) {
    lines.push(
      `  ${name.padEnd(11)} ${String(edges).padStart(4)} edges: ${sums.map((s) => s.toFixed(0)).join(' | ')} m; ${busy.join(' | ')} edge-minutes`,
    );
  }
  return lines;
}
