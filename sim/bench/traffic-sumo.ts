// Benchmark: the link model against Eclipse SUMO (micro and meso) on the same network and demand.
// 1. Speed on a 10×10 grid with 10,000 trips in an hour: wall time, vehicle-steps/s, ratios.
// 2. Accuracy on a single-lane corridor with a lot, uncongested and congested: mean travel time and maximum
//    approach queue side by side (target: within 10% of SUMO micro).
// 3. The shipped hospital district's baseline in both (max hospital queue, wall time).
// CB_BENCH_SKIP_SPEED=1 / CB_BENCH_SKIP_DISTRICT=1 skip the slow SUMO micro runs.
import { SeededRandom } from '@citybay/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../src/cli/scenario-loader.js';
import type { ParkingLot, RoadNetwork } from '../src/model/index.js';
import { parseSumoNet } from '../src/network/sumo-net.js';
import { computeKpis } from '../src/report/kpis.js';
import { createRouter } from '../src/routing/shortest-paths.js';
import { type PreparedRun, prepareScenarioRun } from '../src/scenario/run-scenario.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../src/traffic/traffic-simulation.js';
import type { Trip } from '../src/traffic/trip.js';
import { netconvert, netgenerate, runSumo, writeSumoInputs } from './traffic-sumo-support.js';

const work = mkdtempSync(join(tmpdir(), 'citybay-bench-sumo-'));

function prepared(input: TrafficSimulationInput): PreparedRun {
  return {
    policy: { name: 'bench' },
    seed: 0,
    input,
    demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: input.trips.length },
  };
}

/** Median wall time of `repeats` runs (the link model's runs are short, so one run is noisy on a shared machine). */
function timed<T>(run: () => T, repeats = 5): { value: T; wallS: number } {
  const times: number[] = [];
  let value = run();
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    value = run();
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return { value, wallS: times[Math.floor(times.length / 2)]! };
}

function meanTravelS(trips: readonly Trip[], doneS: (id: string, index: number) => number | undefined): number {
  let sum = 0;
  let n = 0;
  trips.forEach((trip, i) => {
    const done = doneS(trip.id, i);
    if (done === undefined || Number.isNaN(done)) return;
    sum += done - trip.departS;
    n++;
  });
  return n === 0 ? Number.NaN : sum / n;
}

const pct = (ours: number, theirs: number) => `${(((ours - theirs) / theirs) * 100).toFixed(1)}%`;

// ---- 1. speed on a grid -----------------------------------------------------------------------------------------
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
      departS: (trips.length * 3600) / count,
      originEdgeId: from,
      destinationEdgeId: to,
    });
  }
  return trips;
}

function speedBenchmark(): void {
  const dir = join(work, 'grid');
  netgenerate(work, [
    '--grid',
    '--grid.number',
    '10',
    '--grid.length',
    '200',
    '--default.lanenumber',
    '2',
    '-o',
    'grid.net.xml',
  ]);
  const netPath = join(work, 'grid.net.xml');
  const network = parseSumoNet(readFileSync(netPath, 'utf8'), 'grid.net.xml');
  const trips = gridTrips(network, 10_000);
  const input: TrafficSimulationInput = { network, lots: [], trips, startS: 0, endS: 7200 };
  writeSumoInputs(dir, prepared(input), netPath);
  const ours = timed(() => runTrafficSimulation(input));
  const micro = runSumo(dir, { endS: 7200 });
  const meso = runSumo(dir, { endS: 7200, isMeso: true });
  const oursRate = ours.value.vehicleSteps / ours.wallS;
  console.log('\n== Speed: 10×10 grid (200 m links, 2 lanes), 10,000 trips in one hour, 2 h simulated ==');
  console.log(
    `link model : ${ours.wallS.toFixed(3)} s wall (median of 5), ${ours.value.vehicleSteps} vehicle-steps, ${(oursRate / 1e6).toFixed(2)} M veh-steps/s`,
  );
  console.log(
    `SUMO micro : ${micro.wallS.toFixed(2)} s wall, ${Math.round(micro.vehicleSteps)} vehicle-steps, ${(micro.updatesPerS / 1e6).toFixed(3)} M veh-steps/s`,
  );
  console.log(
    `SUMO meso  : ${meso.wallS.toFixed(2)} s wall, ${Math.round(meso.vehicleSteps)} vehicle-steps, ${(meso.updatesPerS / 1e6).toFixed(3)} M veh-steps/s`,
  );
  console.log(
    `ratio (veh-steps/s): ×${(oursRate / micro.updatesPerS).toFixed(1)} SUMO micro (target ≥ 20), ×${(oursRate / meso.updatesPerS).toFixed(1)} SUMO meso (target ≥ 2)`,
  );
  console.log(
    `ratio (wall time)  : ×${(micro.wallS / ours.wallS).toFixed(1)} SUMO micro, ×${(meso.wallS / ours.wallS).toFixed(1)} SUMO meso`,
  );
  const microMean = meanTravelS(trips, (id) => micro.doneS.get(id));
  const oursMean = meanTravelS(trips, (_, i) => ours.value.doneS[i]);
  console.log(
    `mean travel time   : link model ${oursMean.toFixed(1)} s, SUMO micro ${microMean.toFixed(1)} s (${pct(oursMean, microMean)}; give-way at junctions is not modelled)`,
  );
  const light = gridTrips(network, 500);
  const lightInput: TrafficSimulationInput = { network, lots: [], trips: light, startS: 0, endS: 7200 };
  writeSumoInputs(join(work, 'grid-light'), prepared(lightInput), netPath);
  const lightOurs = runTrafficSimulation(lightInput);
  const lightMicro = runSumo(join(work, 'grid-light'), { endS: 7200 });
  const a = meanTravelS(light, (_, i) => lightOurs.doneS[i]);
  const b = meanTravelS(light, (id) => lightMicro.doneS.get(id));
  console.log(
    `same grid, 500 trips (uncongested): mean travel time link model ${a.toFixed(1)} s, SUMO micro ${b.toFixed(1)} s (${pct(a, b)})`,
  );
}

