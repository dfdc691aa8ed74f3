import type { Appointment, ParkingLot } from '../model/index.js';
import type { ResolvedOptions, ResolvedShift } from './allocation-options.js';
import { ALLOCATABLE_KINDS, type AllocatableKind } from './allocation-types.js';
import { type CarOption, OptionColumns } from './option-columns.js';
import { openMinutes, type TimeAxis } from './time-axis.js';

export type { CarOption } from './option-columns.js';

export const OUTCOME_BAY = 0;
export const OUTCOME_PARK_AND_RIDE = 1;
export const OUTCOME_DROP_OFF = 2;
export const KIND_COUNT = ALLOCATABLE_KINDS.length;

/** What building options needs from the compiled day. */
export interface OptionContext {
  dayStartMs: number;
  lots: readonly ParkingLot[];
  options: ResolvedOptions;
  axis: TimeAxis;
  slotCount: number;
  /** Park-and-ride settings by lot index. */
  parkAndRide: ReadonlyArray<ResolvedOptions['parkAndRide'][number] | undefined>;
  /** True when drive times depend on the arrival time. */
  hasTravelTimeBands: boolean;
  /** Drive time (s) from the appointment's origin to lot `l` arriving at `arrivalMin`, or Infinity. */
  driveTimeS(appointment: Appointment, lot: number, arrivalMin: number): number;
}

/** What the window arithmetic needs. */
export type WindowContext = Pick<OptionContext, 'dayStartMs' | 'options'>;

/** Minutes (after the day's midnight) of an appointment's start and end. */
export function appointmentMinutes(a: Appointment, dayStartMs: number): { startMin: number; endMin: number } {
  return { startMin: startMinOf(a, dayStartMs), endMin: endMinOf(a, dayStartMs) };
}

// The start and the end apart, as numbers: building a day asked for one of them ~16,000 times, and each answer was an
// object (with a heap number in it whenever the minute is not whole), in cold code: 1 MB of a first call's garbage.

/** Minute (after the day's midnight) an appointment starts. */
export function startMinOf(a: Appointment, dayStartMs: number): number {
  return (a.startMs - dayStartMs) / 60_000;
}

/** Minute (after the day's midnight) an appointment ends. */
export function endMinOf(a: Appointment, dayStartMs: number): number {
  return (a.endMs - dayStartMs) / 60_000;
}

// Candidates by allowance: most appointments share one allowance (the day's default or their clinic's).
const candidatesByShift = new WeakMap<ResolvedShift, ReadonlyArray<readonly [number, number]>>();

/**
 * The arrival windows a car may be given: `[shiftMin, rescheduleMin]` pairs, the nominal one first. Shared
 * between appointments with the same allowance: read only.
 */
export function windowCandidates(ctx: WindowContext, a: Appointment): ReadonlyArray<readonly [number, number]> {
  const shift = ctx.options.shiftOf(a);
  const known = candidatesByShift.get(shift);
  if (known !== undefined) return known;
  const out: Array<[number, number]> = [[0, 0]];
  for (let s = shift.stepMin; s <= shift.earlierMin + 1e-9; s += shift.stepMin) out.push([-s, 0]);
  for (let s = shift.stepMin; s <= shift.laterMin + 1e-9; s += shift.stepMin) out.push([s, 0]);
  for (const r of shift.rescheduleMin) out.push([0, r]);
  candidatesByShift.set(shift, out);
  return out;
}

interface KindChoice {
  index: number;
  fallbackS: number;
}

// Kinds and fallback costs by options and needs: a day has a handful of distinct needs among thousands of cars.
const kindsByNeeds = new WeakMap<ResolvedOptions, Map<string, KindChoice[]>>();

