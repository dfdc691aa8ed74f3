// Helpers for the OSM benchmark (sumo-osm.ts): run SUMO tools, read their outputs with the same definitions as ours.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { medianWithInterval } from '@citybay/common/testing';
import { errors } from '../src/errors.js';
import { ModelPaths } from '../src/routing/model-paths.js';
import type { Router } from '../src/routing/shortest-paths.js';
import { readSumoStops, readSumoTripinfo, type SumoStopinfo, type SumoTripinfo } from '../src/sumo/sumo-outputs.js';
import { readXmlElements } from '../src/sumo/sumo-xml-reader.js';
import type { SumoQueueSample } from './sumo-seed-spread.js';
import { fcdArgs, readChainQueues, type ChainQueues } from './traffic-sumo-queue.js';

export const SUMO_HOME = process.env.SUMO_HOME ?? '/usr/share/sumo';
export const SUMO_ENV = { ...process.env, SUMO_HOME };

export function run(command: string, args: string[], cwd: string): { stdout: string; stderr: string; wallS: number } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: SUMO_ENV, maxBuffer: 1 << 28 });
  const wallS = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return { stdout: result.stdout, stderr: result.stderr, wallS };
}

/** Edges of a SUMO net with at least one lane a passenger car may use (SUMO's allow/disallow rules). */
export function carLegalEdges(netXml: string): Set<string> {
  const legal = new Set<string>();
  let edge: { id: string; isNormal: boolean } | undefined;
  readXmlElements(netXml, 'net', errors.CB_NETWORK_INVALID, {
    onOpen(element) {
      const a = element.attributes;
      if (element.name === 'edge')
        edge = { id: a.id ?? '', isNormal: a.function === undefined || a.function === 'normal' };
      else if (element.name === 'lane' && edge?.isNormal === true && isOpenToCars(a.allow, a.disallow)) {
        legal.add(edge.id);
      }
    },
    onClose(element) {
      if (element.name === 'edge') edge = undefined;
    },
  });
  return legal;
}

function isOpenToCars(allow: string | undefined, disallow: string | undefined): boolean {
  const has = (list: string) => list.split(/\s+/).some((c) => c === 'passenger' || c === 'all');
  if (allow !== undefined) return has(allow);
  if (disallow !== undefined) return !has(disallow);
  return true;
}

/**
 * SUMO meso as a reference that simulates what citybay does. Without `--meso-junction-control` (off by default) meso
 * lets every car through every junction at once, right of way and signals ignored: on benchmark (b) it gave a mean
 * travel time of 114.0 s on both the priority and the signalised grid (SUMO micro 148 / 233 s); with it 116.9 / 194.5 s.
 */
export const MESO_ARGS = ['--mesosim', '--meso-junction-control'];

/** The queue sample period of every benchmark (s): SUMO's queue-output and FCD, citybay's `queueSampleS`. */
export const QUEUE_PERIOD_S = 10;

export interface SumoRunFigures {
  /** The whole process, loading the net and routes included. */
  wallS: number;
  /** SUMO's own simulation time (`Duration` of its statistics: the step loop, without loading). */
  simulationS: number;
  /**
   * CPU time of SUMO's simulation (user + system, from bash's `times` in ms): the run's less a run that only loads the same
   * inputs (to 1 s). On a shared machine CPU time moves far less with the load than wall time.
   */
  cpuS: number;
  /** CPU time of the whole process, loading the net and routes included. */
  totalCpuS: number;
  /** CPU time of the run that only loads the same inputs (to 1 s). */
  loadingCpuS: number;
  /** SUMO's UPS: vehicle updates (vehicle-steps) per second. */
  updatesPerS: number;
  vehicleSteps: number;
  teleports: number;
  /** Each teleport's lane and SUMO's reason (`jam`, `yield`, `wrong lane`), in the order SUMO logged them. */
  teleportPlaces: string[];
  errors: string[];
  trips: Map<string, SumoTripinfo>;
  /** Per edge, per minute: the longest lane queue (`sumoLaneQueueM`) seen at the 10-s samples (m). */
  queueByEdgeMinute?: Map<string, Float64Array>;
  /** The largest lane sample of the queue-output before `endS` rounded down to the minute (the max queue's sample). */
  maxSample?: SumoQueueSample;
  /** With `stops`: SUMO's stop output (when each car reached and left each stop). */
  stops?: SumoStopinfo[];
  /** With `chainQueues` (micro): the chain queues read from SUMO's FCD (traffic-sumo-queue.ts). */
  chainQueues?: ChainQueues;
}

