import type { RoadNetwork } from '../model/index.js';

/**
 * What each minor piece of a junction crossing (`RoadConnection.minorCrossings`) adds to a route's cost (s):
 * duarouter's default `--weights.minor-penalty` (SUMO 1.15: 1.5 s on every internal edge that a connection in state
 * `m`, `=`, `s` or `w` leads through, RONetHandler), so that citybay's cars take the routes duarouter gives the same
 * trips (randomTrips.py's routes). On benchmark (c) without it about 500 of 1,700 routes differed from duarouter's.
 */
export const MINOR_LINK_PENALTY_S = 1.5;

/**
 * Cost of each edge in seconds, indexed like `network.edges` (see {@link Router.edgeIndex}). Lets the
 * simulator pass measured travel times instead of free-flow ones.
 */
export type EdgeCostS = ArrayLike<number>;

/** A route as edge ids, first edge (where the car is) to last edge (where it goes), both included. */
export interface RoutePath {
  edgeIds: string[];
  /** Sum of the costs of every edge on the route, first and last included, and of the junctions crossed between them. */
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

/**
 * An all-to-one free-flow tree settled lazily: Dijkstra from the target runs only as far as the edges asked about (and
 * resumes when a farther one is asked), so a destination whose cars all start near it costs a fraction of a full tree.
 * The values are those of the full tree (`treeTo`) bit for bit: the search is the same, paused between iterations.
 */
export interface LazyTreeTo {
  /** Cost from the start of `edge` to the end of the target (Infinity if unreachable). */
  costS(edge: number): number;
  /** The edge to take after `edge` (-1 at the target or when unreachable). */
  nextEdge(edge: number): number;
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
  /** What taking `to` right after `from` adds to a route's cost besides `to` itself (s; Infinity: not connected). */
  arcCostS(from: number, to: number): number;
  shortestPath(fromEdgeId: string, toEdgeId: string, edgeCostS?: EdgeCostS): RoutePath | undefined;
  /** All-to-one: from every edge to `targetEdgeId`. */
  treeTo(targetEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree;
  /** All-to-one on free-flow costs, settled only as far as asked (see {@link LazyTreeTo}). */
  lazyTreeTo(targetEdgeIndex: number): LazyTreeTo;
  /** One-to-all: from `sourceEdgeId` to every edge. */
  treeFrom(sourceEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree;
}

interface Adjacency {
  offsets: Int32Array;
  targets: Int32Array;
  /** Cost of taking each arc itself (s): the time to cross the junction between the two edges, when known. */
  arcCostS: Float64Array;
}

function buildAdjacency(edgeCount: number, pairs: Array<[number, number, number]>): Adjacency {
  const offsets = new Int32Array(edgeCount + 1);
  for (const [from] of pairs) offsets[from + 1] = (offsets[from + 1] ?? 0) + 1;
  for (let i = 0; i < edgeCount; i++) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const fill = offsets.slice(0, edgeCount);
  const targets = new Int32Array(pairs.length);
  const arcCostS = new Float64Array(pairs.length);
  for (const [from, to, costS] of pairs) {
    const at = fill[from] ?? 0;
    targets[at] = to;
    arcCostS[at] = costS;
    fill[from] = at + 1;
  }
  return { offsets, targets, arcCostS };
}

/**
 * Builds a router over an edge-based graph: a car on edge `a` may continue on edge `b` only when the
 * network lists the connection `a → b`, so turn bans hold. A network with no connections at all (a
 * hand-written one) gets every `toNode = fromNode` pair except the U-turn onto the reverse edge.
 */
export function createRouter(network: RoadNetwork): Router {
  return new EdgeRouter(network);
}

/**
 * A class rather than an object of closures: a router is built for every scenario run, and closures made afresh
 * each time are new call targets for V8, so the callers' optimised code was thrown away and recompiled run after run.
 */
class EdgeRouter implements Router {
  readonly edgeCount: number;
  readonly freeFlowCostS: Float64Array;
  private readonly network: RoadNetwork;
  private readonly indexById = new Map<string, number>();
  private readonly forward: Adjacency;
  private readonly backward: Adjacency;
  // Reused across queries so a query allocates only its result arrays. Each arc is relaxed at most once,
  // so the lazy-deletion heap never holds more than arcs + 1 entries.
  private readonly heapNodes: Int32Array;
  private readonly heapKeys: Float64Array;
  private readonly settled: Uint8Array;
  private readonly scratchDist: Float64Array;
  private readonly scratchPrev: Int32Array;
  private readonly scratch: Search;

  constructor(network: RoadNetwork) {
    this.network = network;
    const edgeCount = network.edges.length;
    this.edgeCount = edgeCount;
    const indexById = this.indexById;
    const freeFlowCostS = new Float64Array(edgeCount);
    this.freeFlowCostS = freeFlowCostS;
    network.edges.forEach((edge, i) => {
      indexById.set(edge.id, i);
      freeFlowCostS[i] = edge.speedMps > 0 ? edge.lengthM / edge.speedMps : Number.POSITIVE_INFINITY;
    });
    const pairs: Array<[number, number, number]> = [];
    if (network.connections.length > 0) {
      const seen = new Map<string, number>();
      for (const c of network.connections) {
        const from = indexById.get(c.fromEdgeId);
        const to = indexById.get(c.toEdgeId);
        if (from === undefined || to === undefined) continue;
        // Crossing the junction costs its internal lane's time (a U-turn or a tight turn is slow), as SUMO's routers
        // count internal edges, and a minor link duarouter's penalty on top; SUMO lists one connection per lane pair:
        // one arc per edge pair, the cheapest.
        const crossS =
          (c.viaLengthM !== undefined && c.viaSpeedMps !== undefined && c.viaSpeedMps > 0
            ? c.viaLengthM / c.viaSpeedMps
            : 0) +
          (c.minorCrossings ?? 0) * MINOR_LINK_PENALTY_S;
        const key = `${from}>${to}`;
        const at = seen.get(key);
        if (at !== undefined) {
          if (crossS < pairs[at]![2]) pairs[at]![2] = crossS;
          continue;
        }
        seen.set(key, pairs.length);
        pairs.push([from, to, crossS]);
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
          if (next !== undefined && next.toNodeId !== edge.fromNodeId) pairs.push([i, j, 0]);
        }
      });
    }
    this.forward = buildAdjacency(edgeCount, pairs);
    this.backward = buildAdjacency(
      edgeCount,
      pairs.map(([a, b, costS]) => [b, a, costS]),
    );
    this.heapNodes = new Int32Array(Math.max(1, pairs.length + edgeCount));
    this.heapKeys = new Float64Array(Math.max(1, pairs.length + edgeCount));
    this.settled = new Uint8Array(edgeCount);
    this.scratchDist = new Float64Array(edgeCount);
    this.scratchPrev = new Int32Array(edgeCount);
    this.scratch = new Search(this.scratchDist, this.scratchPrev, this.settled, this.heapKeys, this.heapNodes);
  }

