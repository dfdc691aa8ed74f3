import type { RoadNetwork } from '../model/index.js';
import { LaneLayout } from './lane-layout.js';
import { LinkGraph } from './link-graph.js';
import type { TrafficParams } from './traffic-params.js';

/** The part of a run that depends only on the network and a few parameters: built once, shared by every run on it. */
export interface NetworkTables {
  graph: LinkGraph;
  layout: LaneLayout;
}

interface Entry extends NetworkTables {
  /** The parameters the tables were built with (`paramsKey`). */
  key: string;
  shape: NetworkShape;
}

/**
 * What a cached entry checks before it is reused: the network's arrays (same objects, same lengths) and each edge's
 * length, speed and lanes. A network is meant to be left alone once it has been run; this catches the usual ways of
 * changing one (adding edges or connections, replacing a list, editing an edge's figures).
 */
interface NetworkShape {
  edges: unknown;
  nodes: unknown;
  connections: unknown;
  signals: unknown;
  junctions: unknown;
  lengths: number[];
  edgeFigures: Float64Array;
}

// Keyed by the network object, so tables go when the network does. Each worker thread has its own (module state).
let cache = new WeakMap<RoadNetwork, Entry[]>();
/**
 * The latest tables by the network's content, for networks that arrive as copies: a worker pool's task carries a
 * structured clone of its scenario, a new network object for every run of a sweep.
 */
let byContent: Array<{ digest: string; key: string; tables: NetworkTables }> = [];
const CONTENT_ENTRIES = 4;
/** Parameter sets kept per network: a sweep over, say, jam spacings keeps the latest few, not one per value. */
const ENTRIES_PER_NETWORK = 4;

/**
 * The link graph (with its lazily settled free-flow route trees) and the lane layout (with its per-tree best lanes) of
 * `network` for `params`, built the first time and reused after: a sweep runs many policies and seeds on one network,
 * and on the OSM city these were over half of a run (route trees alone ~40%). Reuse changes no result: a tree's
 * values are those of the full tree whatever was settled before (shortest-paths.ts), and best lanes are a function
 * of the tree.
 */
export function networkTables(network: RoadNetwork, params: TrafficParams): NetworkTables {
  const key = paramsKey(params);
  let entries = cache.get(network);
  if (entries === undefined) {
    entries = [];
    cache.set(network, entries);
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.key !== key) continue;
    if (isSameShape(entry.shape, network)) return entry;
    entries.splice(i, 1);
    break;
  }
  const digest = contentDigest(network);
  let tables = byContent.find((c) => c.digest === digest && c.key === key)?.tables;
  if (tables === undefined) {
    const graph = new LinkGraph(network, params);
    tables = { graph, layout: new LaneLayout(network, graph, params.jamSpacingM, params.laneChoiceLookaheadM) };
    if (byContent.length >= CONTENT_ENTRIES) byContent.shift();
    byContent.push({ digest, key, tables });
  }
  if (entries.length >= ENTRIES_PER_NETWORK) entries.shift();
  entries.push({ key, ...tables, shape: shapeOf(network) });
  return tables;
}

/** Forgets every network's tables (benchmarks that time building them; tests). */
export function clearNetworkTables(): void {
  cache = new WeakMap();
  byContent = [];
}

/**
 * The network's content as two 32-bit FNV-1a hashes of its JSON and the JSON's length: equal for a structured clone
 * (same values, same key order), different for any change. A few ms for the OSM city; building its tables is ~40.
 */
function contentDigest(network: RoadNetwork): string {
  const text = JSON.stringify(network);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x0100019d) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}:${text.length}`;
}

/** The parameters the graph and layout read. */
function paramsKey(params: TrafficParams): string {
  return `${params.freeFlowSpeedFactor}|${params.jamSpacingM}|${params.saturationFlowVehPerHourPerLane}|${params.laneChoiceLookaheadM}`;
}

function shapeOf(network: RoadNetwork): NetworkShape {
  const { edges } = network;
  const edgeFigures = new Float64Array(edges.length * 3);
  for (let i = 0; i < edges.length; i++) {
    edgeFigures[3 * i] = edges[i]!.lengthM;
    edgeFigures[3 * i + 1] = edges[i]!.speedMps;
    edgeFigures[3 * i + 2] = edges[i]!.laneCount;
  }
  return {
    edges,
    nodes: network.nodes,
    connections: network.connections,
    signals: network.signals,
    junctions: network.junctions,
    lengths: listLengths(network),
    edgeFigures,
  };
}

function listLengths(network: RoadNetwork): number[] {
  return [
    network.edges.length,
    network.nodes.length,
    network.connections.length,
    network.signals?.length ?? -1,
    network.junctions?.length ?? -1,
  ];
}

function isSameShape(shape: NetworkShape, network: RoadNetwork): boolean {
  if (
    shape.edges !== network.edges ||
    shape.nodes !== network.nodes ||
    shape.connections !== network.connections ||
    shape.signals !== network.signals ||
    shape.junctions !== network.junctions
  ) {
    return false;
  }
  const lengths = listLengths(network);
  for (let i = 0; i < lengths.length; i++) if (lengths[i] !== shape.lengths[i]) return false;
  const { edges } = network;
  const figures = shape.edgeFigures;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    if (
      edge.lengthM !== figures[3 * i] ||
      edge.speedMps !== figures[3 * i + 1] ||
      edge.laneCount !== figures[3 * i + 2]
    )
      return false;
  }
  return true;
}
