// Benchmark (c): an OpenStreetMap city network shipped with sumo-tools (tools/game/DRT/osm.net.xml) and random trips
// from SUMO's randomTrips.py (seeded, routed by duarouter), run in the same process by citybay's link model and by
// SUMO micro and meso. citybay reads the very route file SUMO runs (through its SUMO demand reader).
//
// Same definitions on both sides (sim/README.md, benchmark (c)):
// - travel time: entered the network → arrived (SUMO tripinfo `duration`), mean over cars that arrived;
// - cars not finished: cars wanting to depart in the demand hour that had not arrived by the end;
// - queue: per edge and minute the longest lane queue at the 10-s samples, the one definition of every benchmark
//   (`sumoLaneQueueM`: SUMO queue-output's rear of the last car below 5 km/h, or standing; citybay's QueueRecorder
//   counts the same cars); max queue = the largest, mean queue = the mean over car edges × minutes (`queueFigures`);
//   beside it, SUMO's FCD read as chain queues (cars joined to the stop line, a lone slow car left out; every SUMO seed
//   run again untimed with FCD, traffic-sumo-queue.ts), the reading the 10% target is held against;
// - vehicle-steps/s: SUMO's UPS; citybay its vehicle-steps over its wall time.
// Timing, CPU time (user + system), median of repeated runs, citybay's V8 warm (the cold first run printed apart):
// - simulation alone: citybay's run on a network already run once (its link and lane tables and route trees are
//   built per network and reused, as a sweep reuses them) against SUMO's run less a run that only loads (SUMO's net is
//   loaded and its routes come precomputed by duarouter);
// - everything included: citybay parsing the net and the route file, building the tables and route trees, and running,
//   against SUMO's whole process (loading included) plus duarouter's whole process.
// Also checked: every citybay car's route uses only car-legal edges (SUMO allow/disallow, read here independently),
// and SUMO runs export-sumo's output as the route file it came from: over the same SUMO seeds, the same tripinfo, no
// error, and no teleport the route file has not in the same run.
// SUMO runs every input with `--seed` = the demand seed, as export-sumo's .sumocfg sets it; and SUMO micro runs the
// same routes again with the next seeds (`--seed` = demand seed + 1, …), to print SUMO's own spread and citybay against
// SUMO's seed mean beside the single run (sumo-seed-spread.ts).
// Environment: CB_OSM_SEED (42), CB_OSM_SEEDS (e.g. 42,7,1,2,3: one run per seed, then a table and the ranges, see
// sumo-osm-seeds.ts), CB_OSM_PERIOD_S (2: one trip every 2 s for an hour), CB_OSM_SKIP_MESO=1, CB_SUMO_SEEDS (5: SUMO
// micro seeds per demand seed, the single reference run included; 1 = the single run alone), CB_SUMO_TIMED_RUNS (5:
// timed runs of SUMO micro and of meso, their timings the medians, printed with their intervals), CB_OSM_WARMUPS (10:
// citybay's untimed runs before its 15 timed ones, the cold one included).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import { medianWithInterval } from '@citybay/common/testing';
import { sumoTrips } from '../src/demand/sumo-trips.js';
import { trafficSeedOf } from '../src/scenario/run-scenario.js';
import type { RoadNetwork } from '../src/model/index.js';
import { parseSumoNet } from '../src/network/sumo-net.js';
import { createRouter } from '../src/routing/shortest-paths.js';
import { WarningList } from '../src/scenario/run-warning.js';
import { buildSumoExport } from '../src/sumo/sumo-export.js';
import { parseSumoRoutes } from '../src/sumo/sumo-routes.js';
import { LinkGraph } from '../src/traffic/link-graph.js';
import { clearNetworkTables } from '../src/traffic/network-tables.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../src/traffic/traffic-params.js';
import { runTrafficSimulation, type TrafficRunOutput } from '../src/traffic/traffic-simulation.js';