// ---- 2. accuracy on a corridor with a lot ----------------------------------------------------------------------
const LINKS = 6;
const LINK_M = 300;

function corridorFiles(dir: string): RoadNetwork {
  const nodes = [
    ...Array.from({ length: LINKS + 1 }, (_, i) => `<node id="n${i}" x="${i * LINK_M}" y="0" type="priority"/>`),
    `<node id="g" x="${LINKS * LINK_M}" y="-120" type="priority"/>`,
    `<node id="x" x="${(LINKS + 1) * LINK_M}" y="0" type="priority"/>`,
  ];
  const edges = [
    ...Array.from(
      { length: LINKS },
      (_, i) => `<edge id="a${i}" from="n${i}" to="n${i + 1}" numLanes="1" speed="13.89" priority="2"/>`,
    ),
    `<edge id="gate" from="n${LINKS}" to="g" numLanes="1" speed="8.33" priority="1"/>`,
    `<edge id="exit" from="n${LINKS}" to="x" numLanes="1" speed="13.89" priority="2"/>`,
  ];
  writeFileSync(join(dir, 'c.nod.xml'), `<nodes>\n${nodes.join('\n')}\n</nodes>\n`);
  writeFileSync(join(dir, 'c.edg.xml'), `<edges>\n${edges.join('\n')}\n</edges>\n`);
  netconvert(dir, ['-n', 'c.nod.xml', '-e', 'c.edg.xml', '-o', 'corridor.net.xml', '--no-turnarounds', 'true']);
  return parseSumoNet(readFileSync(join(dir, 'corridor.net.xml'), 'utf8'), 'corridor.net.xml');
}

function lot(capacity: number): ParkingLot {
  return {
    id: 'P',
    name: 'P',
    entryEdgeId: 'gate',
    zones: [{ id: 'main', capacityByKind: { standard: capacity } }],
    gateServiceVehPerMin: 20,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
  };
}

