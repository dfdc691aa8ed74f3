import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParkingLot, RoadNetwork } from '../../src/model/index.js';
import type { PreparedRun } from '../../src/scenario/run-scenario.js';
import { buildSumoExport } from '../../src/sumo/sumo-export.js';
import { readSumoTripinfo } from '../../src/sumo/sumo-outputs.js';
import type { Trip } from '../../src/traffic/trip.js';
import { arterialGrid } from '../../bench/arterial-grid.js';
import { requireSumo } from '../helpers/require-sumo.js';
import { SUMO_ENV as ENV, writeExportAndNetconvert } from '../helpers/sumo-export-files.js';

const workRoot = mkdtempSync(join(tmpdir(), 'citybay-sumo-turns-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

/** A 5×5 two-way grid as the city bench builds it: the middle row and column are 2-lane arterials, the rest 1 lane. */
const grid = (): RoadNetwork => arterialGrid(5, 200, (line) => line === 2);

function lot(id: string, entryEdgeId: string, perMin: number, exitEdgeId?: string): ParkingLot {
  return {
    id,
    name: id,
    entryEdgeId,
    ...(exitEdgeId === undefined ? {} : { exitEdgeId }),
    zones: [{ id: 'main', capacityByKind: { standard: 200 } }],
    gateServiceVehPerMin: perMin,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
  };
}

/**
 * One car over every turn of the grid (each connection: right, straight, left, at crosses, T-junctions and corners,
 * 1 and 2 lanes each way), including the turns out of the lots' gate edges, which is where netconvert used to drop the
 * grid's connections; and cars parking at both lots, one of them driving home through its exit.
 */
function everyTurnRun(): PreparedRun {
  const network = grid();
  const lots = [lot('A', 'e1_2-2_2', 12, 'e2_2-2_3'), lot('B', 'e3_0-3_1', 6)];
  const trips: Trip[] = network.connections.map((c, i) => ({
    id: `t${i}`,
    purpose: 'through',
    departS: i * 6,
    originEdgeId: c.fromEdgeId,
    destinationEdgeId: c.toEdgeId,
  }));
  const origins = ['e0_0-1_0', 'e4_4-3_4', 'e2_0-2_1', 'e0_3-0_2'];
  for (let i = 0; i < 16; i++) {
    trips.push({
      id: `p${i}`,
      purpose: 'park',
      departS: 30 + i * 40,
      originEdgeId: origins[i % origins.length]!,
      lotId: i % 2 === 0 ? 'A' : 'B',
      stayS: 300,
      ...(i % 2 === 0 ? { returnDestinationEdgeId: 'e4_2-4_1' } : {}),
    });
  }
  return {
    policy: { name: 'every turn' },
    seed: 1,
    input: {
      network,
      lots: lots.map((l) => ({ lot: l, role: 'hospital' as const, isOpenToHospital: true })),
      trips,
      startS: 0,
      endS: 7200,
    },
    demand: { appointments: 0, noShows: 0, notByCar: 0, dropOffs: 0, parkTrips: 16, throughTrips: trips.length - 16 },
  };
}

describe('SUMO export of a built-in network', () => {
  it('gives netconvert every lane link the model drives: SUMO runs every turn with no route error or teleport', () => {
    requireSumo();
    const prepared = everyTurnRun();
    const exported = buildSumoExport(prepared, prepared.input.network, { networkKind: 'plain' });
    const dir = join(workRoot, 'grid');
    const net = writeExportAndNetconvert(dir, exported);
    expect(net.status, net.stderr).toBe(0);
    expect(net.stderr).not.toMatch(/Warning|Error/);
    // Every step of every exported route is a connection of the built net.
    const built = new Set(
      [...readFileSync(join(dir, 'net.net.xml'), 'utf8').matchAll(/<connection from="([^":]+)" to="([^"]+)"/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    const steps = [...exported.routesXml.matchAll(/<route edges="([^"]+)"/g)].flatMap((m) =>
      m[1]!.split(' ').flatMap((edge, i, all) => (i === 0 ? [] : [`${all[i - 1]} ${edge}`])),
    );
    expect(steps.filter((step) => !built.has(step))).toEqual([]);
    for (const model of ['micro', 'meso'] as const) {
      const sim = spawnSync('sumo', ['-c', 'run.sumocfg', ...(model === 'meso' ? ['--mesosim'] : [])], {
        cwd: dir,
        encoding: 'utf8',
        env: ENV,
        maxBuffer: 1 << 26,
      });
      expect(sim.status, `${model}: ${sim.stderr}`).toBe(0);
      expect(`${sim.stdout}\n${sim.stderr}`, model).not.toMatch(/Error|no valid route|[Tt]eleport(?!s: 0)/);
      const summary = readFileSync(join(dir, 'summary.xml'), 'utf8');
      expect(Number([...summary.matchAll(/<step [^>]*teleports="(\d+)"/g)].at(-1)?.[1]), model).toBe(0);
      const trips = readSumoTripinfo(readFileSync(join(dir, 'tripinfo.xml'), 'utf8'), 'tripinfo.xml');
      expect(trips.size, model).toBe(exported.vehicles.total);
      expect(
        [...trips.values()].filter((trip) => !trip.isArrived).map((trip) => trip.id),
        model,
      ).toEqual([]);
    }
  }, 180_000);
});
