import { type GuidanceSign, type GuidanceSituation, type KindCounts, planFaces } from '@citybay/guidance';
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

/** The part of a lot a sign's route depends on (its gate), fixed while its state changes. */
export type GuidanceLotPlace = Pick<GuidanceLotState, 'lotId' | 'entryEdgeId'>;

/**
 * The routes from every sign to every lot's gate — drive time, the edge after the sign's junction and its arrow —
 * worked out once, so that planning a sign face from the lots' live state only ranks lots. Every arrow towards a lot
 * follows one shortest-path tree, so a driver who keeps following the same lot on successive signs drives the
 * shortest path to it. A simulation replans its signs every 30 simulated seconds; building trees and arrows each
 * time made the planner most of a run's garbage.
 */
export class SignGuidanceTable {
  readonly signs: readonly GuidanceSignSpec[];
  private readonly lotCount: number;
  /** Per sign × lot (sign-major): drive time to the gate (Infinity when unreachable or the gate is unknown). */
  private readonly driveS: Float64Array;
  private readonly nextEdgeIds: Array<string | undefined>;
  private readonly arrows: SignArrow[];

  constructor(
    router: Router,
    signs: readonly GuidanceSignSpec[],
    lots: readonly GuidanceLotPlace[],
    edgeCostS?: EdgeCostS,
    geometry?: RoadNetwork,
  ) {
    this.signs = signs;
    this.lotCount = lots.length;
    const cells = signs.length * lots.length;
    this.driveS = new Float64Array(cells).fill(Number.POSITIVE_INFINITY);
    this.nextEdgeIds = new Array<string | undefined>(cells).fill(undefined);
    this.arrows = new Array<SignArrow>(cells).fill('here');
    const trees = lots.map((lot) =>
      router.edgeIndex(lot.entryEdgeId) >= 0 ? router.treeTo(lot.entryEdgeId, edgeCostS) : undefined,
    );
    for (let s = 0; s < signs.length; s++) {
      const sign = signs[s]!;
      const at = router.edgeIndex(sign.edgeId);
      if (at < 0) throw new RangeError(`sign "${sign.signId}": unknown edge "${sign.edgeId}"`);
      for (let l = 0; l < lots.length; l++) {
        const tree = trees[l];
        const driveS = tree?.costS[at] ?? Number.POSITIVE_INFINITY;
        if (tree === undefined || !Number.isFinite(driveS)) continue;
        const cell = s * lots.length + l;
        const next = tree.nextEdge[at] ?? -1;
        this.driveS[cell] = driveS;
        this.nextEdgeIds[cell] = next >= 0 ? router.edgeId(next) : undefined;
        this.arrows[cell] =
          next < 0
            ? 'here'
            : geometry === undefined
              ? 'straight'
              : turnDirection(geometry, sign.edgeId, router.edgeId(next));
      }
    }
  }

  /** The route from sign `sign` to lot `lot` (table order): drive time (Infinity: unreachable), first edge, arrow. */
  route(sign: number, lot: number): { driveS: number; nextEdgeId: string | undefined; arrow: SignArrow } {
    const cell = sign * this.lotCount + lot;
    return { driveS: this.driveS[cell]!, nextEdgeId: this.nextEdgeIds[cell], arrow: this.arrows[cell]! };
  }

