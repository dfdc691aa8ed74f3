import type { RoadNetwork } from '../model/index.js';
import { laneStorageVeh } from './lane-storage.js';
import type { LinkGraph } from './link-graph.js';

/** Lanes per link are kept as bits of one integer: wider roads are modelled with their 30 rightmost lanes. */
const MAX_LANES = 30;
/** SUMO LC2013's `TURN_LANE_DIST`: a car leaves its best lane for speed only onto a lane it can follow this far (m). */
const TURN_LANE_DIST_M = 200;

/**
 * The lanes of the network and the *lane links* between them: lane *l* of a link may go on to the next link *n* (with
 * the lanes of *n* it reaches, as a bit mask), under a traffic light's signal index and the right of way of its
 * junction. From a SUMO net these are its lane-level connections (car lanes only); for a built-in network the turn
 * lanes are assigned as netconvert does by default: successors ordered right to left share the lanes out from the
 * right, a straight successor may use every lane, right turns reach the rightmost lane and left turns the leftmost.
 */
export class LaneLayout {
  readonly laneCount: number;
  /** Lanes of link `e` are `laneBase[e]` … `laneBase[e + 1] − 1`, rightmost first. */
  readonly laneBase: Int32Array;
  readonly laneEdge: Int32Array;
  /**
   * Cars a lane holds when jammed, as SUMO stands them: every car whose front is on the lane, the first 1 m short of its
   * end and one jam spacing apart, the last one's rear maybe in the junction behind (`laneStorageVeh`).
   */
  readonly laneStorage: Int32Array;
  /** Lane links of lane `l` are `linkBase[l]` … `linkBase[l + 1] − 1`. */
  readonly linkBase: Int32Array;
  readonly linkTo: Int32Array;
  /** Lanes of `linkTo` reachable from this lane without changing lanes (bit i = lane i). */
  readonly linkToMask: Int32Array;
  /** Time to cross the junction on this link (s): its internal lane's length / speed (0 when unknown). */
  readonly linkCrossS: Float64Array;
  /** Speed limit across the junction (its internal lane's; 0 when unknown). */
  readonly linkCrossSpeed: Float64Array;
  /** Signal program index (-1 none) and the link's index in its state strings. */
  readonly linkSignal: Int32Array;
  readonly linkSignalIndex: Int32Array;
  /** Lane links this one yields to (junction right of way), `conflictBase[k]` … `conflictBase[k + 1] − 1`. */
  readonly conflictBase: Int32Array;
  readonly conflicts: Int32Array;
  /** 1 where a yielding link waits for its gap inside the junction (SUMO `cont="1"`), not at the stop line. */
  readonly linkWaitsInside: Uint8Array;
  /**
   * Per tree, two entries per link: its preferred lanes (-1: not worked out yet) and the tree's next link after it, side
   * by side so a car entering a link finds its next hop in the cache line its lane choice just read. Allocated on first
   * use like the tree.
   */
  private readonly preferred: Int32Array[] = [];
  /** Per tree: each lane's continuation along the route (m), filled with `preferred`. */
  private readonly continuation: Float64Array[] = [];
  /**
   * Per tree: for each lane that leads to the route's next link, the distance it lets a car drive on past its own
   * link without a lane change, as SUMO's best lanes count it (the next lane's length even where it leads no further).
   */
  private readonly placeAfter: Float32Array[] = [];
  /** Per tree and link: the lanes a car may take for speed (`speedGainLanes`), apart from the hot cache above. */
  private readonly gainLanes: Int32Array[] = [];
  private readonly chain: number[] = [];

