import { errors } from '../errors.js';
import { CarTable, EN_ROUTE, PRE_ASSIGNED, RETURNING } from './car-table.js';
import { GapAcceptance } from './gap-acceptance.js';
import type { LaneLayout } from './lane-layout.js';
import { LaneRoom } from './lane-room.js';
import { SpeedGain } from './speed-gain.js';
import { QueueLaneChange } from './queue-lane-change.js';
import { QueueCreep } from './queue-creep.js';
import type { LinkGraph } from './link-graph.js';
import { networkTables } from './network-tables.js';
import { LotChoice } from './lot-choice.js';
import { LotState } from './lot-state.js';
import { QueueRecorder, type SampleView } from './queue-recorder.js';
import { LaneRestarts } from './lane-restarts.js';
import { signalsWithLoops, type LaneLoops } from './lane-loops.js';
import { SIGNAL_GO, SIGNAL_STOP, SIGNAL_YIELD, type SignalClock } from './signal-clock.js';
import { crossingTimes } from './crossing-times.js';
import { engineOutput } from './engine-output.js';
import { EntryQueues } from './entry-queues.js';
import { TimeHeap } from './time-heap.js';
import { DEFAULT_TRAFFIC_PARAMS, type TrafficParams } from './traffic-params.js';
import type { TrafficRunOutput, TrafficSimulationInput } from './traffic-run-types.js';

/**
 * The mesoscopic lane-queue model (see `sim/README.md`), advanced step by step. Each lane of each link is a FIFO
 * queue; a car leaves its lane when it has driven the link, its signal lets it go, the lane's outflow allows (the
 * saturation flow, or a minor movement's gap-acceptance capacity) and one of the lanes it wants on the next link has
 * room. A blocked car blocks its own lane only. Deterministic: no random stream (a minor movement's gap wait is a hash
 * of the run's seed, the car and the lane), fixed iteration order.
 *
 * Between steps the engine takes external inputs (what each sign shows, lot closures, reservations) and gives outputs
 * (`LotStatus`, link queues): `TrafficSimulation` drives it with the run's own sign policy; a live twin can drive it
 * with the real signs. Internal: the public surface is `TrafficSimulation` (traffic-simulation.ts).
 */
export class TrafficEngine {
  readonly params: TrafficParams;
  readonly dt: number;
  readonly graph: LinkGraph;
  readonly layout: LaneLayout;
  readonly lots: LotState;
  readonly cars: CarTable;
  /** What each sign shows: the index of the lot it sends drivers to, or -1 (dark, or every lot full). */
  readonly signFace: Int32Array;
  /** Cars in each lot's funnel: its entry link and the links that lead nowhere else (the gate queue drivers see). */
  readonly funnelCount: Int32Array;
  readonly recorder: QueueRecorder;
  /** Per lane link: time to cross its junction, with slowing down to the crossing speed and speeding up again. */
  private readonly crossS: Float64Array;
  private readonly lotChoice: LotChoice;
  private readonly signal: SignalClock;
  /** Induction loops of actuated signals (null when the network has none). */
  private readonly loops: LaneLoops | null;
  private readonly funnelLot: Int32Array;
  private readonly releases = new TimeHeap();
  // Per link.
  private readonly edgeCount: Int32Array;
  private readonly activeEdges: Int32Array;
  private readonly isActive: Uint8Array;
  /**
   * Per link, a time before which none of its lanes has anything to do (each lane's first car still driving the link,
   * or its red hold not yet over): the step loop passes the link by. A lower bound, worked out after each visit and
   * lowered when a car enters an empty lane.
   */
  private readonly edgeWakeS: Float64Array;
  private activeCount = 0;
  // Per lane.
  private readonly laneHead: Int32Array;
  private readonly laneTail: Int32Array;
  private readonly credit: Float64Array;
  private readonly creditAt: Float64Array;
  /** Per lane held by red: when its signal's phase ends (0: not held); the lane is not looked at before. */
  private readonly redUntilS: Float64Array;
  private readonly restarts: LaneRestarts;
  private readonly gaps: GapAcceptance;
  private readonly room: LaneRoom;
  private readonly creep: QueueCreep;
  private readonly laneChange: QueueLaneChange;
  private readonly entries: EntryQueues;
  /** `tryEnter` at the current step, made once (a closure per step or car would be garbage). */
  private readonly enterNow = (v: number): boolean => this.tryEnter(v, this.nowS);
  private nextDeparture = 0;
  private stepIndex = 0;
  private readonly totalSteps: number;
  readonly startS: number;
  readonly endS: number;
  onNetwork = 0;
  vehicleSteps = 0;

