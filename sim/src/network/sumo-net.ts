import { XMLParser } from 'fast-xml-parser';
import { errors } from '../errors.js';
import type {
  RoadConnection,
  RoadEdge,
  RoadJunction,
  RoadNetwork,
  RoadNode,
  SignalActuation,
  SignalProgram,
} from '../model/index.js';
import { isOpenToCars } from './vehicle-class.js';

type XmlElement = Record<string, unknown>;

/** Connection states of links that yield (SUMO's minor, equal, stop and all-way stop), as duarouter lists them. */
const MINOR_LINK_STATES = new Set(['m', '=', 's', 'w']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['edge', 'lane', 'junction', 'connection', 'request', 'tlLogic', 'phase', 'param'].includes(name),
  parseAttributeValue: false,
});

/**
 * Imports a SUMO `.net.xml` (what `netconvert` writes) as SUMO's cars see it: only lanes open to passenger cars
 * (`allow`/`disallow`) are kept — an edge with none (footway, tram track, steps) is left out, and an edge's length,
 * speed and lane count are those of its car lanes; lane-level connections between car lanes (with the internal lane
 * crossing the junction, the junction's right-of-way index and the signal that controls them); junctions' right of
 * way (`<request response>`); and fixed-time signal programs (`tlLogic`, the first program of each light).
 */
