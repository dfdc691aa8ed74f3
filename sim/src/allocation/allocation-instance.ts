import { errors } from '../errors.js';
import type { Appointment } from '../model/index.js';
import { createRouter, type Router, type ShortestPathTree } from '../routing/shortest-paths.js';
import { type AllocationOptions, type ResolvedOptions, resolveOptions } from './allocation-options.js';
import type { AllocationDay } from './allocation-types.js';
import {
  type CarOption,
  endMinOf,
  KIND_COUNT,
  type OptionContext,
  optionsFor,
  windowCandidates,
  windowFromMin,
  writeOptions,
} from './car-options.js';
import { OptionColumns } from './option-columns.js';
import { lotEntrances, validateAppointment, validateDay } from './day-validation.js';
import { capacityChangeMinutes, chainCapacities, gateCapacities, TimeAxis } from './time-axis.js';

export { type CarOption, KIND_COUNT } from './car-options.js';
export type { ResolvedOptions } from './allocation-options.js';

/** Capacity of a chain or gate that never binds (options that hold no bay; a kerb without a limit). */
export const UNLIMITED = 1 << 30;

/**
 * The day as flat arrays. Car `i` may take option `o` in `optStart[i] .. optStart[i+1]-1`: it holds one bay of
 * chain `optChain[o]` (lot × kind) at the bay-axis points `[optFrom[o], optTo[o])` and passes gate `optGate[o]`
 * (lot × slot) once, at cost `optCost[o]`; its arrival window starts at minute `optWindowFromMin[o]`. Options
 * differ in lot, kind and window (arrival shifts, reschedules), or are alternatives (park-and-ride lots, the
 * drop-off kerb, which holds no bay). Leaving a car without any costs `unplacedPenaltyS` (the wait-list). This is
 * exactly the ILP the tests and benchmark hand to HiGHS. Each car's options come cheapest first (see
 * `isCheapestFirst`): the local search stops scanning a car's options at the first one that is too dear.
 */
export interface AllocationInstance {
  slotMin: number;
  /** Gate slots per lot. */
  slotCount: number;
  lotCount: number;
  carCount: number;
  /** Points of the bay axis and their minutes after midnight. */
  pointCount: number;
  pointMin: Float64Array;
  /** Lots × kinds, plus one last chain for options that hold no bay. */
  chainCount: number;
  optStart: Int32Array;
  optLot: Int32Array;
  optKind: Int32Array;
  optChain: Int32Array;
  optFrom: Int32Array;
  optTo: Int32Array;
  optGate: Int32Array;
  optOutcome: Uint8Array;
  optShiftMin: Float64Array;
  optRescheduleMin: Float64Array;
  optWindowFromMin: Float64Array;
  optHoldUntilMin: Float64Array;
  optCost: Float64Array;
  optDriveS: Float64Array;
  optWalkS: Float64Array;
  optWalkWeight: Float64Array;
  optFallbackS: Float64Array;
  optShiftS: Float64Array;
  optAlternativeS: Float64Array;
  /** Free bays per chain and point: `chainCap[chain * pointCount + p]`. */
  chainCap: Int32Array;
  /** Plannable passages per gate: `gateCap[lot * slotCount + t]`, then the drop-off kerb's slots. */
  gateCap: Int32Array;
  /** Each car's arrival without shifts (minutes), for first-come-first-served order. */
  carNominalMin: Float64Array;
  unplacedPenaltyS: number;
}

/** What `allocate` needs besides the instance to describe a plan: ids, trees for routes. */
export interface CompiledDay {
  instance: AllocationInstance;
  options: ResolvedOptions;
  axis: TimeAxis;
  router: Router | undefined;
  /** Tree towards each lot's entry edge for the band a car arrives in. */
  treeFor(lotIndex: number, arrivalMin: number): ShortestPathTree | undefined;
  originEdgeOf(appointment: Appointment): string | undefined;
  /**
   * Every option of a car before capacity; with `arrivalMin`, only a window centred on it (an arrival report). Hold
   * points index `onAxis` (default the day's own axis).
   */
  optionsFor(appointment: Appointment, arrivalMin?: number, onAxis?: TimeAxis): CarOption[];
  /** Checks one appointment (entrance, kinds, times), throwing `CB_ALLOCATION_INVALID` at `path`. */
  validateAppointment(appointment: Appointment, path: string): void;
}