  constructor(readonly input: TrafficSimulationInput) {
    const params: TrafficParams = { ...DEFAULT_TRAFFIC_PARAMS, ...input.params };
    this.params = params;
    this.dt = params.stepS;
    this.startS = input.startS;
    this.endS = input.endS;
    this.totalSteps = Math.max(1, Math.ceil((input.endS - input.startS) / params.stepS));
    const { graph, layout } = networkTables(input.network, params);
    this.graph = graph;
    this.layout = layout;
    if (input.lots.length > 31) throw errors.CB_DEMAND_INVALID('at most 31 lots per run', { path: 'lots' });
    this.lots = new LotState(input.lots, (id) => graph.edgeIndexOrThrow(id, `lot "${id}" entryEdgeId`));
    const lotTree = Int32Array.from(this.lots.entryEdge, (edge) => graph.treeSlotFor(edge));
    this.cars = new CarTable(input.trips, graph, this.lots, lotTree);
    this.entries = new EntryQueues(this.cars);
    this.crossS = crossingTimes(this.layout, graph, params);
    const E = graph.edgeCount;
    const L = this.layout.laneCount;
    this.edgeCount = new Int32Array(E);
    this.activeEdges = new Int32Array(E);
    this.isActive = new Uint8Array(E);
    this.edgeWakeS = new Float64Array(E);
    this.laneHead = new Int32Array(L).fill(-1);
    const signals = signalsWithLoops(input.network, graph, this.layout, params, this.laneHead, this.cars);
    this.signal = signals.signal;
    this.loops = signals.loops;
    this.laneTail = new Int32Array(L).fill(-1);
    this.redUntilS = new Float64Array(L);
    const laneCars = new Int32Array(L);
    this.creep = new QueueCreep(this.layout, graph, params);
    const speedGain = new SpeedGain(
      this.layout,
      graph,
      this.cars,
      params,
      this.signal,
      laneCars,
      this.laneHead,
      this.redUntilS,
      this.creep.storage,
    );
    this.room = new LaneRoom(this.layout, this.cars, this.laneHead, laneCars, this.creep.storage, speedGain);
    this.laneChange = new QueueLaneChange(
      this.cars,
      speedGain,
      this.loops,
      this.laneHead,
      this.laneTail,
      laneCars,
      this.redUntilS,
      this.edgeWakeS,
    );
    this.credit = new Float64Array(L);
    this.creditAt = new Float64Array(L).fill(input.startS);
    this.restarts = new LaneRestarts(L, this.cars, graph, params);
    this.gaps = new GapAcceptance(this.layout, graph, params, input.startS, input.seed ?? 0);
    const signs = input.signs ?? [];
    this.signFace = new Int32Array(signs.length).fill(-1);
    const signAt = new Int32Array(E).fill(-1);
    signs.forEach((sign, i) => (signAt[graph.edgeIndexOrThrow(sign.edgeId, `signs[${i}].edgeId`)] = i));
    this.funnelLot = graph.funnels(this.lots.entryEdge);
    this.funnelCount = new Int32Array(this.lots.count);
    this.lotChoice = new LotChoice(
      this.cars,
      this.lots,
      graph,
      lotTree,
      Uint8Array.from(input.lots, (simLot) => (simLot.role === 'shared' ? 1 : 0)),
      signAt,
      this.signFace,
      this.funnelLot,
      this.funnelCount,
    );
    this.recorder = new QueueRecorder(
      graph,
      this.layout,
      this.lots,
      params,
      input.startS,
      input.endS,
      input.approachBranches ?? [],
    );
  }

  /** Time of the next step (s after midnight). */
  get nowS(): number {
    return this.startS + this.stepIndex * this.dt;
  }

  isDone(): boolean {
    return this.stepIndex > this.totalSteps;
  }

  /** Runs every step due at or before `untilS` (and not past the end of the period). */
  step(untilS: number): void {
    while (this.stepIndex <= this.totalSteps && this.nowS <= untilS) {
      this.runStep(this.nowS);
      this.stepIndex++;
    }
  }