/** The kinds a car may be given (its required kind, or its preferred ones and standard) with their fallback cost. */
function kindChoices(options: ResolvedOptions, needs: Appointment['needs']): KindChoice[] {
  const { requiredKind, preferredKinds } = needs;
  let byNeeds = kindsByNeeds.get(options);
  if (byNeeds === undefined) {
    byNeeds = new Map();
    kindsByNeeds.set(options, byNeeds);
  }
  const key = requiredKind !== undefined ? `!${requiredKind}` : preferredKinds.join(',');
  const known = byNeeds.get(key);
  if (known !== undefined) return known;
  const kindNames: AllocatableKind[] =
    requiredKind !== undefined
      ? [requiredKind as AllocatableKind]
      : [...new Set([...(preferredKinds as AllocatableKind[]), 'standard' as const])];
  const firstPreferred = preferredKinds[0];
  const fullFallback = firstPreferred === undefined ? 0 : options.fallbackPenaltySByKind[firstPreferred];
  const kinds = kindNames.map((kind) => {
    const rank = preferredKinds.indexOf(kind);
    const isWanted = requiredKind !== undefined || rank === 0 || firstPreferred === undefined;
    return {
      index: ALLOCATABLE_KINDS.indexOf(kind),
      fallbackS: isWanted ? 0 : rank > 0 ? fullFallback / 2 : fullFallback,
    };
  });
  byNeeds.set(key, kinds);
  return kinds;
}

// Per lot, the windows written so far for the car at hand, 4 numbers each, reused from car to car: arrays emptied
// by `length = 0` dropped their storage, and pushing grew it again for every car and lot (2 MB a day).
const writtenByLot: Float64Array[] = [];
const writtenCount: number[] = [];
let driveByLotScratch = new Float64Array(0);

/** Minute a car's window starts for a shift and reschedule offset. */
export function windowFromMin(ctx: WindowContext, a: Appointment, shiftMin: number, rescheduleMin: number): number {
  return startMinOf(a, ctx.dayStartMs) + rescheduleMin - ctx.options.arrivalLeadMin + shiftMin;
}

/** {@link writeOptions} as objects (the online allocator keeps a car's few options so). */
export function optionsFor(ctx: OptionContext, a: Appointment, arrivalMin?: number): CarOption[] {
  const columns = new OptionColumns();
  writeOptions(ctx, a, arrivalMin, columns);
  return Array.from({ length: columns.length }, (_, k) => columns.row(k));
}

/**
 * Appends every option of a car, before capacity, to `out`. With `arrivalMin` (a car reporting when it will
 * arrive) only a window centred on that arrival, without reschedules or drop-off; otherwise every window its
 * allowance gives: each lot (park-and-ride lots too) × acceptable kind × arrival shift or reschedule, and the
 * drop-off kerb when offered.
 */
