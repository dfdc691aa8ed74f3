// Benchmarks (a) and (b) of issue 15: citybay's lane-queue model against Eclipse SUMO micro (and meso, for speed) on
// the same network, demand and routes, in the same run; every figure side by side with its difference.
// (a) a signalised 2-lane arterial with a lot whose entry queue spills back past the signal while through traffic
//     uses the other lane; (b) the 10×10 grid with priority junctions, and the same grid signalised.
// (c), the OSM city, is bench/sumo-osm.ts. Figures and their definitions: bench/traffic-compare.ts.
// SUMO's queues are also read from its FCD as chain queues (traffic-sumo-queue.ts), printed with the seed spread.
// Environment: CB_GRID_TRIPS (trips in the hour on the grid, default 6000), CB_BENCH_ONLY=a|b, CB_ARTERIAL_GATE_PER_MIN
// (6) and CB_ARTERIAL_SEED (11) for (a)'s held-out cases, CB_BENCH_FCD=1 (what SUMO's
// cars do on the priority grid's minor approaches, bench/traffic-sumo-fcd.ts), CB_SUMO_SEEDS (2: SUMO micro runs per
// case with `--seed` 1, 2, …, the single reference run, seed 1 as export-sumo's .sumocfg sets it, included; printed with
// citybay against their mean, sumo-seed-spread.ts; 1 = the single run alone).
import { SeededRandom } from '@citybay/common';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParkingLot, RoadNetwork } from '../src/model/index.js';
import { parseSumoNet } from '../src/network/sumo-net.js';
import { createRouter } from '../src/routing/shortest-paths.js';
import { trafficSeedOf, type PreparedRun } from '../src/scenario/run-scenario.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../src/traffic/traffic-simulation.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../src/traffic/traffic-params.js';
import type { Trip } from '../src/traffic/trip.js';
import { CITYBAY_CAR_SPEED, withSpeedFactors } from '../src/demand/speed-factors.js';
import { cpuLine, ourFigures, printComparison, queueByApproachLines, sumoFigures, timed } from './traffic-compare.js';
import { runSumo } from './sumo-osm-support.js';
import { sumoTiming, timingText } from './sumo-osm-timing.js';
import {
  chainSpreadLines,
  ourSeedLines,
  seedSpreadLines,
  sumoSeedCount,
  sumoSeedFigures,
  sumoSeeds,
} from './sumo-seed-spread.js';
import { chainFigures } from './traffic-sumo-queue.js';
import { minorPassLines } from './traffic-sumo-fcd.js';
import { netconvert, netgenerate, writeSumoInputs } from './traffic-sumo-support.js';

const work = mkdtempSync(join(tmpdir(), 'citybay-bench-sumo-'));
const DEMAND_END_S = 3600;
const END_S = 5400;
/** The seed export-sumo's .sumocfg gives SUMO for these runs (`prepared`'s seed): the single reference run's. */
const SUMO_SEED = 1;
const SUMO_SEED_COUNT = sumoSeedCount(process.env.CB_SUMO_SEEDS, 2);
// 2 by default: SUMO micro is most of this bench's time (27.8 s with 1 seed, 70.9 s with 3, 7 Dec 15:19, load 5-6), and on
// (a) and (b) its figures move little with the seed (5 seeds, 15:09: travel time ≤ 3.3% apart, max queue ≤ 7.0%, mean
// queue ≤ 6.3%); CB_SUMO_SEEDS=5 for the README's figures.
/** (a)'s gate rate (cars/min) and demand seed: 6 and 11; the held-out cases are 5, 7, 8 and demand seeds 12, 13. */
const ARTERIAL_GATE_PER_MIN = Number(process.env.CB_ARTERIAL_GATE_PER_MIN ?? 6);
const ARTERIAL_DEMAND_SEED = Number(process.env.CB_ARTERIAL_SEED ?? 11);

function prepared(input: TrafficSimulationInput): PreparedRun {
  return {
    policy: { name: 'bench' },
    seed: SUMO_SEED,
    input,
    demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: input.trips.length },
  };
}

/**
 * A case's trips for a citybay run seeded `seed` (the bench's cars are citybay's own: their drivers' speed factors drawn
 * from `CITYBAY_CAR_SPEED`, what the export's vType gives SUMO), as SUMO's `--seed` draws its drivers.
 */
function driversFor(trips: readonly Trip[], seed: number): Trip[] {
  return withSpeedFactors(
    trips.map((trip) => ({ ...trip, speedFactor: undefined, maxSpeedMps: undefined })),
    seed,
    CITYBAY_CAR_SPEED,
  );
}

