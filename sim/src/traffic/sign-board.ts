import type { BayKind, RoadNetwork } from '../model/index.js';
import { type GuidanceLotState, SignGuidanceTable } from '../routing/sign-guidance-plan.js';
import type { LinkGraph } from './link-graph.js';
import type { LotState } from './lot-state.js';
import type { SignSpec } from './trip.js';

/**
 * The guidance signs of a run. Every `refreshS` they are replanned with the route-guidance planner's ranking
 * (`SignGuidanceTable`, its routes worked out once per run) from the lots' live state: free general bays (standard,
 * family, EV) minus the cars already heading to each lot, and the cars queued in each lot's funnel as its gate queue.
 * A compliant driver passing a sign takes the lot it recommends.
 */
export class SignBoard {
  private readonly recommended: Int32Array;
  private nextRefreshS = Number.NEGATIVE_INFINITY;
  // Built once and updated in place at each refresh, so a refresh allocates nothing.
  private readonly states: GuidanceLotState[];
  private readonly freeBays: Array<{ standard: number }>;
  private readonly table: SignGuidanceTable;
  private readonly kinds: readonly BayKind[] = ['standard'];

  constructor(
    graph: LinkGraph,
    network: RoadNetwork,
    private readonly lots: LotState,
    private readonly signs: readonly SignSpec[],
    private readonly refreshS: number,
  ) {
    this.recommended = new Int32Array(signs.length).fill(-1);
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
    const signSpecs = signs.map((sign) => ({ signId: sign.id, edgeId: sign.edgeId, maxLots: undefined }));
    this.table = new SignGuidanceTable(graph.router, signSpecs, this.states, undefined, network);
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
    for (let i = 0; i < this.signs.length; i++) {
      this.recommended[i] = this.table.recommendedLot(i, states, this.kinds, 1);
    }
  }
}