export function writeOptions(
  ctx: OptionContext,
  a: Appointment,
  arrivalMin: number | undefined,
  out: OptionColumns,
): void {
  const { options, lots, axis, slotCount } = ctx;
  const { requiredKind, preferredKinds } = a.needs;
  const kinds = kindChoices(options, a.needs);
  const needKind = (requiredKind ?? preferredKinds[0] ?? 'none') as keyof ResolvedOptions['walkWeightByNeed'];
  const walkWeight = Math.max(options.walkWeightByNeed.none, options.walkWeightByNeed[needKind] ?? 0);
  const endMin = endMinOf(a, ctx.dayStartMs);
  const W = options.arrivalWindowMin;
  const isPlanned = arrivalMin === undefined;
  const candidates: ReadonlyArray<readonly [number, number]> = isPlanned
    ? windowCandidates(ctx, a)
    : [[arrivalMin - W / 2 - windowFromMin(ctx, a, 0, 0), 0]];
  // Drive times depend on the arrival time only through travel-time bands; without them one per lot will do.
  if (driveByLotScratch.length < lots.length) driveByLotScratch = new Float64Array(lots.length);
  const driveByLot = ctx.hasTravelTimeBands ? undefined : driveByLotScratch;
  if (driveByLot !== undefined) for (let l = 0; l < lots.length; l++) driveByLot[l] = ctx.driveTimeS(a, l, 0);
  // Per lot, the windows written so far (slot, first point, last point, cost before kind): a later window through
  // the same gate slot that holds the bay at least as long and costs at least as much is never worth offering.
  while (writtenByLot.length < lots.length) {
    writtenByLot.push(new Float64Array(64));
    writtenCount.push(0);
  }
  writtenCount.fill(0);
  // Indexed loops: destructuring iterators were a third of the garbage building a day's options left.
  for (let c = 0; c < candidates.length; c++) {
    const candidate = candidates[c] as readonly [number, number];
    const shiftMin = candidate[0];
    const rescheduleMin = candidate[1];
    const unclamped = windowFromMin(ctx, a, shiftMin, rescheduleMin);
    // An appointment just after midnight keeps a window from 00:00; a shift or reschedule before it is no option.
    if (unclamped < 0 && (rescheduleMin !== 0 || (shiftMin !== 0 && isPlanned))) continue;
    const fromMin = Math.max(0, unclamped);
    const slot = Math.min(slotCount - 1, Math.floor((fromMin + W / 2) / options.slotMin));
    const from = axis.atOrBefore(fromMin);
    const shiftS = !isPlanned
      ? 0
      : Math.abs(shiftMin) * options.shiftPenaltySPerMin +
        (rescheduleMin === 0
          ? 0
          : options.reschedulePenaltyS + Math.abs(rescheduleMin) * options.reschedulePenaltySPerMin);
    const holdUntilMin = endMin + rescheduleMin + options.exitBufferMin;
    const to = axis.firstAtOrAfter(holdUntilMin);
    let nearestDriveS = Number.POSITIVE_INFINITY;
    for (let l = 0; l < lots.length; l++) {
      const lot = lots[l] as ParkingLot;
      const pr = ctx.parkAndRide[l];
      const walkToEntrance = lot.walkTimeSByEntrance[a.entranceId];
      if (walkToEntrance === undefined && pr === undefined) continue;
      if (lot.openingHours.length > 0 && openMinutes(lot, fromMin, fromMin + W) < W - 1e-9) continue;
      const driveS = driveByLot === undefined ? ctx.driveTimeS(a, l, fromMin) : (driveByLot[l] as number);
      if (!Number.isFinite(driveS)) continue;
      // A park-and-ride car stays parked while its patient rides the shuttle there and back.
      const shuttleS = pr === undefined ? 0 : pr.shuttleHeadwayS / 2 + pr.shuttleRideS;
      if (pr === undefined) nearestDriveS = Math.min(nearestDriveS, driveS);
      const walkS = (walkToEntrance ?? 0) + shuttleS;
      const lotHoldUntilMin = holdUntilMin + shuttleS / 60;
      const lotTo = pr === undefined ? to : axis.firstAtOrAfter(lotHoldUntilMin);
      const alternativeS = pr === undefined ? 0 : pr.penaltyS;
      const baseCostS = driveS + walkS * walkWeight + shiftS + alternativeS;
      if (isDominatedElseNoted(l, slot, from, lotTo, baseCostS)) continue;
      const row = pendingRow;
      row.lot = l;
      row.from = from;
      row.to = lotTo;
      row.gate = l * slotCount + slot;
      row.outcome = pr === undefined ? OUTCOME_BAY : OUTCOME_PARK_AND_RIDE;
      row.windowFromMin = fromMin;
      row.holdUntilMin = lotHoldUntilMin;
      row.shiftMin = shiftMin;
      row.rescheduleMin = rescheduleMin;
      row.driveS = driveS;
      row.walkS = walkS;
      row.walkWeight = walkWeight;
      row.shiftS = shiftS;
      row.alternativeS = alternativeS;
      writeKindRows(out, kinds, row);
    }
    if (options.isDropOffOffered && isPlanned && shiftMin === 0 && rescheduleMin === 0) {
      const driveS = Number.isFinite(nearestDriveS) ? nearestDriveS : options.defaultDriveTimeS;
      writeDropOffRow(
        out,
        lots.length * KIND_COUNT,
        lots.length * slotCount + slot,
        fromMin,
        driveS,
        walkWeight,
        options,
      );
    }
  }
}

/** A window's row before its kind, filled in place for each lot (one object, one shape: no garbage per window). */
type WindowRow = Omit<CarOption, 'kind' | 'chain' | 'fallbackS' | 'costS'>;

