import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { routesDiffering, vehicleRoutes } from '../../bench/sumo-osm-support.js';
import { parseSumoNet } from '../../src/network/sumo-net.js';
import { createRouter } from '../../src/routing/shortest-paths.js';
import { requireSumo, SUMO_TOOLS } from '../helpers/require-sumo.js';
import { SUMO_ENV } from '../helpers/sumo-export-files.js';

const workRoot = mkdtempSync(join(tmpdir(), 'citybay-duarouter-routes-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

const NET = join(SUMO_TOOLS, 'game/DRT/osm.net.xml');

describe('routes on a SUMO net', () => {
  it("drives duarouter's route for every one of randomTrips.py's trips on the OSM city (benchmark (c)'s network)", () => {
    requireSumo();
    const trips = spawnSync(
      'python3',
      [join(SUMO_TOOLS, 'randomTrips.py'), '-n', NET, '-o', 'trips.xml', '-r', 'routes.rou.xml', '--seed', '5'].concat([
        '-b',
        '0',
        '-e',
        '3600',
        '-p',
        '4',
        '--vehicle-class',
        'passenger',
        '--validate',
        '--min-distance',
        '300',
      ]),
      { cwd: workRoot, encoding: 'utf8', env: SUMO_ENV },
    );
    expect(trips.status, trips.stderr).toBe(0);
    const given = vehicleRoutes(readFileSync(join(workRoot, 'routes.rou.xml'), 'utf8'));
    const demand = [...given].map(([id, route]) => {
      const edges = route.split(' ');
      return { id, originEdgeId: edges[0]!, destinationEdgeId: edges.at(-1)! };
    });
    expect(demand.length).toBeGreaterThan(500);
    const network = parseSumoNet(readFileSync(NET, 'utf8'), NET);
    expect(routesDiffering(createRouter(network), demand, given)).toMatchObject({
      compared: demand.length,
      differing: 0,
    });
    // Without duarouter's minor-link penalty, a good share of the routes would be others.
    const withoutPenalty = { ...network, connections: network.connections.map(({ minorCrossings: _, ...c }) => c) };
    expect(routesDiffering(createRouter(withoutPenalty), demand, given).differing).toBeGreaterThan(demand.length / 5);
  });
});
