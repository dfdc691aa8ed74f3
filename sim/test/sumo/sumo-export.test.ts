import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import type { ParkingLot, RoadNetwork } from '../../src/model/index.js';
import { type PreparedRun, prepareScenarioRun, type ResolvedScenario } from '../../src/scenario/run-scenario.js';
import { buildSumoExport, type SumoExport } from '../../src/sumo/sumo-export.js';
import { barrierFor, barrierStopS } from '../../src/sumo/sumo-lot-layout.js';
import { readSumoStops, readSumoTripinfo } from '../../src/sumo/sumo-outputs.js';
import { parseLotsFile } from '../../src/scenario/lots-file.js';
import { parseSumoNet } from '../../src/network/sumo-net.js';
import type { Trip } from '../../src/traffic/trip.js';
import { requireSumo } from '../helpers/require-sumo.js';
import { SUMO_ENV as ENV, writeExportAndNetconvert } from '../helpers/sumo-export-files.js';

const FIXTURES = new URL('../fixtures/small-district/', import.meta.url).pathname;
// SUMO and netconvert runs take seconds each, and far longer on a machine busy with other jobs.
const workRoot = mkdtempSync(join(tmpdir(), 'citybay-sumo-export-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

/** The small district with roomy lots that have exits, so every car parks and drives home. */
function roomyDistrict(): ResolvedScenario {
  const scenario = loadScenario(join(FIXTURES, 'scenario.yaml'));
  const lots: ParkingLot[] = scenario.lots.map((lot) => ({
    ...lot,
    exitEdgeId: lot.id === 'H' ? 'h_m' : 'e_f',
    zones: [{ id: 'main', capacityByKind: { standard: 1000, accessible: 50 } }],
  }));
  // One origin: on this street a car can only go home the way it came, and the hospital's exit leads west.
  const demand = { ...scenario.document.demand, origins: [{ edgeId: 'in_w1', share: 1 }] };
  return { ...scenario, lots, document: { ...scenario.document, demand } };
}

/** Writes the export, builds the net with netconvert and runs SUMO; returns its outputs. */
function runInSumo(name: string, exported: SumoExport) {
  const dir = join(workRoot, name);
  const net = writeExportAndNetconvert(dir, exported);
  expect(net.status, net.stderr).toBe(0);
  const sim = spawnSync('sumo', ['-c', 'run.sumocfg'], { cwd: dir, encoding: 'utf8', env: ENV, maxBuffer: 1 << 26 });
  expect(sim.status, sim.stderr).toBe(0);
  const summary = readFileSync(join(dir, 'summary.xml'), 'utf8');
  const last = [...summary.matchAll(/<step [^>]*teleports="(\d+)"/g)].at(-1);
  return {
    log: `${sim.stdout}\n${sim.stderr}`,
    teleports: Number(last?.[1] ?? Number.NaN),
    trips: readSumoTripinfo(readFileSync(join(dir, 'tripinfo.xml'), 'utf8'), 'tripinfo.xml'),
    stops: readSumoStops(readFileSync(join(dir, 'stops.xml'), 'utf8'), 'stops.xml'),
  };
}

describe('SUMO export', () => {
  it('puts each parkingArea on its lot’s own road beyond the gate, behind a barrier at the gate rate', () => {
    const scenario = roomyDistrict();
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network, { networkKind: 'plain' });
    expect(exported.additionalXml).toContain('<parkingArea id="pa_H" lane="lot_H_bays_0"');
    expect(exported.networkFiles['net.edg.xml']).toContain('<edge id="lot_H" from="hl"');
    // H serves 8 cars/min (one per 7.5 s): one barrier lane, stops of 7.5 − 5.5 = 2 s.
    expect(barrierFor(7.5)).toEqual({ lanes: 1, durationS: expect.closeTo(2, 6) });
    // A gate of 6 cars/min: 4.5 s on average, as whole seconds (SUMO ends a stop on a whole step).
    const six = barrierFor(10);
    expect(Array.from({ length: 4 }, (_, n) => barrierStopS(six, n))).toEqual([4, 5, 4, 5]);
    expect(exported.routesXml).toMatch(
      /<route edges="in_w1 in_w2 h_gate lot_H lot_H_bays lot_H_out h_m m_w"\/><stop lane="lot_H_0" endPos="10" duration="2"\/><stop parkingArea="pa_H" duration="\d+/,
    );
    expect(exported.vehicles.returning).toBe(exported.vehicles.park);
    const departs = [...exported.routesXml.matchAll(/depart="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(departs).toEqual([...departs].sort((a, b) => a - b));
    expect(exported.configXml).toContain('<tripinfo-output value="tripinfo.xml"/>');
  });

  it('refuses a run with a car that has no path, instead of leaving it out', () => {
    const scenario = loadScenario(join(FIXTURES, 'scenario-unroutable.yaml'));
    let error: { code?: string; message?: string } | undefined;
    try {
      buildSumoExport(prepareScenarioRun(scenario), scenario.network, { networkKind: 'plain' });
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.code).toBe('CB_SIM_UNROUTABLE');
    expect(error?.message).toMatch(/\("back\.\d+"\): no path from edge "e_f" to edge "in_w1"/);
  });

  it('puts a lot read from a SUMO parkingArea back on its own lane', () => {
    const scenario = roomyDistrict();
    scenario.lots = parseLotsFile(
      '<additional><parkingArea id="PA" lane="h_e_0" startPos="100" endPos="160" roadsideCapacity="30"/></additional>',
      'parking.add.xml',
    ).map(({ exitEdgeId: _, ...lot }) => lot);
    scenario.document = { ...scenario.document, lotRoles: {} };
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network, { networkKind: 'plain' });
    expect(exported.additionalXml).toContain(
      '<parkingArea id="PA" lane="h_e_0" startPos="100" endPos="160" roadsideCapacity="30" friendlyPos="true"/>',
    );
    expect(exported.networkFiles['net.edg.xml']).not.toContain('lot_PA');
  });

  it('runs in SUMO with no error or teleport: every car parks, drives home and arrives', () => {
    requireSumo();
    const scenario = roomyDistrict();
    scenario.document = { ...scenario.document, period: { from: '07:00', to: '14:00' } };
    const prepared = prepareScenarioRun(scenario);
    const exported = buildSumoExport(prepared, scenario.network, { networkKind: 'plain' });
    const sumo = runInSumo('district', exported);
    expect(sumo.log).not.toMatch(/Error/);
    expect(sumo.teleports).toBe(0);
    const tripById = new Map(prepared.input.trips.map((trip) => [trip.id, trip]));
    const exportedIds = Object.keys(exported.plannedDepartS);
    expect(sumo.trips.size).toBe(exportedIds.length);
    const parkedIds = new Set(sumo.stops.filter((s) => s.parkingAreaId !== undefined).map((s) => s.vehicleId));
    for (const id of exportedIds) {
      const trip = tripById.get(id)!;
      const info = sumo.trips.get(id)!;
      expect(info.isArrived, `${id} arrived`).toBe(true);
      if (trip.purpose === 'park') expect(parkedIds.has(id), `${id} parked`).toBe(true);
    }
    expect(parkedIds.size).toBe(exported.vehicles.park);
  }, 180_000);

  it('patches a SUMO .net.xml with the lots’ roads, and SUMO runs it cleanly', () => {
    requireSumo();
    // The small district as a real .net.xml (netconvert), read back by the SUMO importer.
    const plain = roomyDistrict();
    const netDir = join(workRoot, 'sumo-net');
    spawnSync('mkdir', ['-p', netDir]);
    const files = buildSumoExport(prepareScenarioRun(plain), plain.network, { networkKind: 'plain' }).networkFiles;
    for (const [file, text] of Object.entries(files)) writeFileSync(join(netDir, file), text);
    // Only the street, without the lots' roads: the .net.xml a user would have.
    const streetOnly = (text: string) => text.replace(/ *<(edge|node|connection) [^>]*"lot_[^>]*\/>\n/g, '');
    for (const file of Object.keys(files)) writeFileSync(join(netDir, file), streetOnly(files[file]!));
    const built = spawnSync(
      'netconvert',
      ['-n', 'net.nod.xml', '-e', 'net.edg.xml', '-x', 'net.con.xml', '--no-turnarounds', '-o', 'district.net.xml'],
      { cwd: netDir, encoding: 'utf8', env: ENV },
    );
    expect(built.status, built.stderr).toBe(0);
    const scenario = {
      ...plain,
      network: parseSumoNet(readFileSync(join(netDir, 'district.net.xml'), 'utf8'), 'net'),
    };
    scenario.document = { ...scenario.document, period: { from: '07:00', to: '14:00' } };
    const exported = buildSumoExport(prepareScenarioRun(scenario), scenario.network, {
      networkKind: 'sumo',
      sourceNetFile: join(netDir, 'district.net.xml'),
    });
    expect(exported.netconvertArgs.slice(0, 2)).toEqual(['-s', join(netDir, 'district.net.xml')]);
    expect(Object.keys(exported.networkFiles).sort()).toEqual(['lots.con.xml', 'lots.edg.xml', 'lots.nod.xml']);
    const sumo = runInSumo('patched', exported);
    expect(sumo.log).not.toMatch(/Error/);
    expect(sumo.teleports).toBe(0);
    expect([...sumo.trips.values()].every((trip) => trip.isArrived)).toBe(true);
    expect(new Set(sumo.stops.filter((s) => s.parkingAreaId !== undefined).map((s) => s.vehicleId)).size).toBe(
      exported.vehicles.park,
    );
  }, 180_000);

  it('serves each gate at its rate in SUMO (one barrier lane within 3%, two within 10%)', () => {
    requireSumo();
    for (const [name, perMin, tolerance] of [
      ['benchmark (a)', 6, 0.03],
      ['slow', 6.7, 0.03],
      ['fast', 13.3, 0.1],
    ] as const) {
      const prepared = gateQueueRun(perMin);
      const exported = buildSumoExport(prepared, prepared.input.network, { networkKind: 'plain' });
      const sumo = runInSumo(`gate-${name}`, exported);
      const passed = sumo.stops
        .filter((s) => s.laneId?.startsWith('lot_L_') === true)
        .map((s) => s.endedS)
        .sort((a, b) => a - b);
      expect(passed.length).toBe(120);
      // Headway in the steady queue (the first cars arrive to an idle gate).
      const headwayS = (passed.at(-1)! - passed[20]!) / (passed.length - 1 - 20);
      expect(Math.abs(headwayS / (60 / perMin) - 1), `${name}: ${headwayS} s`).toBeLessThan(tolerance);
    }
  }, 180_000);
});

/** 120 cars arriving within a minute at a lot whose gate serves `perMin` cars a minute. */
function gateQueueRun(perMin: number): PreparedRun {
  const network: RoadNetwork = {
    nodes: [
      { id: 'a', xM: 0, yM: 0 },
      { id: 'b', xM: 1500, yM: 0 },
      { id: 'c', xM: 1600, yM: 0 },
    ],
    edges: [
      { id: 'road', fromNodeId: 'a', toNodeId: 'b', lengthM: 1500, speedMps: 13.89, laneCount: 1, priority: 1 },
      { id: 'gate', fromNodeId: 'b', toNodeId: 'c', lengthM: 100, speedMps: 5.56, laneCount: 1, priority: 1 },
    ],
    connections: [],
  };
  const lot: ParkingLot = {
    id: 'L',
    name: 'L',
    entryEdgeId: 'gate',
    zones: [{ id: 'main', capacityByKind: { standard: 500 } }],
    gateServiceVehPerMin: perMin,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
  };
  const trips: Trip[] = Array.from({ length: 120 }, (_, i) => ({
    id: `c${i}`,
    purpose: 'park',
    departS: i * 0.5,
    originEdgeId: 'road',
    lotId: 'L',
    stayS: 36000,
  }));
  return {
    policy: { name: 'gate' },
    seed: 1,
    input: { network, lots: [{ lot, role: 'hospital', isOpenToHospital: true }], trips, startS: 0, endS: 3600 },
    demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 120, throughTrips: 0 },
  };
}