const pendingRow: WindowRow = {
  lot: 0,
  from: 0,
  to: 0,
  gate: 0,
  outcome: 0,
  windowFromMin: 0,
  holdUntilMin: 0,
  shiftMin: 0,
  rescheduleMin: 0,
  driveS: 0,
  walkS: 0,
  walkWeight: 0,
  shiftS: 0,
  alternativeS: 0,
};

// The pieces below are functions of their own so that, in a fresh process, V8 compiles each small one early
// instead of one large writeOptions late (it took ~37 ms of TurboFan's thread; the interpreter ran it meanwhile).

/**
 * True when lot `l` already has a window through the same gate slot that holds the bay at least as long and costs
 * at least as much; otherwise notes this one and answers false.
 */
function isDominatedElseNoted(l: number, slot: number, from: number, to: number, baseCostS: number): boolean {
  let earlier = writtenByLot[l] as Float64Array;
  const count = writtenCount[l] as number;
  for (let w = 0; w < count; w += 4)
    if (
      earlier[w] === slot &&
      (earlier[w + 1] as number) >= from &&
      (earlier[w + 2] as number) <= to &&
      (earlier[w + 3] as number) <= baseCostS
    )
      return true;
  if (count + 4 > earlier.length) {
    const grown = new Float64Array(earlier.length * 2);
    grown.set(earlier);
    writtenByLot[l] = grown;
    earlier = grown;
  }
  earlier[count] = slot;
  earlier[count + 1] = from;
  earlier[count + 2] = to;
  earlier[count + 3] = baseCostS;
  writtenCount[l] = count + 4;
  return false;
}

/** Appends one row per acceptable kind of the window `row`. */
function writeKindRows(out: OptionColumns, kinds: readonly KindChoice[], row: WindowRow): void {
  for (let kk = 0; kk < kinds.length; kk++) {
    const kind = kinds[kk] as KindChoice;
    const k = out.add();
    out.lot[k] = row.lot;
    out.kind[k] = kind.index;
    out.chain[k] = row.lot * KIND_COUNT + kind.index;
    out.from[k] = row.from;
    out.to[k] = row.to;
    out.gate[k] = row.gate;
    out.outcome[k] = row.outcome;
    out.windowFromMin[k] = row.windowFromMin;
    out.holdUntilMin[k] = row.holdUntilMin;
    out.shiftMin[k] = row.shiftMin;
    out.rescheduleMin[k] = row.rescheduleMin;
    out.driveS[k] = row.driveS;
    out.walkS[k] = row.walkS;
    out.walkWeight[k] = row.walkWeight;
    out.fallbackS[k] = kind.fallbackS;
    out.shiftS[k] = row.shiftS;
    out.alternativeS[k] = row.alternativeS;
    out.costS[k] = row.driveS + row.walkS * row.walkWeight + kind.fallbackS + row.shiftS + row.alternativeS;
  }
}

/** Appends the drop-off kerb's row for a window starting at `fromMin`. */
function writeDropOffRow(
  out: OptionColumns,
  chain: number,
  gate: number,
  fromMin: number,
  driveS: number,
  walkWeight: number,
  options: ResolvedOptions,
): void {
  const k = out.add();
  out.lot[k] = -1;
  out.kind[k] = -1;
  out.chain[k] = chain;
  out.from[k] = 0;
  out.to[k] = 0;
  out.gate[k] = gate;
  out.outcome[k] = OUTCOME_DROP_OFF;
  out.windowFromMin[k] = fromMin;
  out.holdUntilMin[k] = fromMin;
  out.shiftMin[k] = 0;
  out.rescheduleMin[k] = 0;
  out.driveS[k] = driveS;
  out.walkS[k] = 0;
  out.walkWeight[k] = walkWeight;
  out.fallbackS[k] = 0;
  out.shiftS[k] = 0;
  out.alternativeS[k] = options.dropOff.penaltyS;
  out.costS[k] = driveS + options.dropOff.penaltyS;
}
