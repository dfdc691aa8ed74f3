import type { Appointment, BayKind, ParkingLot } from '../model/index.js';
import { createRouter, type Router, type ShortestPathTree } from '../routing/shortest-paths.js';
import {
  ALLOCATABLE_KINDS,
  type AllocatableKind,
  type AllocationDay,
  type AllocationOptions,
} from './allocation-types.js';
import { lotEntrances, validateAppointment, validateDay } from './day-validation.js';

export const KIND_COUNT = ALLOCATABLE_KINDS.length;

export type ResolvedOptions = Required<Omit<AllocationOptions, 'fallbackPenaltySByKind' | 'walkWeightByNeed'>> & {
  fallbackPenaltySByKind: Record<BayKind, number>;
  walkWeightByNeed: Record<'none' | AllocatableKind, number>;
};

export function resolveOptions(options: AllocationOptions = {}): ResolvedOptions {
  return {
    slotMin: options.slotMin ?? 15,
    arrivalLeadMin: options.arrivalLeadMin ?? 30,
    exitBufferMin: options.exitBufferMin ?? 15,
    unplacedPenaltyS: options.unplacedPenaltyS ?? 7200,
    fallbackPenaltySByKind: {
      standard: 0,
      accessible: 1800,
      family: 600,
      ev: 900,
      staff: 0,
      ...options.fallbackPenaltySByKind,
    },
    walkWeightByNeed: { none: 1, standard: 1, accessible: 3, family: 1.5, ev: 1, ...options.walkWeightByNeed },
    gateUtilisation: options.gateUtilisation ?? 0.85,
    defaultDriveTimeS: options.defaultDriveTimeS ?? 900,
    priceIterations: options.priceIterations ?? 160,
    exactSearchNodes: options.exactSearchNodes ?? 2_000_000,
    stopGapPct: options.stopGapPct ?? 0.05,
    includeRoutes: options.includeRoutes ?? true,
  };
}

/**
 * The day as flat arrays: car `i` may take option `o` in `optStart[i] .. optStart[i+1]-1`, which holds one
 * bay of chain `optChain[o]` (= lot × kind) over slots `[arrivalSlot[i], departSlot[i])` and one gate
 * passage of lot `optLot[o]` in slot `arrivalSlot[i]`, at cost `optCost[o]`. Leaving the car unplaced costs
 * `unplacedPenaltyS`. This is exactly the time-indexed assignment ILP the tests hand to HiGHS.
 */
export interface AllocationInstance {
  slotMin: number;
  slotCount: number;
  lotCount: number;
  carCount: number;
  arrivalSlot: Int32Array;
  departSlot: Int32Array;
  optStart: Int32Array;
  optLot: Int32Array;
  optKind: Int32Array;
  optChain: Int32Array;
  optCost: Float64Array;
  optDriveS: Float64Array;
  optWalkS: Float64Array;
  optWalkWeight: Float64Array;
  optFallbackS: Float64Array;
  /** Free bays per chain and slot: `chainCap[chain * slotCount + t]`. */
  chainCap: Int32Array;
  /** Plannable gate passages per lot and slot: `gateCap[lot * slotCount + t]`. */
  gateCap: Int32Array;
  unplacedPenaltyS: number;
}

/** What `allocate` needs besides the instance to describe a plan: ids, trees for routes. */
export interface CompiledDay {
  instance: AllocationInstance;
  options: ResolvedOptions;
  router: Router | undefined;
  /** Tree towards each lot's entry edge for the band a car arrives in, by `lot * bandCount + band`. */
  treeFor(lotIndex: number, arrivalMin: number): ShortestPathTree | undefined;
  originEdgeOf(appointment: Appointment): string | undefined;
  /** Arrival slot (from `arrivalMs`, default start − lead) and first slot after the bay is released. */
  slotsFor(appointment: Appointment, arrivalMs?: number): { arrival: number; depart: number };
  /** Every lot × kind the car could take, before capacity. */
  optionsFor(appointment: Appointment, arrivalSlot: number): CarOption[];
  /** Checks one appointment (entrance, kinds, times), throwing `CB_ALLOCATION_INVALID` at `path`. */
  validateAppointment(appointment: Appointment, path: string): void;
}

export interface CarOption {
  lot: number;
  kind: number;
  chain: number;
  driveS: number;
  walkS: number;
  walkWeight: number;
  fallbackS: number;
  costS: number;
}

/** Window overrides for one slot: the smallest `capacityBays` of the windows overlapping it. */
function capacityInSlot(lot: ParkingLot, kind: AllocatableKind, base: number, fromMin: number, toMin: number): number {
  let cap = base;
  for (const w of lot.capacityWindows)
    if (w.kind === kind && w.fromMin < toMin && w.toMin > fromMin) cap = Math.min(cap, w.capacityBays);
  return cap;
}

