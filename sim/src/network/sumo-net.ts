import { XMLParser } from 'fast-xml-parser';
import { errors } from '../errors.js';
import type { RoadConnection, RoadEdge, RoadNetwork, RoadNode } from '../model/index.js';

type XmlElement = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['edge', 'lane', 'junction', 'connection'].includes(name),
  parseAttributeValue: false,
});

/**
 * Imports a SUMO `.net.xml` (what `netconvert` writes): normal edges with their lanes (length, speed),
 * priorities, junction positions and edge-to-edge connections. Internal (`:junction_…`) edges and lane-level
 * detail are folded away: a connection exists when any lane of `from` connects to any lane of `to`, and keeps the
 * length and speed of its first internal lane (the way across the junction).
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
  for (const [i, junction] of ((net.junction as XmlElement[] | undefined) ?? []).entries()) {
    if (junction.type === 'internal') continue;
    const id = String(junction.id ?? '');
    if (id === '') throw fail(`net.junction[${i}].id`, 'missing');
    nodes.push({ id, xM: toNumber(junction.x, 0), yM: toNumber(junction.y, 0) });
    nodeIds.add(id);
  }

  const edges: RoadEdge[] = [];
  const edgeIds = new Set<string>();
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
    const firstLane = lanes[0];
    if (firstLane === undefined) throw fail(`${at}.lane`, `edge "${id}" has no lanes`);
    const lengthM = toNumber(firstLane.length, Number.NaN);
    const speedMps = toNumber(firstLane.speed, Number.NaN);
    if (!(lengthM > 0)) throw fail(`${at}.lane[0].length`, `expected a positive length, got "${firstLane.length}"`);
    if (!(speedMps > 0)) throw fail(`${at}.lane[0].speed`, `expected a positive speed, got "${firstLane.speed}"`);
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
      laneCount: lanes.length,
      priority: toNumber(edge.priority, -1),
    };
    if (typeof edge.name === 'string' && edge.name !== '') road.name = edge.name;
    edges.push(road);
    edgeIds.add(id);
  }
  if (edges.length === 0) throw fail('net.edge', 'the network has no normal edges');

  const connections: RoadConnection[] = [];
  const seen = new Set<string>();
  for (const connection of (net.connection as XmlElement[] | undefined) ?? []) {
    const fromEdgeId = String(connection.from ?? '');
    const toEdgeId = String(connection.to ?? '');
    if (!edgeIds.has(fromEdgeId) || !edgeIds.has(toEdgeId)) continue;
    const key = `${fromEdgeId}\u0000${toEdgeId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const via = connection.via === undefined ? undefined : internalLanes.get(String(connection.via));
    connections.push(
      via === undefined
        ? { fromEdgeId, toEdgeId }
        : { fromEdgeId, toEdgeId, viaLengthM: via.lengthM, viaSpeedMps: via.speedMps },
    );
  }
  return { nodes, edges, connections };
}

function toNumber(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  return Number.isFinite(number) ? number : fallback;
}