/**
 * Runs `sumo` (or meso) and reads its statistics, tripinfo and (micro) queue output. `timed: false` skips the run that
 * only loads the inputs (for runs whose figures matter but not their CPU time: `cpuS` is then the whole process's).
 * `chainQueues` (micro; the run's net file and the edges measured): also FCD output at the queue sample period, read
 * as chain queues (FCD
 * does not change SUMO's run: same tripinfo and queue-output, (c) seed 42; but it is kept out of timed runs).
 */
export function runSumo(
  dir: string,
  args: string[],
  options: {
    isMeso?: boolean;
    endS: number;
    stops?: boolean;
    timed?: boolean;
    chainQueues?: { netFile: string; edges: ReadonlySet<string> };
  },
): SumoRunFigures {
  const all = [
    ...args,
    '--end',
    String(options.endS),
    '--no-step-log',
    '--duration-log.statistics',
    '--tripinfo-output',
    'tripinfo.xml',
    '--tripinfo-output.write-unfinished',
  ];
  if (options.stops === true) all.push('--stop-output', 'stops.xml');
  if (options.isMeso === true) all.push(...MESO_ARGS);
  else all.push('--queue-output', 'queues.xml', '--queue-output.period', String(QUEUE_PERIOD_S));
  const chains = options.isMeso === true ? undefined : options.chainQueues;
  if (chains !== undefined) all.push(...fcdArgs(QUEUE_PERIOD_S));
  // The loading run first: with a .sumocfg it writes the same output files, which the full run then replaces.
  const loading =
    options.timed === false
      ? { cpuS: 0 }
      : runTimed('sumo', [...args, '--end', '1', '--no-step-log', ...(options.isMeso === true ? MESO_ARGS : [])], dir);
  const { stdout, stderr, wallS, cpuS: totalCpuS } = runTimed('sumo', all, dir);
  const log = `${stdout}\n${stderr}`;
  const cpuS = Math.max(0, totalCpuS - loading.cpuS);
  const ups = Number(/UPS: ([\d.]+)/.exec(log)?.[1] ?? Number.NaN);
  // SUMO prints the loop's duration in ms (`Duration: 3712ms`) or s, by version.
  const duration = /Duration: ([\d.]+)(ms|s)/.exec(log);
  const durationS = duration === null ? Number.NaN : Number(duration[1]) / (duration[2] === 'ms' ? 1000 : 1);
  const teleports = Number(/Teleports: (\d+)/.exec(log)?.[1] ?? 0);
  const figures: SumoRunFigures = {
    wallS,
    simulationS: durationS,
    cpuS,
    totalCpuS,
    loadingCpuS: loading.cpuS,
    updatesPerS: ups,
    vehicleSteps: ups * durationS,
    teleports,
    teleportPlaces: [...log.matchAll(/Teleporting vehicle '[^']*'; ([^,]*), lane='([^']*)'/g)].map(
      (m) => `${m[2]} (${m[1]!.replace(/^waited too long \((.*)\)$/, '$1')})`,
    ),
    errors: log.split('\n').filter((line) => line.startsWith('Error')),
    trips: readSumoTripinfo(readFileSync(join(dir, 'tripinfo.xml'), 'utf8'), 'tripinfo.xml'),
  };
  if (options.isMeso !== true) {
    const queues = readQueues(join(dir, 'queues.xml'), options.endS);
    figures.queueByEdgeMinute = queues.byEdge;
    if (queues.maxSample !== undefined) figures.maxSample = queues.maxSample;
    if (chains !== undefined) figures.chainQueues = readChainQueues(dir, chains.netFile, options.endS, chains.edges);
  }
  if (options.stops === true) figures.stops = readSumoStops(readFileSync(join(dir, 'stops.xml'), 'utf8'), 'stops.xml');
  return figures;
}

/**
 * Runs `command` like `run` and adds its CPU time (user + system, s), from bash's `times`, which gives the children's
 * in milliseconds; /usr/bin/time prints 10-ms steps, and meso's simulation of benchmark (c) takes ~0.08 s, so its
 * ratio moved by up to ±25 % with the rounding.
 */
function runTimed(
  command: string,
  args: string[],
  cwd: string,
): { stdout: string; stderr: string; wallS: number; cpuS: number } {
  const timed = run('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', command, ...args], cwd);
  const lines = timed.stderr.trimEnd().split('\n');
  // `times` prints the shell's own user and system time, then its children's: `0m0.081s 0m0.012s`.
  const children = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines.at(-1) ?? '');
  if (children === null) throw new Error(`${command}: no CPU time from bash's times in "${lines.at(-1)}"`);
  const [, userM, userS, systemM, systemS] = children.map(Number) as [number, number, number, number, number];
  return {
    ...timed,
    stderr: lines.slice(0, -2).join('\n'),
    cpuS: userM * 60 + userS + systemM * 60 + systemS,
  };
}