function isOpen(lot: ParkingLot, fromMin: number, toMin: number): boolean {
  return lot.openingHours.length === 0 || lot.openingHours.some((w) => w.fromMin <= fromMin && w.toMin >= toMin);
}

export function compileDay(day: AllocationDay, options: AllocationOptions = {}): CompiledDay {
  validateDay(day);
  const entrances = lotEntrances(day);
  const opts = resolveOptions(options);
  const { slotMin } = opts;
  const slotMs = slotMin * 60_000;
  const n = day.appointments.length;
  const arrivalSlot = new Int32Array(n);
  const departSlot = new Int32Array(n);
  let slotCount = Math.ceil((24 * 60) / slotMin);
  const slotsFor = (a: Appointment, arrivalMs?: number): { arrival: number; depart: number } => {
    const arrival = Math.max(
      0,
      Math.floor(((arrivalMs ?? a.startMs - opts.arrivalLeadMin * 60_000) - day.dayStartMs) / slotMs),
    );
    const depart = Math.max(arrival + 1, Math.ceil((a.endMs + opts.exitBufferMin * 60_000 - day.dayStartMs) / slotMs));
    return { arrival, depart };
  };
  day.appointments.forEach((a, i) => {
    const { arrival, depart } = slotsFor(a);
    arrivalSlot[i] = arrival;
    departSlot[i] = depart;
    slotCount = Math.max(slotCount, depart);
  });
  const L = day.lots.length;
  const T = slotCount;
  const chainCap = new Int32Array(L * KIND_COUNT * T);
  const gateCap = new Int32Array(L * T);
  day.lots.forEach((lot, l) => {
    const perSlot = Math.floor(lot.gateServiceVehPerMin * slotMin * opts.gateUtilisation);
    ALLOCATABLE_KINDS.forEach((kind, k) => {
      const base = lot.zones.reduce((s, z) => s + (z.capacityByKind[kind] ?? 0), 0);
      const reserve = lot.reserveByKind[kind] ?? 0;
      for (let t = 0; t < T; t++) {
        const fromMin = t * slotMin;
        let cap = capacityInSlot(lot, kind, base, fromMin, fromMin + slotMin) - reserve;
        for (const o of day.occupancy ?? []) {
          if (
            o.lotId === lot.id &&
            o.kind === kind &&
            (o.fromMin ?? 0) < fromMin + slotMin &&
            (o.untilMin ?? Number.POSITIVE_INFINITY) > fromMin
          )
            cap -= o.bays;
        }
        chainCap[(l * KIND_COUNT + k) * T + t] = Math.max(0, cap);
      }
    });
    for (let t = 0; t < T; t++) gateCap[l * T + t] = isOpen(lot, t * slotMin, (t + 1) * slotMin) ? perSlot : 0;
  });
  // Before the options are cut: a slot whose gate others fill offers that lot to nobody, as a shut gate does.
  for (const passage of day.gatePassages ?? []) {
    const t = Math.floor(passage.atMin / slotMin);
    if (t >= T) continue;
    const gate = day.lots.findIndex((lot) => lot.id === passage.lotId) * T + t;
    gateCap[gate] = Math.max(0, (gateCap[gate] as number) - passage.cars);
  }

  const router = day.network === undefined ? undefined : createRouter(day.network);
  const bands = [...(day.travelTimeBands ?? [])].sort((a, b) => a.fromMin - b.fromMin);
  const bandCount = Math.max(1, bands.length);
  const trees = new Map<number, ShortestPathTree>();
  const bandOf = (minute: number): number => {
    let band = 0;
    for (let b = 0; b < bands.length; b++) if ((bands[b]?.fromMin ?? 0) <= minute) band = b;
    return band;
  };
  const treeFor = (lotIndex: number, arrivalMin: number): ShortestPathTree | undefined => {
    if (router === undefined) return undefined;
    const band = bandOf(arrivalMin);
    const key = lotIndex * bandCount + band;
    let tree = trees.get(key);
    if (tree === undefined) {
      const lot = day.lots[lotIndex];
      if (lot === undefined) return undefined;
      tree = router.treeTo(lot.entryEdgeId, bands[band]?.edgeCostS);
      trees.set(key, tree);
    }
    return tree;
  };
  const originEdgeOf = (a: Appointment): string | undefined =>
    a.originZoneId === undefined ? undefined : day.originEdgeByZone?.[a.originZoneId];

  const hasRoom = (chain: number, from: number, to: number): boolean => {
    for (let t = from; t < to; t++) if ((chainCap[chain * T + t] ?? 0) === 0) return false;
    return true;
  };
  const optionsFor = (a: Appointment, arrival: number): CarOption[] => {
    const { requiredKind, preferredKinds } = a.needs;
    const kinds: AllocatableKind[] =
      requiredKind !== undefined
        ? [requiredKind as AllocatableKind]
        : [...new Set([...(preferredKinds as AllocatableKind[]), 'standard' as const])];
    const needKind = (requiredKind ?? preferredKinds[0] ?? 'none') as 'none' | AllocatableKind;
    const walkWeight = Math.max(opts.walkWeightByNeed.none, opts.walkWeightByNeed[needKind]);
    const firstPreferred = preferredKinds[0];
    const originEdge = originEdgeOf(a);
    const list: CarOption[] = [];
    day.lots.forEach((lot, l) => {
      const walkS = lot.walkTimeSByEntrance[a.entranceId];
      if (walkS === undefined) return;
      let driveS = opts.defaultDriveTimeS;
      if (router !== undefined && originEdge !== undefined) {
        driveS = treeFor(l, arrival * slotMin)?.costS[router.edgeIndex(originEdge)] ?? Number.POSITIVE_INFINITY;
      } else if (a.originZoneId !== undefined) {
        driveS = day.driveTimeSByOrigin?.[a.originZoneId]?.[lot.id] ?? opts.defaultDriveTimeS;
      }
      if (!Number.isFinite(driveS)) return;
      for (const kind of kinds) {
        const rank = preferredKinds.indexOf(kind);
        const fullPenalty = firstPreferred === undefined ? 0 : opts.fallbackPenaltySByKind[firstPreferred];
        const fallbackS =
          requiredKind !== undefined || rank === 0 || firstPreferred === undefined
            ? 0
            : rank > 0
              ? fullPenalty / 2
              : fullPenalty;
        const k = ALLOCATABLE_KINDS.indexOf(kind);
        list.push({
          lot: l,
          kind: k,
          chain: l * KIND_COUNT + k,
          driveS,
          walkS,
          walkWeight,
          fallbackS,
          costS: driveS + walkS * walkWeight + fallbackS,
        });
      }
    });
    return list;
  };
  const optStart = new Int32Array(n + 1);
  const optLot: number[] = [];
  const optKind: number[] = [];
  const optDriveS: number[] = [];
  const optWalkS: number[] = [];
  const optWalkWeight: number[] = [];
  const optFallbackS: number[] = [];
  day.appointments.forEach((a, i) => {
    optStart[i] = optLot.length;
    const arrival = arrivalSlot[i] ?? 0;
    for (const option of optionsFor(a, arrival)) {
      // A lot that cannot take the car at all (gate shut at arrival, no free bay of the kind at some slot of
      // the stay) gives no option: fewer columns for the optimiser and for HiGHS alike.
      if ((gateCap[option.lot * T + arrival] ?? 0) === 0 || !hasRoom(option.chain, arrival, departSlot[i] ?? 0))
        continue;
      optLot.push(option.lot);
      optKind.push(option.kind);
      optDriveS.push(option.driveS);
      optWalkS.push(option.walkS);
      optWalkWeight.push(option.walkWeight);
      optFallbackS.push(option.fallbackS);
    }
  });
  optStart[n] = optLot.length;
  const optCost = Float64Array.from(
    optLot,
    (_, o) => (optDriveS[o] ?? 0) + (optWalkS[o] ?? 0) * (optWalkWeight[o] ?? 0) + (optFallbackS[o] ?? 0),
  );
  const instance: AllocationInstance = {
    slotMin,
    slotCount: T,
    lotCount: L,
    carCount: n,
    arrivalSlot,
    departSlot,
    optStart,
    optLot: Int32Array.from(optLot),
    optKind: Int32Array.from(optKind),
    optChain: Int32Array.from(optLot, (l, o) => l * KIND_COUNT + (optKind[o] ?? 0)),
    optCost,
    optDriveS: Float64Array.from(optDriveS),
    optWalkS: Float64Array.from(optWalkS),
    optWalkWeight: Float64Array.from(optWalkWeight),
    optFallbackS: Float64Array.from(optFallbackS),
    chainCap,
    gateCap,
    unplacedPenaltyS: opts.unplacedPenaltyS,
  };
  return {
    instance,
    options: opts,
    router,
    treeFor,
    originEdgeOf,
    slotsFor,
    optionsFor,
    validateAppointment: (a, path) => validateAppointment(a, path, entrances),
  };
}