import type { Trip } from '../src/traffic/trip.js';
import {
  carLegalEdges,
  routeEdges,
  run,
  runDuarouter,
  routesDiffering,
  runSumo,
  tripinfoDiffering,
  SUMO_HOME,
  type SumoRunFigures,
  vehicleRoutes,
} from './sumo-osm-support.js';
import { OSM_SUMMARY_TAG, runSeeds } from './sumo-osm-seeds.js';
import { sumoTiming, timeWarm, timingText, type SumoTiming, type WarmTiming } from './sumo-osm-timing.js';
import {
  fasterThanLivingStreets,
  ourSeedLines,
  type OurSeedFigures,
  seedSpreadLines,
  sumoSeedCount,
  sumoSeedFigures,
  sumoSeeds,
  type SumoSeedFigures,
} from './sumo-seed-spread.js';
import { queueByApproachLines, queueFigures } from './traffic-compare.js';
import { chainFigures } from './traffic-sumo-queue.js';

const NET = join(SUMO_HOME, 'tools/game/DRT/osm.net.xml');
const SEED = Number(process.env.CB_OSM_SEED ?? 42);
const PERIOD_S = Number(process.env.CB_OSM_PERIOD_S ?? 2);
const DEMAND_END_S = 3600;
const END_S = 5400;
const work = mkdtempSync(join(tmpdir(), 'citybay-bench-osm-'));
/** SUMO's driver-imperfection draws: the demand seed, as export-sumo's .sumocfg sets it (SUMO's default is 23423). */
const sumoSeed = ['--seed', String(SEED)];
const SUMO_SEED_COUNT = sumoSeedCount(process.env.CB_SUMO_SEEDS, 5);
/** SUMO runs timed per input (micro and meso): their timings are the medians (sumo-osm-timing.ts). */
const SUMO_TIMED_RUNS = Math.max(1, Number(process.env.CB_SUMO_TIMED_RUNS ?? 5));
/** citybay's untimed runs before its timed ones, the cold one included. */
const OUR_WARMUPS = Math.max(1, Number(process.env.CB_OSM_WARMUPS ?? 10));

/** A run's figures with the timings of the median over repeated runs. */
function withTiming(run: SumoRunFigures, timing: SumoTiming): SumoRunFigures {
  return { ...run, cpuS: timing.cpuS, totalCpuS: timing.totalCpuS, simulationS: timing.durationS };
}

const pct = (ours: number, theirs: number) =>
  Number.isFinite(ours / theirs) ? `${(((ours - theirs) / theirs) * 100).toFixed(1)}%` : 'n/a';
const mean = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

interface Figures {
  /** Wall time of the simulation: citybay's run (median, network tables built), SUMO's step loop (`Duration`). */
  simulationS: number;
  /** CPU time of the simulation alone: citybay's run (median, network tables built), SUMO's run less its loading. */
  cpuS: number;
  meanTravelS: number;
  notFinished: number;
  maxQueueM: number;
  meanQueueM: number;
  /** Where the max queue was: edge and minute. */
  maxAt: string;
  wallS: number;
  vehicleStepsPerS: number;
}

/** ` at <lane> (reason) ×n, …` for a run's teleports, or nothing. */
function teleportPlaces(figures: SumoRunFigures): string {
  const counts = new Map<string, number>();
  for (const place of figures.teleportPlaces) counts.set(place, (counts.get(place) ?? 0) + 1);
  const list = [...counts].map(([place, n]) => `${place} ×${n}`).join(', ');
  return list === '' ? '' : ` at ${list}`;
}

/** One seed's figures, printed as one JSON line (`CB_OSM_SUMMARY`) for sumo-osm-seeds.ts. */
export interface OsmSeedSummary {
  seed: number;
  trips: number;
  notCarLegal: number;
  /** Trips whose citybay route is not the route file's (duarouter's). */
  routesDiffering?: number;
  ours?: Pick<Figures, 'meanTravelS' | 'maxQueueM' | 'meanQueueM' | 'notFinished' | 'cpuS'>;
  micro?: Pick<Figures, 'meanTravelS' | 'maxQueueM' | 'meanQueueM' | 'notFinished' | 'cpuS' | 'maxAt'> & {
    teleports: number;
  };
  /**
   * SUMO micro on export-sumo's routes and on the route file, over the same SUMO seeds as `microSeeds`: errors and
   * teleports summed over the runs, teleports beyond the source file's in the same run, runs whose tripinfo differs.
   */
  export?: {
    errors: number;
    teleports: number;
    sourceTeleports: number;
    beyondSource: number;
    runsDiffering: number;
    runs: number;
  };
  /** SUMO micro on the same routes with `--seed` = demand seed, demand seed + 1, …: the first is `micro`. */
  microSeeds?: SumoSeedFigures[];
  /** citybay on the same routes with run seed = demand seed, demand seed + 1, … (as `microSeeds`): the first is `ours`. */
  oursSeeds?: OurSeedFigures[];
}
const summary: OsmSeedSummary = { seed: SEED, trips: 0, notCarLegal: 0 };
const pick = ({ meanTravelS, maxQueueM, meanQueueM, notFinished, cpuS }: Figures) => ({
  meanTravelS,
  maxQueueM,
  meanQueueM,
  notFinished,
  cpuS,
});

