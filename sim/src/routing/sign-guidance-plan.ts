import type { BayKind, RoadNetwork } from '../model/index.js';
import { turnDirection, type TurnDirection } from './route-text.js';
import { createRouter, type EdgeCostS, type Router } from './shortest-paths.js';

/** What a sign needs to know about one lot right now. */
export interface GuidanceLotState {
  lotId: string;
  /** Short label for the sign ("P2"); default the id. */
  label?: string;
  entryEdgeId: string;
  freeBaysByKind: Partial<Record<BayKind, number>>;
  /** Cars waiting at the entry gate. Default 0. */
  gateQueueVeh?: number;
  gateServiceVehPerMin: number;
  /** A closed lot is never shown. Default true. */
  isOpen?: boolean;
}

/** A guidance sign at a decision point: it stands on `edgeId`, before the junction at its end. */
export interface GuidanceSignSpec {
  signId: string;
  edgeId: string;
  /** Lines on the sign. Default 3. */
  maxLots?: number;
}

export interface SignGuidanceOptions {
  /** Bay kinds a sign counts (the free count shown is their sum). Default `['standard']`. */
  kinds?: BayKind[];
  /** A lot with fewer free bays than this shows FULL. Default 1. */
  minFreeBays?: number;
  /** Show full lots (as FULL) after the free ones, when lines are left. Default true. */
  showFull?: boolean;
  /** Travel time per edge (seconds, indexed like `network.edges`); default free flow. */
  edgeCostS?: EdgeCostS;
}

export type SignArrow = TurnDirection | 'here';

export interface SignLine {
  lotId: string;
  label: string;
  /** `here` when the lot's gate is at the end of the sign's own edge. */
  arrow: SignArrow;
  /** Edge to take after the sign's junction (absent for `here`). */
  nextEdgeId?: string;
  freeBays: number;
  isFull: boolean;
  driveS: number;
  gateWaitS: number;
}

export interface SignPlan {
  signId: string;
  edgeId: string;
  /** Best first: free lots by drive + gate wait, then full ones. */
  lines: SignLine[];
  /** The lot the sign sends cars to (the first free line), if any. */
  recommendedLotId?: string;
}

/**
 * For every sign, the lots to show and the arrow to each: the first turn of the shortest path from the
 * sign to that lot's gate. Because every arrow towards a lot follows one shortest-path tree, a driver who
 * keeps following the same lot on successive signs drives the shortest path to it; lots are ranked by
 * drive time plus the wait their gate queue implies, so signs split arrivals across gates before a lot
 * fills. One tree per lot per call.
 */
export function planSignGuidance(
  network: RoadNetwork | Router,
  signs: readonly GuidanceSignSpec[],
  lots: readonly GuidanceLotState[],
  options: SignGuidanceOptions = {},
  geometry?: RoadNetwork,
): SignPlan[] {
  const router = 'treeTo' in network ? network : createRouter(network);
  const roads = 'treeTo' in network ? geometry : network;
  const kinds = options.kinds ?? ['standard'];
  const minFree = options.minFreeBays ?? 1;
  const showFull = options.showFull ?? true;
  const open = lots.filter((lot) => lot.isOpen !== false && router.edgeIndex(lot.entryEdgeId) >= 0);
  const trees = open.map((lot) => router.treeTo(lot.entryEdgeId, options.edgeCostS));
  return signs.map((sign) => {
    const at = router.edgeIndex(sign.edgeId);
    if (at < 0) throw new RangeError(`sign "${sign.signId}": unknown edge "${sign.edgeId}"`);
    const lines: SignLine[] = [];
    // Plain loops and one literal per kind of object (optional fields present as undefined): the sign board calls
    // this every refresh inside the step loop, and shape changes here deoptimised that whole loop.
    for (let l = 0; l < open.length; l++) {
      const lot = open[l]!;
      const tree = trees[l];
      const driveS = tree?.costS[at] ?? Number.POSITIVE_INFINITY;
      if (tree === undefined || !Number.isFinite(driveS)) continue;
      const next = tree.nextEdge[at] ?? -1;
      let freeBays = 0;
      for (let k = 0; k < kinds.length; k++) freeBays += Math.max(0, lot.freeBaysByKind[kinds[k]!] ?? 0);
      lines.push({
        lotId: lot.lotId,
        label: lot.label ?? lot.lotId,
        arrow: next < 0 ? 'here' : roads === undefined ? 'straight' : turnDirection(roads, sign.edgeId, router.edgeId(next)),
        nextEdgeId: next >= 0 ? router.edgeId(next) : undefined,
        freeBays,
        isFull: freeBays < minFree,
        driveS,
        gateWaitS: ((lot.gateQueueVeh ?? 0) * 60) / lot.gateServiceVehPerMin,
      });
    }
    const free = lines.filter((x) => !x.isFull).sort((a, b) => a.driveS + a.gateWaitS - (b.driveS + b.gateWaitS));
    const full = showFull ? lines.filter((x) => x.isFull).sort((a, b) => a.driveS - b.driveS) : [];
    const shown = [...free, ...full].slice(0, sign.maxLots ?? 3);
    return { signId: sign.signId, edgeId: sign.edgeId, lines: shown, recommendedLotId: free[0]?.lotId };
  });
}
