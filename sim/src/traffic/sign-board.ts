import {
  DEFAULT_GUIDANCE_SETTINGS,
  type FaceArrow,
  type GuidanceLine,
  type GuidanceReservation,
  type GuidanceSettings,
  type GuidanceSign,
  type GuidanceSituation,
  lineDriverFollows,
  type PlannedFace,
  planFaces,
  type ZoneCounts,
} from '@citybay/guidance';
import { BAY_KINDS, type RoadNetwork } from '../model/index.js';
import { type SignArrow, SignGuidanceTable } from '../routing/sign-guidance-plan.js';
import type { LinkGraph } from './link-graph.js';
import type { WithheldBay } from './traffic-run-types.js';
import { KIND_INDEX, type LotState } from './lot-state.js';
import type { SignSpec } from './trip.js';

/** What a sign line counts unless its spec says otherwise: the kinds the public may use, as on the edge. */
const PUBLIC_KINDS: readonly string[] = ['standard', 'family'];
/** Lines of a sign whose lines come from its position. */
const RANKED_LINES = 3;

const ARROW_OF_TURN: Record<SignArrow, FaceArrow> = {
  straight: 'ahead',
  left: 'left',
  right: 'right',
  'u-turn': 'back',
  here: 'down',
};

/**
 * The guidance signs of a run, decided by the guidance policy (`@citybay/guidance`'s `planFaces`, the rule the
 * edge runs). Every `refreshS` the faces are planned from what an edge would know: each lot's free and occupied
 * bays per kind, the reservations in force (the plan's withheld bays over the time central's reservations withhold
 * them at the edges, `withheldWindowOf`), closed lots, and the cars in each lot's funnel as its gate queue. A sign
 * spec with `lines` has those fixed lines (as on a site file); one without has a ranked line per reachable lot, the
 * arrow the first turn of the shortest path. A compliant driver passing a sign reads its face and takes the first lot
 * shown with free bays.
 */
export class SignBoard {
  private readonly recommended: Int32Array;
  private nextRefreshS = Number.NEGATIVE_INFINITY;
  private readonly guidanceSigns: GuidanceSign[];
  private readonly lotIndexById: Map<string, number>;
  private readonly memory = new Set<string>();
  private current: PlannedFace[] = [];

  constructor(
    graph: LinkGraph,
    network: RoadNetwork,
    private readonly lots: LotState,
    private readonly signs: readonly SignSpec[],
    private readonly refreshS: number,
    private readonly settings: GuidanceSettings = DEFAULT_GUIDANCE_SETTINGS,
    private withheld: readonly WithheldBay[] = [],
  ) {
    this.recommended = new Int32Array(signs.length).fill(-1);
    this.lotIndexById = new Map(lots.lots.map((simLot, l) => [simLot.lot.id, l]));
    const table = new SignGuidanceTable(
      graph.router,
      signs.map((sign) => ({ signId: sign.id, edgeId: sign.edgeId })),
      lots.lots.map((simLot) => ({ lotId: simLot.lot.id, entryEdgeId: simLot.lot.entryEdgeId })),
      undefined,
      network,
    );
    this.guidanceSigns = signs.map((sign, s) => {
      if (sign.lines) {
        const lines = sign.lines.map((line) => ({
          lotId: line.lotId,
          kinds: line.kinds ?? PUBLIC_KINDS,
          label: line.label ?? line.lotId,
          arrow: line.arrow ?? ARROW_OF_TURN[table.route(s, this.lotIndexOf(line.lotId, sign.id)).arrow],
        }));
        return { id: sign.id, fallback: 'FULL', lines };
      }
      const lines: GuidanceLine[] = [];
      lots.lots.forEach((simLot, l) => {
        const route = table.route(s, l);
        if (!Number.isFinite(route.driveS)) return;
        const arrow = ARROW_OF_TURN[route.arrow];
        lines.push({ lotId: simLot.lot.id, kinds: PUBLIC_KINDS, label: simLot.lot.id, arrow, driveS: route.driveS });
      });
      return { id: sign.id, fallback: 'FULL', lines, ranked: { maxLines: RANKED_LINES } };
    });
  }

  private lotIndexOf(lotId: string, signId: string): number {
    const l = this.lotIndexById.get(lotId);
    if (l === undefined) throw new RangeError(`sign "${signId}": unknown lot "${lotId}"`);
    return l;
  }

  /** Lot index the sign sends cars to (the first lot its face shows with free bays), or -1 when none. */
  recommendedLot(sign: number): number {
    return this.recommended[sign]!;
  }

  /** What the signs show now (empty before the first refresh). */
  faces(): readonly PlannedFace[] {
    return this.current;
  }

  maybeRefresh(nowS: number, funnelCount: Int32Array): void {
    if (nowS < this.nextRefreshS || this.signs.length === 0) return;
    this.nextRefreshS = nowS + this.refreshS;
    this.current = planFaces(this.guidanceSigns, this.situationAt(nowS, funnelCount), this.settings, this.memory);
    this.current.forEach((face, s) => {
      const i = lineDriverFollows(face.lines);
      this.recommended[s] = i < 0 ? -1 : this.lotIndexById.get(face.areas[i]!.lotId)!;
    });
  }

  /** The bays to withhold from now on (a twin's plan, or a test's). */
  setWithheldBays(withheld: readonly WithheldBay[]): void {
    this.withheld = withheld;
  }

  /** The situation as an edge with a sensor on every bay would see it, and central's reservations. */
  situationAt(nowS: number, funnelCount: Int32Array): GuidanceSituation {
    const { lots } = this;
    const zones: ZoneCounts[] = [];
    const reservations: GuidanceReservation[] = [];
    const gateQueues = new Map<string, { queueVeh: number; serviceVehPerMin: number }>();
    lots.lots.forEach((simLot, l) => {
      const byKind: Record<string, { free: number; occupied: number; unknown: number }> = {};
      for (const kind of BAY_KINDS) {
        const k = KIND_INDEX[kind];
        const occupied = lots.occupied[l * BAY_KINDS.length + k]!;
        byKind[kind] = { free: Math.max(0, lots.capacity(l, k, nowS) - occupied), occupied, unknown: 0 };
      }
      zones.push({ lotId: simLot.lot.id, zoneId: '', byKind });
      gateQueues.set(simLot.lot.id, { queueVeh: funnelCount[l]!, serviceVehPerMin: simLot.lot.gateServiceVehPerMin });
    });
    for (const bay of this.withheld) {
      if (bay.fromS <= nowS && nowS < bay.untilS) reservations.push({ lotId: bay.lotId, kind: bay.kind });
    }
    return {
      zones,
      reservations,
      statusOf: (lotId) => (lots.isOpen(this.lotIndexById.get(lotId)!, nowS) ? undefined : 'closed'),
      gateQueues,
    };
  }
}