function sumoFigures(
  figures: SumoRunFigures,
  wanted: ReadonlyMap<string, number>,
  carEdges: ReadonlySet<string>,
): Figures {
  const times: number[] = [];
  let notFinished = 0;
  for (const [id, departS] of wanted) {
    if (departS >= DEMAND_END_S) continue;
    const trip = figures.trips.get(id);
    if (trip?.isArrived === true) times.push(trip.arrivalS - trip.departS);
    else notFinished++;
  }
  const queues =
    figures.queueByEdgeMinute === undefined
      ? { maxQueueM: Number.NaN, meanQueueM: Number.NaN, maxAt: '' }
      : queueFigures(figures.queueByEdgeMinute, carEdges, END_S / 60);
  return {
    meanTravelS: mean(times),
    notFinished,
    ...queues,
    simulationS: figures.simulationS,
    cpuS: figures.cpuS,
    wallS: figures.wallS,
    vehicleStepsPerS: figures.updatesPerS,
  };
}

function ourFigures(
  output: TrafficRunOutput,
  edgeIds: readonly string[],
  carEdges: ReadonlySet<string>,
  wallS: number,
  cpuS: number,
): Figures {
  const times: number[] = [];
  let notFinished = 0;
  for (let v = 0; v < output.tripCount; v++) {
    if (output.departS[v]! >= DEMAND_END_S) continue;
    if (Number.isNaN(output.doneS[v]!)) notFinished++;
    else times.push(output.doneS[v]! - output.enteredS[v]!);
  }
  return {
    meanTravelS: mean(times),
    notFinished,
    ...queueFigures(ourQueuesByEdge(output, edgeIds), carEdges, END_S / 60),
    simulationS: wallS,
    cpuS,
    wallS,
    vehicleStepsPerS: output.vehicleSteps / wallS,
  };
}

/** citybay's per-edge, per-minute queue series (m), by edge id. */
function ourQueuesByEdge(output: TrafficRunOutput, edgeIds: readonly string[]): Map<string, Float32Array> {
  const points = output.queues.timesS.length;
  const byEdge = new Map<string, Float32Array>();
  const series = output.queues.linkSeriesM;
  if (series !== undefined) edgeIds.forEach((id, e) => byEdge.set(id, series.subarray(e * points, (e + 1) * points)));
  return byEdge;
}

/**
 * CPU time of citybay's routing on a network not run before: the link graph and one free-flow tree per destination the
 * trips use, settled as far as a run settles them (median of 5, V8 warm). Part of "everything included" only: runs on
 * a network already run reuse the trees.
 */
function ourRoutingCpuS(network: RoadNetwork, trips: readonly Trip[]): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = process.cpuUsage();
    const graph = new LinkGraph(network, DEFAULT_TRAFFIC_PARAMS);
    for (const trip of trips) {
      // The tree settles as far as the car's origin, as the run's car table asks (its route lies nearer the target).
      const slot = graph.treeSlotFor(graph.edgeIndexOrThrow(trip.destinationEdgeId ?? '', trip.id));
      graph.costToS(slot, graph.edgeIndexOrThrow(trip.originEdgeId, trip.id));
    }
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / 1e6);
  }
  return medianWithInterval(samples).median;
}