  edgeIndex(edgeId: string): number {
    return this.indexById.get(edgeId) ?? -1;
  }

  edgeId(i: number): string {
    return this.network.edges[i]?.id ?? '';
  }

  successors(i: number): Int32Array {
    return this.forward.targets.subarray(this.forward.offsets[i] ?? 0, this.forward.offsets[i + 1] ?? 0);
  }

  arcCostS(from: number, to: number): number {
    const { offsets, targets, arcCostS } = this.forward;
    for (let k = offsets[from] ?? 0, end = offsets[from + 1] ?? 0; k < end; k++) {
      if (targets[k] === to) return arcCostS[k] as number;
    }
    return Number.POSITIVE_INFINITY;
  }

  shortestPath(fromEdgeId: string, toEdgeId: string, edgeCostS?: EdgeCostS): RoutePath | undefined {
    const from = this.indexOrThrow(fromEdgeId);
    const to = this.indexOrThrow(toEdgeId);
    const search = this.scratch;
    search.start(from, this.costsOf(edgeCostS));
    search.settleUntil(this.forward, this.costsOf(edgeCostS), to);
    const costS = this.scratchDist[to] as number;
    if (!Number.isFinite(costS) || this.settled[to] !== 1) return undefined;
    const ids: string[] = [];
    for (let i = to; i !== -1; i = this.scratchPrev[i] as number) ids.push(this.network.edges[i]?.id ?? '');
    ids.reverse();
    return { edgeIds: ids, costS };
  }

  treeTo(targetEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree {
    return this.tree(targetEdgeId, 'to', edgeCostS);
  }

  lazyTreeTo(targetEdgeIndex: number): LazyTreeTo {
    if (!(targetEdgeIndex >= 0 && targetEdgeIndex < this.edgeCount)) {
      throw new RangeError(`unknown edge index ${targetEdgeIndex}`);
    }
    return new LazyTree(targetEdgeIndex, this.backward, this.freeFlowCostS);
  }

  treeFrom(sourceEdgeId: string, edgeCostS?: EdgeCostS): ShortestPathTree {
    return this.tree(sourceEdgeId, 'from', edgeCostS);
  }

  private costsOf(edgeCostS: EdgeCostS | undefined): EdgeCostS {
    if (edgeCostS === undefined) return this.freeFlowCostS;
    if (edgeCostS.length !== this.edgeCount) {
      throw new RangeError(`edgeCostS has ${edgeCostS.length} entries, the network has ${this.edgeCount} edges`);
    }
    return edgeCostS;
  }

  private indexOrThrow(edgeId: string): number {
    const i = this.indexById.get(edgeId);
    if (i === undefined) throw new RangeError(`unknown edge "${edgeId}"`);
    return i;
  }

  private tree(rootId: string, direction: 'to' | 'from', edgeCostS: EdgeCostS | undefined): ShortestPathTree {
    const root = this.indexOrThrow(rootId);
    const cost = this.costsOf(edgeCostS);
    const costS = new Float64Array(this.edgeCount);
    const nextEdge = new Int32Array(this.edgeCount);
    const search = new Search(costS, nextEdge, this.settled, this.heapKeys, this.heapNodes);
    search.start(root, cost);
    search.settleUntil(direction === 'to' ? this.backward : this.forward, cost, -1);
    return new EdgeTree(root, direction, costS, nextEdge, this.indexById, this.network);
  }
}

/**
 * Lazy-deletion Dijkstra on a binary heap of (key, edge) pairs in typed arrays, as a state that can pause after any
 * settled edge and resume: the operations, and so the results (ties included), are those of one uninterrupted run.
 */
class Search {
  size = 0;

