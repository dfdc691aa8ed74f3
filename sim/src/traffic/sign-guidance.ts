import type { LinkGraph } from './link-graph.js';
import { KIND_INDEX, type LotState } from './lot-state.js';
import type { Trip } from './trip.js';

/**
 * The lot a guidance sign shows to a car passing it: among lots open to hospital traffic and reachable from the
 * sign, the one with the least drive + expected gate wait + walk, counting only lots whose free bays exceed the
 * cars already heading there. The gate-wait term is what splits arrivals across gates by their throughput before
 * any lot fills. When every lot is spoken for, the one whose backlog clears first.
 */
export class SignGuidance {
  constructor(
    private readonly graph: LinkGraph,
    private readonly lots: LotState,
    private readonly lotTree: readonly number[],
    private readonly linkCount: Int32Array,
    private readonly trips: readonly Trip[],
  ) {}

  recommend(signEdge: number, nowS: number, v: number): number {
    const { lots, graph } = this;
    const trip = this.trips[v];
    const entranceId = trip?.entranceId;
    const kind = KIND_INDEX[trip?.bayKind ?? 'standard'];
    const isRequired = trip?.isKindRequired === true;
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    let fallback = -1;
    let fallbackScore = Number.POSITIVE_INFINITY;
    for (let l = 0; l < lots.count; l++) {
      if (!lots.isOpen(l, nowS)) continue;
      // A lot that never has the bay kind a car must have is no answer for that car.
      if (isRequired && lots.capacity(l, kind, nowS) === 0) continue;
      const driveS = graph.costToS(this.lotTree[l]!, signEdge);
      if (!Number.isFinite(driveS)) continue;
      const serviceS = lots.gateServiceS[l]!;
      const gateWaitS = Math.max(0, this.linkCount[lots.entryEdge[l]!]! * serviceS - driveS);
      const walkS = entranceId === undefined ? 0 : (lots.lots[l]!.lot.walkTimeSByEntrance[entranceId] ?? 0);
      const spare = isRequired
        ? lots.freeKindFor(l, kind, true, nowS) >= 0
          ? 1
          : 0
        : lots.freeGeneralBays(l, nowS) - lots.enRoute[l]!;
      if (spare > 0) {
        const score = driveS + gateWaitS + walkS;
        if (score < bestScore) {
          bestScore = score;
          best = l;
        }
      } else {
        const score = driveS + walkS + (1 - spare) * serviceS;
        if (score < fallbackScore) {
          fallbackScore = score;
          fallback = l;
        }
      }
    }
    return best >= 0 ? best : fallback;
  }
}