export function compileDay(day: AllocationDay, input: AllocationOptions = {}): CompiledDay {
  validateDay(day);
  const options = resolveOptions(input);
  const entrances = lotEntrances(day);
  const lotIndex = new Map(day.lots.map((lot, l) => [lot.id, l]));
  const parkAndRide = day.lots.map(() => undefined as ResolvedOptions['parkAndRide'][number] | undefined);
  options.parkAndRide.forEach((p, i) => {
    const l = lotIndex.get(p.lotId);
    if (l === undefined)
      throw errors.CB_ALLOCATION_INVALID(
        `allocation options: parkAndRide[${i}].lotId: unknown lot "${p.lotId}" (known: ${[...lotIndex.keys()].join(', ')})`,
        { path: `parkAndRide[${i}].lotId` },
      );
    parkAndRide[l] = p;
  });
  const router = day.network === undefined ? undefined : createRouter(day.network);
  const bands = [...(day.travelTimeBands ?? [])].sort((a, b) => a.fromMin - b.fromMin);
  const bandCount = Math.max(1, bands.length);
  const trees = new Map<number, ShortestPathTree>();
  const treeFor = (l: number, arrivalMin: number): ShortestPathTree | undefined => {
    if (router === undefined) return undefined;
    let band = 0;
    for (let b = 0; b < bands.length; b++) if ((bands[b]?.fromMin ?? 0) <= arrivalMin) band = b;
    const key = l * bandCount + band;
    let tree = trees.get(key);
    if (tree === undefined) {
      const lot = day.lots[l];
      if (lot === undefined) return undefined;
      tree = router.treeTo(lot.entryEdgeId, bands[band]?.edgeCostS);
      trees.set(key, tree);
    }
    return tree;
  };
  const originEdgeOf = (a: Appointment): string | undefined =>
    a.originZoneId === undefined ? undefined : day.originEdgeByZone?.[a.originZoneId];
  const driveTimeS = (a: Appointment, l: number, arrivalMin: number): number => {
    const originEdge = originEdgeOf(a);
    if (router !== undefined && originEdge !== undefined)
      return treeFor(l, arrivalMin)?.costS[router.edgeIndex(originEdge)] ?? Number.POSITIVE_INFINITY;
    const lotId = day.lots[l]?.id ?? '';
    const zone = a.originZoneId;
    if (zone === undefined) return options.defaultDriveTimeS;
    return (
      options.driveTimeSByOrigin[zone]?.[lotId] ?? day.driveTimeSByOrigin?.[zone]?.[lotId] ?? options.defaultDriveTimeS
    );
  };

  // The axis holds every minute a window may start and every minute capacity changes.
  const n = day.appointments.length;
  let lastMin = 1440;
  const ctxForMinutes = { dayStartMs: day.dayStartMs, options };
  const starts: number[] = capacityChangeMinutes(day);
  for (const a of day.appointments) {
    // Indexed, without destructuring: a destructuring for-of allocated two iterators per window, and an array
    // destructuring one more (once per day, but in cold code).
    const candidates = windowCandidates(ctxForMinutes, a);
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c] as readonly [number, number];
      starts.push(Math.max(0, windowFromMin(ctxForMinutes, a, candidate[0], candidate[1])));
    }
    lastMin = Math.max(lastMin, endMinOf(a, day.dayStartMs) + maxReschedule(options, a) + options.exitBufferMin + 60);
  }
  const axis = new TimeAxis(starts);
  const slotCount = Math.ceil(lastMin / options.slotMin);
  const ctx: OptionContext = {
    ...ctxForMinutes,
    lots: day.lots,
    axis,
    slotCount,
    parkAndRide,
    hasTravelTimeBands: bands.length > 0,
    driveTimeS,
  };
  const chainCap = chainCapacities(day, axis, UNLIMITED);
  const gateCap = gateCapacities(
    day,
    options.slotMin,
    slotCount,
    options.gateUtilisation,
    options.dropOff.vehPerMin,
    UNLIMITED,
  );
  const P = axis.pointCount;

  // A car's options are written to a small scratch and only those worth offering copied on: the columns are sized
  // once, for the options kept (growing eighteen columns of a day's size cost more than writing them).
  const cols = new OptionColumns(Math.ceil(starts.length * day.lots.length * 1.3));
  const scratch = new OptionColumns(256);
  let keep: Int32Array = new Int32Array(256);
  const optStart = new Int32Array(n + 1);
  const carNominalMin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = day.appointments[i] as Appointment;
    optStart[i] = cols.length;
    carNominalMin[i] = windowFromMin(ctx, a, 0, 0);
    keep = appendCarOptions(ctx, a, scratch, keep, cols, chainCap, gateCap, P);
  }
  optStart[n] = cols.length;
  const m = cols.length;
  const instance: AllocationInstance = {
    slotMin: options.slotMin,
    slotCount,
    lotCount: day.lots.length,
    carCount: n,
    pointCount: P,
    pointMin: axis.pointMin,
    chainCount: day.lots.length * KIND_COUNT + 1,
    optStart,
    optLot: cols.lot.subarray(0, m),
    optKind: cols.kind.subarray(0, m),
    optChain: cols.chain.subarray(0, m),
    optFrom: cols.from.subarray(0, m),
    optTo: cols.to.subarray(0, m),
    optGate: cols.gate.subarray(0, m),
    optOutcome: cols.outcome.subarray(0, m),
    optShiftMin: cols.shiftMin.subarray(0, m),
    optRescheduleMin: cols.rescheduleMin.subarray(0, m),
    optWindowFromMin: cols.windowFromMin.subarray(0, m),
    optHoldUntilMin: cols.holdUntilMin.subarray(0, m),
    optCost: cols.costS.subarray(0, m),
    optDriveS: cols.driveS.subarray(0, m),
    optWalkS: cols.walkS.subarray(0, m),
    optWalkWeight: cols.walkWeight.subarray(0, m),
    optFallbackS: cols.fallbackS.subarray(0, m),
    optShiftS: cols.shiftS.subarray(0, m),
    optAlternativeS: cols.alternativeS.subarray(0, m),
    chainCap,
    gateCap,
    carNominalMin,
    unplacedPenaltyS: options.unplacedPenaltyS,
  };
  builtCheapestFirst.add(instance);
  return {
    instance,
    options,
    axis,
    router,
    treeFor,
    originEdgeOf,
    optionsFor: (a, arrivalMin, onAxis) =>
      optionsFor(onAxis === undefined ? ctx : { ...ctx, axis: onAxis }, a, arrivalMin),
    validateAppointment: (a, path) => validateAppointment(a, path, entrances),
  };
}

