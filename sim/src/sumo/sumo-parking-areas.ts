import { errors } from '../errors.js';
import { BAY_KINDS, type BayKind, type MinuteWindow, type ParkingLot } from '../model/index.js';
import { parseClockMin } from '../scenario/clock-time.js';
import { AttributeReader, type SumoSource } from './attribute-reader.js';
import { readXmlElements, type XmlElement } from './sumo-xml-reader.js';
import { parseNumber } from './sumo-values.js';

/**
 * Gate rate of a parkingArea without `citybay.gateRateVehPerHour`: 1,800 veh/h, one car every 2 s, the saturation
 * flow of the lane it sits on. A SUMO parkingArea has no barrier; cars pull in as fast as the lane brings them.
 */
export const DEFAULT_PARKING_AREA_GATE_RATE_VEH_PER_HOUR = 1800;

/** A SUMO `<parkingArea>` as read (positions in metres along its lane; negative counts from the lane's end). */
export interface SumoParkingArea {
  id: string;
  name: string;
  laneId: string;
  edgeId: string;
  startPosM?: number;
  endPosM?: number;
  /** `roadsideCapacity` plus one per `<space>`. */
  capacityBays: number;
  gateRateVehPerHour: number;
  source: SumoSource;
}

const KIND_PARAM = /^citybay\.bays\.([a-z]+)$/;
const WALK_PARAM = /^citybay\.walkTimeS\.(.+)$/;

/**
 * Reads the `<parkingArea>`s of a SUMO additional file as lots: capacity = `roadsideCapacity` + the `<space>`
 * children; the lot's entry edge is the parkingArea's lane's edge. Citybay settings come as `<param>` children:
 *
 * | key | value | default |
 * |---|---|---|
 * | `citybay.gateRateVehPerHour` | entry gate service rate, veh/h (> 0) | 1800 (one car / 2 s) |
 * | `citybay.bays.<kind>` | bays of `accessible`, `family`, `ev` or `staff` (the rest are `standard`) | 0 |
 * | `citybay.walkTimeS.<entrance>` | walking time to a hospital entrance, s | none |
 * | `citybay.openingHours` | `HH:MM-HH:MM`, several separated by spaces | always open |
 *
 * Other elements of the file (bus stops, detectors, …) are skipped. Bad values fail with
 * `CB_SUMO_ADDITIONAL_INVALID` naming the file, line, element and attribute or param key.
 */
export function parseSumoParkingAreas(text: string, fileName: string): SumoParkingArea[] {
  return readParkingAreas(text, fileName).map((entry) => entry.area);
}

/** The lots of a SUMO additional file (see {@link parseSumoParkingAreas}), in file order. */
export function parseSumoParkingLots(text: string, fileName: string): ParkingLot[] {
  const entries = readParkingAreas(text, fileName);
  if (entries.length === 0) {
    throw errors.CB_SUMO_ADDITIONAL_INVALID(`${fileName}: additional: no <parkingArea> in the file`, {
      path: 'additional',
    });
  }
  return entries.map((entry) => entry.lot);
}

interface Entry {
  area: SumoParkingArea;
  lot: ParkingLot;
}

function readParkingAreas(text: string, fileName: string): Entry[] {
  const reader = new AttributeReader(fileName, errors.CB_SUMO_ADDITIONAL_INVALID);
  const { fail } = reader;
  const entries: Entry[] = [];
  const ids = new Set<string>();
  let current: { element: XmlElement; area: SumoParkingArea; lot: ParkingLot; spaces: number } | undefined;
  readXmlElements(text, fileName, errors.CB_SUMO_ADDITIONAL_INVALID, {
    onOpen(element) {
      if (element.depth === 0) {
        if (element.name !== 'additional' && element.name !== 'additionals') {
          throw fail(element, undefined, `expected a SUMO <additional> file, got <${element.name}>`);
        }
        return;
      }
      if (element.depth === 1 && element.name === 'parkingArea') {
        current = startArea(reader, element, ids);
      } else if (current !== undefined && element.depth === 2 && element.name === 'space') {
        current.spaces++;
      } else if (current !== undefined && element.depth === 2 && element.name === 'param') {
        applyParam(reader, element, current.area, current.lot);
      }
    },
    onClose(element) {
      if (current === undefined || element.depth !== 1) return;
      const { area, lot, spaces } = current;
      area.capacityBays += spaces;
      if (area.capacityBays <= 0) {
        throw fail(current.element, 'roadsideCapacity', 'a parkingArea needs roadsideCapacity > 0 or <space> children');
      }
      const special = Object.values(lot.zones[0]!.capacityByKind).reduce((a: number, b) => a + (b ?? 0), 0);
      if (special > area.capacityBays) {
        throw fail(
          current.element,
          'param',
          `citybay.bays.* add up to ${special}, more than its ${area.capacityBays} bays`,
        );
      }
      const standard = area.capacityBays - special;
      if (standard > 0) lot.zones[0]!.capacityByKind.standard = standard;
      lot.gateServiceVehPerMin = area.gateRateVehPerHour / 60;
      entries.push({ area, lot });
      current = undefined;
    },
  });
  return entries;
}

