import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { siteDefinitionFromDocument } from '@citybay/central';
import { allocationOptionsFor, type ParkingLot, parseLotsFile, parseScenarioFile } from '@citybay/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { type DistrictFile, parseDistrictFile } from '../../src/district/district-file.js';
import { BAYS_PER_CONTROLLER, emulatorKeys, generateDistrict } from '../../src/district/generate-district.js';
import { REPO_ROOT } from '../../src/stack/package-commands.js';

const DISTRICT = join(REPO_ROOT, 'scripts/district/hospital-district.yaml');
const LOTS = join(REPO_ROOT, 'sim/scenarios/hospital-district/lots.yaml');
const district = parseDistrictFile(readFileSync(DISTRICT, 'utf8'), DISTRICT);
const lots = parseLotsFile(readFileSync(LOTS, 'utf8'), LOTS);
const dir = mkdtempSync(join(tmpdir(), 'citybay-district-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = {
  fileName: 'district.yaml',
  scenarioPath: '/scenario.yaml',
  centralUrl: 'http://127.0.0.1:8080',
  portFor: (key: string) => 20_000 + emulatorKeys(district, true).tcp.indexOf(key),
  ptyPathFor: (key: string) => join(dir, key),
  secretFileFor: (edgeId: string) => join(dir, `${edgeId}.secret`),
  outboxPathFor: (edgeId: string) => join(dir, `${edgeId}.db`),
  utcOffsetMin: 480,
};
const capacityOf = (lot: ParkingLot) =>
  lot.zones.reduce((sum, zone) => sum + Object.values(zone.capacityByKind).reduce((a, b) => a + (b ?? 0), 0), 0);

function errorOf(run: () => unknown): { code?: string; path?: string; message: string } {
  try {
    run();
  } catch (err) {
    return err as { code?: string; path?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('generateDistrict', () => {
  const generated = generateDistrict(district, lots, options);

  it('keeps every bay of the simulated lots, by kind and zone', () => {
    expect(generated.sites.map((s) => s.siteId)).toEqual(['hospital', 'school', 'mall']);
    expect(generated.totalBays).toBe(lots.reduce((sum, lot) => sum + capacityOf(lot), 0));
    const hospital = generated.sites[0]!.central;
    expect(hospital.utcOffsetMin).toBe(480);
    const h = hospital.lots.find((lot) => lot.id === 'H')!;
    expect(h.zones.map((z) => z.id)).toEqual(['B1', 'B2']);
    expect(h.capacity).toEqual({ standard: 800, accessible: 40, family: 50, ev: 10 });
  });

  it('maps each sensed bay to exactly one controller bay, never across a 64-bay controller', () => {
    for (const lot of generated.twin.lots.filter((l) => l.gate === undefined)) {
      const seen = new Set<string>();
      for (const range of lot.ranges) {
        expect(range.firstBay + range.count).toBeLessThanOrEqual(BAYS_PER_CONTROLLER);
        for (let b = range.firstBay; b < range.firstBay + range.count; b++) {
          const key = `${range.emulator}/${range.unitId}/${b}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      }
      expect(seen.size).toBe(capacityOf(lots.find((l) => l.id === lot.lotId)!));
    }
  });

  it('puts the RTU lot on a pseudo-terminal bus, or on TCP without socat', () => {
    const rtuBus = (generated.sites[0]!.edge.buses as Array<{ id: string; transport: string; path?: string }>).find(
      (b) => b.transport === 'rtu',
    );
    expect(rtuBus?.path).toBe(join(dir, 'hospital-P2-bays'));
    const tcpOnly = generateDistrict(district, lots, { ...options, ptyPathFor: undefined as never });
    expect((tcpOnly.sites[0]!.edge.buses as Array<{ transport: string }>).every((b) => b.transport === 'tcp')).toBe(
      true,
    );
  });

  it("gives the appointment site the scenario policy's allocator options, and central accepts them", () => {
    const scenarioPath = join(REPO_ROOT, 'sim/scenarios/hospital-district/scenario.yaml');
    const scenario = parseScenarioFile(readFileSync(scenarioPath, 'utf8'), scenarioPath);
    const combined = scenario.policies.find((p) => p.name === 'combined')!;
    const appointmentAllocation = allocationOptionsFor(scenario, combined);
    // The scenario's drivers arrive 25 min ahead and stay an hour after: central must book bays on those terms.
    expect(appointmentAllocation).toMatchObject({ arrivalLeadMin: 25, exitBufferMin: 60 });
    const withOptions = generateDistrict(district, lots, { ...options, appointmentAllocation });
    const [hospital, school] = withOptions.sites;
    expect(hospital!.central.allocation).toEqual(appointmentAllocation);
    expect(school!.central.allocation).toBeUndefined();
    expect(siteDefinitionFromDocument(hospital!.central, 'hospital').allocation).toEqual(appointmentAllocation);
  });

  it("writes site definitions central accepts and site files the edge's own checker accepts", async () => {
    for (const site of generated.sites)
      expect(() => siteDefinitionFromDocument(site.central, site.siteId)).not.toThrow();
    const files = generated.sites.map((site) => {
      const file = join(dir, `${site.edgeId}.yaml`);
      writeFileSync(file, stringifyYaml(site.edge));
      writeFileSync(join(dir, `${site.edgeId}.secret`), `cbk_${'A'.repeat(43)}\n`, { mode: 0o600 });
      return file;
    });
    const cli = resolve(REPO_ROOT, 'edge/src/cli/citybay-edge.ts');
    const results = await Promise.all(
      files.map((file) =>
        promisify(execFile)(process.execPath, ['--conditions=@citybay/source', '--import', 'tsx', cli, 'check', file], {
          cwd: REPO_ROOT,
        }),
      ),
    );
    for (const { stdout } of results) expect(stdout).toContain('OK');
  }, 30_000);

  it('names the file and field of a district that does not fit the lots', () => {
    const withLot = (id: string): DistrictFile => ({
      ...district,
      sites: [{ ...district.sites[1]!, lots: [{ id, location: [0, 0], sensors: 'tcp' }], signs: [] }],
      appointmentSite: 'school',
    });
    const unknown = errorOf(() => generateDistrict(withLot('NOPE'), lots, options));
    expect(unknown.code).toBe('CB_DISTRICT_INVALID');
    expect(unknown.path).toBe('sites[0].lots[0].id');
    expect(unknown.message).toContain('district.yaml');

    const twice: DistrictFile = {
      ...district,
      sites: [district.sites[1]!, { ...district.sites[1]!, id: 'again', signs: [] }],
    };
    expect(errorOf(() => generateDistrict({ ...twice, appointmentSite: 'school' }, lots, options)).path).toBe(
      'sites[1].lots[0].id',
    );

    const badSign: DistrictFile = {
      ...district,
      sites: [{ ...district.sites[1]!, signs: [{ id: 'S', location: 'x', lines: [{ lot: 'H', arrow: 'left' }] }] }],
      appointmentSite: 'school',
    };
    expect(errorOf(() => generateDistrict(badSign, lots, options)).path).toBe('sites[0].signs[0].lines[0].lot');

    expect(errorOf(() => generateDistrict({ ...district, appointmentSite: 'nowhere' }, lots, options)).path).toBe(
      'appointmentSite',
    );
  });
});

describe('the capacity-short district', () => {
  it("fits its scenario's lots: central accepts the park-and-ride lot in the appointment site, the school stays closed", () => {
    const file = join(REPO_ROOT, 'scripts/district/hospital-district-capacity-short.yaml');
    const short = parseDistrictFile(readFileSync(file, 'utf8'), file);
    const scenarioPath = resolve(dirname(file), short.scenario);
    const scenario = parseScenarioFile(readFileSync(scenarioPath, 'utf8'), scenarioPath);
    const lotsPath = resolve(dirname(scenarioPath), scenario.lots);
    const shortLots = parseLotsFile(readFileSync(lotsPath, 'utf8'), lotsPath);
    const policy = scenario.policies.find((p) => p.name === 'pre-assigned-shifts-signs')!;
    const appointmentAllocation = allocationOptionsFor(scenario, policy);
    const generated = generateDistrict(short, shortLots, {
      ...options,
      portFor: (key: string) => 20_000 + emulatorKeys(short, true).tcp.indexOf(key),
      appointmentAllocation,
    });
    expect(generated.totalBays).toBe(shortLots.reduce((sum, lot) => sum + capacityOf(lot), 0));
    const hospital = generated.sites.find((site) => site.siteId === 'hospital')!;
    expect(hospital.central.allocation?.parkAndRide?.map((p) => p.lotId)).toEqual(['ML']);
    expect(() => siteDefinitionFromDocument(hospital.central, 'hospital')).not.toThrow();
    expect(generated.twin.closedLotIds).toEqual(['SC']);
    expect(generateDistrict(district, lots, options).twin.closedLotIds).toBeUndefined();
  });
});

describe('parseDistrictFile', () => {
  it('names the path of a malformed field', () => {
    const text = readFileSync(DISTRICT, 'utf8').replace('sensors: rtu', 'sensors: carrier-pigeon');
    const error = errorOf(() => parseDistrictFile(text, 'district.yaml'));
    expect(error.code).toBe('CB_DISTRICT_INVALID');
    expect(error.path).toBe('sites[0].lots[1].sensors');
  });

  it('rejects text that is not YAML', () => {
    expect(errorOf(() => parseDistrictFile('sites: [', 'district.yaml')).code).toBe('CB_DISTRICT_INVALID');
  });
});
