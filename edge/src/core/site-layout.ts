/**
 * The site as the core sees it: every bay numbered by its position in the site file (the numbering
 * `BayStates` uses on the wire), with its lot, zone, kind and sensor, plus the gate-counted lots.
 */
import { BAY_KIND_BY_NAME, type BayKind } from '@citybay/proto';
import type { BayKindName, CountSourceConfig, SiteFile } from '../config/site-config-schema.js';

export interface LayoutBay {
  /** Position in the site file: the bay's index on the wire. */
  index: number;
  id: string;
  lotId: string;
  zoneId: string;
  kind: BayKind;
  /** Device reporting the bay, and the bay's index within that device; absent for unsensed bays. */
  deviceId?: string;
  deviceBay?: number;
  /** Path of the bay's entry in the site file, for error messages. */
  path: string;
}

export interface LayoutGate {
  lotId: string;
  gateId: string;
  entries: CountSourceConfig;
  exits: CountSourceConfig;
}

export interface LayoutGateLot {
  lotId: string;
  capacity: number;
  kind: BayKind;
  gates: LayoutGate[];
  recalibrateEveryMs: number;
}

export interface SiteLayout {
  siteId: string;
  edgeId: string;
  configVersion: string;
  bays: LayoutBay[];
  /** Zones in file order, as `lotId/zoneId` keys, with their bay indices. */
  zones: { lotId: string; zoneId: string; bayIndices: number[] }[];
  lots: { lotId: string; isClosedByDefault: boolean }[];
  gateLots: LayoutGateLot[];
  /** Every field device on the site's buses (bay controllers and counters), in file order. */
  deviceIds: string[];
  /** Site bay index by device id and device bay index. */
  bayByDevice: Map<string, Map<number, number>>;
}

export function bayKindOf(name: BayKindName | undefined): BayKind {
  return BAY_KIND_BY_NAME[name ?? 'standard'];
}

/** Default recalibration period of gate-counted lots that also have bay sensors, in ms. */
export const DEFAULT_RECALIBRATE_EVERY_MS = 900_000;

/** Expands bay ranges and numbers every bay. Assumes a file that passed the schema. */
export function buildSiteLayout(file: SiteFile): SiteLayout {
  const bays: LayoutBay[] = [];
  const zones: SiteLayout['zones'] = [];
  const bayByDevice = new Map<string, Map<number, number>>();
  file.lots.forEach((lot, l) => {
    (lot.zones ?? []).forEach((zone, z) => {
      const bayIndices: number[] = [];
      zone.bays.forEach((entry, b) => {
        const path = `lots[${l}].zones[${z}].bays[${b}]`;
        const count = 'count' in entry ? entry.count : 1;
        for (let i = 0; i < count; i++) {
          let id: string;
          if ('prefix' in entry) {
            const number = (entry.firstNumber ?? 1) + i;
            id = `${entry.prefix}${String(number).padStart(entry.pad ?? 0, '0')}`;
          } else {
            id = entry.id;
          }
          const bay: LayoutBay = {
            index: bays.length,
            id,
            lotId: lot.id,
            zoneId: zone.id,
            kind: bayKindOf(entry.kind),
            path,
          };
          if (entry.device !== undefined) {
            bay.deviceId = entry.device;
            bay.deviceBay = (entry.deviceBay ?? 0) + i;
            let byBay = bayByDevice.get(entry.device);
            if (!byBay) {
              byBay = new Map();
              bayByDevice.set(entry.device, byBay);
            }
            if (!byBay.has(bay.deviceBay)) byBay.set(bay.deviceBay, bay.index);
          }
          bayIndices.push(bay.index);
          bays.push(bay);
        }
      });
      zones.push({ lotId: lot.id, zoneId: zone.id, bayIndices });
    });
  });
  const gateLots: LayoutGateLot[] = file.lots
    .filter((lot) => lot.gateCounting !== undefined)
    .map((lot) => {
      const gc = lot.gateCounting!;
      return {
        lotId: lot.id,
        capacity: gc.capacity,
        kind: bayKindOf(gc.kind),
        gates: gc.gates.map((g) => ({ lotId: lot.id, gateId: g.id, entries: g.entries, exits: g.exits })),
        recalibrateEveryMs: gc.recalibrateEveryMs ?? DEFAULT_RECALIBRATE_EVERY_MS,
      };
    });
  return {
    siteId: file.site.id,
    edgeId: file.edge.id,
    configVersion: file.configVersion,
    bays,
    zones,
    lots: file.lots.map((lot) => ({ lotId: lot.id, isClosedByDefault: lot.defaultStatus === 'closed' })),
    gateLots,
    deviceIds: (file.buses ?? []).flatMap((bus) => bus.devices.map((d) => d.id)),
    bayByDevice,
  };
}
