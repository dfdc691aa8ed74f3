// Minor-movement capacity and wait against a major flow, SUMO micro against citybay on the same single junction (issue
// 15; found on the hospital district, where SUMO's right merge `s_in` → arterial queued 395 m and citybay's 73 m).
// One T-junction built by netconvert from nod/edg files: a 2-lane major road east–west (priority 3, 50 km/h), a 1-lane
// minor road from the south (priority 2), 300 m legs. Three movements, each in runs of its own:
// - `right merge`: minor → east (a right turn onto the 2-lane major; it yields to both eastbound lanes, as the
//   district's W3), against eastbound flow q;
// - `minor left`: minor → west, crossing the eastbound flow and merging into the westbound one, q split evenly;
// - `major left`: westbound major → south, through the oncoming eastbound flow q (SUMO: waits inside the junction).
// Major cars depart as Poisson streams of q veh/h over an hour; each (movement, q) runs over CB_GAP_SEEDS seeds (3)
// with the demand drawn from the seed, SUMO's `--seed` and citybay's drivers the same seed. Two demands per case:
// - capacity: a saturated minor movement (2,400 veh/h wanted, far above capacity); throughput = minor cars arriving
//   per hour in [WINDOW_FROM_S, DEMAND_END_S] (arrival at the end of the 300 m exit leg: a constant shift);
//   q = the major cars arriving per hour in the same window, as each simulator ran it;
// - wait: a light minor movement (150 veh/h Poisson); wait = its cars' mean time from insertion to arrival minus the
//   same at q = 0 (each simulator against itself).
// Then the (t_c, t_f) of Siegloch's c = (1/t_f) exp(−q (t_c − t_f/2)) that fit SUMO's capacities (least squares on
// ln c, linear in q: ln c = −ln t_f − q (t_c − t_f/2)), the curves each fit gives, and citybay's parameters' curve.
// Environment: CB_GAP_SEEDS (3), CB_GAP_FLOWS (comma list of veh/h; 0,200,…,1400), CB_GAP_ONLY (a movement name).
import { SeededRandom } from '@citybay/common';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { CITYBAY_CAR_SPEED, withSpeedFactors } from '../src/demand/speed-factors.js';
import { parseSumoNet } from '../src/network/sumo-net.js';
import { trafficSeedOf, type PreparedRun } from '../src/scenario/run-scenario.js';
import { DEFAULT_TRAFFIC_PARAMS } from '../src/traffic/traffic-params.js';
import { runTrafficSimulation, type TrafficSimulationInput } from '../src/traffic/traffic-simulation.js';
import type { Trip } from '../src/traffic/trip.js';
import { SUMO_ENV, netconvert, writeSumoInputs } from './traffic-sumo-support.js';

const DEMAND_END_S = 3600;
const END_S = 4200;
const WINDOW_FROM_S = 300;
const SATURATED_VEH_PER_H = 2400;
const LIGHT_VEH_PER_H = 150;
const SEEDS = Array.from({ length: Number(process.env.CB_GAP_SEEDS ?? 3) }, (_, i) => i + 1);
const FLOWS = (process.env.CB_GAP_FLOWS ?? '0,200,400,600,800,1000,1200,1400').split(',').map(Number);

interface Movement {
  name: string;
  /** The minor movement's origin and destination edges. */
  from: string;
  to: string;
  /** The major streams: origin, destination, share of q. */
  major: Array<{ from: string; to: string; share: number }>;
  /** Whether it waits inside the junction (SUMO `cont="1"`), so citybay's inside parameters apply. */
  isInside: boolean;
}

const MOVEMENTS: Movement[] = [
  { name: 'right merge', from: 'sin', to: 'eout', major: [{ from: 'ein', to: 'eout', share: 1 }], isInside: false },
  {
    name: 'minor left',
    from: 'sin',
    to: 'wout',
    major: [
      { from: 'ein', to: 'eout', share: 0.5 },
      { from: 'win', to: 'wout', share: 0.5 },
    ],
    isInside: false,
  },
  { name: 'major left', from: 'win', to: 'sout', major: [{ from: 'ein', to: 'eout', share: 1 }], isInside: true },
];

