// Benchmark (c)'s routes alone: on the OSM city network (tools/game/DRT/osm.net.xml) and randomTrips.py's trips per
// demand seed, how many of the routes citybay drives differ from duarouter's (the route file SUMO runs), with the router
// as it is (minor links cost duarouter's penalty, MINOR_LINK_PENALTY_S) and with no minor penalty, as citybay routed
// before. No simulation: a few seconds per seed. Environment: CB_OSM_SEEDS (42,7,1,2,3,11,12,13), CB_OSM_PERIOD_S (2).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sumoTrips } from '../src/demand/sumo-trips.js';
import { parseSumoNet } from '../src/network/sumo-net.js';
import { createRouter } from '../src/routing/shortest-paths.js';
import { WarningList } from '../src/scenario/run-warning.js';
import { parseSumoRoutes } from '../src/sumo/sumo-routes.js';
import { routesDiffering, run, SUMO_HOME, vehicleRoutes } from './sumo-osm-support.js';

const NET = join(SUMO_HOME, 'tools/game/DRT/osm.net.xml');
const SEEDS = (process.env.CB_OSM_SEEDS ?? '42,7,1,2,3,11,12,13').split(',').map(Number);
const PERIOD_S = Number(process.env.CB_OSM_PERIOD_S ?? 2);

const work = mkdtempSync(join(tmpdir(), 'citybay-bench-osm-routes-'));
try {
  const network = parseSumoNet(readFileSync(NET, 'utf8'), NET);
  const minor = network.connections.filter((c) => (c.minorCrossings ?? 0) > 0).length;
  const withoutPenalty = { ...network, connections: network.connections.map(({ minorCrossings: _, ...c }) => c) };
  const routers = [
    ['minor penalty', createRouter(network)],
    ['no penalty', createRouter(withoutPenalty)],
  ] as const;
  console.log(`${NET}: ${network.connections.length} car connections, ${minor} of them minor links`);
  console.log(
    'seed  trips  routes differing from duarouter (of them costlier by citybay cost): ' +
      routers.map(([n]) => n).join(' | '),
  );
  for (const seed of SEEDS) {
    run(
      'python3',
      [
        join(SUMO_HOME, 'tools/randomTrips.py'),
        ...['-n', NET, '-o', 'trips.xml', '-r', 'routes.rou.xml', '--seed', String(seed)],
        ...['-b', '0', '-e', '3600', '-p', String(PERIOD_S), '--vehicle-class', 'passenger'],
        ...['--validate', '--min-distance', '300', '--trip-attributes', 'departLane="best" departSpeed="max"'],
      ],
      work,
    );
    const routesText = readFileSync(join(work, 'routes.rou.xml'), 'utf8');
    const { trips } = sumoTrips([parseSumoRoutes(routesText, 'routes.rou.xml')], {
      router: routers[0][1],
      lots: [],
      timeZeroS: 0,
      startS: 0,
      endS: 5400,
      seed,
      warnings: new WarningList(),
    });
    const given = vehicleRoutes(routesText);
    const cells = routers.map(([, router]) => {
      const d = routesDiffering(router, trips, given);
      return `${d.differing}/${d.compared} (${d.costlier})`;
    });
    console.log(`${String(seed).padStart(4)} ${String(trips.length).padStart(6)}  ${cells.join(' | ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
