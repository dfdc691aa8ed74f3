import type { GuidanceSettings } from '@citybay/guidance';
import { errors } from '../errors.js';
import { BAY_KINDS, type BayKind } from '../model/index.js';
import { EN_ROUTE, PRE_ASSIGNED } from './car-table.js';
import { KIND_INDEX } from './lot-state.js';
import { SignBoard } from './sign-board.js';
import { TrafficEngine } from './traffic-engine.js';
import type { TrafficRunOutput, TrafficSimulationInput } from './traffic-run-types.js';

export { PURPOSE_CODE } from './traffic-run-types.js';
export type { TrafficRunOutput, TrafficSimulationInput } from './traffic-run-types.js';

/** One lot as the simulation holds it between steps. */
export interface LotStatus {
  lotId: string;
  /** Open to drivers now (opening hours, the policy, and no closure from outside). */
  isOpen: boolean;
  occupiedByKind: Record<BayKind, number>;
  /** Bays usable now (capacity windows applied). */
  capacityByKind: Record<BayKind, number>;
  /** Bays held for pre-assigned drivers (see `reserveBays`). */
  reservedByKind: Record<BayKind, number>;
  /** Bay-level occupancy per kind: 1 per taken bay, in a fixed order (a parked car takes the lowest free bay). */
  baysTaken: Record<BayKind, Uint8Array>;
  /** Cars that have passed the entry gate / driven out of the exit since the start. */
  enteredTotal: number;
  exitedTotal: number;
  /** Cars in the lot's funnel (its entry link and the links that lead only there): its gate queue. */
  gateQueueVeh: number;
}

/**
 * The traffic simulation as a steppable engine. `step(untilS)` advances it in simulated time; between steps it takes
 * what the outside world decides — what each guidance sign shows (`showOnSign`), lot closures (`closeLot`),
 * reservations (`reserveBays`) — and reports lots (`lotStatus`: occupancy per kind and per bay, gate counts, gate
 * queue) and queues per link (`linkQueuesM`). `runTrafficSimulation` is this engine with the run's own sign policy
 * in the loop. A sign's input is only *what it shows*: the rule that decides a face is the caller's.
 */
export class TrafficSimulation {
  private readonly engine: TrafficEngine;
  private readonly lotIndex: Map<string, number>;
  private readonly signIndex: Map<string, number>;
  private carIndex: Map<string, number> | undefined;
  private board: SignBoard | undefined;

  constructor(private readonly input: TrafficSimulationInput) {
    this.engine = new TrafficEngine(input);
    this.lotIndex = new Map(input.lots.map((simLot, i) => [simLot.lot.id, i]));
    this.signIndex = new Map((input.signs ?? []).map((sign, i) => [sign.id, i]));
  }

  /** Time of the next step (s after midnight). */
  get nowS(): number {
    return this.engine.nowS;
  }

  get isDone(): boolean {
    return this.engine.isDone();
  }

  /** Runs every step at or before `untilS` (never past the end of the period). */
  step(untilS: number): void {
    this.engine.step(untilS);
  }

  /**
   * Runs every step at or before `untilS` with the run's own sign policy in the loop (what `runTrafficSimulation`
   * does): under the "sign guidance" policy the signs show what `SignBoard` plans, refreshed every `signRefreshS`.
   * A twin uses it for the part of the day it does not run live. `settings`: the guidance settings (FULL hysteresis)
   * the signs are planned with, as the edges have them; fixed at the first call. Default the policy's defaults.
   */
  stepWithOwnSigns(untilS: number, settings?: GuidanceSettings): void {
    const { engine } = this;
    const signs = this.input.signs ?? [];
    if (this.input.isGuidanceOn !== true || signs.length === 0) {
      engine.step(untilS);
      return;
    }
    this.board ??= new SignBoard(
      engine.graph,
      this.input.network,
      engine.lots,
      signs,
      engine.params.signRefreshS,
      settings,
      this.input.withheldBays,
    );
    while (!engine.isDone() && engine.nowS <= untilS) {
      const nowS = engine.nowS;
      this.board.maybeRefresh(nowS, engine.funnelCount);
      for (let i = 0; i < signs.length; i++) engine.signFace[i] = this.board.recommendedLot(i);
      engine.step(nowS);
    }
  }