// Instances compileDay built (each car's options sorted as they were written): the optimiser need not scan them again,
// which in a fresh process, still interpreted, took a few ms of the first call.
const builtCheapestFirst = new WeakSet<object>();

/** True when `instance` is one compileDay built (and so cheapest first), or each car's options come cheapest first. */
export function isKnownCheapestFirst(instance: AllocationInstance): boolean {
  return builtCheapestFirst.has(instance) || isCheapestFirst(instance);
}

/** True when each car's options come cheapest first, as the optimiser needs. */
export function isCheapestFirst(instance: Pick<AllocationInstance, 'carCount' | 'optStart' | 'optCost'>): boolean {
  const { carCount: n, optStart, optCost } = instance;
  for (let i = 0; i < n; i++)
    for (let o = (optStart[i] as number) + 1; o < (optStart[i + 1] as number); o++)
      if ((optCost[o] as number) < (optCost[o - 1] as number)) return false;
  return true;
}

/**
 * Sorts the first `count` row indices in `rows` by cost, cheapest first, keeping the written order among equal
 * costs (insertion sort: a car has tens of options).
 */
function sortByCost(rows: Int32Array, count: number, costS: Float64Array): void {
  for (let r = 1; r < count; r++) {
    const row = rows[r] as number;
    const cost = costS[row] as number;
    let s = r - 1;
    while (s >= 0 && (costS[rows[s] as number] as number) > cost) {
      rows[s + 1] = rows[s] as number;
      s--;
    }
    rows[s + 1] = row;
  }
}

/**
 * Writes a car's options to `scratch` and appends those worth offering to `cols`, cheapest first; answers `keep`
 * (the rows' scratch), grown when the car had more options. A function of its own, not a closure in compileDay:
 * V8 compiles it (and writeOptions) in small pieces, early in a fresh process.
 */
function appendCarOptions(
  ctx: OptionContext,
  a: Appointment,
  scratch: OptionColumns,
  keep: Int32Array,
  cols: OptionColumns,
  chainCap: Int32Array,
  gateCap: Int32Array,
  P: number,
): Int32Array {
  scratch.length = 0;
  writeOptions(ctx, a, undefined, scratch);
  const rows = keep.length < scratch.length ? new Int32Array(scratch.length * 2) : keep;
  let kept = 0;
  for (let k = 0; k < scratch.length; k++)
    if (isWorthOffering(scratch, k, chainCap, gateCap, P, ctx.options.unplacedPenaltyS)) rows[kept++] = k;
  sortByCost(rows, kept, scratch.costS);
  for (let r = 0; r < kept; r++) cols.append(scratch, rows[r] as number);
  return rows;
}

/** The latest reschedule a car's allowance gives (0 for none); a loop, not a spread into `Math.max` per car. */
function maxReschedule(options: ResolvedOptions, a: Appointment): number {
  const offsets = options.shiftOf(a).rescheduleMin;
  let latest = 0;
  for (let k = 0; k < offsets.length; k++) latest = Math.max(latest, offsets[k] as number);
  return latest;
}

/**
 * True when row `k` is worth offering: not dearer than the wait-list and with room at all (gate open, a free bay of
 * the kind at every point of the hold). Fewer columns for the optimiser and for HiGHS alike.
 */
function isWorthOffering(
  cols: OptionColumns,
  k: number,
  chainCap: Int32Array,
  gateCap: Int32Array,
  P: number,
  waitListS: number,
): boolean {
  if ((cols.costS[k] as number) >= waitListS || (gateCap[cols.gate[k] as number] as number) === 0) return false;
  const base = (cols.chain[k] as number) * P;
  for (let p = base + (cols.from[k] as number); p < base + (cols.to[k] as number); p++)
    if ((chainCap[p] as number) <= 0) return false;
  return true;
}
