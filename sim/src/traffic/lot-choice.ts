import {
  COMMITTED,
  EN_ROUTE,
  FOLLOWS,
  KNOWS_SHARED,
  PRE_ASSIGNED,
  RETURNING,
  SEARCHES,
  type CarTable,
} from './car-table.js';
import type { LinkGraph } from './link-graph.js';
import type { LotState } from './lot-state.js';

/**
 * Which lot a driver heads for on the way: a compliant driver takes the lot a sign shows, and a searching driver who
 * sees their lot full turns to the nearest other lot they know. Part of the traffic engine (it changes the cars' lots
 * and the lots' counts of cars on their way), kept apart so each file stays readable.
 */
export class LotChoice {
  constructor(
    private readonly cars: CarTable,
    private readonly lots: LotState,
    private readonly graph: LinkGraph,
    /** Per lot: the slot of the route tree to its entry link. */
    private readonly lotTree: Int32Array,
    private readonly isSharedLot: Uint8Array,
    /** Per link: the sign on it (-1 none); what each sign shows is `signFace` (a lot, or -1). */
    private readonly signAt: Int32Array,
    private readonly signFace: Int32Array,
    /** Per link: the lot whose funnel it is in (-1 none), and per lot the cars in its funnel. */
    private readonly funnelLot: Int32Array,
    private readonly funnelCount: Int32Array,
  ) {}

  private setLot(v: number, lot: number): void {
    const { cars, lots } = this;
    if ((cars.vFlags[v]! & EN_ROUTE) !== 0) {
      lots.enRoute[cars.vLot[v]!]!--;
      lots.enRoute[lot]!++;
    }
    cars.vLot[v] = lot;
    cars.vDest[v] = lots.entryEdge[lot]!;
    cars.vTree[v] = this.lotTree[lot]!;
  }

  /** A compliant driver entering link `e` takes the lot its sign shows (drivers needing a particular kind keep theirs). */
  readSign(v: number, e: number): void {
    const sign = this.signAt[e]!;
    if (sign < 0) return;
    const { cars } = this;
    const lot = this.signFace[sign]!;
    if (lot < 0 || lot === cars.vLot[v] || cars.purpose[v] !== 0 || cars.vRequired[v] === 1) return;
    if ((cars.vFlags[v]! & (FOLLOWS | PRE_ASSIGNED | RETURNING)) !== FOLLOWS) return;
    if (!Number.isFinite(this.graph.costToS(this.lotTree[lot]!, e))) return;
    this.setLot(v, lot);
  }

  /**
   * At the last junction before its lot's funnel, a searching driver who sees the lot full turns to the nearest lot
   * they know and have not tried (or, knowing none, commits to the queue). True when the car's next link changed.
   */
  searchesOnward(v: number, e: number, next: number, nowS: number): boolean {
    const { cars, funnelLot } = this;
    const lot = cars.vLot[v]!;
    if (cars.purpose[v] !== 0 || (cars.vFlags[v]! & (SEARCHES | COMMITTED | RETURNING)) !== SEARCHES) return false;
    if (funnelLot[next] !== lot || funnelLot[e] === lot || !this.isVisiblyFull(lot, nowS, v)) return false;
    const { lots, graph } = this;
    cars.vTried[v] = cars.vTried[v]! | (1 << lot);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let other = 0; other < lots.count; other++) {
      if ((cars.vTried[v]! & (1 << other)) !== 0 || !lots.isOpen(other, nowS)) continue;
      if (this.isSharedLot[other] === 1 && (cars.vFlags[v]! & KNOWS_SHARED) === 0) continue;
      const cost = graph.costToS(this.lotTree[other]!, e);
      if (cost < bestCost) {
        bestCost = cost;
        best = other;
      }
    }
    if (best < 0) {
      cars.vFlags[v] = cars.vFlags[v]! | COMMITTED;
      return false;
    }
    cars.vCruising[v] = 1;
    this.setLot(v, best);
    cars.vNextEdge[v] = cars.vDest[v] === e ? -1 : graph.nextHop(cars.vTree[v]!, e);
    return true;
  }

  private isVisiblyFull(lot: number, nowS: number, v: number): boolean {
    const { lots, cars } = this;
    if (!lots.isOpen(lot, nowS)) return true;
    const isPreAssigned = (cars.vFlags[v]! & PRE_ASSIGNED) !== 0;
    if (lots.freeKindFor(lot, cars.vKind[v]!, cars.vRequired[v] === 1, nowS, isPreAssigned) < 0) return true;
    return cars.vRequired[v] === 0 && lots.freeGeneralBays(lot, nowS) - this.funnelCount[lot]! <= 0;
  }
}
