import { type AllocationOptions, BAY_KINDS, type BayKind, type ParkingLot } from '@citybay/sim';
import { errors } from '../errors.js';
import type { DistrictFile, DistrictSite } from './district-file.js';
import type { TwinBayRange, TwinEmulator, TwinLayout, TwinLot, TwinSign } from './twin-layout.js';

/** Bays per emulated bit-per-bay controller (the `bit-per-bay-64` profile). */
export const BAYS_PER_CONTROLLER = 64;
const KIND_PREFIX: Record<BayKind, string> = { standard: '', accessible: 'A', family: 'F', ev: 'EV', staff: 'S' };

export interface GenerateDistrictOptions {
  /** Name of the district file, for error messages. */
  fileName: string;
  /** Absolute path of the simulator scenario file (the twin runs it). */
  scenarioPath: string;
  /** Base URL edges sync to, e.g. `http://127.0.0.1:8080`. */
  centralUrl: string;
  /** TCP port of each Modbus TCP emulator, by emulator key (see {@link emulatorKeys}). */
  portFor: (emulatorKey: string) => number;
  /** Pseudo-terminal path the edge opens for an RTU emulator key; undefined when socat is missing (TCP is used). */
  ptyPathFor?: (emulatorKey: string) => string;
  /** File with the edge's secret, by edge id. */
  secretFileFor: (edgeId: string) => string;
  /** Outbox database of the edge, by edge id. */
  outboxPathFor: (edgeId: string) => string;
  /** Simulated seconds per real second of the twin: edge debounce and summary windows shrink with it. Default 30. */
  speed?: number;
  /** The district's local time offset from UTC (minutes): its days for appointments. Default 0. */
  utcOffsetMin?: number;
  /** Port of each edge's local HTTP endpoint, by edge id (the twin reads held directives there). Default 0: any. */
  edgeHttpPortFor?: (edgeId: string) => number;
  /**
   * Allocator options of the site that books the hospital's appointments: the scenario policy's (`allocationOptionsFor`),
   * so central allocates the twin's cars on the same terms as the simulator would (lead, exit buffer, …). Default none.
   */
  appointmentAllocation?: AllocationOptions;
}

/** The edges' guidance settings: FULL at 2 free bays or fewer, counted again from 6. */
const GUIDANCE = { fullAtFree: 2, reopenAtFree: 6, maxUnknownPct: 25 };

/** One site as central's admin CLI loads it (`citybay-central site add`). */
export interface CentralSiteDocument {
  id: string;
  name: string;
  location: [number, number];
  utcOffsetMin: number;
  configVersion: string;
  entrances: Array<{ id: string; name: string; location: [number, number] }>;
  lots: Array<{
    id: string;
    name: string;
    geometry: { type: 'Point'; coordinates: [number, number] };
    capacity: Partial<Record<BayKind, number>>;
    zones: Array<{ id: string; capacity: Partial<Record<BayKind, number>> }>;
    gateServiceVehPerMin: number;
    walkTimeSByEntrance: Record<string, number>;
  }>;
  /** The allocator's options for this site (central's defaults key by key otherwise). */
  allocation?: AllocationOptions;
}

export interface GeneratedSite {
  siteId: string;
  edgeId: string;
  central: CentralSiteDocument;
  /** The edge's site file (`citybay-edge run`), as a plain object. */
  edge: Record<string, unknown>;
}

export interface GeneratedDistrict {
  sites: GeneratedSite[];
  twin: TwinLayout;
  totalBays: number;
}

/** Keys of every Modbus emulator the district needs, in a stable order; TCP ones need a port each. */
export function emulatorKeys(district: DistrictFile, hasRtu: boolean): { tcp: string[]; rtu: string[] } {
  const tcp: string[] = [];
  const rtu: string[] = [];
  for (const site of district.sites) {
    for (const lot of site.lots) {
      const key = emulatorKeyOf(site, lot.id, lot.sensors);
      if (lot.sensors === 'rtu' && hasRtu) rtu.push(key);
      else tcp.push(key);
    }
    if (site.signs.length > 0) tcp.push(`${site.id}-signs`);
  }
  return { tcp, rtu };
}

function emulatorKeyOf(site: DistrictSite, lotId: string, sensors: 'tcp' | 'rtu' | 'gate'): string {
  return sensors === 'gate' ? `${site.id}-${lotId}-gate` : `${site.id}-${lotId}-bays`;
}

function scaled(count: number | undefined, scale: number): number {
  if (count === undefined || count <= 0) return 0;
  return Math.max(1, Math.round(count * scale));
}

/**
 * Derives everything the demo runs from the district description and the simulator's lots: central's site
 * definitions, each edge's site file (buses, devices, bay mapping, signs) and the twin's layout (emulators and
 * which emulated bay or counter stands for which lot, zone and kind). Pure.
 */