  constructor(
    network: RoadNetwork,
    private readonly graph: LinkGraph,
    jamSpacingM: number,
    private readonly lookaheadM: number,
  ) {
    const E = graph.edgeCount;
    const router = graph.router;
    this.laneBase = new Int32Array(E + 1);
    for (let e = 0; e < E; e++) {
      this.laneBase[e + 1] = this.laneBase[e]! + Math.min(MAX_LANES, Math.max(1, network.edges[e]!.laneCount));
    }
    const L = this.laneBase[E]!;
    this.laneCount = L;
    this.laneEdge = new Int32Array(L);
    this.laneStorage = new Int32Array(L);
    for (let e = 0; e < E; e++) {
      for (let l = this.laneBase[e]!; l < this.laneBase[e + 1]!; l++) {
        this.laneEdge[l] = e;
        this.laneStorage[l] = laneStorageVeh(graph.lengthM[e]!, jamSpacingM);
      }
    }
    // One lane link per (lane, next link): its reachable lanes and the first signal / junction index met.
    type Link = {
      lane: number;
      to: number;
      mask: number;
      tl: string;
      tlIndex: number;
      j: number;
      crossS: number;
      crossSpeed: number;
    };
    const links = new Map<number, Link>();
    const add = (
      lane: number,
      to: number,
      toLane: number,
      tl = '',
      tlIndex = -1,
      j = -1,
      crossS = 0,
      crossSpeed = 0,
    ) => {
      const key = lane * E + to;
      const link = links.get(key);
      if (link === undefined) links.set(key, { lane, to, mask: 1 << toLane, tl, tlIndex, j, crossS, crossSpeed });
      else link.mask |= 1 << toLane;
    };
    const lanesOf = (e: number) => this.laneBase[e + 1]! - this.laneBase[e]!;
    const laneLevel = new Uint8Array(E);
    for (const c of network.connections) {
      const from = router.edgeIndex(c.fromEdgeId);
      const to = router.edgeIndex(c.toEdgeId);
      if (from < 0 || to < 0 || c.fromLane === undefined || c.toLane === undefined) continue;
      if (c.fromLane >= lanesOf(from) || c.toLane >= lanesOf(to)) continue;
      laneLevel[from] = 1;
      const crossS = c.viaLengthM !== undefined && c.viaSpeedMps !== undefined ? c.viaLengthM / c.viaSpeedMps : 0;
      const lane = this.laneBase[from]! + c.fromLane;
      add(lane, to, c.toLane, c.tlId ?? '', c.tlLinkIndex ?? -1, c.junctionLink ?? -1, crossS, c.viaSpeedMps ?? 0);
    }
    for (let e = 0; e < E; e++) if (laneLevel[e] === 0) this.defaultLanes(network, e, add);

    const ordered = [...links.values()].sort((a, b) => a.lane - b.lane || a.to - b.to);
    const K = ordered.length;
    this.linkBase = new Int32Array(L + 1);
    this.linkTo = new Int32Array(K);
    this.linkToMask = new Int32Array(K);
    this.linkCrossS = new Float64Array(K);
    this.linkCrossSpeed = new Float64Array(K);
    this.linkSignal = new Int32Array(K).fill(-1);
    this.linkSignalIndex = new Int32Array(K).fill(-1);
    const signalIndex = new Map((network.signals ?? []).map((program, i) => [program.id, i]));
    const byJunctionLink = new Map<string, number>();
    ordered.forEach((link, k) => {
      this.linkBase[link.lane + 1]!++;
      this.linkTo[k] = link.to;
      this.linkToMask[k] = link.mask;
      this.linkCrossS[k] = link.crossS;
      this.linkCrossSpeed[k] = link.crossSpeed;
      const program = signalIndex.get(link.tl);
      if (program !== undefined && link.tlIndex >= 0) {
        this.linkSignal[k] = program;
        this.linkSignalIndex[k] = link.tlIndex;
      }
      if (link.j >= 0) byJunctionLink.set(`${network.edges[this.laneEdge[link.lane]!]!.toNodeId}\u0000${link.j}`, k);
    });
    for (let l = 0; l < L; l++) this.linkBase[l + 1]! += this.linkBase[l]!;
    // Right of way: the lane links each one yields to, from its junction's table (SUMO `<request response>`).
    const yieldLists: number[][] = ordered.map(() => []);
    const junctionOf = new Map((network.junctions ?? []).map((junction) => [junction.nodeId, junction]));
    this.linkWaitsInside = new Uint8Array(K);
    ordered.forEach((link, k) => {
      if (link.j < 0) return;
      const node = network.edges[this.laneEdge[link.lane]!]!.toNodeId;
      if (junctionOf.get(node)?.waitsInside?.includes(link.j) === true) this.linkWaitsInside[k] = 1;
      for (const j of junctionOf.get(node)?.mustYieldTo[link.j] ?? []) {
        const foe = byJunctionLink.get(`${node}\u0000${j}`);
        if (foe !== undefined && foe !== k && !yieldLists[k]!.includes(foe)) yieldLists[k]!.push(foe);
      }
    });
    this.conflictBase = new Int32Array(K + 1);
    yieldLists.forEach((list, k) => (this.conflictBase[k + 1] = this.conflictBase[k]! + list.length));
    this.conflicts = Int32Array.from(yieldLists.flat());
  }