/**
 * CPU time of everything citybay does from the files to the results: parse the net and the route file, read the
 * demand, build the network tables and route trees, run (a fresh network each time; median of `repeats`, V8 warm).
 */
function everythingCpuS(netXml: string, routesText: string, repeats = 5): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    clearNetworkTables(); // else the fresh network would find the tables of an equal one
    const started = process.cpuUsage();
    const network = parseSumoNet(netXml, NET);
    const { trips } = sumoTrips([parseSumoRoutes(routesText, 'routes.rou.xml')], {
      router: createRouter(network),
      lots: [],
      timeZeroS: 0,
      startS: 0,
      endS: END_S,
      seed: SEED,
      warnings: new WarningList(),
    });
    runTrafficSimulation({ network, lots: [], trips, startS: 0, endS: END_S });
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / 1e6);
  }
  return medianWithInterval(samples).median;
}

interface SumoTotals {
  microS: number;
  mesoS?: number;
  duarouterS: number;
}

/** CPU-time ratios both ways like for like: the simulation alone, and everything from the files to the results. */
function likeForLikeLines(
  ours: Figures,
  oursAllS: number,
  routingS: number,
  duarouterS: number,
  totals: SumoTotals,
  micro: Figures,
  meso?: Figures,
): string[] {
  const ratio = (theirs: number, mine: number) => `×${(theirs / mine).toFixed(1)}`;
  const mesoSim =
    meso === undefined ? '' : `; SUMO meso ${meso.cpuS.toFixed(3)} s: ${ratio(meso.cpuS, ours.cpuS)} meso`;
  const all = (sumoS: number) => sumoS + totals.duarouterS;
  const mesoAll =
    totals.mesoS === undefined
      ? ''
      : `; SUMO meso + duarouter ${all(totals.mesoS).toFixed(3)} s: ${ratio(all(totals.mesoS), oursAllS)} meso`;
  return [
    `like for like (CPU time, medians; both sides drive the same routes; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores):`,
    `  simulation alone:      citybay ${ours.cpuS.toFixed(3)} s (run, network tables and route trees built) vs SUMO micro ${micro.cpuS.toFixed(3)} s (run less loading, routes precomputed): ${ratio(micro.cpuS, ours.cpuS)} micro${mesoSim}`,
    `  everything included:   citybay ${oursAllS.toFixed(3)} s (parse net and routes, tables, route trees ${routingS.toFixed(3)} s, run) vs SUMO micro ${all(totals.microS).toFixed(3)} s (process ${totals.microS.toFixed(3)} s + duarouter process ${totals.duarouterS.toFixed(3)} s, of which routing ${duarouterS.toFixed(3)} s): ${ratio(all(totals.microS), oursAllS)} micro${mesoAll}`,
  ];
}

/** The route file's trips for a citybay run seeded `seed` (the drivers' speed factors are drawn from it). */
function tripsForSeed(routesText: string, router: ReturnType<typeof createRouter>, seed: number): Trip[] {
  return sumoTrips([parseSumoRoutes(routesText, 'routes.rou.xml')], {
    router,
    lots: [],
    timeZeroS: 0,
    startS: 0,
    endS: END_S,
    seed,
    warnings: new WarningList(),
  }).trips;
}