  private runStep(nowS: number): void {
    const { cars } = this;
    if (this.loops !== null) this.signal.advance(nowS, this.loops);
    while (this.releases.peekTime() <= nowS) {
      const stayEndS = this.releases.peekTime();
      this.endStay(this.releases.pop(), stayEndS);
    }
    while (this.nextDeparture < cars.V && cars.departS[this.nextDeparture]! <= nowS) {
      const v = this.nextDeparture++;
      this.queueToEnter(v, cars.vEdge[v]!);
    }
    this.entries.admit(this.enterNow);
    const { activeEdges, isActive, edgeCount, layout, laneHead, redUntilS, edgeWakeS } = this;
    const { vReady } = cars;
    for (let i = 0; i < this.activeCount;) {
      const e = activeEdges[i]!;
      // Most links have nothing to do in most steps (their cars still driving them): passed by without a look.
      if (edgeWakeS[e]! > nowS && edgeCount[e]! > 0) {
        i++;
        continue;
      }
      let wakeS = Number.POSITIVE_INFINITY;
      for (let l = layout.laneBase[e]!, end = layout.laneBase[e + 1]!; l < end; l++) {
        if (laneHead[l]! >= 0 && redUntilS[l]! <= nowS) {
          if (redUntilS[l]! > 0) this.endRedHold(l, e, nowS);
          if (vReady[laneHead[l]!]! <= nowS) this.processLane(l, e, nowS);
        }
        const head = laneHead[l]!;
        if (head >= 0) {
          const laneWakeS = redUntilS[l]! > 0 ? redUntilS[l]! : vReady[head]!;
          if (laneWakeS < wakeS) wakeS = laneWakeS;
        }
      }
      edgeWakeS[e] = wakeS;
      if (edgeCount[e] === 0) {
        isActive[e] = 0;
        activeEdges[i] = activeEdges[--this.activeCount]!;
      } else i++;
    }
    this.vehicleSteps += this.onNetwork;
    if (this.recorder.isDue(nowS)) {
      this.recorder.maybeSample(nowS, this.sampleView());
    }
  }

  /** A parked car's stay is over: it drives out of the lot's exit, or (no exit, no way home) leaves the model. */
  private endStay(v: number, stayEndS: number): void {
    const { cars, lots } = this;
    const lot = cars.lotIndex[v]!;
    const exit = lots.exitEdge[lot]!;
    if (exit >= 0 && cars.vReturnDest[v]! >= 0) {
      cars.vFlags[v] = cars.vFlags[v]! | RETURNING;
      cars.vDest[v] = cars.vReturnDest[v]!;
      cars.vTree[v] = this.graph.treeSlotFor(cars.vDest[v]!);
      cars.departS[v] = stayEndS;
      this.queueToEnter(v, exit);
      return;
    }
    lots.release(lot, cars.vParkedKind[v]!, cars.vBay[v]!);
  }

  private queueToEnter(v: number, e: number): void {
    const { cars, layout } = this;
    const dest = cars.vDest[v]!;
    const lanes = layout.laneBase[e + 1]! - layout.laneBase[e]!;
    this.entries.push(v, e, dest === e ? (1 << lanes) - 1 : layout.preferredLanes(cars.vTree[v]!, e, dest));
  }

  /** Any lane link from link `e` to `next` (a car that had to change lanes on the way, e.g. after turning away). */
  private anyLinkTo(e: number, next: number): number {
    const { layout } = this;
    for (let l = layout.laneBase[e]!; l < layout.laneBase[e + 1]!; l++) {
      const k = layout.linkFrom(l, next);
      if (k >= 0) return k;
    }
    return 0;
  }

  /** Car `v`, first of its entry FIFO, enters the network if a lane takes it. */
  private tryEnter(v: number, nowS: number): boolean {
    const { cars, lots } = this;
    const e = cars.vEdge[v]! >= 0 && (cars.vFlags[v]! & RETURNING) === 0 ? cars.vEdge[v]! : this.entryEdgeOf(v);
    this.lotChoice.readSign(v, e);
    const lane = this.room.choose(v, e, 0, true, nowS, this.dt);
    if (lane < 0) return false;
    this.onNetwork++;
    const enteredS = Math.max(cars.departS[v]!, nowS - this.dt);
    cars.vReady[v] = enteredS;
    if ((cars.vFlags[v]! & RETURNING) !== 0) {
      const lot = cars.lotIndex[v]!;
      cars.leftLotS[v] = enteredS;
      lots.release(lot, cars.vParkedKind[v]!, cars.vBay[v]!);
      lots.exitedTotal[lot]!++;
    } else {
      cars.enteredS[v] = enteredS;
      if (cars.purpose[v] === 0) {
        cars.vFlags[v] = cars.vFlags[v]! | EN_ROUTE;
        lots.enRoute[cars.vLot[v]!]!++;
      }
    }
    this.enterLane(v, lane, e);
    return true;
  }