export function generateDistrict(
  district: DistrictFile,
  simLots: readonly ParkingLot[],
  options: GenerateDistrictOptions,
): GeneratedDistrict {
  const scale = district.bayScale ?? 1;
  const speed = options.speed ?? 30;
  const lotById = new Map(simLots.map((lot) => [lot.id, lot]));
  const fail = (path: string, message: string): never => {
    throw errors.CB_DISTRICT_INVALID(`${options.fileName}: ${path}: ${message}`, { path });
  };
  if (!district.sites.some((site) => site.id === district.appointmentSite)) {
    fail(
      'appointmentSite',
      `no site "${district.appointmentSite}" (known: ${district.sites.map((site) => site.id).join(', ')})`,
    );
  }
  const seenLots = new Set<string>();
  const emulators: TwinEmulator[] = [];
  const twinLots: TwinLot[] = [];
  const twinSigns: TwinSign[] = [];
  const sites: GeneratedSite[] = [];
  let totalBays = 0;
  const configVersion = `district-scale-${scale}`;

  district.sites.forEach((site, s) => {
    const buses: Array<Record<string, unknown>> = [];
    const edgeLots: Array<Record<string, unknown>> = [];
    const centralLots: CentralSiteDocument['lots'] = [];
    site.lots.forEach((lotRef, l) => {
      const at = `sites[${s}].lots[${l}]`;
      const lot =
        lotById.get(lotRef.id) ??
        fail(`${at}.id`, `no lot "${lotRef.id}" in the scenario's lots (known: ${[...lotById.keys()].join(', ')})`);
      if (seenLots.has(lot.id)) fail(`${at}.id`, `lot "${lot.id}" belongs to two sites`);
      seenLots.add(lot.id);
      const zones = lot.zones.map((zone) => ({
        id: zone.id,
        capacity: Object.fromEntries(
          BAY_KINDS.map((kind) => [kind, scaled(zone.capacityByKind[kind], scale)]).filter(
            ([, n]) => (n as number) > 0,
          ),
        ) as Partial<Record<BayKind, number>>,
      }));
      const capacity: Partial<Record<BayKind, number>> = {};
      for (const zone of zones) {
        for (const [kind, n] of Object.entries(zone.capacity) as Array<[BayKind, number]>)
          capacity[kind] = (capacity[kind] ?? 0) + n;
      }
      const lotBays = Object.values(capacity).reduce((a, b) => a + b, 0);
      totalBays += lotBays;
      const key = emulatorKeyOf(site, lot.id, lotRef.sensors);
      const base = {
        id: lot.id,
        name: lot.name,
        geometry: { type: 'Point' as const, coordinates: lotRef.location },
        capacity,
        gateServiceVehPerMin: lot.gateServiceVehPerMin,
        walkTimeSByEntrance: lot.walkTimeSByEntrance,
      };
      if (lotRef.sensors === 'gate') {
        const deviceId = `${lot.id.toLowerCase()}-gate`;
        centralLots.push({ ...base, zones: [] });
        emulators.push({ key, profile: 'gate-counter', unitIds: [1], transport: 'tcp', port: options.portFor(key) });
        buses.push({
          id: key,
          transport: 'tcp',
          host: '127.0.0.1',
          port: options.portFor(key),
          devices: [{ id: deviceId, profile: 'gate-counter', unitId: 1 }],
        });
        edgeLots.push({
          id: lot.id,
          name: lot.name,
          defaultStatus: lotRef.defaultStatus ?? 'open',
          gateCounting: {
            capacity: lotBays,
            gates: [
              {
                id: 'main',
                entries: { device: deviceId, counter: 'entries' },
                exits: { device: deviceId, counter: 'exits' },
              },
            ],
          },
        });
        twinLots.push({ lotId: lot.id, siteId: site.id, gate: { emulator: key, unitId: 1 }, ranges: [] });
        return;
      }
      centralLots.push({ ...base, zones });
      const ranges: TwinBayRange[] = [];
      const edgeZones: Array<Record<string, unknown>> = [];
      let cursor = 0;
      for (const zone of zones) {
        const bays: Array<Record<string, unknown>> = [];
        for (const kind of BAY_KINDS) {
          let left = zone.capacity[kind] ?? 0;
          let number = 1;
          while (left > 0) {
            const unitIndex = Math.floor(cursor / BAYS_PER_CONTROLLER);
            const deviceBay = cursor % BAYS_PER_CONTROLLER;
            const count = Math.min(left, BAYS_PER_CONTROLLER - deviceBay);
            const device = `${lot.id.toLowerCase()}-ctrl-${unitIndex + 1}`;
            bays.push({
              prefix: `${zone.id}-${KIND_PREFIX[kind]}`,
              firstNumber: number,
              count,
              pad: 3,
              kind,
              device,
              deviceBay,
            });
            ranges.push({ zoneId: zone.id, kind, emulator: key, unitId: unitIndex + 1, firstBay: deviceBay, count });
            cursor += count;
            number += count;
            left -= count;
          }
        }
        edgeZones.push({ id: zone.id, bays });
      }
      const unitCount = Math.ceil(cursor / BAYS_PER_CONTROLLER);
      const unitIds = Array.from({ length: unitCount }, (_, i) => i + 1);
      const devices = unitIds.map((unitId) => ({
        id: `${lot.id.toLowerCase()}-ctrl-${unitId}`,
        profile: 'bit-per-bay-64',
        unitId,
      }));
      const ptyPath = lotRef.sensors === 'rtu' ? options.ptyPathFor?.(key) : undefined;
      if (ptyPath !== undefined) {
        emulators.push({ key, profile: 'bit-per-bay-64', unitIds, transport: 'rtu', ptyPath });
        buses.push({ id: key, transport: 'rtu', path: ptyPath, baudRate: 115200, parity: 'even', devices });
      } else {
        emulators.push({ key, profile: 'bit-per-bay-64', unitIds, transport: 'tcp', port: options.portFor(key) });
        buses.push({ id: key, transport: 'tcp', host: '127.0.0.1', port: options.portFor(key), devices });
      }
      edgeLots.push({ id: lot.id, name: lot.name, defaultStatus: lotRef.defaultStatus ?? 'open', zones: edgeZones });
      twinLots.push({ lotId: lot.id, siteId: site.id, ranges });
    });

    const siteLotIds = new Set(site.lots.map((lot) => lot.id));
    const edgeSigns = site.signs.map((sign, i) => {
      const lines = sign.lines.map((line, j) => {
        const at = `sites[${s}].signs[${i}].lines[${j}]`;
        if (!siteLotIds.has(line.lot)) fail(`${at}.lot`, `lot "${line.lot}" is not one of site ${site.id}'s lots`);
        if (line.zone !== undefined && !lotById.get(line.lot)?.zones.some((z) => z.id === line.zone)) {
          fail(`${at}.zone`, `lot ${line.lot} has no zone "${line.zone}"`);
        }
        return {
          label: line.label ?? line.lot,
          lot: line.lot,
          ...(line.zone === undefined ? {} : { zone: line.zone }),
          arrow: line.arrow,
        };
      });
      twinSigns.push({
        siteId: site.id,
        signId: sign.id,
        location: sign.location,
        emulator: `${site.id}-signs`,
        unitId: i + 1,
        labels: lines.map((line) => line.label),
        ...(lines[0] === undefined ? {} : { lotId: lines[0].lot }),
        // The edge counts standard and family bays on a line that names no kinds.
        areas: lines.map((line) => ({
          lotId: line.lot,
          ...(line.zone === undefined ? {} : { zoneId: line.zone }),
          kinds: ['standard', 'family'],
        })),
      });
      return {
        id: sign.id,
        location: sign.location,
        driver: { type: 'modbus', bus: `${site.id}-signs`, unitId: i + 1, profile: 'modbus-sign' },
        lines,
        blankOutMs: 60_000,
      };
    });
    if (site.signs.length > 0) {
      const key = `${site.id}-signs`;
      emulators.push({
        key,
        profile: 'modbus-sign',
        unitIds: site.signs.map((_, i) => i + 1),
        transport: 'tcp',
        port: options.portFor(key),
      });
      buses.push({ id: key, transport: 'tcp', host: '127.0.0.1', port: options.portFor(key), devices: [] });
    }

    // At `speed`× a car parks every few real seconds: keep debounce and summary windows short so counts move live.
    const summaryMs = Math.max(500, Math.round(60_000 / speed));
    sites.push({
      siteId: site.id,
      edgeId: site.edge,
      central: {
        id: site.id,
        name: site.name,
        location: site.location,
        utcOffsetMin: options.utcOffsetMin ?? 0,
        configVersion,
        entrances: district.entrances,
        lots: centralLots,
        ...(site.id === district.appointmentSite && options.appointmentAllocation !== undefined
          ? { allocation: options.appointmentAllocation }
          : {}),
      },
      edge: {
        site: { id: site.id, name: site.name },
        edge: { id: site.edge },
        configVersion,
        buses,
        lots: edgeLots,
        signs: edgeSigns,
        central: {
          url: options.centralUrl,
          secretFile: options.secretFileFor(site.edge),
          syncIntervalMs: 1000,
          backoffMaxMs: 5000,
        },
        outbox: { path: options.outboxPathFor(site.edge) },
        intervals: { debounceMs: 500, deviceStaleMs: 10_000, summaryMs, snapshotEvery: 60, planMs: 500 },
        guidance: GUIDANCE,
        http: { host: '127.0.0.1', port: options.edgeHttpPortFor?.(site.edge) ?? 0 },
        gpio: { backend: 'fake' },
      },
    });
  });

  const closedLotIds = district.sites.flatMap((site) =>
    site.lots.filter((lot) => lot.defaultStatus === 'closed').map((lot) => lot.id),
  );
  return {
    sites,
    twin: {
      scenarioPath: options.scenarioPath,
      appointmentSiteId: district.appointmentSite,
      utcOffsetMin: options.utcOffsetMin ?? 0,
      emulators,
      lots: twinLots,
      signs: twinSigns,
      guidance: GUIDANCE,
      ...(closedLotIds.length === 0 ? {} : { closedLotIds }),
      ...(options.edgeHttpPortFor === undefined
        ? {}
        : {
            edges: district.sites.map((site) => ({
              siteId: site.id,
              localUrl: `http://127.0.0.1:${options.edgeHttpPortFor!(site.edge)}`,
            })),
          }),
    },
    totalBays,
  };
}