/** One simulator's figures for one run: minor throughput and major flow (veh/h) in the window, minor mean travel (s). */
interface RunFigures {
  minorPerH: number;
  majorPerH: number;
  minorTravelS: number;
}

function buildNetwork(dir: string): string {
  const nodes = [
    `<node id="W" x="-300" y="0" type="priority"/>`,
    `<node id="J" x="0" y="0" type="priority"/>`,
    `<node id="E" x="300" y="0" type="priority"/>`,
    `<node id="S" x="0" y="-300" type="priority"/>`,
  ];
  const road = (id: string, from: string, to: string, lanes: number, priority: number) =>
    `<edge id="${id}" from="${from}" to="${to}" numLanes="${lanes}" speed="13.89" priority="${priority}"/>`;
  const edges = [
    road('ein', 'W', 'J', 2, 3),
    road('eout', 'J', 'E', 2, 3),
    road('win', 'E', 'J', 2, 3),
    road('wout', 'J', 'W', 2, 3),
    road('sin', 'S', 'J', 1, 2),
    road('sout', 'J', 'S', 1, 2),
  ];
  writeFileSync(join(dir, 't.nod.xml'), `<nodes>\n${nodes.join('\n')}\n</nodes>\n`);
  writeFileSync(join(dir, 't.edg.xml'), `<edges>\n${edges.join('\n')}\n</edges>\n`);
  netconvert(dir, ['-n', 't.nod.xml', '-e', 't.edg.xml', '-o', 'tee.net.xml', '--no-turnarounds', 'true']);
  return join(dir, 'tee.net.xml');
}

function poisson(random: SeededRandom, perHour: number, make: (t: number, i: number) => Trip, into: Trip[]): void {
  if (perHour <= 0) return;
  let t = -Math.log(1 - random.next()) * (3600 / perHour);
  for (let i = 0; t < DEMAND_END_S; i++) {
    into.push(make(t, i));
    t -= Math.log(1 - random.next()) * (3600 / perHour);
  }
}

function tripsFor(movement: Movement, flowPerH: number, isSaturated: boolean, seed: number): Trip[] {
  const random = new SeededRandom(7919 * seed + flowPerH);
  const trips: Trip[] = [];
  movement.major.forEach((stream, s) =>
    poisson(
      random,
      flowPerH * stream.share,
      (t, i) => ({
        id: `major${s}_${i}`,
        purpose: 'through',
        departS: t,
        originEdgeId: stream.from,
        destinationEdgeId: stream.to,
      }),
      trips,
    ),
  );
  const minor = (t: number, i: number): Trip => ({
    id: `minor${i}`,
    purpose: 'through',
    departS: t,
    originEdgeId: movement.from,
    destinationEdgeId: movement.to,
  });
  if (isSaturated)
    for (let i = 0, t = 0; t < DEMAND_END_S; i++, t = (i * 3600) / SATURATED_VEH_PER_H) trips.push(minor(t, i));
  else poisson(random, LIGHT_VEH_PER_H, minor, trips);
  trips.sort((a, b) => a.departS - b.departS);
  return withSpeedFactors(trips, seed, CITYBAY_CAR_SPEED);
}

/** Figures from per-car (id, insertion, arrival) records. */
function figuresOf(cars: Iterable<{ id: string; enteredS: number; arrivedS: number }>): RunFigures {
  let minor = 0;
  let major = 0;
  let travel = 0;
  let travelled = 0;
  for (const car of cars) {
    if (!Number.isFinite(car.arrivedS)) continue;
    const isMinor = car.id.startsWith('minor');
    if (isMinor) {
      travel += car.arrivedS - car.enteredS;
      travelled++;
    }
    if (car.arrivedS < WINDOW_FROM_S || car.arrivedS >= DEMAND_END_S) continue;
    if (isMinor) minor++;
    else major++;
  }
  const hours = (DEMAND_END_S - WINDOW_FROM_S) / 3600;
  return { minorPerH: minor / hours, majorPerH: major / hours, minorTravelS: travel / Math.max(1, travelled) };
}