function main(): void {
  console.log(`Benchmark (c): OSM city network ${NET}`);
  console.log(
    `randomTrips.py seed ${SEED}, one trip every ${PERIOD_S} s for ${DEMAND_END_S} s, simulated to ${END_S} s`,
  );
  run(
    'python3',
    [
      join(SUMO_HOME, 'tools/randomTrips.py'),
      ...['-n', NET, '-o', 'trips.xml', '-r', 'routes.rou.xml', '--seed', String(SEED)],
      ...['-b', '0', '-e', String(DEMAND_END_S), '-p', String(PERIOD_S), '--vehicle-class', 'passenger'],
      ...['--validate', '--min-distance', '300', '--trip-attributes', 'departLane="best" departSpeed="max"'],
    ],
    work,
  );
  // SUMO's routing of the same trips (randomTrips ran duarouter once already to write routes.rou.xml; timed here).
  const duarouter = runDuarouter(work, NET, 'trips.xml', DEMAND_END_S);
  const sameAsRouteFile =
    JSON.stringify(duarouter.routes) === JSON.stringify(routeEdges(readFileSync(join(work, 'routes.rou.xml'), 'utf8')));
  console.log(
    `duarouter: ${duarouter.routes.length} routes in ${duarouter.cpuS.toFixed(3)} s CPU (loading subtracted), ${sameAsRouteFile ? 'the same as' : 'DIFFERENT from'} the route file's`,
  );
  const netXml = readFileSync(NET, 'utf8');
  const carEdges = carLegalEdges(netXml);
  const network = parseSumoNet(netXml, NET);
  const router = createRouter(network);
  const routesText = readFileSync(join(work, 'routes.rou.xml'), 'utf8');
  const warnings = new WarningList();
  const demand = sumoTrips([parseSumoRoutes(routesText, 'routes.rou.xml')], {
    router,
    lots: [],
    timeZeroS: 0,
    startS: 0,
    endS: END_S,
    seed: SEED,
    warnings,
  });
  const { trips } = demand;
  const wanted = new Map(trips.map((trip) => [trip.id, trip.departS]));
  console.log(`network: ${network.edges.length} edges imported, ${carEdges.size} open to cars; ${trips.length} trips`);
  // The routes citybay drives against duarouter's (the route file's): the same traffic only where they agree.
  const differing = routesDiffering(router, trips, vehicleRoutes(routesText));
  console.log(
    `routes: ${differing.differing} of ${differing.compared} differ from duarouter's, ${differing.costlier} of them cost more by citybay's route cost (the rest are ties broken otherwise)`,
  );
  summary.routesDiffering = differing.differing;
  for (const w of warnings.list()) console.log(`  warning ${w.code}: ${w.message}`);

  // Every car on a car-legal route (the model drives each car's free-flow shortest path).
  let illegal = 0;
  let unroutable = 0;
  for (const trip of trips) {
    const path = router.shortestPath(trip.originEdgeId, trip.destinationEdgeId!);
    if (path === undefined) unroutable++;
    else if (path.edgeIds.some((id) => !carEdges.has(id))) illegal++;
  }
  console.log(
    `car-legal routes: ${trips.length - illegal - unroutable}/${trips.length} (${illegal} use edges closed to cars, ${unroutable} without a path)`,
  );
  summary.trips = trips.length;
  summary.notCarLegal = illegal + unroutable;

  // The run seed reaches the gap waits as runScenario passes it.
  const input = { network, lots: [], trips, startS: 0, endS: END_S, seed: trafficSeedOf(SEED) };
  let ours: Figures | undefined;
  let ourOutput: TrafficRunOutput | undefined;
  let coldS = Number.NaN;
  let ourTiming: WarmTiming<TrafficRunOutput> | undefined;
  let routingS = Number.NaN;
  let oursAllS = Number.NaN;
  try {
    // Median of 15 runs once V8 has optimised the step loop (CB_OSM_WARMUPS runs first, the first of them cold:
    // compilation, network tables and route trees included).
    const run = timeWarm(() => runTrafficSimulation(input), OUR_WARMUPS, 15);
    ourTiming = run;
    ourOutput = run.value;
    coldS = run.coldS;
    ours = ourFigures(
      run.value,
      network.edges.map((e) => e.id),
      carEdges,
      run.wallS,
      run.cpuS,
    );
    routingS = ourRoutingCpuS(network, trips);
    oursAllS = everythingCpuS(netXml, routesText);
  } catch (err) {
    console.log(`citybay run failed: ${isCitybayError(err) ? `${err.code}: ${err.message}` : String(err)}`);
  }

  // SUMO's timings: the median over CB_SUMO_TIMED_RUNS runs of the same inputs (the first run gives the figures).
  const timedRuns = (first: SumoRunFigures, again: () => SumoRunFigures) =>
    sumoTiming([first, ...Array.from({ length: SUMO_TIMED_RUNS - 1 }, again)]);
  const microArgs = ['-n', NET, '-r', 'routes.rou.xml', ...sumoSeed];
  const microRun = runSumo(work, microArgs, { endS: END_S });
  const microTiming = timedRuns(microRun, () => runSumo(work, microArgs, { endS: END_S }));
  const micro = sumoFigures(withTiming(microRun, microTiming), wanted, carEdges);
  summary.micro = {
    ...pick(micro),
    maxAt: micro.maxAt,
    teleports: microRun.teleports,
  };
  if (ours !== undefined) summary.ours = pick(ours);
  // citybay read as SUMO is: the same routes over the same seeds, each run's drivers drawn from its seed (the first is
  // the timed run above).
  if (ours !== undefined && ourOutput !== undefined) {
    const edgeIds = network.edges.map((e) => e.id);
    summary.oursSeeds = sumoSeeds(SEED, SUMO_SEED_COUNT).map((seed) => {
      const output =
        seed === SEED
          ? ourOutput!
          : runTrafficSimulation({
              ...input,
              trips: tripsForSeed(routesText, router, seed),
              seed: trafficSeedOf(seed),
            });
      const figures = ourFigures(output, edgeIds, carEdges, 1, 0);
      return {
        seed,
        meanTravelS: figures.meanTravelS,
        maxQueueM: figures.maxQueueM,
        meanQueueM: figures.meanQueueM,
        notFinished: figures.notFinished,
        maxAt: figures.maxAt,
      };
    });
  }
  // SUMO's own noise: the same routes with other seeds (figures only; their CPU time is not used).
  const speedOf = new Map(network.edges.map((edge) => [edge.id, edge.speedMps]));
  const fastEdges = fasterThanLivingStreets(speedOf, carEdges);
  const seedFigures = (seed: number, run: SumoRunFigures) =>
    sumoSeedFigures(
      seed,
      { ...sumoFigures(run, wanted, carEdges), ...chainFigures(run.chainQueues, carEdges, END_S / 60) },
      run,
      speedOf,
      END_S / 60,
      fastEdges,
    );
  // Every seed, the reference one again, with FCD for the chain queues (traffic-sumo-queue.ts; FCD kept out of the
  // timed run, and it does not change SUMO's run).
  const seedRuns = sumoSeeds(SEED, SUMO_SEED_COUNT).map((seed) => ({
    seed,
    run: runSumo(work, ['-n', NET, '-r', 'routes.rou.xml', '--seed', String(seed)], {
      endS: END_S,
      timed: false,
      chainQueues: { netFile: NET, edges: carEdges },
    }),
  }));
  summary.microSeeds = seedRuns.map(({ seed, run }) => seedFigures(seed, run));
  // One run's own difference was too noisy (seed 2 at 14:10 read 0.012 s against SUMO's own 0.14 s loop time): the
  // median over 5 runs of each run less its own loading run, and the median of SUMO's own loop time.
  const mesoRun =
    process.env.CB_OSM_SKIP_MESO === '1' ? undefined : runSumo(work, microArgs, { endS: END_S, isMeso: true });
  const mesoTiming =
    mesoRun === undefined
      ? undefined
      : timedRuns(mesoRun, () => runSumo(work, microArgs, { endS: END_S, isMeso: true }));
  const meso =
    mesoRun === undefined || mesoTiming === undefined
      ? undefined
      : sumoFigures(withTiming(mesoRun, mesoTiming), wanted, carEdges);
  const totals: SumoTotals = {
    microS: microTiming.totalCpuS,
    ...(mesoTiming === undefined ? {} : { mesoS: mesoTiming.totalCpuS }),
    duarouterS: duarouter.totalCpuS,
  };

  const row = (name: string, a: number | undefined, b: number, unit: string, digits = 1) =>
    console.log(
      `${name.padEnd(22)} ${(a === undefined ? 'n/a' : a.toFixed(digits)).padStart(10)} ${unit.padEnd(3)} ${b.toFixed(digits).padStart(10)} ${unit.padEnd(3)} ${(a === undefined ? 'n/a' : pct(a, b)).padStart(8)}`,
    );
  console.log(`\n${''.padEnd(22)} ${'citybay'.padStart(14)} ${'SUMO micro'.padStart(14)} ${'diff'.padStart(8)}`);
  row('mean travel time', ours?.meanTravelS, micro.meanTravelS, 's');
  row('max queue', ours?.maxQueueM, micro.maxQueueM, 'm');
  row('mean queue', ours?.meanQueueM, micro.meanQueueM, 'm', 3);
  console.log(`  max queue at: citybay ${ours?.maxAt ?? 'n/a'}; SUMO ${micro.maxAt}`);
  if (ourOutput !== undefined) {
    for (const line of queueByApproachLines(network, ourOutput, microRun, END_S / 60)) console.log(`  ${line}`);
  }
  row('cars not finished', ours?.notFinished, micro.notFinished, '', 0);
  if (ours !== undefined && ourOutput !== undefined && summary.microSeeds.length > 1) {
    const ourFast = queueFigures(
      ourQueuesByEdge(
        ourOutput,
        network.edges.map((e) => e.id),
      ),
      fastEdges,
      END_S / 60,
    );
    for (const line of seedSpreadLines({ ...ours, maxFastM: ourFast.maxQueueM }, micro, summary.microSeeds))
      console.log(line);
    for (const line of ourSeedLines(summary.oursSeeds ?? [], summary.microSeeds)) console.log(line);
  }
  row('simulation time', ours?.simulationS, micro.simulationS, 's', 3);
  row('wall (SUMO: +loading)', ours?.wallS, micro.wallS, 's', 3);
  row('vehicle-steps/s', ours?.vehicleStepsPerS, micro.vehicleStepsPerS, '', 0);
  if (ours !== undefined) {
    console.log(
      `wall time: ×${(micro.simulationS / ours.simulationS).toFixed(1)} SUMO micro (simulation time), ×${(micro.vehicleStepsPerS === 0 ? Number.NaN : ours.vehicleStepsPerS / micro.vehicleStepsPerS).toFixed(1)} in vehicle-steps/s`,
    );
    if (meso !== undefined) {
      console.log(
        `SUMO meso: ${meso.simulationS.toFixed(3)} s simulation (${meso.wallS.toFixed(2)} s wall), mean travel time ${meso.meanTravelS.toFixed(1)} s, ${meso.notFinished} not finished → wall time ×${(meso.simulationS / ours.simulationS).toFixed(1)} SUMO meso`,
      );
    }
    for (const line of likeForLikeLines(ours, oursAllS, routingS, duarouter.cpuS, totals, micro, meso)) {
      console.log(line);
    }
    if (ourTiming !== undefined)
      console.log(
        `  citybay: run ${timingText(ourTiming.cpuS, ourTiming.cpuLowS, ourTiming.cpuHighS, 15)} CPU after ${OUR_WARMUPS} untimed runs; first third of the timed runs ${ourTiming.firstThirdCpuS.toFixed(4)} s, last third ${ourTiming.lastThirdCpuS.toFixed(4)} s`,
      );
    for (const [name, timing] of [
      ['micro', microTiming],
      ['meso', mesoTiming],
    ] as const) {
      if (timing === undefined) continue;
      console.log(
        `  SUMO ${name}: run less loading ${timingText(timing.cpuS, timing.cpuLowS, timing.cpuHighS, timing.runs)} CPU; its own loop time (Duration, wall) ${timingText(timing.durationS, timing.durationLowS, timing.durationHighS, timing.runs)}: ×${(timing.durationS / ours.wallS).toFixed(1)} citybay's median wall`,
      );
      const samples = (values: number[]) => values.map((v) => v.toFixed(3)).join(' ');
      console.log(
        `    runs' process CPU ${samples(timing.totalSamplesS)} s; loading-only ${samples(timing.loadingSamplesS)} s`,
      );
    }
    console.log('  targets (issue 15): simulation alone ≥ ×50 SUMO micro and ≥ ×5 SUMO meso');
    console.log(
      `first (cold) citybay run ${coldS.toFixed(3)} s, compilation included: ×${(micro.simulationS / coldS).toFixed(1)} SUMO micro${meso === undefined ? '' : `, ×${(meso.simulationS / coldS).toFixed(1)} meso`}`,
    );
  }

  // SUMO runs export-sumo's output of the same demand: no error, no teleport.
  try {
    const exported = buildSumoExport(
      {
        policy: { name: 'osm' },
        seed: SEED,
        input,
        demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: trips.length },
        sumoVehicles: { vehicleOf: demand.vehicleOf, types: demand.types },
      },
      network,
      { networkKind: 'sumo', sourceNetFile: NET },
    );
    writeFileSync(join(work, 'export.rou.xml'), exported.routesXml);
    // The export against the route file it came from, SUMO seed by seed: SUMO must run both alike (the same tripinfo),
    // so a teleport in the export is one SUMO also has on the source file (its own gridlock), never the export's.
    const checks = seedRuns.map(({ seed, run: source }) => {
      const check = runSumo(
        work,
        ['-n', NET, '-r', 'export.rou.xml', '--ignore-route-errors', 'false', '--seed', String(seed)],
        {
          endS: END_S,
          timed: false,
        },
      );
      const differing = tripinfoDiffering(source.trips, check.trips);
      console.log(
        `export-sumo in SUMO micro --seed ${seed}: ${check.errors.length} errors, ${check.teleports} teleports${check.errors[0] === undefined ? '' : ` (first: ${check.errors[0]})`}${teleportPlaces(check)}; randomTrips' own routes: ${source.teleports} teleports${teleportPlaces(source)}${source.teleports > 0 ? " (SUMO's own gridlock)" : ''}; tripinfo: ${differing} of ${source.trips.size} cars differ`,
      );
      return { check, source, differing };
    });
    const check = checks[0]!.check;
    summary.export = {
      errors: checks.reduce((sum, c) => sum + c.check.errors.length, 0),
      teleports: checks.reduce((sum, c) => sum + c.check.teleports, 0),
      sourceTeleports: checks.reduce((sum, c) => sum + c.source.teleports, 0),
      beyondSource: checks.reduce((sum, c) => sum + Math.max(0, c.check.teleports - c.source.teleports), 0),
      runsDiffering: checks.filter((c) => c.differing > 0).length,
      runs: checks.length,
    };
    // The same cars on citybay's own routes (free-flow shortest paths, junction crossings included), and again with
    // the net's actuated signals run as their static plans, as citybay runs them.
    const same = sumoFigures(check, wanted, carEdges);
    writeFileSync(
      join(work, 'static.net.xml'),
      netXml.replace(/(<tlLogic [^>]*type=")(actuated|delay_based)"/g, '$1static"'),
    );
    const staticRun = sumoFigures(
      runSumo(work, ['-n', 'static.net.xml', '-r', 'export.rou.xml', ...sumoSeed], { endS: END_S, isMeso: false }),
      wanted,
      carEdges,
    );
    if (ours !== undefined) {
      for (const [name, figures] of [
        ['SUMO micro, citybay routes', same],
        ['same, static signals', staticRun],
      ] as const) {
        console.log(`\n${''.padEnd(22)} ${'citybay'.padStart(14)} ${name.padStart(28)} ${'diff'.padStart(8)}`);
        const rowSame = (label: string, a: number, b: number, unit: string, digits = 1) =>
          console.log(
            `${label.padEnd(22)} ${a.toFixed(digits).padStart(10)} ${unit.padEnd(3)} ${b.toFixed(digits).padStart(24)} ${unit.padEnd(3)} ${pct(a, b).padStart(8)}`,
          );
        rowSame('mean travel time', ours.meanTravelS, figures.meanTravelS, 's');
        rowSame('max queue', ours.maxQueueM, figures.maxQueueM, 'm');
        rowSame('mean queue', ours.meanQueueM, figures.meanQueueM, 'm', 3);
        rowSame('cars not finished', ours.notFinished, figures.notFinished, '', 0);
      }
    }
  } catch (err) {
    const message =
      err instanceof Error ? (err.message.split('\n').find((l) => l.includes('Error')) ?? err.message) : String(err);
    console.log(`export-sumo in SUMO micro: rejected — ${message.slice(0, 300)}`);
  }
  console.log(`${OSM_SUMMARY_TAG} ${JSON.stringify(summary)}`);
}

try {
  if (process.env.CB_OSM_SEEDS === undefined) main();
  else runSeeds(process.env.CB_OSM_SEEDS, process.argv[1]!);
} finally {
  rmSync(work, { recursive: true, force: true });
}