function startArea(reader: AttributeReader, element: XmlElement, ids: Set<string>) {
  const { fail, number } = reader;
  const id = element.attributes.id ?? '';
  if (id === '') throw fail(element, 'id', 'missing');
  if (ids.has(id)) throw fail(element, 'id', `duplicate parkingArea id "${id}"`);
  ids.add(id);
  const laneId = element.attributes.lane ?? '';
  const lane = /^(.+)_(\d+)$/.exec(laneId);
  if (lane === null) throw fail(element, 'lane', `expected a lane id <edge>_<index>, got "${laneId}"`);
  const capacity = number(element, 'roadsideCapacity', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  const area: SumoParkingArea = {
    id,
    name: element.attributes.name ?? id,
    laneId,
    edgeId: lane[1]!,
    capacityBays: capacity ?? 0,
    gateRateVehPerHour: DEFAULT_PARKING_AREA_GATE_RATE_VEH_PER_HOUR,
    source: reader.sourceOf(element),
  };
  const startPosM = number(element, 'startPos', () => true, 'a position in metres');
  const endPosM = number(element, 'endPos', () => true, 'a position in metres');
  if (startPosM !== undefined) area.startPosM = startPosM;
  if (endPosM !== undefined) area.endPosM = endPosM;
  if (startPosM !== undefined && endPosM !== undefined && startPosM >= 0 && endPosM >= 0 && startPosM >= endPosM) {
    throw fail(element, 'endPos', `endPos (${endPosM}) must lie after startPos (${startPosM})`);
  }
  const lot: ParkingLot = {
    id,
    name: area.name,
    entryEdgeId: area.edgeId,
    // A car leaving a SUMO parkingArea goes on along the lane it parked beside.
    exitEdgeId: area.edgeId,
    zones: [{ id: 'main', capacityByKind: {} }],
    gateServiceVehPerMin: area.gateRateVehPerHour / 60,
    openingHours: [],
    capacityWindows: [],
    walkTimeSByEntrance: {},
    reserveByKind: {},
    sumoParkingArea: {
      laneId,
      ...(startPosM === undefined ? {} : { startPosM }),
      ...(endPosM === undefined ? {} : { endPosM }),
    },
  };
  return { element, area, lot, spaces: 0 };
}

function applyParam(reader: AttributeReader, element: XmlElement, area: SumoParkingArea, lot: ParkingLot): void {
  const key = element.attributes.key ?? '';
  const value = element.attributes.value ?? '';
  if (!key.startsWith('citybay.')) return;
  const bad = (expected: string) => reader.fail(element, `key="${key}"`, `expected ${expected}, got "${value}"`);
  const kind = KIND_PARAM.exec(key)?.[1];
  const walk = WALK_PARAM.exec(key)?.[1];
  if (key === 'citybay.gateRateVehPerHour') {
    const rate = parseNumber(value);
    if (rate === undefined || !(rate > 0)) throw bad('a rate in veh/h > 0');
    area.gateRateVehPerHour = rate;
  } else if (kind !== undefined) {
    if (!(BAY_KINDS as readonly string[]).includes(kind) || kind === 'standard') {
      throw reader.fail(element, `key="${key}"`, `unknown bay kind "${kind}" (accessible, family, ev, staff)`);
    }
    const bays = parseNumber(value);
    if (bays === undefined || !Number.isInteger(bays) || bays < 0) throw bad('a whole number of bays ≥ 0');
    lot.zones[0]!.capacityByKind[kind as BayKind] = bays;
  } else if (walk !== undefined) {
    const seconds = parseNumber(value);
    if (seconds === undefined || seconds < 0) throw bad('a walking time in s ≥ 0');
    lot.walkTimeSByEntrance[walk] = seconds;
  } else if (key === 'citybay.openingHours') {
    lot.openingHours = value
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((window): MinuteWindow => {
        const [from = '', to = ''] = window.split('-');
        const fromMin = parseClockMin(from);
        const toMin = parseClockMin(to);
        if (fromMin === undefined || toMin === undefined || fromMin >= toMin) throw bad('HH:MM-HH:MM windows');
        return { fromMin, toMin };
      });
  } else {
    throw reader.fail(element, `key="${key}"`, 'unknown citybay parameter');
  }
}