function runSumoCase(dir: string, seed: number): RunFigures {
  const args = ['-c', 'run.sumocfg', '--seed', String(seed), '--end', String(END_S), '--tripinfo-output', 'gap.xml'];
  const result = spawnSync('sumo', args, { cwd: dir, encoding: 'utf8', env: SUMO_ENV, maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`sumo failed: ${result.stderr}`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'tripinfo' });
  const trips = (parser.parse(readFileSync(join(dir, 'gap.xml'), 'utf8')).tripinfos?.tripinfo ?? []) as Array<
    Record<string, string>
  >;
  return figuresOf(
    trips.map((trip) => ({
      id: trip.id ?? '',
      enteredS: Number(trip.depart),
      arrivedS: Number(trip.arrival) >= 0 ? Number(trip.arrival) : Number.NaN,
    })),
  );
}

function runOurCase(input: TrafficSimulationInput): RunFigures {
  const output = runTrafficSimulation(input);
  return figuresOf(
    input.trips.map((trip, v) => ({ id: trip.id, enteredS: output.enteredS[v]!, arrivedS: output.doneS[v]! })),
  );
}

interface CaseResult {
  flowPerH: number;
  sumo: RunFigures;
  ours: RunFigures;
}

/** Mean of the seeds' figures. */
function mean(runs: RunFigures[]): RunFigures {
  const n = runs.length;
  return {
    minorPerH: runs.reduce((s, r) => s + r.minorPerH, 0) / n,
    majorPerH: runs.reduce((s, r) => s + r.majorPerH, 0) / n,
    minorTravelS: runs.reduce((s, r) => s + r.minorTravelS, 0) / n,
  };
}

function runCases(work: string, netFile: string, movement: Movement, isSaturated: boolean): CaseResult[] {
  const network = parseSumoNet(readFileSync(netFile, 'utf8'), 'tee.net.xml');
  return FLOWS.map((flowPerH) => {
    const sumo: RunFigures[] = [];
    const ours: RunFigures[] = [];
    for (const seed of SEEDS) {
      const dir = join(work, `${movement.name.replace(' ', '-')}-${isSaturated ? 'cap' : 'wait'}-${flowPerH}-${seed}`);
      mkdirSync(dir, { recursive: true });
      const input: TrafficSimulationInput = {
        network,
        lots: [],
        trips: tripsFor(movement, flowPerH, isSaturated, seed),
        startS: 0,
        endS: END_S,
        seed: trafficSeedOf(seed),
      };
      const prepared: PreparedRun = {
        policy: { name: 'bench' },
        seed,
        input,
        demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: 0 },
      };
      writeSumoInputs(dir, prepared, netFile);
      sumo.push(runSumoCase(dir, seed));
      ours.push(runOurCase(input));
    }
    return { flowPerH, sumo: mean(sumo), ours: mean(ours) };
  });
}

/** Least squares of ln c on q (veh/s): ln c = −ln t_f − q (t_c − t_f / 2). */
export function fitSiegloch(points: Array<{ qPerS: number; capacityPerS: number }>): { tcS: number; tfS: number } {
  const usable = points.filter((p) => p.capacityPerS > 0);
  const n = usable.length;
  const mx = usable.reduce((s, p) => s + p.qPerS, 0) / n;
  const my = usable.reduce((s, p) => s + Math.log(p.capacityPerS), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of usable) {
    sxy += (p.qPerS - mx) * (Math.log(p.capacityPerS) - my);
    sxx += (p.qPerS - mx) ** 2;
  }
  const slope = sxy / sxx;
  const tfS = Math.exp(-(my - slope * mx));
  return { tcS: -slope + tfS / 2, tfS };
}