  private entryEdgeOf(v: number): number {
    return this.lots.exitEdge[this.cars.lotIndex[v]!]!;
  }

  private activate(e: number): void {
    if (this.isActive[e] === 0) {
      this.isActive[e] = 1;
      this.activeEdges[this.activeCount++] = e;
    }
  }

  /** Appends car `v` to lane `l` of link `e`; the time it enters comes in `vReady[v]` (no boxed fractional argument). */
  private enterLane(v: number, l: number, e: number): void {
    const { cars } = this;
    cars.vEdge[v] = e;
    cars.vLane[v] = l;
    // The driver keeps factor × limit (SUMO's speedFactor), capped by the car's top speed; the dawdling share
    // (freeFlowSpeedFactor) is in freeTimeS. A faster car behind a slower one waits for it in the lane's FIFO.
    const limitShare = cars.vMaxSpeedMps[v]! / this.graph.speedLimitMps[e]!;
    const share = cars.vSpeedFactor[v]! < limitShare ? cars.vSpeedFactor[v]! : limitShare;
    cars.vReady[v] = cars.vReady[v]! + this.graph.freeTimeS[e]! / share;
    cars.vNext[v] = -1;
    if (this.laneTail[l]! >= 0) cars.vNext[this.laneTail[l]!] = v;
    else {
      this.laneHead[l] = v;
      const wakeS = this.redUntilS[l]! > 0 ? this.redUntilS[l]! : cars.vReady[v]!;
      if (wakeS < this.edgeWakeS[e]!) this.edgeWakeS[e] = wakeS;
    }
    this.laneTail[l] = v;
    this.loops?.entered(l, v);
    this.room.count[l]!++;
    this.edgeCount[e]!++;
    if (this.funnelLot[e]! >= 0) this.funnelCount[this.funnelLot[e]!]!++;
    this.activate(e);
    cars.vNextEdge[v] = cars.vDest[v] === e ? -1 : this.layout.nextHop(cars.vTree[v]!, e);
  }

  /** Takes the head car `v` off lane `l` of link `e`. */
  private leaveLane(v: number, l: number, e: number): void {
    const { cars } = this;
    this.loops?.leaving(l, v, this.nowS);
    this.laneHead[l] = cars.vNext[v]!;
    if (this.laneHead[l]! < 0) this.laneTail[l] = -1;
    this.room.count[l]!--;
    this.edgeCount[e]!--;
    if (this.funnelLot[e]! >= 0) this.funnelCount[this.funnelLot[e]!]!--;
    this.credit[l]! -= 1;
    this.creep.noteDeparture(v, l, this.nowS, this.restarts.lastLeftS[l]!);
    this.restarts.noteDeparture(v, l, e, this.laneHead[l]!, this.nowS);
    const lengthM = this.graph.lengthM[e]!;
    if ((cars.vFlags[v]! & RETURNING) !== 0) cars.returnDistanceM[v]! += lengthM;
    else cars.distanceM[v]! += lengthM;
    if (cars.vCruising[v] === 1) cars.cruisingM[v]! += lengthM;
  }

  /**
   * Adds to lane `l`'s outflow credit at `rate` (veh/s) since it was last topped up; false when below one car. The
   * credit is capped at one car plus one step's worth: an idle lane saves up no burst, and a waiting car keeps the
   * fraction of a car left over from the step before (a cap of one car would round every headway up to whole steps).
   */
  private hasCredit(l: number, rate: number, nowS: number): boolean {
    const { credit, creditAt } = this;
    const cap = 1 + rate * this.dt;
    const c = credit[l]! + rate * (nowS - creditAt[l]!);
    credit[l] = c > cap ? cap : c;
    creditAt[l] = nowS;
    return credit[l]! >= 1;
  }

