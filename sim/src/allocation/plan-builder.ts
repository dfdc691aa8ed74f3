import type { Appointment, ParkingLot } from '../model/index.js';
import { describeRoute } from '../routing/route-text.js';
import type { CompiledDay } from './allocation-instance.js';
import type { AllocationState } from './allocation-state.js';
import {
  ALLOCATABLE_KINDS,
  type AllocationDay,
  type AllocationPlan,
  type Assignment,
  type AssignmentOutcome,
  type LotSummary,
} from './allocation-types.js';
import { type CarOption, OUTCOME_DROP_OFF, OUTCOME_PARK_AND_RIDE, windowFromMin } from './car-options.js';
import type { TimeAxis } from './time-axis.js';

const OUTCOMES: readonly AssignmentOutcome[] = ['bay', 'park-and-ride', 'drop-off'];

/** Option `o` of the compiled instance as a `CarOption` (the online allocator keeps its options as objects). */
export function optionOf(compiled: CompiledDay, o: number): CarOption {
  const inst = compiled.instance;
  return {
    lot: inst.optLot[o] as number,
    kind: inst.optKind[o] as number,
    chain: inst.optChain[o] as number,
    from: inst.optFrom[o] as number,
    to: inst.optTo[o] as number,
    gate: inst.optGate[o] as number,
    outcome: inst.optOutcome[o] as number,
    windowFromMin: inst.optWindowFromMin[o] as number,
    holdUntilMin: inst.optHoldUntilMin[o] as number,
    shiftMin: inst.optShiftMin[o] as number,
    rescheduleMin: inst.optRescheduleMin[o] as number,
    driveS: inst.optDriveS[o] as number,
    walkS: inst.optWalkS[o] as number,
    walkWeight: inst.optWalkWeight[o] as number,
    fallbackS: inst.optFallbackS[o] as number,
    shiftS: inst.optShiftS[o] as number,
    alternativeS: inst.optAlternativeS[o] as number,
    costS: inst.optCost[o] as number,
  };
}

/**
 * {@link optionOf} written into `into`, every field, for a caller that reads it at once and keeps none of it (the
 * plan describes each car from one such object: an object per car was 1 MB of a first call's garbage).
 */
function fillOption(compiled: CompiledDay, o: number, into: CarOption): CarOption {
  const inst = compiled.instance;
  into.lot = inst.optLot[o] as number;
  into.kind = inst.optKind[o] as number;
  into.chain = inst.optChain[o] as number;
  into.from = inst.optFrom[o] as number;
  into.to = inst.optTo[o] as number;
  into.gate = inst.optGate[o] as number;
  into.outcome = inst.optOutcome[o] as number;
  into.windowFromMin = inst.optWindowFromMin[o] as number;
  into.holdUntilMin = inst.optHoldUntilMin[o] as number;
  into.shiftMin = inst.optShiftMin[o] as number;
  into.rescheduleMin = inst.optRescheduleMin[o] as number;
  into.driveS = inst.optDriveS[o] as number;
  into.walkS = inst.optWalkS[o] as number;
  into.walkWeight = inst.optWalkWeight[o] as number;
  into.fallbackS = inst.optFallbackS[o] as number;
  into.shiftS = inst.optShiftS[o] as number;
  into.alternativeS = inst.optAlternativeS[o] as number;
  into.costS = inst.optCost[o] as number;
  return into;
}

/**
 * One car's outcome as a person reads it: lot, zone, kind, window, route and why (cost breakdown); or the
 * alternative it was given, or the wait-list. `option` undefined = the wait-list.
 */
