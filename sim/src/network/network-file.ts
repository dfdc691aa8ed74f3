import { type Static, Type } from '@sinclair/typebox';
import { errors } from '../errors.js';
import type { RoadConnection, RoadEdge, RoadNetwork } from '../model/index.js';
import { checkSchema, parseYamlText } from '../scenario/schema-check.js';
import { parseSumoNet } from './sumo-net.js';

const NetworkFileSchema = Type.Object(
  {
    nodes: Type.Array(
      Type.Object(
        { id: Type.String({ minLength: 1 }), x: Type.Number(), y: Type.Number() },
        { additionalProperties: false },
      ),
      { minItems: 2 },
    ),
    edges: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          from: Type.String({ minLength: 1 }),
          to: Type.String({ minLength: 1 }),
          /** Defaults to the straight-line distance between the nodes. */
          lengthM: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          speedKmh: Type.Number({ exclusiveMinimum: 0 }),
          lanes: Type.Optional(Type.Integer({ minimum: 1 })),
          priority: Type.Optional(Type.Integer()),
          /** Street name, for route texts and signs. */
          name: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    /** Allowed turns; when absent every edge connects to every edge leaving its end node except the U-turn. */
    connections: Type.Optional(
      Type.Array(Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false })),
    ),
  },
  { additionalProperties: false },
);
export type NetworkFileDocument = Static<typeof NetworkFileSchema>;

/**
 * Parses the built-in network format (YAML or JSON): nodes with coordinates in metres, edges with speed in km/h,
 * lanes and priority, and optional explicit connections. Throws `CB_NETWORK_INVALID` naming file and field.
 */
export function parseNetworkFile(text: string, fileName: string): RoadNetwork {
  const document = checkSchema(
    NetworkFileSchema,
    parseYamlText(text, fileName, errors.CB_NETWORK_INVALID),
    fileName,
    errors.CB_NETWORK_INVALID,
  );
  const fail = (path: string, message: string) =>
    errors.CB_NETWORK_INVALID(`${fileName}: ${path}: ${message}`, { path });
  const nodeById = new Map<string, { x: number; y: number }>();
  for (const [i, node] of document.nodes.entries()) {
    if (nodeById.has(node.id)) throw fail(`nodes[${i}].id`, `duplicate node "${node.id}"`);
    nodeById.set(node.id, node);
  }
  const edges: RoadEdge[] = [];
  const edgeById = new Map<string, RoadEdge>();
  for (const [i, edge] of document.edges.entries()) {
    const from = nodeById.get(edge.from);
    const to = nodeById.get(edge.to);
    if (from === undefined) throw fail(`edges[${i}].from`, `unknown node "${edge.from}"`);
    if (to === undefined) throw fail(`edges[${i}].to`, `unknown node "${edge.to}"`);
    if (edgeById.has(edge.id)) throw fail(`edges[${i}].id`, `duplicate edge "${edge.id}"`);
    const lengthM = edge.lengthM ?? Math.hypot(to.x - from.x, to.y - from.y);
    if (!(lengthM > 0)) throw fail(`edges[${i}].lengthM`, 'the nodes coincide: give lengthM');
    const road: RoadEdge = {
      id: edge.id,
      fromNodeId: edge.from,
      toNodeId: edge.to,
      lengthM,
      speedMps: edge.speedKmh / 3.6,
      laneCount: edge.lanes ?? 1,
      priority: edge.priority ?? 1,
    };
    if (edge.name !== undefined) road.name = edge.name;
    edges.push(road);
    edgeById.set(road.id, road);
  }
  let connections: RoadConnection[];
  if (document.connections !== undefined) {
    connections = document.connections.map((connection, i) => {
      const from = edgeById.get(connection.from);
      const to = edgeById.get(connection.to);
      if (from === undefined) throw fail(`connections[${i}].from`, `unknown edge "${connection.from}"`);
      if (to === undefined) throw fail(`connections[${i}].to`, `unknown edge "${connection.to}"`);
      if (from.toNodeId !== to.fromNodeId) {
        throw fail(`connections[${i}]`, `edge "${to.id}" does not start where "${from.id}" ends`);
      }
      return { fromEdgeId: from.id, toEdgeId: to.id };
    });
  } else {
    connections = defaultConnections(edges);
  }
  return {
    nodes: document.nodes.map((node) => ({ id: node.id, xM: node.x, yM: node.y })),
    edges,
    connections,
  };
}

/** Every edge connects to every edge leaving its end node, except straight back where it came from. */
export function defaultConnections(edges: RoadEdge[]): RoadConnection[] {
  const leaving = new Map<string, RoadEdge[]>();
  for (const edge of edges) {
    const list = leaving.get(edge.fromNodeId) ?? [];
    list.push(edge);
    leaving.set(edge.fromNodeId, list);
  }
  const connections: RoadConnection[] = [];
  for (const edge of edges) {
    for (const next of leaving.get(edge.toNodeId) ?? []) {
      if (next.toNodeId === edge.fromNodeId) continue;
      connections.push({ fromEdgeId: edge.id, toEdgeId: next.id });
    }
  }
  return connections;
}

/**
 * Reads a network by file name: `*.net.xml` (or `*.net.xml.gz`, whose text the caller has unzipped, as the CLI's
 * loader does) is SUMO, anything else the built-in YAML/JSON format.
 */
export function parseAnyNetwork(text: string, fileName: string): RoadNetwork {
  return /\.xml(\.gz)?$/.test(fileName) ? parseSumoNet(text, fileName) : parseNetworkFile(text, fileName);
}