  /**
   * A lane skipped while its signal was red is looked at again: as in every step it skipped, its credit is the
   * start-up loss as of the step before.
   */
  private endRedHold(l: number, e: number, nowS: number): void {
    this.redUntilS[l] = 0;
    const head = this.laneHead[l]!;
    const next = this.cars.vNextEdge[head]!;
    let k = next >= 0 ? this.layout.linkFrom(l, next) : -1;
    if (next >= 0 && k < 0) k = this.anyLinkTo(e, next);
    const program = k >= 0 ? this.layout.linkSignal[k]! : -1;
    // A red followed by another red phase (another approach's amber) is no green yet; a car yielding at the stop line
    // (not inside the junction) may stand on at the green.
    const state = program < 0 ? SIGNAL_GO : this.signal.stateAt(program, this.layout.linkSignalIndex[k]!, nowS);
    if (state === SIGNAL_GO || (state === SIGNAL_YIELD && this.layout.linkWaitsInside[k] === 1))
      this.restarts.noteGreen(l, e, head, nowS);
    this.credit[l] = -this.params.startupLostTimeS * (this.params.saturationFlowVehPerHourPerLane / 3600);
    this.creditAt[l] = nowS - this.dt;
  }

  /** Moves the cars at the head of lane `l` of link `e` that can go. */
  private processLane(l: number, e: number, nowS: number): void {
    const { cars, layout } = this;
    const saturation = this.params.saturationFlowVehPerHourPerLane / 3600;
    while (this.laneHead[l]! >= 0) {
      const v = this.laneHead[l]!;
      if (cars.vReady[v]! > nowS) return;
      let leftAtS = cars.vReady[v]! > nowS - this.dt ? cars.vReady[v]! : nowS - this.dt;
      let next = cars.vNextEdge[v]!;
      if (next >= 0 && this.lotChoice.searchesOnward(v, e, next, nowS)) next = cars.vNextEdge[v]!;
      if (next < 0) {
        if (!this.hasCredit(l, saturation, nowS)) return;
        if (cars.purpose[v] !== 0 || (cars.vFlags[v]! & RETURNING) !== 0) {
          this.leaveLane(v, l, e);
          this.onNetwork--;
          if ((cars.vFlags[v]! & RETURNING) !== 0) cars.returnDoneS[v] = leftAtS;
          else cars.doneS[v] = leftAtS;
          continue;
        }
        if (!this.passGate(v, l, e, leftAtS, nowS)) {
          this.creep.noteHeld(l, v);
          return;
        }
        continue;
      }
      let k = layout.linkFrom(l, next);
      if (k < 0) k = this.anyLinkTo(e, next);
      let rate = saturation;
      const program = layout.linkSignal[k]!;
      const state = program >= 0 ? this.signal.stateAt(program, layout.linkSignalIndex[k]!, nowS) : SIGNAL_YIELD;
      if (state === SIGNAL_STOP) {
        // Held by red: the queue starts again after the start-up lost time once the signal turns green. Nothing
        // changes for this lane before the phase ends (unless the head car may still turn away from a full lot).
        this.credit[l] = -this.params.startupLostTimeS * saturation;
        this.creditAt[l] = nowS;
        if (this.funnelLot[next]! < 0) {
          this.redUntilS[l] = this.signal.phaseEndsS(program);
          this.laneChange.behindRed(l, e, nowS);
        }
        return;
      }
      let gapWaitS = 0;
      if (state === SIGNAL_YIELD && this.gaps.yields(k)) {
        if (layout.linkWaitsInside[k] === 0 && this.gaps.isWaiting(l, v, nowS)) return;
        this.gaps.evaluate(k, nowS);
        rate = this.gaps.rate;
        if (layout.linkWaitsInside[k] === 1) gapWaitS = this.gaps.drawWaitS(v, l);
        else {
          const untilS = this.gaps.stopLineWaitUntilS(
            l,
            v,
            leftAtS,
            cars.vReady[v]!,
            this.restarts.lastLeftS[l]!,
            nowS,
          );
          if (untilS > nowS) return;
          if (untilS > leftAtS) gapWaitS = this.gaps.startLossS[k]!; // it stopped: it sets off from a standstill
          if (untilS > leftAtS) leftAtS = untilS;
        }
      }
      if (!this.hasCredit(l, rate, nowS)) return;
      this.lotChoice.readSign(v, next);
      const target = this.room.choose(v, next, layout.linkToMask[k]!, false, nowS, this.dt);
      if (target < 0) {
        const partnerLane = this.room.swapPartner(v, l, e, next, nowS, this.dt);
        if (partnerLane < 0) {
          this.room.noteHeld(v, l, nowS);
          this.creep.noteHeld(l, v);
          return;
        }
        this.swap(v, l, e, k, leftAtS + this.crossS[k]! + gapWaitS, partnerLane, next, nowS);
        continue;
      }
      this.leaveLane(v, l, e);
      this.gaps.countDeparture(k, nowS);
      cars.vReady[v] = leftAtS + this.crossS[k]! + gapWaitS;
      this.enterLane(v, target, next);
    }
  }

