// Benchmark: a city-scale day — 100,000+ trips over 24 h on a synthetic grid of 10,000+ links — wall time, peak
// memory and vehicle-steps per second; the reference measured in the same run is SUMO's mesoscopic model on the same
// network, routes and day (set CB_BENCH_SKIP_SUMO=1 to leave it out). citybay's figure is its first run in the
// process: V8 compilation, the network tables and the route trees included, as SUMO's wall time includes its loading.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@citybay/common';
import type { ParkingLot } from '../src/model/index.js';
import { computeKpis } from '../src/report/kpis.js';
import { runTrafficSimulation } from '../src/traffic/traffic-simulation.js';
import type { SimLot, Trip } from '../src/traffic/trip.js';
import { buildSumoExport } from '../src/sumo/sumo-export.js';
import { arterialGrid } from './arterial-grid.js';
import { runSumo } from './sumo-osm-support.js';
import { netconvert } from './traffic-sumo-support.js';

const SIDE = 51; // 51×51 junctions, two-way links: 2 × 2 × 51 × 50 = 10,200 links
const LINK_M = 250;
const TRIPS = 120_000;
const ZONES = 200;

// Every tenth row and column is an arterial.
const network = arterialGrid(SIDE, LINK_M, (line) => line % 10 === 0);
const random = new SeededRandom(2026);
const zoneEdges = Array.from({ length: ZONES }, () => network.edges[random.int(0, network.edges.length)]!.id);
const lots: SimLot[] = Array.from({ length: 8 }, (_, i): SimLot => {
  const lot: ParkingLot = {
    id: `L${i}`,
    name: `Lot ${i}`,
    entryEdgeId: zoneEdges[i]!,
    zones: [{ id: 'main', capacityByKind: { standard: 1500 } }],
    gateServiceVehPerMin: 12,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
  };
  return { lot, role: 'hospital', isOpenToHospital: true };
});
// A day profile with morning and evening peaks.
const hourWeights = [1, 1, 1, 1, 2, 4, 8, 12, 12, 8, 6, 6, 7, 6, 6, 7, 9, 12, 11, 7, 5, 3, 2, 1];
const weightSum = hourWeights.reduce((a, b) => a + b, 0);
const trips: Trip[] = [];
for (let i = 0; i < TRIPS; i++) {
  let pick = random.next() * weightSum;
  let hour = 0;
  while (pick >= hourWeights[hour]!) pick -= hourWeights[hour++]!;
  const departS = (hour + random.next()) * 3600;
  const origin = zoneEdges[random.int(0, ZONES)]!;
  if (i % 10 === 0) {
    trips.push({
      id: `p${i}`,
      purpose: 'park',
      departS,
      originEdgeId: origin,
      lotId: `L${random.int(0, lots.length)}`,
      stayS: 3600 * (1 + random.next() * 3),
      searchesWhenFull: true,
    });
  } else {
    let destination = zoneEdges[random.int(0, ZONES)]!;
    if (destination === origin) destination = zoneEdges[(zoneEdges.indexOf(origin) + 1) % ZONES]!;
    trips.push({ id: `t${i}`, purpose: 'through', departS, originEdgeId: origin, destinationEdgeId: destination });
  }
}

global.gc?.();
const heapBeforeMb = process.memoryUsage().heapUsed / 1e6;
let peakRssMb = process.memoryUsage().rss / 1e6;
const started = performance.now();
const cpuStarted = process.cpuUsage();
const output = runTrafficSimulation({
  network,
  lots,
  trips,
  startS: 0,
  endS: 24 * 3600,
  onProgress: () => {
    peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 1e6);
  },
});
const wallS = (performance.now() - started) / 1000;
const cpuUsed = process.cpuUsage(cpuStarted);
peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 1e6);
const report = computeKpis(
  output,
  network.edges.map((edge) => edge.id),
);
console.log(
  `City-scale day: ${network.edges.length} links, ${network.nodes.length} junctions, ${trips.length} trips over 24 h (1 s steps).`,
);
console.log(
  `wall time        : ${wallS.toFixed(2)} s (${((24 * 3600) / wallS).toFixed(0)}× real time), CPU ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(2)} s; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`vehicle-steps    : ${output.vehicleSteps} (${(output.vehicleSteps / wallS / 1e6).toFixed(2)} M/s)`);
console.log(`peak memory      : ${peakRssMb.toFixed(0)} MB RSS (heap before the run ${heapBeforeMb.toFixed(0)} MB)`);
console.log(
  `finished trips   : ${report.kpis.throughTripsFinished}/${report.kpis.throughTrips} through, ${report.kpis.parkedCars}/${report.kpis.parkTrips} parked; mean trip ${report.kpis.meanTravelTimeS} s`,
);

if (process.env.CB_BENCH_SKIP_SUMO !== '1') {
  const dir = mkdtempSync(join(tmpdir(), 'citybay-bench-city-'));
  try {
    const input = { network, lots, trips, startS: 0, endS: 24 * 3600 };
    const exported = buildSumoExport(
      {
        policy: { name: 'city' },
        seed: 0,
        input,
        demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: 0 },
      },
      network,
      { networkKind: 'plain' },
    );
    for (const [name, text] of Object.entries(exported.networkFiles)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'routes.rou.xml'), exported.routesXml);
    writeFileSync(join(dir, 'parking.add.xml'), exported.additionalXml);
    writeFileSync(join(dir, 'run.sumocfg'), exported.configXml);
    netconvert(dir, exported.netconvertArgs);
    const meso = runSumo(dir, ['-c', 'run.sumocfg'], { isMeso: true, endS: 24 * 3600 });
    const ourCpuS = (cpuUsed.user + cpuUsed.system) / 1e6;
    let arrived = 0;
    for (const trip of meso.trips.values()) if (trip.isArrived) arrived++;
    console.log(
      `SUMO meso, same day: ${meso.trips.size} of ${trips.length} cars in its tripinfo (${meso.errors.length} errors, ${meso.teleports} teleports), ${arrived} arrived; CPU ${meso.totalCpuS.toFixed(2)} s whole process, ${meso.cpuS.toFixed(2)} s less loading; ${meso.wallS.toFixed(1)} s wall; ${(meso.updatesPerS / 1e6).toFixed(2)} M veh-steps/s`,
    );
    console.log(
      `link model (first run, everything included) vs SUMO meso, CPU time: ×${(meso.totalCpuS / ourCpuS).toFixed(1)} the whole process, ×${(meso.cpuS / ourCpuS).toFixed(1)} SUMO less loading`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
