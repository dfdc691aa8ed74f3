import { errors } from '../errors.js';
import { AttributeReader, type SumoSource } from './attribute-reader.js';
import { checkDepartForms, readFlowTiming, readStop, vehicleAttributesOf } from './sumo-route-elements.js';
import { readXmlElements, type XmlElement } from './sumo-xml-reader.js';
import { KNOWN_VEHICLE_CLASSES, parseSumoTimeS, vehicleClassUse } from './sumo-values.js';

export type { SumoSource };

export interface SumoVType {
  id: string;
  vClass: string;
  /** Weight inside a `vTypeDistribution` (SUMO's `probability`, default 1). */
  probability: number;
  /** Every attribute as the file gives it, and its `<param>` children: export-sumo writes the same vType. */
  attributes: Record<string, string>;
  params: Array<Record<string, string>>;
  /** Set when the vType is written inside this `vTypeDistribution` (not a top-level one it names). */
  distributionId?: string;
}

export interface SumoVTypeDistribution {
  id: string;
  typeIds: string[];
  probabilities: number[];
  /** Its attributes as the file gives them (export-sumo writes the same distribution). */
  attributes: Record<string, string>;
  source: SumoSource;
}

/** A stop: only parkingArea stops change what the car does (it parks); others are kept to be reported. */
export interface SumoStop {
  parkingAreaId?: string;
  /** Other stop places (`busStop`, `lane`, …), by attribute name, for the warning. */
  otherPlace?: string;
  durationS?: number;
  /** SUMO time the stop ends (`until`). */
  untilS?: number;
  source: SumoSource;
}

export interface SumoRoute {
  id: string;
  edgeIds: string[];
  stops: SumoStop[];
  source: SumoSource;
}

export interface SumoRouteDistribution {
  id: string;
  /** Route ids (inline routes get the id `<distribution>#<n>`) with weights. */
  members: Array<{ routeId: string; probability: number }>;
  source: SumoSource;
}

/** How a flow spaces its vehicles. */
export type SumoFlowSpacing =
  | { kind: 'period'; periodS: number }
  | { kind: 'exponential'; ratePerS: number }
  | { kind: 'probability'; perSecond: number };

/** A `vehicle`, `trip` or `flow` (SUMO times, seconds from SUMO time 0). */
export interface SumoDemandItem {
  element: 'vehicle' | 'trip' | 'flow';
  id: string;
  /** A vType or vTypeDistribution id; `DEFAULT_VEHTYPE` when not given. */
  typeId: string;
  /** Route or routeDistribution id, or the route written inside the element. */
  routeId?: string;
  edgeIds?: string[];
  /** `trip` (and flows written like one): SUMO routes from → via → to itself; so does citybay. */
  fromEdgeId?: string;
  toEdgeId?: string;
  viaEdgeIds?: string[];
  stops: SumoStop[];
  /**
   * The departure and arrival attributes as given (`departLane`, `departPos`, `departSpeed`, `arrival*`, …, see
   * `SUMO_VEHICLE_ATTRIBUTES`): citybay does not drive them, export-sumo writes them back as they were.
   */
  vehicleAttributes: Record<string, string>;
  /** Vehicles and trips. */
  departS?: number;
  /** Flows. */
  beginS?: number;
  endS?: number;
  spacing?: SumoFlowSpacing;
  number?: number;
  /** Flows: `period`, `vehsPerHour` and `number` as given (export-sumo writes a flow of these back as a flow). */
  flowRates?: Record<string, string>;
  source: SumoSource;
}

/** A parsed `.rou.xml`: plain data (it crosses to worker threads); turned into trips per run by `sumoTrips`. */
export interface SumoRouteFile {
  fileName: string;
  vTypes: SumoVType[];
  vTypeDistributions: SumoVTypeDistribution[];
  routes: SumoRoute[];
  routeDistributions: SumoRouteDistribution[];
  demand: SumoDemandItem[];
  /** Elements of kinds the link model does not simulate (`person`, `personFlow`, `container`, `containerFlow`). */
  skipped: Record<string, number>;
}

const SKIPPED = new Set(['person', 'personFlow', 'container', 'containerFlow']);

/**
 * Reads a SUMO route file (`.rou.xml`; also trip and flow files): `vType`, `vTypeDistribution`, `route`,
 * `routeDistribution`, `vehicle`, `trip`, `flow` with `vehsPerHour`/`period` (also `exp(rate)`)/`probability`/
 * `number`, routes by id or written inside, `stop`s (parkingArea with `duration`/`until`), and the `depart`,
 * `departPos`, `departLane`, `departSpeed` and `arrival*` forms. Persons and containers are counted and skipped.
 * Every bad value, unknown reference or unsupported feature fails with `CB_SUMO_ROUTES_INVALID` naming the file,
 * line, element path and attribute. Streams the text (no tree of the file is built).
 */
