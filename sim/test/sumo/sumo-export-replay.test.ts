import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { sumoTrips } from '../../src/demand/sumo-trips.js';
import { parseSumoNet } from '../../src/network/sumo-net.js';
import { createRouter } from '../../src/routing/shortest-paths.js';
import { prepareScenarioRun } from '../../src/scenario/run-scenario.js';
import { WarningList } from '../../src/scenario/run-warning.js';
import { buildSumoExport } from '../../src/sumo/sumo-export.js';
import { parseSumoRoutes } from '../../src/sumo/sumo-routes.js';
import { requireSumo, SUMO_TOOLS } from '../helpers/require-sumo.js';
import { SUMO_ENV } from '../helpers/sumo-export-files.js';

const CROSS = join(SUMO_TOOLS, 'game/cross/cross.net.xml');
const workRoot = mkdtempSync(join(tmpdir(), 'citybay-sumo-replay-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

/** Every way across SUMO's signalised `cross` (one route each), as `from-to` over its four arms. */
const ROUTES = [1, 2, 3, 4].flatMap((from) =>
  [1, 2, 3, 4].filter((to) => to !== from).map((to) => `${from}fi ${from}si ${to}o ${to}fo`),
);

/**
 * A route file that uses what SUMO lets a vehicle say about itself besides its route: a vType with its own driving
 * (and a param), a vTypeDistribution drawn per car, SUMO's default type; departure lanes, positions and speeds,
 * arrival positions, lanes and speeds, a vehicle's own speed factor, and cars that give none of them (SUMO's defaults);
 * flows by period and by number.
 */
function routeFile(): string {
  const lanes = ['best', 'free', 'random', '0', undefined];
  const positions = ['base', 'random', 'free', '5', undefined, 'last'];
  const speeds = ['max', 'desired', 'random', '0', undefined, '8.5'];
  const arrivals = [undefined, 'random', '30', 'max'];
  const types = ['slow', 'mix', undefined];
  const vehicles = Array.from({ length: 150 }, (_, i) => {
    const attributes = [
      ['type', types[i % types.length]],
      ['departLane', lanes[i % lanes.length]],
      ['departPos', positions[i % positions.length]],
      ['departSpeed', speeds[(i >> 1) % speeds.length]],
      ['arrivalPos', arrivals[i % arrivals.length]],
      ['arrivalSpeed', i % 7 === 0 ? '5' : undefined],
      ['arrivalLane', i % 11 === 0 ? 'current' : undefined],
      ['speedFactor', i % 13 === 0 ? '1.2' : undefined],
    ]
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    return `  <vehicle id="v${i}" depart="${(i * 2.5).toFixed(2)}"${attributes}><route edges="${ROUTES[(i * 5) % ROUTES.length]}"/></vehicle>`;
  });
  return [
    '<routes>',
    '  <vType id="slow" vClass="passenger" maxSpeed="12" accel="1.8" sigma="0.8" speedDev="0.2"><param key="note" value="kept"/></vType>',
    '  <vTypeDistribution id="mix">',
    '    <vType id="small" length="4" probability="3"/>',
    '    <vType id="van" length="7" minGap="3" decel="3.5" probability="1"/>',
    '  </vTypeDistribution>',
    '  <route id="north-south" edges="3fi 3si 4o 4fo"/>',
    // Flows SUMO builds as they are due: written back as flows (as single vehicles SUMO would draw otherwise).
    '  <flow id="f" route="north-south" begin="0" end="300" period="7" departSpeed="max" type="mix"/>',
    '  <flow id="g" type="slow" begin="0" end="300" number="20" departLane="free"><route edges="4fi 4si 1o 1fo"/></flow>',
    ...vehicles,
    '</routes>',
  ].join('\n');
}

/** SUMO's tripinfo rows by vehicle id, as written (every attribute compared). */
function runSumo(dir: string, routesFile: string, seed: number): { rows: Map<string, string>; log: string } {
  const out = `tripinfo-${routesFile}-${seed}.xml`;
  const sim = spawnSync(
    'sumo',
    ['-n', CROSS, '-r', routesFile, '--seed', String(seed), '--tripinfo-output', out, '--no-step-log'],
    { cwd: dir, encoding: 'utf8', env: SUMO_ENV },
  );
  expect(sim.status, sim.stderr).toBe(0);
  const rows = new Map<string, string>();
  for (const match of readFileSync(join(dir, out), 'utf8').matchAll(/<tripinfo id="([^"]*)"[^>]*\/>/g)) {
    rows.set(match[1]!, match[0]);
  }
  return { rows, log: `${sim.stdout}\n${sim.stderr}` };
}

describe('export-sumo of SUMO demand', () => {
  it('replays in SUMO as the route file it came from: the same tripinfo for every car, SUMO seed by seed', () => {
    requireSumo();
    const dir = join(workRoot, 'cross');
    spawnSync('mkdir', ['-p', dir]);
    const source = routeFile();
    writeFileSync(join(dir, 'source.rou.xml'), source);
    const network = parseSumoNet(readFileSync(CROSS, 'utf8'), CROSS);
    const demand = sumoTrips([parseSumoRoutes(source, 'source.rou.xml')], {
      router: createRouter(network),
      lots: [],
      timeZeroS: 0,
      startS: 0,
      endS: 1200,
      seed: 1,
      warnings: new WarningList(),
    });
    const { trips } = demand;
    const exported = buildSumoExport(
      {
        policy: { name: 'replay' },
        seed: 1,
        input: { network, lots: [], trips, startS: 0, endS: 1200 },
        demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 0, throughTrips: trips.length },
        sumoVehicles: { vehicleOf: demand.vehicleOf, types: demand.types },
      },
      network,
      { networkKind: 'sumo', sourceNetFile: CROSS },
    );
    expect(exported.routesXml).toContain(
      '<vType id="slow" vClass="passenger" maxSpeed="12" accel="1.8" sigma="0.8" speedDev="0.2">\n    <param key="note" value="kept"/>',
    );
    expect(exported.routesXml).not.toContain('id="car"');
    expect(exported.routesXml).toContain(
      '<flow id="f" type="mix" begin="0" end="300" period="7" departSpeed="max"><route edges="3fi 3si 4o 4fo"/></flow>',
    );
    expect(exported.routesXml).not.toContain('<vehicle id="f.');
    writeFileSync(join(dir, 'export.rou.xml'), exported.routesXml);
    for (const seed of [3, 17]) {
      const fromFile = runSumo(dir, 'source.rou.xml', seed);
      const fromExport = runSumo(dir, 'export.rou.xml', seed);
      expect(fromExport.log).not.toMatch(/Error/);
      expect(fromFile.rows.size).toBeGreaterThan(150 + 40 + 19);
      const differing = [...fromFile.rows].filter(([id, row]) => fromExport.rows.get(id) !== row);
      expect(differing.slice(0, 3), `seed ${seed}`).toEqual([]);
      expect(fromExport.rows.size).toBe(fromFile.rows.size);
    }
  }, 120_000);

  it('keeps a SUMO car’s vType and departure attributes, and citybay’s own cars theirs, in one scenario', () => {
    const scenario = loadScenario(new URL('../fixtures/small-district/scenario-sumo.yaml', import.meta.url).pathname);
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network, { networkKind: 'plain' });
    const vehicle = (id: string) => new RegExp(`<vehicle id="${id}" [^>]*>`).exec(exported.routesXml)?.[0];
    // The file's own "car" vType, written as the file gives it; citybay's cars get another id beside it.
    expect(exported.routesXml).toContain('<vType id="car" vClass="passenger"/>');
    expect(exported.routesXml).toMatch(/<vType id="citybay_car" length="5"/);
    expect(vehicle('visit1')).toBe(
      '<vehicle id="visit1" type="car" depart="25800" departLane="best" departSpeed="max">',
    );
    expect(vehicle('visit2')).toBe('<vehicle id="visit2" type="car" depart="26000" departPos="base">');
    // "early" names no type: SUMO's default.
    expect(exported.routesXml).toContain(
      '<flow id="eastbound" type="car" begin="25200" end="28800" vehsPerHour="120"><route edges="in_w1 in_w2 h_e e_f"/></flow>',
    );
    expect(exported.routesXml).toMatch(
      /<vehicle id="through\.0" type="citybay_car" depart="[\d.]+" departLane="best" departSpeed="max">/,
    );
    expect(exported.routesXml).toContain('<vType id="lorry" vClass="truck"/>');
    expect(exported.routesXml).not.toContain('<vType id="bike"');
  });
});
