import type { RoadNetwork } from '../model/index.js';

/**
 * Cost of each edge in seconds, indexed like `network.edges` (see {@link Router.edgeIndex}). Lets the
 * simulator pass measured travel times instead of free-flow ones.
 */
export type EdgeCostS = ArrayLike<number>;

/** A route as edge ids, first edge (where the car is) to last edge (where it goes), both included. */
export interface RoutePath {
  edgeIds: string[];
  /** Sum of the costs of every edge on the route, first and last included. */
  costS: number;
}

/**
 * A shortest-path tree. For an all-to-one tree (`treeTo`) `costS[i]` is the cost from the start of edge
 * `i` to the end of the target and `nextEdge[i]` the edge to take after `i`; for a one-to-all tree
 * (`treeFrom`) `costS[i]` is the cost from the start of the source to the end of `i` and `nextEdge[i]` is
 * the predecessor of `i`. Unreachable edges have `costS = Infinity` and `nextEdge = -1`.
 */
export interface ShortestPathTree {
  rootEdgeIndex: number;
  direction: 'to' | 'from';
  costS: Float64Array;
  nextEdge: Int32Array;
  /** Walks the tree from `edgeId` to the root (`to`) or from the root to `edgeId` (`from`). */
  pathFrom(edgeId: string): RoutePath | undefined;
}