  /** The lane link from lane `l` to link `to`, or -1 when the lane does not lead there. */
  linkFrom(l: number, to: number): number {
    for (let k = this.linkBase[l]!, end = this.linkBase[l + 1]!; k < end; k++) if (this.linkTo[k] === to) return k;
    return -1;
  }

  /**
   * The lanes of link `e` a car on tree `tree` (towards `dest`) wants: those from which it can follow its route the
   * longest without changing lanes, over the layout's `lookaheadM` (SUMO's "best lanes"). Cached per tree and link: a tree fixes the
   * route ahead.
   *
   * Worked out backwards along the route, once per tree and link: a lane's continuation is 0 if it does not lead to the
   * route's next link, else its link's length plus the best continuation among the next link's lanes it reaches,
   * capped at `lookaheadM` (the destination link: its length, any lane). Capping at every link gives what a window of
   * `lookaheadM` ahead of each link gives (lanes that last the whole window tie), at one step per link instead of one
   * per link of the window: re-walking 1.5 km windows of short city links was a sixth of the OSM benchmark's run.
   */
  preferredLanes(tree: number, e: number, dest: number): number {
    let cache = this.preferred[tree];
    if (cache === undefined) {
      cache = new Int32Array(2 * this.graph.edgeCount).fill(-1);
      this.preferred[tree] = cache;
      this.continuation[tree] = new Float64Array(this.laneCount);
      this.placeAfter[tree] = new Float32Array(this.laneCount);
      this.gainLanes[tree] = new Int32Array(this.graph.edgeCount);
    }
    if (cache[2 * e]! >= 0) return cache[2 * e]!;
    const { graph, chain, lookaheadM } = this;
    const cont = this.continuation[tree]!;
    const place = this.placeAfter[tree]!;
    const gain = this.gainLanes[tree]!;
    chain.length = 0;
    for (let link = e; link >= 0 && cache[2 * link]! < 0;) {
      chain.push(link);
      link = link === dest ? -1 : graph.nextHop(tree, link);
    }
    for (let w = chain.length - 1; w >= 0; w--) {
      const link = chain[w]!;
      const next = link === dest ? -1 : graph.nextHop(tree, link);
      const base = this.laneBase[link]!;
      const lanes = this.laneBase[link + 1]! - base;
      const lengthM = graph.lengthM[link]!;
      let max = 0;
      let leadsOn = 0;
      for (let i = 0; i < lanes; i++) {
        let value = lengthM;
        place[base + i] = 0;
        if (next >= 0) {
          const k = this.linkFrom(base + i, next);
          if (k < 0) value = 0;
          else {
            let best = 0;
            const nextBase = this.laneBase[next]!;
            // The lanes reached, lowest set bit first.
            for (let m = this.linkToMask[k]!; m !== 0; m &= m - 1) {
              const j = 31 - Math.clz32(m & -m);
              if (cont[nextBase + j]! > best) best = cont[nextBase + j]!;
            }
            value = lengthM + best;
            if (value > lookaheadM) value = lookaheadM;
            place[base + i] = Math.max(graph.lengthM[next]!, best);
            leadsOn |= 1 << i;
          }
        }
        cont[base + i] = value;
        if (value > max) max = value;
      }
      let mask = 0;
      for (let i = 0; i < lanes; i++) if (cont[base + i] === max) mask |= 1 << i;
      // Lanes a car may take for speed instead of a best lane: they lead to the next link, and (SUMO's LC2013 keeps a
      // car on its best lane otherwise, `TURN_LANE_DIST`) they let it drive at least 200 m without changing lanes.
      let gainMask = 0;
      for (let i = 0; i < lanes; i++) {
        if ((leadsOn & ~mask & (1 << i)) !== 0 && lengthM + place[base + i]! >= TURN_LANE_DIST_M) gainMask |= 1 << i;
      }
      cache[2 * link] = mask;
      cache[2 * link + 1] = next;
      gain[link] = gainMask;
    }
    return cache[2 * e]!;
  }