  /**
   * Sends park trip `tripId`, which has not entered the network yet, to `lotId`: pre-assigned (its bay reserved, as
   * central's reservation the driver holds) or not (an ordinary driver heading there, who follows signs if they do).
   * A twin calls it as a driver sets off, from the reservations the edges hold at that moment.
   */
  assignTrip(tripId: string, lotId: string, isPreAssigned: boolean): void {
    const { cars, lots } = this.engine;
    const { trips } = this.input;
    this.carIndex ??= new Map(Array.from(cars.tripOrder, (u, v) => [trips[u]!.id, v]));
    const v = this.carIndex.get(tripId);
    if (v === undefined) throw errors.CB_DEMAND_INVALID(`tripId: unknown trip "${tripId}"`, { path: 'tripId' });
    if (cars.purpose[v] !== 0 || (cars.vFlags[v]! & EN_ROUTE) !== 0 || !Number.isNaN(cars.enteredS[v]!)) {
      throw errors.CB_DEMAND_INVALID(`tripId: trip "${tripId}" is not a park trip still to set off`, {
        path: 'tripId',
      });
    }
    const lot = this.lot(lotId);
    cars.vLot[v] = lot;
    cars.vDest[v] = lots.entryEdge[lot]!;
    cars.vTree[v] = this.engine.graph.treeSlotFor(lots.entryEdge[lot]!);
    cars.vFlags[v] = isPreAssigned ? cars.vFlags[v]! | PRE_ASSIGNED : cars.vFlags[v]! & ~PRE_ASSIGNED;
  }

  /** What sign `signId` shows from now on: the lot it sends drivers to, or undefined (FULL, dark). */
  showOnSign(signId: string, lotId: string | undefined): void {
    const sign = this.signIndex.get(signId);
    if (sign === undefined) throw errors.CB_DEMAND_INVALID(`signId: unknown sign "${signId}"`, { path: 'signId' });
    this.engine.signFace[sign] = lotId === undefined ? -1 : this.lot(lotId);
  }

  /** Closes a lot to every arriving driver (or opens it again, within its hours). Parked cars stay. */
  closeLot(lotId: string, isClosed: boolean): void {
    this.engine.lots.closed[this.lot(lotId)] = isClosed ? 1 : 0;
  }

  /** Holds `bays` bays of a kind for pre-assigned drivers (replacing the count held before); each one parking uses one. */
  reserveBays(lotId: string, kind: BayKind, bays: number): void {
    if (!Number.isInteger(bays) || bays < 0) {
      throw errors.CB_DEMAND_INVALID(`bays: expected a whole number ≥ 0, got ${bays}`, { path: 'bays' });
    }
    this.engine.lots.reserved[this.lot(lotId) * BAY_KINDS.length + KIND_INDEX[kind]] = bays;
  }

  lotStatus(): LotStatus[] {
    const { lots, funnelCount } = this.engine;
    const nowS = this.engine.nowS;
    return lots.lots.map((simLot, l) => {
      const perKind = (value: (k: number) => number) =>
        Object.fromEntries(BAY_KINDS.map((kind) => [kind, value(KIND_INDEX[kind])])) as Record<BayKind, number>;
      const cell = (k: number) => l * BAY_KINDS.length + k;
      return {
        lotId: simLot.lot.id,
        isOpen: lots.isOpen(l, nowS),
        occupiedByKind: perKind((k) => lots.occupied[cell(k)]!),
        capacityByKind: perKind((k) => lots.capacity(l, k, nowS)),
        reservedByKind: perKind((k) => lots.reserved[cell(k)]!),
        baysTaken: Object.fromEntries(
          BAY_KINDS.map((kind) => {
            const c = cell(KIND_INDEX[kind]);
            return [kind, lots.bayTaken.slice(lots.bayStart[c]!, lots.bayStart[c + 1]!)];
          }),
        ) as Record<BayKind, Uint8Array>,
        enteredTotal: lots.parkedTotal[l]!,
        exitedTotal: lots.exitedTotal[l]!,
        gateQueueVeh: funnelCount[l]!,
      };
    });
  }

  /** Queue per link now (m, the longest lane's), indexed like `network.edges`. */
  linkQueuesM(): Float64Array {
    return this.engine.linkQueuesM();
  }

  /** The run's outputs so far (in full once `isDone`). */
  output(): TrafficRunOutput {
    return this.engine.output();
  }

  /** @internal The engine, for the batch policy below. */
  get internal(): TrafficEngine {
    return this.engine;
  }

  private lot(lotId: string): number {
    const lot = this.lotIndex.get(lotId);
    if (lot === undefined) throw errors.CB_DEMAND_INVALID(`lotId: unknown lot "${lotId}"`, { path: 'lotId' });
    return lot;
  }
}

/**
 * Runs the model over the whole period (see `sim/README.md`) with the run's own policy in the loop: under the
 * "sign guidance" policy the signs show what `SignBoard` recommends, refreshed every `signRefreshS`.
 */
export function runTrafficSimulation(input: TrafficSimulationInput): TrafficRunOutput {
  const simulation = new TrafficSimulation(input);
  const engine = simulation.internal;
  const { onProgress } = input;
  const progressEveryS = 300;
  for (let atS = engine.startS; !engine.isDone(); atS += progressEveryS) {
    onProgress?.((engine.nowS - engine.startS) / (engine.endS - engine.startS));
    simulation.stepWithOwnSigns(atS + progressEveryS - 1e-9);
  }
  onProgress?.(1);
  return engine.output();
}