export interface Router {
  readonly edgeCount: number;
  /** Index of an edge id in `network.edges`, or -1. */
  edgeIndex(edgeId: string): number;
  edgeId(edgeIndex: number): string;
  /** Free-flow travel time per edge, `lengthM / speedMps`. */
  readonly freeFlowCostS: Float64Array;
  /** Edges a car may take after this one (from the network's connections). */
  successors(edgeIndex: number): Int32Array;
  shortestPath(fromEdgeId: string, toEdgeId: string, edgeCostS?: EdgeCostS): RoutePath | undefined;
  /** All-to-one: from every edge to `targetEdgeId`. */
  treeTo(targetEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree;
  /** One-to-all: from `sourceEdgeId` to every edge. */
  treeFrom(sourceEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree;
}

interface Adjacency {
  offsets: Int32Array;
  targets: Int32Array;
}

function buildAdjacency(edgeCount: number, pairs: Array<[number, number]>): Adjacency {
  const offsets = new Int32Array(edgeCount + 1);
  for (const [from] of pairs) offsets[from + 1] = (offsets[from + 1] ?? 0) + 1;
  for (let i = 0; i < edgeCount; i++) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const fill = offsets.slice(0, edgeCount);
  const targets = new Int32Array(pairs.length);
  for (const [from, to] of pairs) {
    const at = fill[from] ?? 0;
    targets[at] = to;
    fill[from] = at + 1;
  }
  return { offsets, targets };
}

/**
 * Builds a router over an edge-based graph: a car on edge `a` may continue on edge `b` only when the
 * network lists the connection `a → b`, so turn bans hold. A network with no connections at all (a
 * hand-written one) gets every `toNode = fromNode` pair except the U-turn onto the reverse edge.
 */
export function createRouter(network: RoadNetwork): Router {
  const edgeCount = network.edges.length;
  const indexById = new Map<string, number>();
  const freeFlowCostS = new Float64Array(edgeCount);
  network.edges.forEach((edge, i) => {
    indexById.set(edge.id, i);
    freeFlowCostS[i] = edge.speedMps > 0 ? edge.lengthM / edge.speedMps : Number.POSITIVE_INFINITY;
  });
  const pairs: Array<[number, number]> = [];
  if (network.connections.length > 0) {
    const seen = new Set<string>();
    for (const c of network.connections) {
      const from = indexById.get(c.fromEdgeId);
      const to = indexById.get(c.toEdgeId);
      // SUMO lists one connection per lane pair; one edge pair is enough here.
      const key = `${from}>${to}`;
      if (from === undefined || to === undefined || seen.has(key)) continue;
      seen.add(key);
      pairs.push([from, to]);
    }
  } else {
    const outByNode = new Map<string, number[]>();
    network.edges.forEach((edge, i) => {
      const list = outByNode.get(edge.fromNodeId) ?? [];
      list.push(i);
      outByNode.set(edge.fromNodeId, list);
    });
    network.edges.forEach((edge, i) => {
      for (const j of outByNode.get(edge.toNodeId) ?? []) {
        const next = network.edges[j];
        if (next !== undefined && next.toNodeId !== edge.fromNodeId) pairs.push([i, j]);
      }
    });
  }
  const forward = buildAdjacency(edgeCount, pairs);
  const backward = buildAdjacency(
    edgeCount,
    pairs.map(([a, b]) => [b, a]),
  );

  // Reused across queries so a query allocates only its result arrays. Each arc is relaxed at most once,
  // so the lazy-deletion heap never holds more than arcs + 1 entries.
  const heapNodes = new Int32Array(Math.max(1, pairs.length + edgeCount));
  const heapKeys = new Float64Array(Math.max(1, pairs.length + edgeCount));
  const settled = new Uint8Array(edgeCount);

  function costsOf(edgeCostS: EdgeCostS | undefined): EdgeCostS {
    if (edgeCostS === undefined) return freeFlowCostS;
    if (edgeCostS.length !== edgeCount) {
      throw new RangeError(`edgeCostS has ${edgeCostS.length} entries, the network has ${edgeCount} edges`);
    }
    return edgeCostS;
  }

  // Lazy-deletion Dijkstra on a binary heap of (key, edge) pairs in typed arrays.
  function dijkstra(
    root: number,
    adjacency: Adjacency,
    cost: EdgeCostS,
    dist: Float64Array,
    next: Int32Array,
    stopAt: number,
  ): void {
    dist.fill(Number.POSITIVE_INFINITY);
    next.fill(-1);
    settled.fill(0);
    let size = 0;
    const push = (node: number, key: number): void => {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pk = heapKeys[parent] as number;
        if (pk <= key) break;
        heapKeys[i] = pk;
        heapNodes[i] = heapNodes[parent] as number;
        i = parent;
      }
      heapKeys[i] = key;
      heapNodes[i] = node;
    };
    dist[root] = cost[root] as number;
    push(root, dist[root] as number);
    const { offsets, targets } = adjacency;
    while (size > 0) {
      const node = heapNodes[0] as number;
      const key = heapKeys[0] as number;
      size--;
      if (size > 0) {
        const lastKey = heapKeys[size] as number;
        const lastNode = heapNodes[size] as number;
        let i = 0;
        for (;;) {
          let child = 2 * i + 1;
          if (child >= size) break;
          if (child + 1 < size && (heapKeys[child + 1] as number) < (heapKeys[child] as number)) child++;
          if ((heapKeys[child] as number) >= lastKey) break;
          heapKeys[i] = heapKeys[child] as number;
          heapNodes[i] = heapNodes[child] as number;
          i = child;
        }
        heapKeys[i] = lastKey;
        heapNodes[i] = lastNode;
      }
      if (settled[node] === 1 || key > (dist[node] as number)) continue;
      settled[node] = 1;
      if (node === stopAt) return;
      const end = offsets[node + 1] as number;
      for (let k = offsets[node] as number; k < end; k++) {
        const other = targets[k] as number;
        const candidate = key + (cost[other] as number);
        if (candidate < (dist[other] as number)) {
          dist[other] = candidate;
          next[other] = node;
          push(other, candidate);
        }
      }
    }
  }

  function indexOrThrow(edgeId: string): number {
    const i = indexById.get(edgeId);
    if (i === undefined) throw new RangeError(`unknown edge "${edgeId}"`);
    return i;
  }

  function tree(rootId: string, direction: 'to' | 'from', edgeCostS: EdgeCostS | undefined): ShortestPathTree {
    const root = indexOrThrow(rootId);
    const cost = costsOf(edgeCostS);
    const costS = new Float64Array(edgeCount);
    const nextEdge = new Int32Array(edgeCount);
    dijkstra(root, direction === 'to' ? backward : forward, cost, costS, nextEdge, -1);
    return {
      rootEdgeIndex: root,
      direction,
      costS,
      nextEdge,
      pathFrom(edgeId) {
        const start = indexById.get(edgeId);
        if (start === undefined || !Number.isFinite(costS[start] as number)) return undefined;
        const ids: string[] = [];
        for (let i = start; i !== -1; i = nextEdge[i] as number) ids.push(network.edges[i]?.id ?? '');
        if (direction === 'from') ids.reverse();
        return { edgeIds: ids, costS: costS[start] as number };
      },
    };
  }

  const scratchDist = new Float64Array(edgeCount);
  const scratchPrev = new Int32Array(edgeCount);

  return {
    edgeCount,
    freeFlowCostS,
    edgeIndex: (edgeId) => indexById.get(edgeId) ?? -1,
    edgeId: (i) => network.edges[i]?.id ?? '',
    successors: (i) => forward.targets.subarray(forward.offsets[i] ?? 0, forward.offsets[i + 1] ?? 0),
    shortestPath(fromEdgeId, toEdgeId, edgeCostS) {
      const from = indexOrThrow(fromEdgeId);
      const to = indexOrThrow(toEdgeId);
      dijkstra(from, forward, costsOf(edgeCostS), scratchDist, scratchPrev, to);
      const costS = scratchDist[to] as number;
      if (!Number.isFinite(costS) || settled[to] !== 1) return undefined;
      const ids: string[] = [];
      for (let i = to; i !== -1; i = scratchPrev[i] as number) ids.push(network.edges[i]?.id ?? '');
      ids.reverse();
      return { edgeIds: ids, costS };
    },
    treeTo: (target, edgeCostS) => tree(target, 'to', edgeCostS),
    treeFrom: (source, edgeCostS) => tree(source, 'from', edgeCostS),
  };
}