/**
 * Runs one case in citybay, SUMO micro and SUMO meso, and prints the comparison. citybay's single run draws its drivers
 * from the seed SUMO's single run has; then both run over the same seeds, compared seed mean with seed mean.
 */
function compare(title: string, dir: string, netFile: string, base: TrafficSimulationInput, withMeso: boolean): void {
  mkdirSync(dir, { recursive: true });
  const input = { ...base, trips: driversFor(base.trips, SUMO_SEED), seed: trafficSeedOf(SUMO_SEED) };
  writeSumoInputs(dir, prepared(input), netFile);
  const edgeIds = input.network.edges.map((edge) => edge.id);
  const ours = timed(() => runTrafficSimulation(input));
  const entryDelayS = input.params?.lotEntryDelayS ?? DEFAULT_TRAFFIC_PARAMS.lotEntryDelayS;
  const oursFigures = ourFigures(ours.value, input.trips, edgeIds, DEMAND_END_S, ours.wallS, entryDelayS);
  const args = ['-c', 'run.sumocfg'];
  const microRun = runSumo(dir, args, { endS: END_S, stops: true });
  const micro = sumoFigures(microRun, input.trips, edgeIds, DEMAND_END_S, END_S);
  // Meso's simulation is ~0.3 s: one run less one loading run is noise; the median of 5 (sumo-osm-timing.ts).
  const mesoRuns = withMeso
    ? Array.from({ length: 5 }, () => runSumo(dir, args, { endS: END_S, isMeso: true, stops: true }))
    : undefined;
  const mesoTiming = mesoRuns === undefined ? undefined : sumoTiming(mesoRuns);
  const mesoRun =
    mesoRuns === undefined || mesoTiming === undefined
      ? undefined
      : { ...mesoRuns[0]!, cpuS: mesoTiming.cpuS, simulationS: mesoTiming.durationS };
  const meso = mesoRun ? sumoFigures(mesoRun, input.trips, edgeIds, DEMAND_END_S, END_S) : undefined;
  printComparison(title, oursFigures, micro, meso, ours.coldS);
  // SUMO's own noise: the same files with other seeds (figures only).
  const speedOf = new Map(input.network.edges.map((edge) => [edge.id, edge.speedMps]));
  // Every seed, the reference one again, with FCD for the chain queues (traffic-sumo-queue.ts); untimed, so FCD stays
  // out of the timed run. FCD does not change SUMO's run: the reference seed's figures are the timed run's.
  const minutes = Math.floor(END_S / 60);
  const chainQueues = { netFile: sumoNetFile(dir), edges: new Set(edgeIds) };
  const seedRuns = sumoSeeds(SUMO_SEED, SUMO_SEED_COUNT).map((seed, i) => {
    const run = runSumo(dir, [...args, '--seed', String(seed)], {
      endS: END_S,
      stops: true,
      timed: false,
      chainQueues,
    });
    const figures = sumoFigures(run, input.trips, edgeIds, DEMAND_END_S, END_S);
    if (i === 0 && (figures.meanTravelS !== micro.meanTravelS || figures.maxQueueM !== micro.maxQueueM))
      console.log(
        `WARNING: SUMO with FCD differs from the timed run (travel ${figures.meanTravelS} s, max ${figures.maxQueueM} m)`,
      );
    return sumoSeedFigures(
      seed,
      { ...figures, ...chainFigures(run.chainQueues, edgeIds, minutes) },
      run,
      speedOf,
      minutes,
    );
  });
  const spread =
    seedRuns.length > 1 ? seedSpreadLines(oursFigures, micro, seedRuns) : chainSpreadLines(oursFigures, seedRuns);
  for (const line of spread) console.log(line);
  const ourRuns = sumoSeeds(SUMO_SEED, SUMO_SEED_COUNT).map((seed) => {
    const trips = driversFor(base.trips, seed);
    const output =
      seed === SUMO_SEED ? ours.value : runTrafficSimulation({ ...input, trips, seed: trafficSeedOf(seed) });
    return { seed, ...ourFigures(output, trips, edgeIds, DEMAND_END_S, 1, entryDelayS) };
  });
  if (ourRuns.length > 1) for (const line of ourSeedLines(ourRuns, seedRuns)) console.log(line);
  console.log(cpuLine(ours.cpuS, microRun.cpuS, mesoRun?.cpuS));
  for (const line of queueByApproachLines(input.network, ours.value, microRun, Math.floor(END_S / 60)))
    console.log(line);
  if (meso !== undefined) {
    console.log(
      `SUMO meso for reference (junction control on): mean travel time ${meso.meanTravelS.toFixed(1)} s (through ${meso.meanThroughS.toFixed(1)} s), ${meso.notFinished} not finished`,
    );
    if (mesoTiming !== undefined)
      console.log(
        `  SUMO meso: run less loading ${timingText(mesoTiming.cpuS, mesoTiming.cpuLowS, mesoTiming.cpuHighS, mesoTiming.runs)} CPU; loop time (Duration, wall) ${timingText(mesoTiming.durationS, mesoTiming.durationLowS, mesoTiming.durationHighS, mesoTiming.runs)}`,
      );
  }
}