  /**
   * The lanes of link `e` that are not among the car's best lanes there but lead to its next link for at least
   * `TURN_LANE_DIST_M` (bit mask): where SUMO's cars may change lanes for speed. Call after `preferredLanes` for the tree
   * and link.
   */
  speedGainLanes(tree: number, e: number): number {
    return this.gainLanes[tree]![e]!;
  }

  /** How far lane `l` (a speed-gain lane of tree `tree`) lets a car drive on past its link (m); see `placeAfter`. */
  placeAfterM(tree: number, l: number): number {
    return this.placeAfter[tree]![l]!;
  }

  /**
   * The link after `e` on tree `tree` (-1 at its destination), as `graph.nextHop` gives it: read from the lane cache
   * when `preferredLanes` has worked out `e` for the tree (a car's lane choice on `e` did, just before).
   */
  nextHop(tree: number, e: number): number {
    const cache = this.preferred[tree];
    return cache === undefined || cache[2 * e]! < 0 ? this.graph.nextHop(tree, e) : cache[2 * e + 1]!;
  }

  private defaultLanes(network: RoadNetwork, e: number, add: (lane: number, to: number, toLane: number) => void): void {
    const successors = Array.from(this.graph.router.successors(e));
    if (successors.length === 0) return;
    const heading = (i: number) => {
      const edge = network.edges[i]!;
      const from = this.graph.nodeXY(edge.fromNodeId);
      const to = this.graph.nodeXY(edge.toNodeId);
      return Math.atan2(to[1] - from[1], to[0] - from[0]);
    };
    const own = heading(e);
    const turn = (i: number) => {
      let delta = heading(i) - own;
      while (delta > Math.PI) delta -= 2 * Math.PI;
      while (delta <= -Math.PI) delta += 2 * Math.PI;
      return delta;
    };
    const sorted = successors.map((to) => ({ to, delta: turn(to) })).sort((a, b) => a.delta - b.delta || a.to - b.to);
    const n = this.laneBase[e + 1]! - this.laneBase[e]!;
    const k = sorted.length;
    sorted.forEach(({ to, delta }, i) => {
      const toLanes = this.laneBase[to + 1]! - this.laneBase[to]!;
      const isStraight = Math.abs(delta) < Math.PI / 6 || k === 1;
      const first = isStraight ? 0 : Math.floor((i * n) / k);
      const last = isStraight ? n - 1 : Math.max(first, Math.ceil(((i + 1) * n) / k) - 1);
      for (let lane = first; lane <= last; lane++) {
        const toLane = isStraight ? Math.min(lane, toLanes - 1) : delta < 0 ? 0 : toLanes - 1;
        add(this.laneBase[e]! + lane, to, toLane);
      }
    });
  }
}
