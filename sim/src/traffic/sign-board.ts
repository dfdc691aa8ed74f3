import type { RoadNetwork } from '../model/index.js';
import { type GuidanceLotState, planSignGuidance } from '../routing/sign-guidance-plan.js';
import type { LinkGraph } from './link-graph.js';
import type { LotState } from './lot-state.js';
import type { SignSpec } from './trip.js';

/**
 * The guidance signs of a run. Every `refreshS` they are replanned with the route-guidance planner
 * (`planSignGuidance`) from the lots' live state: free general bays (standard, family, EV) minus the cars already
 * heading to each lot, and the cars queued in each lot's funnel as its gate queue. A compliant driver passing a sign
 * takes the lot it recommends.
 */
export class SignBoard {
  private readonly recommended: Int32Array;
  private nextRefreshS = Number.NEGATIVE_INFINITY;
  private readonly lotIndexById: Map<string, number>;

  constructor(
    private readonly graph: LinkGraph,
    private readonly network: RoadNetwork,
    private readonly lots: LotState,
    private readonly signs: readonly SignSpec[],
    private readonly refreshS: number,
  ) {
    this.recommended = new Int32Array(signs.length).fill(-1);
    this.lotIndexById = new Map(lots.lots.map((simLot, l) => [simLot.lot.id, l]));
  }

  /** Lot index the sign sends cars to, or -1 when it shows every lot full. */
  recommendedLot(sign: number): number {
    return this.recommended[sign]!;
  }

  maybeRefresh(nowS: number, funnelCount: Int32Array): void {
    if (nowS < this.nextRefreshS || this.signs.length === 0) return;
    this.nextRefreshS = nowS + this.refreshS;
    const { lots } = this;
    const states: GuidanceLotState[] = lots.lots.map((simLot, l) => ({
      lotId: simLot.lot.id,
      entryEdgeId: simLot.lot.entryEdgeId,
      freeBaysByKind: { standard: Math.max(0, lots.freeGeneralBays(l, nowS) - lots.enRoute[l]!) },
      gateQueueVeh: funnelCount[l]!,
      gateServiceVehPerMin: simLot.lot.gateServiceVehPerMin,
      isOpen: lots.isOpen(l, nowS),
    }));
    const plans = planSignGuidance(
      this.graph.router,
      this.signs.map((sign) => ({ signId: sign.id, edgeId: sign.edgeId })),
      states,
      { kinds: ['standard'] },
      this.network,
    );
    plans.forEach((plan, i) => {
      this.recommended[i] =
        plan.recommendedLotId === undefined ? -1 : (this.lotIndexById.get(plan.recommendedLotId) ?? -1);
    });
  }
}