/** The net file a case's run.sumocfg runs (export-sumo's own net when it added lot roads, else the source net). */
function sumoNetFile(dir: string): string {
  const net = /<net-file value="([^"]*)"/.exec(readFileSync(join(dir, 'run.sumocfg'), 'utf8'))?.[1];
  if (net === undefined) throw new Error(`no net-file in ${join(dir, 'run.sumocfg')}`);
  return net.startsWith('/') ? net : join(dir, net);
}

function poisson(random: SeededRandom, perHour: number, make: (t: number, i: number) => Trip, into: Trip[]): void {
  let t = -Math.log(1 - random.next()) * (3600 / perHour);
  for (let i = 0; t < DEMAND_END_S; i++) {
    into.push(make(t, i));
    t -= Math.log(1 - random.next()) * (3600 / perHour);
  }
}

// ---- (a) signalised arterial with a lot -------------------------------------------------------------------------
function arterialCase(): void {
  const dir = join(work, 'arterial');
  mkdirSync(dir, { recursive: true });
  const at = (i: number) => i * 480;
  const nodes = [
    `<node id="W0" x="0" y="0" type="priority"/>`,
    `<node id="N1" x="${at(1)}" y="0" type="priority"/>`,
    `<node id="N2" x="${at(2)}" y="0" type="traffic_light"/>`,
    `<node id="N3" x="${at(3)}" y="0" type="priority"/>`,
    `<node id="E" x="${at(4)}" y="0" type="priority"/>`,
    `<node id="S2" x="${at(2)}" y="-300" type="priority"/>`,
    `<node id="T2" x="${at(2)}" y="300" type="priority"/>`,
    `<node id="L" x="${at(3)}" y="-100" type="priority"/>`,
  ];
  const road = (id: string, from: string, to: string, lanes: number, priority: number, speed = 13.89) =>
    `<edge id="${id}" from="${from}" to="${to}" numLanes="${lanes}" speed="${speed}" priority="${priority}"/>`;
  const chain = ['W0', 'N1', 'N2', 'N3', 'E'];
  const edges = [
    ...chain.slice(0, -1).map((n, i) => road(`e${i}`, n, chain[i + 1]!, 2, 3)),
    ...chain.slice(0, -1).map((n, i) => road(`w${i}`, chain[i + 1]!, n, 2, 3)),
    road('s_in', 'S2', 'N2', 1, 2),
    road('s_out', 'N2', 'T2', 1, 2),
    road('t_in', 'T2', 'N2', 1, 2),
    road('t_out', 'N2', 'S2', 1, 2),
    road('gate', 'N3', 'L', 1, 1, 5.56),
  ];
  writeFileSync(join(dir, 'a.nod.xml'), `<nodes>\n${nodes.join('\n')}\n</nodes>\n`);
  writeFileSync(join(dir, 'a.edg.xml'), `<edges>\n${edges.join('\n')}\n</edges>\n`);
  netconvert(dir, ['-n', 'a.nod.xml', '-e', 'a.edg.xml', '-o', 'arterial.net.xml', '--no-turnarounds', 'true']);
  const netFile = join(dir, 'arterial.net.xml');
  const network = parseSumoNet(readFileSync(netFile, 'utf8'), 'arterial.net.xml');
  const lot: ParkingLot = {
    id: 'H',
    name: 'H',
    entryEdgeId: 'gate',
    zones: [{ id: 'main', capacityByKind: { standard: 2000 } }],
    gateServiceVehPerMin: ARTERIAL_GATE_PER_MIN,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
  };
  const random = new SeededRandom(ARTERIAL_DEMAND_SEED);
  const trips: Trip[] = [];
  const flow = (id: string, from: string, to: string, perHour: number) =>
    poisson(
      random,
      perHour,
      (t, i) => ({ id: `${id}${i}`, purpose: 'through', departS: t, originEdgeId: from, destinationEdgeId: to }),
      trips,
    );
  flow('east', 'e0', 'e3', 700);
  flow('west', 'w3', 'w0', 500);
  flow('north', 's_in', 's_out', 250);
  flow('south', 't_in', 't_out', 250);
  poisson(
    random,
    450,
    (t, i) => ({ id: `park${i}`, purpose: 'park', departS: t, originEdgeId: 'e0', lotId: 'H', stayS: 3 * 3600 }),
    trips,
  );
  const input: TrafficSimulationInput = {
    network,
    lots: [{ lot, role: 'hospital', isOpenToHospital: true }],
    trips,
    startS: 0,
    endS: END_S,
    approachBranches: [['gate', 'e2', 'e1', 'e0']],
  };
  const output = runTrafficSimulation({
    ...input,
    trips: driversFor(trips, SUMO_SEED),
    seed: trafficSeedOf(SUMO_SEED),
  });
  const eastbound = trips.flatMap((trip, v) =>
    trip.id.startsWith('east') && !Number.isNaN(output.doneS[v]!) ? [output.doneS[v]! - output.enteredS[v]!] : [],
  );
  console.log(
    `\n(a) arterial: 4 × 480 m, 2 lanes each way, signal at N2 (netconvert's plan), lot H (${ARTERIAL_GATE_PER_MIN} cars/min, demand seed ${ARTERIAL_DEMAND_SEED}) off e3's start; ${trips.length} trips; citybay approach queue max ${output.queues.approachQueueM.reduce((a, b) => Math.max(a, b), 0).toFixed(0)} m, eastbound through mean ${(eastbound.reduce((a, b) => a + b, 0) / eastbound.length).toFixed(1)} s`,
  );
  compare('(a) signalised arterial, lot queue spilling back past the signal', dir, netFile, input, false);
}