export function parseSumoNet(text: string, fileName: string): RoadNetwork {
  let document: XmlElement;
  try {
    document = parser.parse(text) as XmlElement;
  } catch (cause) {
    throw errors.CB_NETWORK_INVALID(`${fileName}: not well-formed XML: ${String(cause)}`, { path: '(root)', cause });
  }
  const net = document.net as XmlElement | undefined;
  if (net === undefined || typeof net !== 'object') {
    throw errors.CB_NETWORK_INVALID(`${fileName}: (root): expected a SUMO <net> element`, { path: 'net' });
  }
  const fail = (path: string, message: string) =>
    errors.CB_NETWORK_INVALID(`${fileName}: ${path}: ${message}`, { path });

  const nodes: RoadNode[] = [];
  const nodeIds = new Set<string>();
  const junctionElements = (net.junction as XmlElement[] | undefined) ?? [];
  for (const [i, junction] of junctionElements.entries()) {
    if (junction.type === 'internal') continue;
    const id = String(junction.id ?? '');
    if (id === '') throw fail(`net.junction[${i}].id`, 'missing');
    nodes.push({ id, xM: toNumber(junction.x, 0), yM: toNumber(junction.y, 0) });
    nodeIds.add(id);
  }

  const edges: RoadEdge[] = [];
  /** Per imported edge: SUMO lane index → car lane index (-1 for lanes closed to cars). */
  const carLaneOf = new Map<string, Int32Array>();
  const internalLanes = new Map<string, { lengthM: number; speedMps: number }>();
  for (const [i, edge] of ((net.edge as XmlElement[] | undefined) ?? []).entries()) {
    if (edge.function === 'internal') {
      for (const lane of (edge.lane as XmlElement[] | undefined) ?? []) {
        const lengthM = toNumber(lane.length, Number.NaN);
        const speedMps = toNumber(lane.speed, Number.NaN);
        if (lengthM >= 0 && speedMps > 0) internalLanes.set(String(lane.id), { lengthM, speedMps });
      }
    }
    if (edge.function !== undefined && edge.function !== 'normal') continue;
    const at = `net.edge[${i}]`;
    const id = String(edge.id ?? '');
    if (id === '') throw fail(`${at}.id`, 'missing');
    const lanes = (edge.lane as XmlElement[] | undefined) ?? [];
    if (lanes.length === 0) throw fail(`${at}.lane`, `edge "${id}" has no lanes`);
    const laneMap = new Int32Array(lanes.length).fill(-1);
    let firstCar = -1;
    let carLanes = 0;
    for (const [k, lane] of lanes.entries()) {
      const index = lane.index === undefined ? k : toNumber(lane.index, Number.NaN);
      if (!Number.isInteger(index) || index < 0 || index >= lanes.length) {
        throw fail(`${at}.lane[${k}].index`, `expected 0…${lanes.length - 1}, got "${String(lane.index)}"`);
      }
      if (!isOpenToCars(optionalString(lane.allow), optionalString(lane.disallow))) continue;
      if (firstCar < 0) firstCar = k;
      laneMap[index] = carLanes++;
    }
    if (firstCar < 0) continue;
    const firstLane = lanes[firstCar]!;
    const lengthM = toNumber(firstLane.length, Number.NaN);
    const speedMps = toNumber(firstLane.speed, Number.NaN);
    const lanePath = `${at}.lane[${firstCar}]`;
    if (!(lengthM > 0)) throw fail(`${lanePath}.length`, `expected a positive length, got "${firstLane.length}"`);
    if (!(speedMps > 0)) throw fail(`${lanePath}.speed`, `expected a positive speed, got "${firstLane.speed}"`);
    const fromNodeId = String(edge.from ?? '');
    const toNodeId = String(edge.to ?? '');
    if (!nodeIds.has(fromNodeId)) throw fail(`${at}.from`, `unknown junction "${fromNodeId}"`);
    if (!nodeIds.has(toNodeId)) throw fail(`${at}.to`, `unknown junction "${toNodeId}"`);
    const road: RoadEdge = {
      id,
      fromNodeId,
      toNodeId,
      lengthM,
      speedMps,
      laneCount: carLanes,
      priority: toNumber(edge.priority, -1),
    };
    if (typeof edge.name === 'string' && edge.name !== '') road.name = edge.name;
    edges.push(road);
    carLaneOf.set(id, laneMap);
  }
  if (edges.length === 0) throw fail('net.edge', 'the network has no edges open to passenger cars');

  const connectionElements = (net.connection as XmlElement[] | undefined) ?? [];
  const junctionLinks = junctionLinkIndices(junctionElements, connectionElements);
  // A crossing with an internal junction (a left turn waiting inside the junction) is a chain of internal lanes, each
  // continued by an internal connection's `via`: the whole chain is the crossing, as SUMO drives and routes it.
  const nextInternal = new Map<string, string>();
  for (const connection of connectionElements) {
    const from = String(connection.from ?? '');
    if (from.startsWith(':') && connection.via !== undefined) {
      nextInternal.set(`${from}_${toNumber(connection.fromLane, 0)}`, String(connection.via));
    }
  }
  // duarouter penalises an internal edge that some minor link (normal or internal) crosses by (RONetHandler).
  const minorInternalEdges = new Set<string>();
  for (const connection of connectionElements) {
    if (connection.via !== undefined && MINOR_LINK_STATES.has(String(connection.state ?? ''))) {
      minorInternalEdges.add(internalEdgeOf(String(connection.via)));
    }
  }
  const crossingOf = (
    firstLaneId: string,
  ): { lengthM: number; speedMps: number; minorCrossings: number } | undefined => {
    let lengthM = 0;
    let timeS = 0;
    let minorCrossings = 0;
    const seen = new Set<string>();
    for (let id: string | undefined = firstLaneId; id !== undefined && !seen.has(id); id = nextInternal.get(id)) {
      seen.add(id);
      const lane = internalLanes.get(id);
      if (lane === undefined) return undefined;
      lengthM += lane.lengthM;
      timeS += lane.lengthM / lane.speedMps;
      if (minorInternalEdges.has(internalEdgeOf(id))) minorCrossings++;
    }
    const speedMps = timeS > 0 ? lengthM / timeS : (internalLanes.get(firstLaneId)?.speedMps ?? 0);
    return { lengthM, speedMps, minorCrossings };
  };
  const connections: RoadConnection[] = [];
  for (const [i, connection] of connectionElements.entries()) {
    const fromEdgeId = String(connection.from ?? '');
    const toEdgeId = String(connection.to ?? '');
    const fromLanes = carLaneOf.get(fromEdgeId);
    const toLanes = carLaneOf.get(toEdgeId);
    if (fromLanes === undefined || toLanes === undefined) continue;
    const fromLane = fromLanes[toNumber(connection.fromLane, 0)] ?? -1;
    const toLane = toLanes[toNumber(connection.toLane, 0)] ?? -1;
    if (fromLane < 0 || toLane < 0) continue;
    const road: RoadConnection = { fromEdgeId, toEdgeId, fromLane, toLane };
    const via = connection.via === undefined ? undefined : crossingOf(String(connection.via));
    if (via !== undefined) {
      road.viaLengthM = via.lengthM;
      road.viaSpeedMps = via.speedMps;
      if (via.minorCrossings > 0) road.minorCrossings = via.minorCrossings;
    }
    const link = junctionLinks[i]!;
    if (link >= 0) road.junctionLink = link;
    if (typeof connection.tl === 'string' && connection.tl !== '') {
      const tlLinkIndex = toNumber(connection.linkIndex, Number.NaN);
      if (!Number.isInteger(tlLinkIndex) || tlLinkIndex < 0) {
        throw fail(`net.connection[${i}].linkIndex`, `expected a link index, got "${String(connection.linkIndex)}"`);
      }
      road.tlId = connection.tl;
      road.tlLinkIndex = tlLinkIndex;
    }
    connections.push(road);
  }
  return {
    nodes,
    edges,
    connections,
    junctions: junctionControl(junctionElements),
    signals: signalPrograms((net.tlLogic as XmlElement[] | undefined) ?? [], fail),
  };
}

/** The internal edge of an internal lane (`:J_3_0` → `:J_3`). */
function internalEdgeOf(laneId: string): string {
  const at = laneId.lastIndexOf('_');
  return at < 0 ? laneId : laneId.slice(0, at);
}