/**
 * A lane's queue in SUMO's queue-output (m), the one definition every benchmark reads (sim/README.md, *Queue length*):
 * from the lane's end to the rear of the last *queued* car, a car being queued when it is slower than SUMO's queue speed
 * threshold (5 km/h) in the lane's last three quarters (`queueing_length_experimental`) or standing anywhere on it
 * (`queueing_length`, waiting time > 0): whichever reaches further. The threshold is how SUMO itself counts a car as
 * queued in its aggregated queue statistics and its mesoscopic queue output (`--queue-output.speed-threshold`, default
 * 1.39 m/s); standing cars in the first quarter are kept so a lane filled by spillback reads its whole length. Halted
 * cars alone miss creeping queues: behind a lot barrier letting a car through every 10 s, SUMO's cars on a 480 m link
 * roll on at walking pace and only 6–30 m of a 350 m jam count as halted (benchmark (a)).
 */
export function sumoLaneQueueM(lane: Readonly<Record<string, string | undefined>>): number {
  return Math.max(Number(lane.queueing_length ?? 0), Number(lane.queueing_length_experimental ?? 0));
}

function readQueues(path: string, endS: number): { byEdge: Map<string, Float64Array>; maxSample?: SumoQueueSample } {
  const minutes = Math.ceil(endS / 60) + 1;
  // The benchmarks' figures count the whole minutes before the end (queueFigures): so does the max sample.
  const sampledUntilS = Math.floor(endS / 60) * 60;
  let maxSample: SumoQueueSample | undefined;
  let timeS = 0;
  const byEdge = new Map<string, Float64Array>();
  const keep = (edge: string, minute: number, lengthM: number) => {
    let series = byEdge.get(edge);
    if (series === undefined) {
      series = new Float64Array(minutes);
      byEdge.set(edge, series);
    }
    if (lengthM > series[minute]!) series[minute] = lengthM;
  };
  let minute = 0;
  readXmlElements(readFileSync(path, 'utf8'), 'queues.xml', errors.CB_SUMO_OUTPUT_INVALID, {
    onOpen(element) {
      if (element.name === 'data') {
        timeS = Number(element.attributes.timestep);
        minute = Math.min(minutes - 1, Math.floor(timeS / 60));
      }
      if (element.name !== 'lane') return;
      const laneId = element.attributes.id ?? '';
      const edge = laneId.replace(/_\d+$/, '');
      if (edge.startsWith(':')) return;
      const lengthM = sumoLaneQueueM(element.attributes);
      keep(edge, minute, lengthM);
      if (timeS < sampledUntilS && lengthM > Math.max(maxSample?.standingM ?? 0, maxSample?.slowM ?? 0)) {
        const standingM = Number(element.attributes.queueing_length ?? 0);
        const slowM = Number(element.attributes.queueing_length_experimental ?? 0);
        maxSample = { laneId, timeS, standingM, slowM };
      }
    },
  });
  return maxSample === undefined ? { byEdge } : { byEdge, maxSample };
}

/**
 * SUMO's routing of the same trips: duarouter on randomTrips' trip file with randomTrips' own options (so it writes
 * the very routes SUMO runs), CPU time less a run that only loads the net and trips (`--end 0`), median of `repeats`
 * (`totalCpuS`: the whole process, loading included).
 * SUMO's simulation time excludes this: its routes come precomputed in the route file.
 */