export function describeOption(
  compiled: CompiledDay,
  day: AllocationDay,
  appointment: Appointment,
  option: CarOption | undefined,
  zoneId: string | undefined,
  waitListCostS = compiled.options.unplacedPenaltyS,
): Assignment {
  const { options } = compiled;
  const dayStartMs = day.dayStartMs;
  if (option === undefined) {
    const fromMin = Math.max(0, windowFromMin({ dayStartMs, options }, appointment, 0, 0));
    return {
      appointmentId: appointment.id,
      outcome: 'wait-list',
      placed: false,
      arrivalWindow: {
        fromMs: minuteMs(dayStartMs, fromMin),
        toMs: minuteMs(dayStartMs, fromMin + options.arrivalWindowMin),
      },
      holdUntilMs: minuteMs(dayStartMs, fromMin),
      arrivalShiftMin: 0,
      cost: {
        driveS: 0,
        walkS: 0,
        walkWeight: 0,
        weightedWalkS: 0,
        fallbackPenaltyS: 0,
        shiftPenaltyS: 0,
        alternativePenaltyS: 0,
        unplacedPenaltyS: waitListCostS,
        totalS: waitListCostS,
      },
    };
  }
  const outcome = OUTCOMES[option.outcome] ?? 'bay';
  const assignment: Assignment = {
    appointmentId: appointment.id,
    outcome,
    placed: option.outcome !== OUTCOME_DROP_OFF,
    arrivalWindow: {
      fromMs: minuteMs(dayStartMs, option.windowFromMin),
      toMs: minuteMs(dayStartMs, option.windowFromMin + options.arrivalWindowMin),
    },
    holdUntilMs: minuteMs(dayStartMs, option.holdUntilMin),
    arrivalShiftMin: option.shiftMin,
    cost: {
      driveS: option.driveS,
      walkS: option.walkS,
      walkWeight: option.walkWeight,
      weightedWalkS: option.walkS * option.walkWeight,
      fallbackPenaltyS: option.fallbackS,
      shiftPenaltyS: option.shiftS,
      alternativePenaltyS: option.alternativeS,
      unplacedPenaltyS: 0,
      totalS: option.costS,
    },
  };
  if (option.rescheduleMin !== 0)
    assignment.reschedule = {
      byMin: option.rescheduleMin,
      suggestedStartMs: appointment.startMs + option.rescheduleMin * 60_000,
    };
  if (option.outcome === OUTCOME_DROP_OFF) return assignment;
  const lot = day.lots[option.lot] as ParkingLot;
  const kind = ALLOCATABLE_KINDS[option.kind] ?? 'standard';
  assignment.lotId = lot.id;
  assignment.lotName = lot.name;
  if (zoneId !== undefined) assignment.zoneId = zoneId;
  assignment.kind = kind;
  const wanted = appointment.needs.requiredKind ?? appointment.needs.preferredKinds[0];
  if (wanted !== undefined && wanted !== kind) assignment.fallbackFrom = wanted;
  if (option.outcome === OUTCOME_PARK_AND_RIDE) {
    const pr = options.parkAndRide.find((p) => p.lotId === lot.id);
    if (pr !== undefined) assignment.shuttle = { rideS: pr.shuttleRideS, headwayS: pr.shuttleHeadwayS };
  }
  const originEdge = compiled.originEdgeOf(appointment);
  if (options.includeRoutes && day.network !== undefined && originEdge !== undefined) {
    const path = compiled.treeFor(option.lot, option.windowFromMin)?.pathFrom(originEdge);
    if (path !== undefined) {
      assignment.route = {
        edgeIds: path.edgeIds,
        driveS: path.costS,
        text: describeRoute(day.network, path.edgeIds, `${lot.name} (${lot.id})`),
      };
    }
  }
  return assignment;
}

/** The instant `min` minutes after the day's midnight (a function, not a closure made for every car described). */
function minuteMs(dayStartMs: number, min: number): number {
  return dayStartMs + Math.round(min * 60_000);
}

/**
 * Bays already taken per zone and point of the bay axis, from the occupancy that names its zone, keyed
 * `lot/zone/kind`: where zone choice starts from.
 */
export function zoneOccupancy(axis: TimeAxis, day: AllocationDay): Map<string, Int32Array> {
  const P = axis.pointCount;
  const loads = new Map<string, Int32Array>();
  for (const o of day.occupancy ?? []) {
    if (o.zoneId === undefined) continue;
    const key = `${o.lotId}/${o.zoneId}/${o.kind}`;
    const load = loads.get(key) ?? new Int32Array(P);
    loads.set(key, load);
    const from = axis.firstAtOrAfter(o.fromMin ?? 0);
    const to = axis.firstAtOrAfter(o.untilMin ?? Number.POSITIVE_INFINITY);
    for (let p = from; p < to; p++) load[p] = (load[p] as number) + o.bays;
  }
  return loads;
}

/**
 * Zones inside a lot: cars in order of their hold's start each get the zone of their kind with the most bays
 * free over their stay (zones of one kind are interchangeable for cost; this spreads them so none overflows).
 */