export function parseSumoRoutes(text: string, fileName: string): SumoRouteFile {
  const file: SumoRouteFile = {
    fileName,
    vTypes: [],
    vTypeDistributions: [],
    routes: [],
    routeDistributions: [],
    demand: [],
    skipped: {},
  };
  const reader = new AttributeReader(fileName, errors.CB_SUMO_ROUTES_INVALID);
  const { fail, sourceOf, number, edgeList } = reader;
  const ids = new Map<string, Set<string>>();
  const uniqueId = (element: XmlElement, space: string, isRequired = true): string => {
    const id = element.attributes.id;
    if (id === undefined || id === '') {
      if (isRequired) throw fail(element, 'id', 'missing');
      return '';
    }
    const seen = ids.get(space) ?? new Set<string>();
    ids.set(space, seen);
    if (seen.has(id)) throw fail(element, 'id', `duplicate ${space} id "${id}"`);
    seen.add(id);
    return id;
  };
  // The element being filled by its children (a route's or vehicle's stops, a distribution's members).
  let vehicle: SumoDemandItem | undefined;
  let route: SumoRoute | undefined;
  let routeDistribution: SumoRouteDistribution | undefined;
  let typeDistribution: SumoVTypeDistribution | undefined;
  // The vType whose `<param>` children are being read, with its depth.
  let vTypeOpen: { vType: SumoVType; depth: number } | undefined;
  let skippedDepth = -1;
  let isAdditional = false;

  const readVType = (element: XmlElement): SumoVType => {
    const id = uniqueId(element, 'vType');
    const vClass = element.attributes.vClass ?? 'passenger';
    if (vehicleClassUse(vClass) === undefined) {
      throw fail(element, 'vClass', `unknown vehicle class "${vClass}" (known: ${KNOWN_VEHICLE_CLASSES.join(', ')})`);
    }
    for (const attribute of ['length', 'maxSpeed']) number(element, attribute, (n) => n > 0, 'a positive number');
    number(element, 'minGap', (n) => n >= 0, 'a number ≥ 0');
    const probability = number(element, 'probability', (n) => n >= 0, 'a number ≥ 0') ?? 1;
    const vType: SumoVType = { id, vClass, probability, attributes: { ...element.attributes }, params: [] };
    vTypeOpen = { vType, depth: element.depth };
    return vType;
  };

  const readDemand = (element: XmlElement): SumoDemandItem => {
    const kind = element.name as SumoDemandItem['element'];
    const item: SumoDemandItem = {
      element: kind,
      id: uniqueId(element, 'vehicle'),
      typeId: element.attributes.type ?? 'DEFAULT_VEHTYPE',
      vehicleAttributes: vehicleAttributesOf(element),
      stops: [],
      source: sourceOf(element),
    };
    checkDepartForms(reader, element);
    const routeId = element.attributes.route;
    const fromEdgeId = element.attributes.from;
    const toEdgeId = element.attributes.to;
    if (routeId !== undefined) {
      if (kind === 'trip') throw fail(element, 'route', 'a trip has from/to, not a route (use a vehicle)');
      item.routeId = routeId;
    }
    if (fromEdgeId !== undefined || toEdgeId !== undefined) {
      if (routeId !== undefined) throw fail(element, 'from', 'give either a route or from/to, not both');
      if (fromEdgeId === undefined || fromEdgeId === '') throw fail(element, 'from', 'missing (to is given)');
      if (toEdgeId === undefined || toEdgeId === '') throw fail(element, 'to', 'missing (from is given)');
      item.fromEdgeId = fromEdgeId;
      item.toEdgeId = toEdgeId;
      const via = edgeList(element, 'via');
      if (via !== undefined) item.viaEdgeIds = via;
    }
    if (kind === 'flow') {
      readFlowTiming(reader, element, item);
      item.flowRates = {};
      for (const name of ['period', 'vehsPerHour', 'number']) {
        const value = element.attributes[name];
        if (value !== undefined) item.flowRates[name] = value;
      }
    } else {
      const depart = element.attributes.depart;
      if (depart === undefined) throw fail(element, 'depart', 'missing');
      if (depart === 'triggered' || depart === 'containerTriggered' || depart === 'split' || depart === 'now') {
        throw fail(element, 'depart', `depart="${depart}" is not supported: give a time`);
      }
      const departS = depart === 'begin' ? 0 : parseSumoTimeS(depart);
      if (departS === undefined) throw fail(element, 'depart', `expected a time (seconds or h:m:s), got "${depart}"`);
      item.departS = departS;
    }
    return item;
  };

  const checkVehicle = (item: SumoDemandItem, element: XmlElement) => {
    if (item.routeId === undefined && item.edgeIds === undefined && item.fromEdgeId === undefined) {
      const reason = item.stops.length > 0 ? ' (routing from stop to stop alone is not supported)' : '';
      throw fail(element, 'route', `a ${item.element} needs a route (route="…" or <route edges>) or from/to${reason}`);
    }
  };

  readXmlElements(text, fileName, errors.CB_SUMO_ROUTES_INVALID, {
    onOpen(element) {
      if (skippedDepth >= 0) return;
      if (element.depth === 0) {
        if (element.name === 'additional') isAdditional = true;
        else if (element.name !== 'routes') {
          throw fail(element, undefined, `expected a SUMO <routes> or <additional> file, got <${element.name}>`);
        }
        return;
      }
      const { name } = element;
      if (element.depth === 1) {
        if (SKIPPED.has(name)) {
          file.skipped[name] = (file.skipped[name] ?? 0) + 1;
          skippedDepth = element.depth;
        } else if (name === 'vType') {
          file.vTypes.push(readVType(element));
        } else if (name === 'vTypeDistribution') {
          const id = uniqueId(element, 'vType');
          const typeIds = (element.attributes.vTypes ?? '').split(/\s+/).filter((t) => t !== '');
          typeDistribution = {
            id,
            typeIds,
            probabilities: typeIds.map(() => 1),
            attributes: { ...element.attributes },
            source: sourceOf(element),
          };
          file.vTypeDistributions.push(typeDistribution);
        } else if (name === 'route') {
          const edgeIds = edgeList(element, 'edges');
          if (edgeIds === undefined) throw fail(element, 'edges', 'missing');
          route = { id: uniqueId(element, 'route'), edgeIds, stops: [], source: sourceOf(element) };
          file.routes.push(route);
        } else if (name === 'routeDistribution') {
          routeDistribution = { id: uniqueId(element, 'route'), members: [], source: sourceOf(element) };
          file.routeDistributions.push(routeDistribution);
        } else if (name === 'vehicle' || name === 'trip' || name === 'flow') {
          vehicle = readDemand(element);
          file.demand.push(vehicle);
        } else if (name === 'interval' || name === 'include') {
          throw fail(element, undefined, `<${name}> is not supported in route files read by citybay`);
        } else if (isAdditional) {
          // Detectors, stops, signal programs … of an additional file are not demand.
          skippedDepth = element.depth;
        } else if (name !== 'param') {
          throw fail(element, undefined, `unknown element <${name}>`);
        }
        return;
      }
      // Children of a definition.
      if (name === 'param') {
        if (element.depth === (vTypeOpen?.depth ?? -2) + 1) vTypeOpen!.vType.params.push({ ...element.attributes });
        return;
      }
      if (typeDistribution !== undefined && name === 'vType' && element.depth === 2) {
        const vType = readVType(element);
        vType.distributionId = typeDistribution.id;
        file.vTypes.push(vType);
        typeDistribution.typeIds.push(vType.id);
        typeDistribution.probabilities.push(vType.probability);
      } else if (routeDistribution !== undefined && name === 'route' && element.depth === 2) {
        const edgeIds = edgeList(element, 'edges');
        const probability = number(element, 'probability', (n) => n >= 0, 'a number ≥ 0') ?? 1;
        if (edgeIds === undefined) {
          // A member by reference: <route refId="r1" probability="…"/>.
          const refId = element.attributes.refId ?? element.attributes.id;
          if (refId === undefined) throw fail(element, 'edges', 'missing (or refId)');
          routeDistribution.members.push({ routeId: refId, probability });
        } else {
          const id = element.attributes.id ?? `${routeDistribution.id}#${routeDistribution.members.length}`;
          if (element.attributes.id !== undefined) uniqueId(element, 'route');
          route = { id, edgeIds, stops: [], source: sourceOf(element) };
          file.routes.push(route);
          routeDistribution.members.push({ routeId: id, probability });
        }
      } else if (vehicle !== undefined && name === 'route' && element.depth === 2) {
        if (vehicle.routeId !== undefined || vehicle.fromEdgeId !== undefined || vehicle.edgeIds !== undefined) {
          throw fail(element, undefined, 'the vehicle already has a route');
        }
        const edgeIds = edgeList(element, 'edges');
        if (edgeIds === undefined) throw fail(element, 'edges', 'missing');
        vehicle.edgeIds = edgeIds;
      } else if (name === 'stop') {
        const stop = readStop(reader, element);
        if (vehicle !== undefined) vehicle.stops.push(stop);
        else if (route !== undefined) route.stops.push(stop);
        else throw fail(element, undefined, 'a stop belongs in a vehicle, trip, flow or route');
      } else if (name === 'routeDistribution' && vehicle !== undefined) {
        throw fail(element, undefined, 'a routeDistribution inside a vehicle is not supported: define it at the top');
      } else {
        throw fail(element, undefined, `unexpected element <${name}> here`);
      }
    },
    onClose(element) {
      if (element.name === 'vType' && element.depth === vTypeOpen?.depth) vTypeOpen = undefined;
      if (skippedDepth >= 0) {
        if (element.depth === skippedDepth) skippedDepth = -1;
        return;
      }
      if (element.depth === 1) {
        if (vehicle !== undefined) checkVehicle(vehicle, element);
        vehicle = undefined;
        route = undefined;
        routeDistribution = undefined;
        typeDistribution = undefined;
      } else if (element.depth === 2 && element.name === 'route') {
        route = undefined;
      }
    },
  });

  return file;
}