function corridorCase(
  name: string,
  network: RoadNetwork,
  capacity: number,
  parkPerHour: number,
  throughPerHour: number,
  stayS: number,
): void {
  const dir = join(work, name);
  const random = new SeededRandom(7);
  const trips: Trip[] = [];
  const poisson = (rate: number, make: (t: number, i: number) => Trip) => {
    let t = -Math.log(1 - random.next()) * (3600 / rate);
    for (let i = 0; t < 3600; i++) {
      trips.push(make(t, i));
      t -= Math.log(1 - random.next()) * (3600 / rate);
    }
  };
  poisson(parkPerHour, (t, i) => ({ id: `p${i}`, purpose: 'park', departS: t, originEdgeId: 'a0', lotId: 'P', stayS }));
  poisson(throughPerHour, (t, i) => ({
    id: `t${i}`,
    purpose: 'through',
    departS: t,
    originEdgeId: 'a0',
    destinationEdgeId: 'exit',
  }));
  const endS = 3600 + stayS * 4;
  const approach = ['gate', ...Array.from({ length: LINKS }, (_, i) => `a${LINKS - 1 - i}`)];
  const input: TrafficSimulationInput = {
    network,
    lots: [{ lot: lot(capacity), role: 'hospital', isOpenToHospital: true }],
    trips,
    startS: 0,
    endS,
    approachBranches: [approach],
  };
  writeSumoInputs(dir, prepared(input), join(work, 'corridor.net.xml'));
  const ours = timed(() => runTrafficSimulation(input));
  const report = computeKpis(
    ours.value,
    network.edges.map((e) => e.id),
  );
  const stay = new Map(trips.filter((t) => t.purpose === 'park').map((t) => [t.id, stayS]));
  const micro = runSumo(dir, { endS, approachBranches: [approach], stayS: stay });
  const oursMean = meanTravelS(trips, (_, i) => ours.value.doneS[i]);
  const microMean = meanTravelS(trips, (id) => micro.doneS.get(id));
  console.log(
    `\n== Accuracy: ${name} corridor (${LINKS}×${LINK_M} m, 1 lane), ${trips.length} trips, lot ${capacity} bays, stay ${stayS / 60} min ==`,
  );
  console.log(`                    link model    SUMO micro   difference`);
  console.log(
    `mean travel time    ${oursMean.toFixed(1).padStart(8)} s  ${microMean.toFixed(1).padStart(9)} s   ${pct(oursMean, microMean).padStart(8)}`,
  );
  console.log(
    `max approach queue  ${report.kpis.approachQueueMaxM.toFixed(0).padStart(8)} m  ${micro.maxApproachQueueM.toFixed(0).padStart(9)} m   ${micro.maxApproachQueueM > 0 ? pct(report.kpis.approachQueueMaxM, micro.maxApproachQueueM).padStart(8) : '     n/a'}`,
  );
  console.log(
    `wall time           ${ours.wallS.toFixed(3).padStart(8)} s  ${micro.wallS.toFixed(3).padStart(9)} s   ×${(micro.wallS / ours.wallS).toFixed(0)}`,
  );
}

// ---- 3. the shipped district, baseline, drivers queueing (SUMO cannot search the same way) ----------------------
function districtCase(): void {
  const scenario = loadScenario(new URL('../scenarios/hospital-district/scenario.yaml', import.meta.url).pathname);
  scenario.document.demand.drivers.searchShare = 0;
  const run = prepareScenarioRun(scenario, { policyName: 'baseline' });
  const dir = join(work, 'district');
  const netPath = new URL('../scenarios/hospital-district/hospital-district.net.xml', import.meta.url).pathname;
  writeSumoInputs(dir, run, netPath);
  const ours = timed(() => runTrafficSimulation(run.input));
  const report = computeKpis(
    ours.value,
    scenario.network.edges.map((e) => e.id),
  );
  const micro = runSumo(dir, { endS: run.input.endS, approachBranches: scenario.document.approach });
  console.log('\n== Hospital district, baseline without searching drivers, 06:00–13:00 (2-lane arterial) ==');
  console.log(
    `max hospital queue  link model ${report.kpis.approachQueueMaxM.toFixed(0)} m, SUMO micro ${micro.maxApproachQueueM.toFixed(0)} m (${pct(report.kpis.approachQueueMaxM, micro.maxApproachQueueM)})`,
  );
  console.log(
    `wall time           link model ${ours.wallS.toFixed(2)} s (${(ours.value.vehicleSteps / ours.wallS / 1e6).toFixed(1)} M veh-steps/s), SUMO micro ${micro.wallS.toFixed(1)} s (${(micro.updatesPerS / 1e6).toFixed(2)} M/s)`,
  );
}

try {
  console.log(
    'citybay link model vs Eclipse SUMO 1.15 (same network, same demand, same routes). Machine shared with other jobs: timings may be pessimistic.',
  );
  if (process.env.CB_BENCH_SKIP_SPEED !== '1') speedBenchmark();
  const network = corridorFiles(work);
  corridorCase('uncongested', network, 400, 150, 300, 1800);
  corridorCase('congested', network, 120, 420, 200, 1500);
  if (process.env.CB_BENCH_SKIP_DISTRICT !== '1') districtCase();
} finally {
  rmSync(work, { recursive: true, force: true });
}
