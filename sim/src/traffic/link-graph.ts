import { errors } from '../errors.js';
import type { RoadNetwork } from '../model/index.js';
import { createRouter, type LazyTreeTo, type Router } from '../routing/shortest-paths.js';
import { laneStorageVeh } from './lane-storage.js';
import type { TrafficParams } from './traffic-params.js';

/** Routable (tree, link) pairs kept by `hasRoute` before it starts over (a long sweep's many demands). */
const MAX_ROUTABLE_PAIRS = 1 << 18;

/**
 * The network compiled for the link model: one slot per edge in typed arrays, plus all-to-one shortest-path
 * trees (free-flow time) built on demand per destination edge and shared by every car going there. A tree is settled
 * only as far as its cars need (their origins and what lies on their routes): on the OSM city a full tree per
 * destination was ~40% of the run.
 */
export class LinkGraph {
  readonly edgeCount: number;
  readonly router: Router;
  readonly lengthM: Float64Array;
  readonly lanes: Int32Array;
  /** Time the mean car (speed factor 1) takes to drive the link free: length / (limit × `freeFlowSpeedFactor`). */
  readonly freeTimeS: Float64Array;
  /** The link's speed limit (m/s). */
  readonly speedLimitMps: Float64Array;
  /** Cars the link holds when jammed: lanes × a lane's storage (`laneStorageVeh`, as SUMO stands them). */
  readonly storageVeh: Float64Array;
  /** Outflow capacity (veh/s): lanes × saturation flow. */
  readonly capacityVehPerS: Float64Array;
  private readonly treeSlot = new Map<number, number>();
  private readonly nodes = new Map<string, [number, number]>();
  private readonly trees: LazyTreeTo[] = [];
  private readonly routable = new Set<number>();

  constructor(network: RoadNetwork, params: TrafficParams) {
    this.router = createRouter(network);
    for (const node of network.nodes) this.nodes.set(node.id, [node.xM, node.yM]);
    this.edgeCount = network.edges.length;
    this.lengthM = new Float64Array(this.edgeCount);
    this.lanes = new Int32Array(this.edgeCount);
    this.freeTimeS = new Float64Array(this.edgeCount);
    this.speedLimitMps = new Float64Array(this.edgeCount);
    this.storageVeh = new Float64Array(this.edgeCount);
    this.capacityVehPerS = new Float64Array(this.edgeCount);
    network.edges.forEach((edge, i) => {
      this.lengthM[i] = edge.lengthM;
      this.lanes[i] = edge.laneCount;
      // The junction at its end is crossed per turn (LaneLayout.linkCrossS): a turn takes longer than going straight.
      this.freeTimeS[i] = edge.lengthM / edge.speedMps / params.freeFlowSpeedFactor;
      this.speedLimitMps[i] = edge.speedMps;
      this.storageVeh[i] = Math.max(1, edge.laneCount) * laneStorageVeh(edge.lengthM, params.jamSpacingM);
      this.capacityVehPerS[i] = (edge.laneCount * params.saturationFlowVehPerHourPerLane) / 3600;
    });
  }

  /** A node's position (m); the origin for an unknown node. */
  nodeXY(nodeId: string): [number, number] {
    return this.nodes.get(nodeId) ?? [0, 0];
  }

  /** Index of an edge id; throws `CB_DEMAND_INVALID` naming `where` when it does not exist. */
  edgeIndexOrThrow(edgeId: string, where: string): number {
    const index = this.router.edgeIndex(edgeId);
    if (index < 0) throw errors.CB_DEMAND_INVALID(`${where}: unknown edge "${edgeId}"`, { path: where });
    return index;
  }

  /** Slot of the tree towards `destination`, building it the first time. */
  treeSlotFor(destination: number): number {
    let slot = this.treeSlot.get(destination);
    if (slot === undefined) {
      slot = this.trees.length;
      this.trees.push(this.router.lazyTreeTo(destination));
      this.treeSlot.set(destination, slot);
    }
    return slot;
  }

  nextHop(slot: number, edge: number): number {
    return this.trees[slot]!.nextEdge(edge);
  }

  /**
   * Whether `edge` has a route to the tree's destination (`costToS` finite). The pairs found routable are kept in a
   * small set (tree × links + link): every run checks every car, and on a city network each check read the arrays
   * of another tree, a cache miss or two per car (3% of a (c) run); the set stays in the cache.
   */
  hasRoute(slot: number, edge: number): boolean {
    const key = slot * this.edgeCount + edge;
    if (this.routable.has(key)) return true;
    if (!Number.isFinite(this.costToS(slot, edge))) return false;
    if (this.routable.size >= MAX_ROUTABLE_PAIRS) this.routable.clear();
    this.routable.add(key);
    return true;
  }

  /** Free-flow time from the start of `edge` to the end of the tree's destination (Infinity if unreachable). */
  costToS(slot: number, edge: number): number {
    return this.trees[slot]!.costS(edge);
  }

  /**
   * Per link, the index of the entry edge whose *funnel* it is in (-1 if none): a funnel is an entry edge plus the
   * links upstream of it that lead nowhere else, i.e. where a driver no longer has a choice.
   */
  funnels(entryEdges: ArrayLike<number>): Int32Array {
    const owner = new Int32Array(this.edgeCount).fill(-1);
    const predecessors: number[][] = Array.from({ length: this.edgeCount }, () => []);
    for (let p = 0; p < this.edgeCount; p++) {
      const successors = this.router.successors(p);
      if (successors.length === 1) predecessors[successors[0]!]!.push(p);
    }
    for (let l = 0; l < entryEdges.length; l++) {
      const stack = [entryEdges[l]!];
      owner[stack[0]!] = l;
      while (stack.length > 0) {
        for (const p of predecessors[stack.pop()!]!) {
          if (owner[p] !== -1) continue;
          owner[p] = l;
          stack.push(p);
        }
      }
    }
    return owner;
  }
}