  /**
   * Car `v`, first on lane `l` of link `e` and leaving by lane link `k` (ready on the next link at `vReadyS`), and the
   * first car on lane `m` of link `n` take each other's place (`LaneRoom.swapPartner`).
   */
  private swap(v: number, l: number, e: number, k: number, vReadyS: number, m: number, n: number, nowS: number): void {
    const { cars, layout } = this;
    const u = this.laneHead[m]!;
    let k2 = layout.linkFrom(m, e);
    if (k2 < 0) k2 = this.anyLinkTo(n, e);
    const uLeftAtS = cars.vReady[u]! > nowS - this.dt ? cars.vReady[u]! : nowS - this.dt;
    this.leaveLane(v, l, e);
    this.leaveLane(u, m, n);
    this.gaps.countDeparture(k, nowS);
    this.gaps.countDeparture(k2, nowS);
    cars.vReady[v] = vReadyS;
    cars.vReady[u] = uLeftAtS + this.crossS[k2]!;
    this.enterLane(v, m, n);
    this.enterLane(u, l, e);
  }

  /** Lot gate at the end of the car's entry link: admits it when the gate is free, the lot open and a bay free. */
  private passGate(v: number, l: number, e: number, leftAtS: number, nowS: number): boolean {
    const { cars, lots } = this;
    const lot = cars.vLot[v]!;
    if (lots.gateFreeAtS[lot]! > nowS || !lots.isOpen(lot, nowS)) return false;
    const isPreAssigned = (cars.vFlags[v]! & PRE_ASSIGNED) !== 0;
    const kind = lots.freeKindFor(lot, cars.vKind[v]!, cars.vRequired[v] === 1, nowS, isPreAssigned);
    if (kind < 0) return false;
    this.leaveLane(v, l, e);
    this.onNetwork--;
    const gateStartS = Math.max(lots.gateFreeAtS[lot]!, leftAtS);
    lots.gateFreeAtS[lot] = gateStartS + lots.gateServiceS[lot]!;
    cars.vBay[v] = lots.park(lot, kind, isPreAssigned);
    lots.enRoute[lot]!--;
    cars.vFlags[v] = cars.vFlags[v]! & ~EN_ROUTE;
    cars.vParkedKind[v] = kind;
    cars.doneS[v] = gateStartS + this.params.lotEntryDelayS;
    cars.lotIndex[v] = lot;
    this.releases.push(gateStartS + cars.vStayS[v]!, v);
    return true;
  }

  /** Current queue per link (m), as the queue recorder measures it (`QueueRecorder.linkQueueM`). */
  linkQueuesM(): Float64Array {
    const queues = new Float64Array(this.graph.edgeCount);
    const nowS = this.stepIndex === 0 ? this.startS : this.nowS - this.dt;
    const view = this.sampleView();
    for (let i = 0; i < this.activeCount; i++) {
      const e = this.activeEdges[i]!;
      queues[e] = this.recorder.linkQueueM(view, e, nowS);
    }
    return queues;
  }

  /** What the queue recorder reads of the lanes and cars, as of now. */
  private sampleView(): SampleView {
    return {
      activeEdges: this.activeEdges,
      activeCount: this.activeCount,
      laneHead: this.laneHead,
      lastLeftS: this.restarts.movedS,
      releasedS: this.restarts.releasedS,
      leftSinceRelease: this.restarts.leftSinceRelease,
      standingAtRelease: this.restarts.standingAtRelease,
      laneSpacingM: this.creep.spacingM,
      laneStorage: this.creep.storage,
      vNext: this.cars.vNext,
      vReady: this.cars.vReady,
      waitingToEnter: this.entries.waiting,
      onNetwork: this.onNetwork,
    };
  }

  /** The run's outputs in the input's trip order (call once the period is over, or to see a run so far). */
  output(): TrafficRunOutput {
    return engineOutput(this);
  }
}