  /**
   * Every sign's face for the lots' state now (`lots` in the table's lot order), decided by the guidance policy
   * (`@citybay/guidance`, the rule the edge runs): each sign a ranked sign with one candidate line per reachable lot,
   * counting `options.kinds`; FULL below `minFreeBays` (no hysteresis: each call is judged afresh); closed lots left
   * out.
   */
  plan(lots: readonly GuidanceLotState[], options: SignGuidanceOptions = {}): SignPlan[] {
    const kinds = options.kinds ?? ['standard'];
    const minFree = options.minFreeBays ?? 1;
    const showFull = options.showFull ?? true;
    const settings = { fullAtFree: minFree - 1, reopenAtFree: minFree, maxUnknownPct: 100 };
    const situation: GuidanceSituation = {
      zones: lots.map((lot) => ({ lotId: lot.lotId, zoneId: '', byKind: byKindOf(lot, kinds) })),
      reservations: [],
      statusOf: (lotId) => (lots.find((lot) => lot.lotId === lotId)?.isOpen === false ? 'closed' : undefined),
      gateQueues: new Map(
        lots.map((lot) => [lot.lotId, { queueVeh: lot.gateQueueVeh ?? 0, serviceVehPerMin: lot.gateServiceVehPerMin }]),
      ),
    };
    const reachable = this.signs.map((_, s) =>
      lots.flatMap((lot, l) => (Number.isFinite(this.driveS[s * this.lotCount + l]!) ? [l] : [])),
    );
    const signs: GuidanceSign[] = this.signs.map((sign, s) => ({
      id: sign.signId,
      fallback: 'FULL',
      // Every candidate is ranked; closed and (without showFull) full lines are dropped after.
      ranked: { maxLines: reachable[s]!.length },
      lines: reachable[s]!.map((l) => ({
        lotId: lots[l]!.lotId,
        kinds,
        label: lots[l]!.label ?? lots[l]!.lotId,
        arrow: 'none',
        driveS: this.driveS[s * this.lotCount + l]!,
      })),
    }));
    const faces = planFaces(signs, situation, settings, new Set());
    const lotIndex = new Map(lots.map((lot, l) => [lot.lotId, l]));
    return this.signs.map((sign, s) => {
      const face = faces[s]!;
      const lines: SignLine[] = [];
      face.lines.forEach((line, i) => {
        const reason = face.reasons[i];
        if (reason === 'closed' || (!showFull && reason !== 'count')) return;
        const l = lotIndex.get(face.areas[i]!.lotId)!;
        const lot = lots[l]!;
        const cell = s * this.lotCount + l;
        lines.push({
          lotId: lot.lotId,
          label: line.label,
          arrow: this.arrows[cell]!,
          nextEdgeId: this.nextEdgeIds[cell],
          freeBays: countedFreeBays(lot, kinds),
          isFull: reason !== 'count',
          driveS: this.driveS[cell]!,
          gateWaitS: gateWaitSOf(lot),
        });
      });
      const shown = lines.slice(0, sign.maxLots ?? 3);
      return {
        signId: sign.signId,
        edgeId: sign.edgeId,
        lines: shown,
        recommendedLotId: lines.find((x) => !x.isFull)?.lotId,
      };
    });
  }
}

function byKindOf(lot: GuidanceLotState, kinds: readonly BayKind[]): Record<string, KindCounts> {
  const byKind: Record<string, KindCounts> = {};
  for (const kind of kinds)
    byKind[kind] = { free: Math.max(0, lot.freeBaysByKind[kind] ?? 0), occupied: 0, unknown: 0 };
  return byKind;
}

/** Free bays a sign counts for a lot: the sum over the counted kinds, none below zero. */
function countedFreeBays(lot: GuidanceLotState, kinds: readonly BayKind[]): number {
  let freeBays = 0;
  for (let k = 0; k < kinds.length; k++) freeBays += Math.max(0, lot.freeBaysByKind[kinds[k]!] ?? 0);
  return freeBays;
}

/**
 * For every sign, the lots to show and the arrow to each: the first turn of the shortest path from the sign to that
 * lot's gate. Lots are ranked by drive time plus the wait their gate queue implies, so signs split arrivals across
 * gates before a lot fills. One tree per lot per call; to plan the same signs again and again, keep a
 * `SignGuidanceTable`.
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
  return new SignGuidanceTable(router, signs, lots, options.edgeCostS, roads).plan(lots, options);
}

function gateWaitSOf(lot: GuidanceLotState): number {
  return ((lot.gateQueueVeh ?? 0) * 60) / lot.gateServiceVehPerMin;
}