  constructor(
    readonly dist: Float64Array,
    readonly next: Int32Array,
    readonly settled: Uint8Array,
    private heapKeys: Float64Array,
    private heapNodes: Int32Array,
  ) {}

  start(root: number, cost: EdgeCostS): void {
    this.dist.fill(Number.POSITIVE_INFINITY);
    this.next.fill(-1);
    this.settled.fill(0);
    this.size = 0;
    this.dist[root] = cost[root] as number;
    this.push(root, this.dist[root] as number);
  }

  /** Runs until `stopAt` is settled (its arcs relaxed) or the heap is empty (`stopAt` -1: the whole tree). */
  settleUntil(adjacency: Adjacency, cost: EdgeCostS, stopAt: number): void {
    const { dist, next, settled } = this;
    const { offsets, targets, arcCostS } = adjacency;
    let { heapKeys, heapNodes, size } = this;
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
      const end = offsets[node + 1] as number;
      for (let k = offsets[node] as number; k < end; k++) {
        const other = targets[k] as number;
        const candidate = key + (cost[other] as number) + (arcCostS[k] as number);
        if (candidate < (dist[other] as number)) {
          dist[other] = candidate;
          next[other] = node;
          if (size === heapKeys.length) {
            this.size = size;
            this.grow();
            ({ heapKeys, heapNodes } = this);
          }
          // Push (candidate, other): sift up from the end.
          let i = size++;
          while (i > 0) {
            const parent = (i - 1) >> 1;
            const parentKey = heapKeys[parent] as number;
            if (parentKey <= candidate) break;
            heapKeys[i] = parentKey;
            heapNodes[i] = heapNodes[parent] as number;
            i = parent;
          }
          heapKeys[i] = candidate;
          heapNodes[i] = other;
        }
      }
      if (node === stopAt) break;
    }
    this.size = size;
  }

  private push(node: number, key: number): void {
    if (this.size === this.heapKeys.length) this.grow();
    const { heapKeys, heapNodes } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = heapKeys[parent] as number;
      if (parentKey <= key) break;
      heapKeys[i] = parentKey;
      heapNodes[i] = heapNodes[parent] as number;
      i = parent;
    }
    heapKeys[i] = key;
    heapNodes[i] = node;
  }

  /** Only a lazy tree's heap starts small (the shared one holds arcs + edges): doubles it. */
  private grow(): void {
    const keys = new Float64Array(this.heapKeys.length * 2);
    const nodes = new Int32Array(this.heapNodes.length * 2);
    keys.set(this.heapKeys);
    nodes.set(this.heapNodes);
    this.heapKeys = keys;
    this.heapNodes = nodes;
  }
}

class LazyTree implements LazyTreeTo {
  private readonly search: Search;

  constructor(
    root: number,
    private readonly adjacency: Adjacency,
    private readonly cost: Float64Array,
  ) {
    const n = cost.length;
    this.search = new Search(
      new Float64Array(n),
      new Int32Array(n),
      new Uint8Array(n),
      new Float64Array(16),
      new Int32Array(16),
    );
    this.search.start(root, cost);
  }

  costS(edge: number): number {
    this.settle(edge);
    return this.search.dist[edge] as number;
  }

  nextEdge(edge: number): number {
    this.settle(edge);
    return this.search.next[edge] as number;
  }

  private settle(edge: number): void {
    // Unsettled once the heap is empty: unreachable (Infinity, -1), as in the full tree.
    if (this.search.settled[edge] === 0 && this.search.size > 0)
      this.search.settleUntil(this.adjacency, this.cost, edge);
  }
}

class EdgeTree implements ShortestPathTree {
  constructor(
    readonly rootEdgeIndex: number,
    readonly direction: 'to' | 'from',
    readonly costS: Float64Array,
    readonly nextEdge: Int32Array,
    private readonly indexById: ReadonlyMap<string, number>,
    private readonly network: RoadNetwork,
  ) {}

  pathFrom(edgeId: string): RoutePath | undefined {
    const start = this.indexById.get(edgeId);
    if (start === undefined || !Number.isFinite(this.costS[start] as number)) return undefined;
    const ids: string[] = [];
    for (let i = start; i !== -1; i = this.nextEdge[i] as number) ids.push(this.network.edges[i]?.id ?? '');
    if (this.direction === 'from') ids.reverse();
    return { edgeIds: ids, costS: this.costS[start] as number };
  }
}