const siegloch = (qPerS: number, tcS: number, tfS: number) => (3600 / tfS) * Math.exp(-qPerS * (tcS - tfS / 2));
const ratio = (ours: number, sumo: number) => (sumo > 0 ? `${(((ours - sumo) / sumo) * 100).toFixed(1)}%` : 'n/a');

function printMovement(movement: Movement, capacity: CaseResult[], wait: CaseResult[]): void {
  const params = DEFAULT_TRAFFIC_PARAMS;
  const ourTcS = params.criticalGapS;
  const ourTfS = 3600 / params.saturationFlowVehPerHourPerLane;
  const sumoFit = fitSiegloch(
    capacity.map((c) => ({ qPerS: c.sumo.majorPerH / 3600, capacityPerS: c.sumo.minorPerH / 3600 })),
  );
  const ourFit = fitSiegloch(
    capacity.map((c) => ({ qPerS: c.ours.majorPerH / 3600, capacityPerS: c.ours.minorPerH / 3600 })),
  );
  console.log(`\n${movement.name}: ${movement.from} → ${movement.to} (${SEEDS.length} seeds per flow, seed means)`);
  console.log(
    '  q wanted | q SUMO  q ours | capacity SUMO  ours  (ours−SUMO) | Siegloch fit SUMO  fit ours  citybay params | wait SUMO  ours  (ours−SUMO)',
  );
  const wait0 = wait[0]!;
  capacity.forEach((c, i) => {
    const w = wait[i]!;
    const q = c.sumo.majorPerH / 3600;
    const sumoWait = w.sumo.minorTravelS - wait0.sumo.minorTravelS;
    const ourWait = w.ours.minorTravelS - wait0.ours.minorTravelS;
    console.log(
      `  ${String(c.flowPerH).padStart(8)} | ${c.sumo.majorPerH.toFixed(0).padStart(6)} ${c.ours.majorPerH.toFixed(0).padStart(6)} | ${c.sumo.minorPerH.toFixed(0).padStart(13)} ${c.ours.minorPerH.toFixed(0).padStart(5)} ${ratio(c.ours.minorPerH, c.sumo.minorPerH).padStart(8)} | ${siegloch(q, sumoFit.tcS, sumoFit.tfS).toFixed(0).padStart(17)} ${siegloch(q, ourFit.tcS, ourFit.tfS).toFixed(0).padStart(9)} ${siegloch(q, ourTcS, ourTfS).toFixed(0).padStart(15)} | ${sumoWait.toFixed(1).padStart(9)} ${ourWait.toFixed(1).padStart(5)} ${ratio(ourWait, sumoWait).padStart(8)}`,
    );
  });
  console.log(
    `  Siegloch fit (least squares on ln c): SUMO t_c ${sumoFit.tcS.toFixed(2)} s, t_f ${sumoFit.tfS.toFixed(2)} s; citybay as run t_c ${ourFit.tcS.toFixed(2)} s, t_f ${ourFit.tfS.toFixed(2)} s; citybay's parameters t_c ${ourTcS.toFixed(2)} s, t_f ${ourTfS.toFixed(2)} s`,
  );
  console.log(
    `  minor travel at q = 0 (wait's zero): SUMO ${wait0.sumo.minorTravelS.toFixed(1)} s, ours ${wait0.ours.minorTravelS.toFixed(1)} s`,
  );
}

const work = mkdtempSync(join(tmpdir(), 'citybay-bench-gap-'));
try {
  const netFile = buildNetwork(work);
  console.log(
    `Minor-movement capacity and wait, SUMO micro vs citybay, one T-junction (2-lane major, 1-lane minor, 300 m legs); flows ${FLOWS.join(', ')} veh/h; seeds ${SEEDS.join(', ')}`,
  );
  const only = process.env.CB_GAP_ONLY;
  for (const movement of MOVEMENTS) {
    if (only !== undefined && movement.name !== only) continue;
    printMovement(movement, runCases(work, netFile, movement, true), runCases(work, netFile, movement, false));
  }
} finally {
  if (process.env.CB_BENCH_KEEP === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