export function assignZones(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
): Array<string | undefined> {
  const inst = compiled.instance;
  const n = inst.carCount;
  const zones: Array<string | undefined> = new Array(n).fill(undefined);
  const candidates = zoneCandidates(compiled, day);
  const startMin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = state.choice[i] as number;
    startMin[i] = o < 0 ? 0 : (inst.optWindowFromMin[o] as number);
  }
  const order = byStartThenCar(startMin);
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    const o = state.choice[i] as number;
    if (o < 0 || (inst.optLot[o] as number) < 0) continue;
    const lotZones = candidates[(inst.optLot[o] as number) * ALLOCATABLE_KINDS.length + (inst.optKind[o] as number)];
    if (lotZones === undefined) continue;
    const from = inst.optFrom[o] as number;
    const to = inst.optTo[o] as number;
    let bestZone: string | undefined;
    let bestFree = Number.NEGATIVE_INFINITY;
    let bestLoad: Int32Array | undefined;
    for (let z = 0; z < lotZones.length; z++) {
      const zone = lotZones[z] as ZoneCandidate;
      let peak = 0;
      for (let p = from; p < to; p++) peak = Math.max(peak, zone.load[p] as number);
      if (zone.bays - peak > bestFree) {
        bestFree = zone.bays - peak;
        bestZone = zone.id;
        bestLoad = zone.load;
      }
    }
    if (bestLoad !== undefined) for (let p = from; p < to; p++) bestLoad[p] = (bestLoad[p] as number) + 1;
    zones[i] = bestZone;
  }
  return zones;
}

/**
 * The cars ordered by their start, then by car: a counting sort over the distinct starts (sorted by the typed array's
 * own numeric sort), where a comparator sort called into JavaScript ~22,000 times a day, in a fresh process while
 * the comparator was still unoptimised.
 */
export function byStartThenCar(startMin: Float64Array): Int32Array {
  const n = startMin.length;
  const sorted = startMin.slice().sort();
  let distinct = 0;
  for (let k = 0; k < n; k++)
    if (k === 0 || (sorted[k] as number) !== (sorted[distinct - 1] as number)) sorted[distinct++] = sorted[k] as number;
  const rank = new Int32Array(n);
  const next = new Int32Array(distinct + 1);
  for (let i = 0; i < n; i++) {
    const s = startMin[i] as number;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < s) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    next[lo + 1] = (next[lo + 1] as number) + 1;
  }
  for (let r = 1; r <= distinct; r++) next[r] = (next[r] as number) + (next[r - 1] as number);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rank[i] as number;
    order[next[r] as number] = i;
    next[r] = (next[r] as number) + 1;
  }
  return order;
}

/** A zone that has bays of one kind, with the bays of that kind taken per point of the bay axis. */
interface ZoneCandidate {
  id: string;
  bays: number;
  load: Int32Array;
}

/**
 * Per lot and kind (`lot × kinds + kind`), its zones with bays of the kind, in the lot's order, each with its load
 * from the occupancy that names it: looked up once, not by a string key per car and zone.
 */
function zoneCandidates(compiled: CompiledDay, day: AllocationDay): ZoneCandidate[][] {
  const P = compiled.instance.pointCount;
  const loads = zoneOccupancy(compiled.axis, day);
  const byLotKind: ZoneCandidate[][] = [];
  day.lots.forEach((lot, l) =>
    ALLOCATABLE_KINDS.forEach((kind, k) => {
      const list: ZoneCandidate[] = [];
      for (const zone of lot.zones) {
        const bays = zone.capacityByKind[kind] ?? 0;
        if (bays <= 0) continue;
        const key = `${lot.id}/${zone.id}/${kind}`;
        const load = loads.get(key) ?? new Int32Array(P);
        loads.set(key, load);
        list.push({ id: zone.id, bays, load });
      }
      byLotKind[l * ALLOCATABLE_KINDS.length + k] = list;
    }),
  );
  return byLotKind;
}