/**
 * Each connection's index in its junction's right-of-way table: SUMO numbers a junction's links by its incoming lanes
 * (`incLanes` order) and, per lane, its connections in file order (the order a traffic light's `linkIndex` follows).
 * Connections into internal edges (walking areas) are not links. -1 where there is none.
 */
function junctionLinkIndices(junctions: XmlElement[], connections: XmlElement[]): Int32Array {
  const byLane = new Map<string, number[]>();
  connections.forEach((connection, i) => {
    const from = String(connection.from ?? '');
    const to = String(connection.to ?? '');
    if (from.startsWith(':') || to.startsWith(':')) return;
    const lane = `${from}_${String(connection.fromLane ?? '0')}`;
    const list = byLane.get(lane) ?? [];
    list.push(i);
    byLane.set(lane, list);
  });
  const index = new Int32Array(connections.length).fill(-1);
  for (const junction of junctions) {
    if (junction.type === 'internal' || typeof junction.incLanes !== 'string') continue;
    let link = 0;
    for (const lane of junction.incLanes.split(/\s+/)) {
      for (const i of byLane.get(lane) ?? []) index[i] = link++;
    }
  }
  return index;
}

function junctionControl(junctions: XmlElement[]): RoadJunction[] {
  const control: RoadJunction[] = [];
  for (const junction of junctions) {
    const requests = (junction.request as XmlElement[] | undefined) ?? [];
    if (junction.type === 'internal' || requests.length === 0) continue;
    const mustYieldTo: number[][] = [];
    const waitsInside: number[] = [];
    for (const request of requests) {
      const i = toNumber(request.index, -1);
      const response = String(request.response ?? '');
      if (i < 0) continue;
      const yieldTo: number[] = [];
      for (let j = 0; j < response.length; j++) if (response[response.length - 1 - j] === '1') yieldTo.push(j);
      mustYieldTo[i] = yieldTo;
      if (request.cont === '1') waitsInside.push(i);
    }
    for (let i = 0; i < mustYieldTo.length; i++) mustYieldTo[i] ??= [];
    const entry: RoadJunction = { nodeId: String(junction.id), type: String(junction.type ?? 'priority'), mustYieldTo };
    if (waitsInside.length > 0) entry.waitsInside = waitsInside;
    control.push(entry);
  }
  return control;
}

const SIGNAL_STATE = /^[GgyYrRuoOs]*$/;

function signalPrograms(logics: XmlElement[], fail: (path: string, message: string) => Error): SignalProgram[] {
  const programs: SignalProgram[] = [];
  const seen = new Set<string>();
  for (const [i, logic] of logics.entries()) {
    const id = String(logic.id ?? '');
    if (seen.has(id)) continue;
    seen.add(id);
    const phases = ((logic.phase as XmlElement[] | undefined) ?? []).map((phase, k) => {
      const durationS = toNumber(phase.duration, Number.NaN);
      const state = String(phase.state ?? '');
      if (!(durationS > 0))
        throw fail(`net.tlLogic[${i}].phase[${k}].duration`, `expected > 0, got "${phase.duration}"`);
      if (!SIGNAL_STATE.test(state))
        throw fail(`net.tlLogic[${i}].phase[${k}].state`, `not a signal state: "${state}"`);
      const minDurS = toNumber(phase.minDur, durationS);
      const maxDurS = toNumber(phase.maxDur, durationS);
      if (!(minDurS > 0 && maxDurS >= minDurS)) {
        const values = `minDur "${String(phase.minDur)}", maxDur "${String(phase.maxDur)}"`;
        throw fail(`net.tlLogic[${i}].phase[${k}].minDur`, `expected 0 < minDur <= maxDur, got ${values}`);
      }
      return minDurS === durationS && maxDurS === durationS
        ? { durationS, state }
        : { durationS, state, minDurS, maxDurS };
    });
    if (phases.length === 0) throw fail(`net.tlLogic[${i}].phase`, `program "${id}" has no phases`);
    const type = String(logic.type ?? 'static');
    const program: SignalProgram = { id, type, offsetS: toNumber(logic.offset, 0), phases };
    if (type === 'actuated') program.actuation = actuation(logic, `net.tlLogic[${i}]`, fail);
    programs.push(program);
  }
  return programs;
}

/** An actuated program's gap-control `<param>`s, with SUMO's defaults (MSActuatedTrafficLightLogic). */
function actuation(logic: XmlElement, path: string, fail: (path: string, message: string) => Error): SignalActuation {
  const params = new Map<string, string>();
  for (const param of (logic.param as XmlElement[] | undefined) ?? [])
    params.set(String(param.key), String(param.value));
  const read = (key: string, fallback: number) => {
    const text = params.get(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!(value >= 0) || !Number.isFinite(value))
      throw fail(`${path}.param[${key}]`, `expected a time >= 0, got "${text}"`);
    return value;
  };
  return {
    maxGapS: read('max-gap', 3),
    detectorGapS: read('detector-gap', 2),
    passingTimeS: read('passing-time', 1.9),
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toNumber(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  return Number.isFinite(number) ? number : fallback;
}
