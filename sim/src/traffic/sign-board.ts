import type { RoadNetwork } from '../model/index.js';
import {
  type GuidanceLotState,
  type GuidanceSignSpec,
  planSignGuidance,
  type SignGuidanceOptions,
} from '../routing/sign-guidance-plan.js';
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
  // Built once and updated in place at each refresh: fresh literals every refresh gave the planner objects whose
  // maps V8 had not seen in its optimised code, and each such deopt recompiled the step loop this is inlined into.
  private readonly states: GuidanceLotState[];
  private readonly freeBays: Array<{ standard: number }>;
  private readonly signSpecs: GuidanceSignSpec[];
  private readonly planOptions: SignGuidanceOptions = { kinds: ['standard'] };

  constructor(
    private readonly graph: LinkGraph,
    private readonly network: RoadNetwork,
    private readonly lots: LotState,
    private readonly signs: readonly SignSpec[],
    private readonly refreshS: number,
  ) {
    this.recommended = new Int32Array(signs.length).fill(-1);
    this.lotIndexById = new Map(lots.lots.map((simLot, l) => [simLot.lot.id, l]));
    this.freeBays = lots.lots.map(() => ({ standard: 0 }));
    this.states = lots.lots.map((simLot, l) => ({
      lotId: simLot.lot.id,
      label: undefined,
      entryEdgeId: simLot.lot.entryEdgeId,
      freeBaysByKind: this.freeBays[l]!,
      gateQueueVeh: 0,
      gateServiceVehPerMin: simLot.lot.gateServiceVehPerMin,
      isOpen: true,
    }));
    this.signSpecs = signs.map((sign) => ({ signId: sign.id, edgeId: sign.edgeId, maxLots: undefined }));
  }

  /** Lot index the sign sends cars to, or -1 when it shows every lot full. */
  recommendedLot(sign: number): number {
    return this.recommended[sign]!;
  }

  maybeRefresh(nowS: number, funnelCount: Int32Array): void {
    if (nowS < this.nextRefreshS || this.signs.length === 0) return;
    this.nextRefreshS = nowS + this.refreshS;
    const { lots, states } = this;
    for (let l = 0; l < states.length; l++) {
      const state = states[l]!;
      this.freeBays[l]!.standard = Math.max(0, lots.freeGeneralBays(l, nowS) - lots.enRoute[l]!);
      state.gateQueueVeh = funnelCount[l]!;
      state.isOpen = lots.isOpen(l, nowS);
    }
    const plans = planSignGuidance(this.graph.router, this.signSpecs, states, this.planOptions, this.network);
    for (let i = 0; i < plans.length; i++) {
      const lotId = plans[i]!.recommendedLotId;
      this.recommended[i] = lotId === undefined ? -1 : (this.lotIndexById.get(lotId) ?? -1);
    }
  }
}