export function runDuarouter(
  dir: string,
  net: string,
  tripsFile: string,
  endS: number,
  repeats = 3,
): { cpuS: number; totalCpuS: number; routes: string[] } {
  const args = ['-n', net, '-r', tripsFile, '--ignore-errors', '--begin', '0', '--no-step-log', '--no-warnings'];
  const timedRun = (end: number, out: string) =>
    runTimed('duarouter', [...args, '--end', String(end), '--alternatives-output', 'NUL', '-o', out], dir).cpuS;
  const samples: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const totalS = timedRun(endS, 'dua.rou.xml');
    totals.push(totalS);
    samples.push(Math.max(0, totalS - timedRun(0, 'dua0.rou.xml')));
  }
  return {
    cpuS: medianWithInterval(samples).median,
    totalCpuS: medianWithInterval(totals).median,
    routes: routeEdges(readFileSync(join(dir, 'dua.rou.xml'), 'utf8')),
  };
}

/** The `edges` of every route of a SUMO route file, in file order. */
export function routeEdges(routesXml: string): string[] {
  return [...routesXml.matchAll(/<route\b[^>]*\bedges="([^"]*)"/g)].map((m) => m[1]!);
}

/** Each vehicle's route in a SUMO route file as randomTrips.py writes it (`<vehicle id><route edges/>`), by id. */
export function vehicleRoutes(routesXml: string): Map<string, string> {
  const routes = new Map<string, string>();
  for (const m of routesXml.matchAll(/<vehicle\b[^>]*\bid="([^"]*)"[^>]*>\s*<route\b[^>]*\bedges="([^"]*)"/g)) {
    routes.set(m[1]!, m[2]!);
  }
  return routes;
}

/**
 * How many trips the link model drives on another route than the route file gives them: the model drives the
 * all-to-one free-flow tree of its destination (`LinkGraph`), walked here as the export walks it. Also how many of
 * those differ in cost by more than the tie tolerance (a real difference, not a tie broken otherwise).
 */
export function routesDiffering(
  router: Router,
  trips: readonly { id: string; originEdgeId: string; destinationEdgeId?: string }[],
  given: ReadonlyMap<string, string>,
): { compared: number; differing: number; costlier: number } {
  const paths = new ModelPaths(router);
  let compared = 0;
  let differing = 0;
  let costlier = 0;
  for (const trip of trips) {
    const route = given.get(trip.id);
    const to = router.edgeIndex(trip.destinationEdgeId ?? '');
    const from = router.edgeIndex(trip.originEdgeId);
    if (route === undefined || to < 0 || from < 0) continue;
    // Unreachable: the walk ends where it starts, as a tree walk does.
    const ours = (paths.indices(from, to) ?? [from]).map((e) => router.edgeId(e));
    compared++;
    if (ours.join(' ') === route) continue;
    differing++;
    const theirs = route.split(' ');
    const costOf = (ids: readonly string[]) => {
      let costS = 0;
      for (const [i, id] of ids.entries()) {
        const e = router.edgeIndex(id);
        costS += router.freeFlowCostS[e]!;
        const next = ids[i + 1];
        if (next !== undefined) costS += router.arcCostS(e, router.edgeIndex(next));
      }
      return costS;
    };
    if (costOf(theirs) - costOf(ours) > 0.01) costlier++;
  }
  return { compared, differing, costlier };
}

/**
 * Cars whose SUMO tripinfo differs between two runs (a car in one run only counts): insertion, delay, arrival, route
 * length, time loss, stop time. Two runs of files SUMO reads alike, with the same seed, differ in none.
 */
export function tripinfoDiffering(a: ReadonlyMap<string, SumoTripinfo>, b: ReadonlyMap<string, SumoTripinfo>): number {
  const same = (x: number, y: number) => x === y || (Number.isNaN(x) && Number.isNaN(y));
  let differing = 0;
  for (const [id, one] of a) {
    const two = b.get(id);
    const fields = ['departS', 'departDelayS', 'arrivalS', 'routeLengthM', 'timeLossS', 'stopTimeS'] as const;
    if (two === undefined || one.isArrived !== two.isArrived || fields.some((f) => !same(one[f], two[f]))) differing++;
  }
  for (const id of b.keys()) if (!a.has(id)) differing++;
  return differing;
}