/** Per lot what was assigned, its peak held bays and peak arrivals per gate slot. */
export function lotSummaries(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
  assignments: Assignment[],
): LotSummary[] {
  const inst = compiled.instance;
  const P = inst.pointCount;
  const S = inst.slotCount;
  const K = ALLOCATABLE_KINDS.length;
  // One pass over the assignments (a pass per lot was 12,000 reads of a string property in cold code).
  const lotOf = new Map(day.lots.map((lot, l) => [lot.id, l]));
  const byKindOf: Array<LotSummary['byKind']> = day.lots.map(() => ({}));
  for (const a of assignments) {
    if (a.lotId === undefined || a.kind === undefined) continue;
    const byKind = byKindOf[lotOf.get(a.lotId) ?? -1];
    if (byKind !== undefined) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  }
  return day.lots.map((lot, l) => {
    const byKind = byKindOf[l] as LotSummary['byKind'];
    let peakHeld = 0;
    for (let p = 0; p < P; p++) {
      let held = 0;
      for (let k = 0; k < K; k++) held += state.chainLoad[(l * K + k) * P + p] as number;
      peakHeld = Math.max(peakHeld, held);
    }
    let peakArrivals = 0;
    let gateCapacity = 0;
    for (let t = 0; t < S; t++) {
      peakArrivals = Math.max(peakArrivals, state.gateLoad[l * S + t] as number);
      gateCapacity = Math.max(gateCapacity, inst.gateCap[l * S + t] as number);
    }
    return {
      lotId: lot.id,
      assigned: Object.values(byKind).reduce((s, v) => s + (v ?? 0), 0),
      byKind,
      peakHeldBays: peakHeld,
      peakArrivalsPerSlot: peakArrivals,
      gateCapacityPerSlot: gateCapacity,
    };
  });
}

/** The plan's totals from its assignments. */
export function summarise(
  assignments: Assignment[],
  lots: LotSummary[],
  lowerBoundS: number,
  isProvenOptimal: boolean,
): AllocationPlan['summary'] {
  // One pass (each total summed in the assignments' order, as before: the same doubles), where twenty passes with a
  // closure each ran in cold code.
  const byOutcome = { bay: 0, 'park-and-ride': 0, 'drop-off': 0, 'wait-list': 0, released: 0 };
  let objectiveS = 0;
  let placed = 0;
  let fallbacks = 0;
  let shifted = 0;
  let absShiftMin = 0;
  let rescheduled = 0;
  let driveS = 0;
  let weightedWalkS = 0;
  let fallbackPenaltyS = 0;
  let shiftPenaltyS = 0;
  let alternativePenaltyS = 0;
  let unplacedPenaltyS = 0;
  for (const a of assignments) {
    objectiveS += a.cost.totalS;
    if (a.placed) placed++;
    byOutcome[a.outcome]++;
    if (a.fallbackFrom !== undefined) fallbacks++;
    if (a.arrivalShiftMin !== 0) shifted++;
    absShiftMin += Math.abs(a.arrivalShiftMin);
    if (a.reschedule !== undefined) rescheduled++;
    driveS += a.cost.driveS;
    weightedWalkS += a.cost.weightedWalkS;
    fallbackPenaltyS += a.cost.fallbackPenaltyS;
    shiftPenaltyS += a.cost.shiftPenaltyS;
    alternativePenaltyS += a.cost.alternativePenaltyS;
    unplacedPenaltyS += a.cost.unplacedPenaltyS;
  }
  return {
    appointments: assignments.length,
    placed,
    unplaced: assignments.length - placed,
    byOutcome,
    fallbacks,
    shifted,
    meanAbsShiftMin: assignments.length === 0 ? 0 : absShiftMin / assignments.length,
    rescheduled,
    objectiveS,
    lowerBoundS,
    gapPct: objectiveS > 0 ? (100 * Math.max(0, objectiveS - lowerBoundS)) / objectiveS : 0,
    isProvenOptimal,
    driveS,
    weightedWalkS,
    fallbackPenaltyS,
    shiftPenaltyS,
    alternativePenaltyS,
    unplacedPenaltyS,
    lots,
  };
}

export function buildPlan(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
  lowerBoundS: number,
  isProvenOptimal: boolean,
): Omit<AllocationPlan, 'skipped'> {
  const zones = assignZones(compiled, day, state);
  // One option object, refilled for each placed car (describeOption keeps none of it).
  let scratch: CarOption | undefined;
  const assignments = day.appointments.map((a, i) => {
    const o = state.choice[i] as number;
    if (o < 0) return describeOption(compiled, day, a, undefined, zones[i]);
    scratch = scratch === undefined ? optionOf(compiled, o) : fillOption(compiled, o, scratch);
    return describeOption(compiled, day, a, scratch, zones[i]);
  });
  return {
    dayStartMs: day.dayStartMs,
    slotMin: compiled.options.slotMin,
    arrivalWindowMin: compiled.options.arrivalWindowMin,
    assignments,
    summary: summarise(assignments, lotSummaries(compiled, day, state, assignments), lowerBoundS, isProvenOptimal),
  };
}
