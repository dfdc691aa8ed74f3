import type { ParkingLot } from '../model/index.js';
import { describeRoute } from '../routing/route-text.js';
import type { CompiledDay } from './allocation-instance.js';
import type { AllocationState } from './allocation-state.js';
import {
  ALLOCATABLE_KINDS,
  type AllocationDay,
  type AllocationPlan,
  type Assignment,
  type CostBreakdown,
  type LotSummary,
} from './allocation-types.js';

/** One car's assignment as a person reads it: lot, zone, kind, window, route and why (cost breakdown). */
export function describeAssignment(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
  i: number,
  zoneId: string | undefined,
): Assignment {
  const inst = compiled.instance;
  const appointment = day.appointments[i];
  if (appointment === undefined) throw new RangeError(`no appointment ${i}`);
  const slotMs = inst.slotMin * 60_000;
  const arrivalFromMs = day.dayStartMs + (inst.arrivalSlot[i] as number) * slotMs;
  const base = {
    appointmentId: appointment.id,
    arrivalWindow: { fromMs: arrivalFromMs, toMs: arrivalFromMs + slotMs },
    holdUntilMs: day.dayStartMs + (inst.departSlot[i] as number) * slotMs,
  };
  const o = state.choice[i] as number;
  if (o < 0) {
    const cost: CostBreakdown = {
      driveS: 0,
      walkS: 0,
      walkWeight: 0,
      weightedWalkS: 0,
      fallbackPenaltyS: 0,
      unplacedPenaltyS: inst.unplacedPenaltyS,
      totalS: inst.unplacedPenaltyS,
    };
    return { ...base, placed: false, cost };
  }
  const lot = day.lots[inst.optLot[o] as number] as ParkingLot;
  const kind = ALLOCATABLE_KINDS[inst.optKind[o] as number] ?? 'standard';
  const walkS = inst.optWalkS[o] as number;
  const walkWeight = inst.optWalkWeight[o] as number;
  const cost: CostBreakdown = {
    driveS: inst.optDriveS[o] as number,
    walkS,
    walkWeight,
    weightedWalkS: walkS * walkWeight,
    fallbackPenaltyS: inst.optFallbackS[o] as number,
    unplacedPenaltyS: 0,
    totalS: inst.optCost[o] as number,
  };
  const assignment: Assignment = { ...base, placed: true, lotId: lot.id, lotName: lot.name, kind, cost };
  if (zoneId !== undefined) assignment.zoneId = zoneId;
  const wanted = appointment.needs.requiredKind ?? appointment.needs.preferredKinds[0];
  if (wanted !== undefined && wanted !== kind) assignment.fallbackFrom = wanted;
  const originEdge = compiled.originEdgeOf(appointment);
  if (compiled.options.includeRoutes && day.network !== undefined && originEdge !== undefined) {
    const path = compiled
      .treeFor(inst.optLot[o] as number, (inst.arrivalSlot[i] as number) * inst.slotMin)
      ?.pathFrom(originEdge);
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

/**
 * Bays already taken per zone and slot, from the occupancy that names its zone, keyed `lot/zone/kind`: where
 * zone choice starts from.
 */
export function zoneOccupancy(day: AllocationDay, slotMin: number, slotCount: number): Map<string, Int32Array> {
  const loads = new Map<string, Int32Array>();
  for (const o of day.occupancy ?? []) {
    if (o.zoneId === undefined) continue;
    const key = `${o.lotId}/${o.zoneId}/${o.kind}`;
    const load = loads.get(key) ?? new Int32Array(slotCount);
    loads.set(key, load);
    // The slots the lot × kind capacity is lowered in (see compileDay).
    const from = Math.max(0, Math.floor((o.fromMin ?? 0) / slotMin));
    const to = Math.min(slotCount, Math.ceil((o.untilMin ?? Number.POSITIVE_INFINITY) / slotMin));
    for (let t = from; t < to; t++) load[t] = (load[t] as number) + o.bays;
  }
  return loads;
}

/**
 * Zones inside a lot: cars in arrival order each get the zone of their kind with the most bays free over
 * their stay (zones of one kind are interchangeable for cost; this spreads them so no zone overflows).
 */
export function assignZones(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
): Array<string | undefined> {
  const inst = compiled.instance;
  const T = inst.slotCount;
  const zones: Array<string | undefined> = new Array(inst.carCount).fill(undefined);
  const loads = zoneOccupancy(day, inst.slotMin, T);
  const order = Array.from({ length: inst.carCount }, (_, i) => i).sort(
    (x, y) => (inst.arrivalSlot[x] as number) - (inst.arrivalSlot[y] as number) || x - y,
  );
  for (const i of order) {
    const o = state.choice[i] as number;
    if (o < 0) continue;
    const lot = day.lots[inst.optLot[o] as number];
    const kind = ALLOCATABLE_KINDS[inst.optKind[o] as number] ?? 'standard';
    if (lot === undefined) continue;
    const a = inst.arrivalSlot[i] as number;
    const d = inst.departSlot[i] as number;
    let bestZone: string | undefined;
    let bestFree = Number.NEGATIVE_INFINITY;
    let bestLoad: Int32Array | undefined;
    for (const zone of lot.zones) {
      const bays = zone.capacityByKind[kind] ?? 0;
      if (bays <= 0) continue;
      const key = `${lot.id}/${zone.id}/${kind}`;
      let load = loads.get(key);
      if (load === undefined) {
        load = new Int32Array(T);
        loads.set(key, load);
      }
      let peak = 0;
      for (let t = a; t < d; t++) peak = Math.max(peak, load[t] as number);
      if (bays - peak > bestFree) {
        bestFree = bays - peak;
        bestZone = zone.id;
        bestLoad = load;
      }
    }
    if (bestLoad !== undefined) for (let t = a; t < d; t++) bestLoad[t] = (bestLoad[t] as number) + 1;
    zones[i] = bestZone;
  }
  return zones;
}

export function buildPlan(
  compiled: CompiledDay,
  day: AllocationDay,
  state: AllocationState,
  lowerBoundS: number,
  isProvenOptimal: boolean,
): Omit<AllocationPlan, 'skipped'> {
  const inst = compiled.instance;
  const zones = assignZones(compiled, day, state);
  const assignments = day.appointments.map((_, i) => describeAssignment(compiled, day, state, i, zones[i]));
  const T = inst.slotCount;
  const lots: LotSummary[] = day.lots.map((lot, l) => {
    const byKind: LotSummary['byKind'] = {};
    let held = new Int32Array(T);
    let peakArrivals = 0;
    for (let t = 0; t < T; t++) peakArrivals = Math.max(peakArrivals, state.gateLoad[l * T + t] as number);
    ALLOCATABLE_KINDS.forEach((_, k) => {
      const chain = l * ALLOCATABLE_KINDS.length + k;
      held = held.map((v, t) => v + (state.chainLoad[chain * T + t] as number));
    });
    for (const a of assignments)
      if (a.lotId === lot.id && a.kind !== undefined) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    return {
      lotId: lot.id,
      assigned: Object.values(byKind).reduce((s, v) => s + (v ?? 0), 0),
      byKind,
      peakHeldBays: Math.max(0, ...held),
      peakArrivalsPerSlot: peakArrivals,
      gateCapacityPerSlot: Math.max(0, ...inst.gateCap.subarray(l * T, (l + 1) * T)),
    };
  });
  const sum = (f: (a: Assignment) => number): number => assignments.reduce((s, a) => s + f(a), 0);
  const objectiveS = sum((a) => a.cost.totalS);
  const placed = assignments.filter((a) => a.placed).length;
  return {
    dayStartMs: day.dayStartMs,
    slotMin: inst.slotMin,
    assignments,
    summary: {
      appointments: assignments.length,
      placed,
      unplaced: assignments.length - placed,
      fallbacks: assignments.filter((a) => a.fallbackFrom !== undefined).length,
      objectiveS,
      lowerBoundS,
      gapPct: objectiveS > 0 ? (100 * (objectiveS - lowerBoundS)) / objectiveS : 0,
      isProvenOptimal,
      driveS: sum((a) => a.cost.driveS),
      weightedWalkS: sum((a) => a.cost.weightedWalkS),
      fallbackPenaltyS: sum((a) => a.cost.fallbackPenaltyS),
      unplacedPenaltyS: sum((a) => a.cost.unplacedPenaltyS),
      lots,
    },
  };
}