// ---- (b) the 10×10 grid ----------------------------------------------------------------------------------------
function gridTrips(network: RoadNetwork, count: number): Trip[] {
  const router = createRouter(network);
  const random = new SeededRandom(42);
  const trips: Trip[] = [];
  const edgeIds = network.edges.map((e) => e.id);
  while (trips.length < count) {
    const from = edgeIds[random.int(0, edgeIds.length)]!;
    const to = edgeIds[random.int(0, edgeIds.length)]!;
    if (from === to || router.shortestPath(from, to) === undefined) continue;
    trips.push({
      id: `t${trips.length}`,
      purpose: 'through',
      departS: (trips.length * DEMAND_END_S) / count,
      originEdgeId: from,
      destinationEdgeId: to,
    });
  }
  return trips;
}

function gridCase(kind: 'priority' | 'traffic_light', count: number): void {
  const dir = join(work, `grid-${kind}`);
  mkdirSync(dir, { recursive: true });
  netgenerate(dir, [
    ...['--grid', '--grid.number', '10', '--grid.length', '200', '--default.lanenumber', '2'],
    ...['--default-junction-type', kind, '--no-turnarounds', 'true', '-o', 'grid.net.xml'],
  ]);
  const netFile = join(dir, 'grid.net.xml');
  const network = parseSumoNet(readFileSync(netFile, 'utf8'), 'grid.net.xml');
  const trips = gridTrips(network, count);
  const input: TrafficSimulationInput = { network, lots: [], trips, startS: 0, endS: END_S };
  compare(
    `(b) 10×10 grid (200 m, 2 lanes), ${kind === 'priority' ? 'priority junctions' : 'signalised'}, ${count} trips in an hour`,
    dir,
    netFile,
    input,
    true,
  );
  if (kind === 'priority' && process.env.CB_BENCH_FCD === '1')
    for (const line of minorPassLines(dir, netFile, END_S)) console.log(line);
}

try {
  console.log(
    'citybay lane-queue model vs Eclipse SUMO (same network, demand and routes). Machine shared: timings may be pessimistic.',
  );
  const only = process.env.CB_BENCH_ONLY;
  const count = Number(process.env.CB_GRID_TRIPS ?? 6000);
  if (only === undefined || only === 'a') arterialCase();
  if (only === undefined || only === 'b') {
    gridCase('priority', count);
    gridCase('traffic_light', count);
  }
} finally {
  if (process.env.CB_BENCH_KEEP === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
