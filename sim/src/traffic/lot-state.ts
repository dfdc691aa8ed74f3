import { BAY_KINDS, type BayKind } from '../model/index.js';
import type { SimLot } from './trip.js';

const KIND_COUNT = BAY_KINDS.length;
export const KIND_INDEX: Readonly<Record<BayKind, number>> = Object.freeze(
  Object.fromEntries(BAY_KINDS.map((kind, i) => [kind, i])) as Record<BayKind, number>,
);
/** Kinds any visitor may take when the wanted kind is not required (never accessible or staff bays). */
const FALLBACK_KINDS = [KIND_INDEX.standard, KIND_INDEX.family, KIND_INDEX.ev];

/**
 * Occupancy, capacity over the day and the entry gate of every lot, in typed arrays. The gate is a single
 * server: one car every `60 / gateServiceVehPerMin` seconds. Opening hours and capacity windows are copied into
 * flat typed arrays too: the lot objects differ in shape from lot to lot and from run to run, and reading them in
 * the step loop made V8 deoptimise and recompile the loop whenever a run met a lot shape it had not seen.
 */
export class LotState {
  readonly count: number;
  readonly occupied: Int32Array;
  readonly parkedTotal: Int32Array;
  readonly maxOccupied: Int32Array;
  readonly gateFreeAtS: Float64Array;
  readonly gateServiceS: Float64Array;
  readonly entryEdge: Int32Array;
  /** Cars currently heading for each lot and not yet parked (guidance uses it to avoid overfilling). */
  readonly enRoute: Int32Array;
  /** The edge the lot's exit opens onto (-1: no modelled exit), and cars that drove out of it. */
  readonly exitEdge: Int32Array;
  readonly exitedTotal: Int32Array;
  /** Closed from outside (an operator's closure): no car is admitted whatever the hours. */
  readonly closed: Uint8Array;
  /** Bays per lot and kind held for pre-assigned drivers (reservations): other drivers cannot take them. */
  readonly reserved: Int32Array;
  /** Bay-level occupancy: lot `l`, kind `k` has bays `bayStart[l·K + k]` … `bayStart[l·K + k + 1] − 1` of `bayTaken`. */
  readonly bayStart: Int32Array;
  readonly bayTaken: Uint8Array;
  private readonly baseCapacity: Int32Array;
  private readonly isOpenToHospital: Uint8Array;
  /** Lot `l`'s opening hours are entries `openStart[l]` to `openStart[l + 1]` (none: always open). */
  private readonly openStart: Int32Array;
  private readonly openFromMin: Float64Array;
  private readonly openToMin: Float64Array;
  /** Lot `l`'s capacity windows are entries `windowStart[l]` to `windowStart[l + 1]`, in file order. */
  private readonly windowStart: Int32Array;
  private readonly windowKind: Int32Array;
  private readonly windowFromMin: Float64Array;
  private readonly windowToMin: Float64Array;
  private readonly windowBays: Float64Array;

  constructor(
    readonly lots: readonly SimLot[],
    edgeIndex: (edgeId: string) => number,
  ) {
    this.count = lots.length;
    this.occupied = new Int32Array(this.count * KIND_COUNT);
    this.parkedTotal = new Int32Array(this.count);
    this.maxOccupied = new Int32Array(this.count);
    this.gateFreeAtS = new Float64Array(this.count).fill(Number.NEGATIVE_INFINITY);
    this.gateServiceS = new Float64Array(this.count);
    this.entryEdge = new Int32Array(this.count);
    this.enRoute = new Int32Array(this.count);
    this.exitEdge = new Int32Array(this.count).fill(-1);
    this.exitedTotal = new Int32Array(this.count);
    this.closed = new Uint8Array(this.count);
    this.reserved = new Int32Array(this.count * KIND_COUNT);
    this.baseCapacity = new Int32Array(this.count * KIND_COUNT);
    this.isOpenToHospital = new Uint8Array(this.count);
    this.openStart = new Int32Array(this.count + 1);
    this.windowStart = new Int32Array(this.count + 1);
    let openCount = 0;
    let windowCount = 0;
    for (const simLot of lots) {
      openCount += simLot.lot.openingHours.length;
      windowCount += simLot.lot.capacityWindows.length;
    }
    this.openFromMin = new Float64Array(openCount);
    this.openToMin = new Float64Array(openCount);
    this.windowKind = new Int32Array(windowCount);
    this.windowFromMin = new Float64Array(windowCount);
    this.windowToMin = new Float64Array(windowCount);
    this.windowBays = new Float64Array(windowCount);
    let open = 0;
    let window = 0;
    for (let l = 0; l < this.count; l++) {
      const lot = lots[l]!.lot;
      this.isOpenToHospital[l] = lots[l]!.isOpenToHospital ? 1 : 0;
      this.openStart[l] = open;
      for (const hours of lot.openingHours) {
        this.openFromMin[open] = hours.fromMin;
        this.openToMin[open] = hours.toMin;
        open++;
      }
      this.windowStart[l] = window;
      for (const capacityWindow of lot.capacityWindows) {
        this.windowKind[window] = (BAY_KINDS as readonly string[]).indexOf(capacityWindow.kind);
        this.windowFromMin[window] = capacityWindow.fromMin;
        this.windowToMin[window] = capacityWindow.toMin;
        this.windowBays[window] = capacityWindow.capacityBays;
        window++;
      }
    }
    this.openStart[this.count] = open;
    this.windowStart[this.count] = window;
    lots.forEach((simLot, l) => {
      this.gateServiceS[l] = 60 / simLot.lot.gateServiceVehPerMin;
      this.entryEdge[l] = edgeIndex(simLot.lot.entryEdgeId);
      for (const zone of simLot.lot.zones) {
        for (const kind of BAY_KINDS)
          this.baseCapacity[l * KIND_COUNT + KIND_INDEX[kind]]! += zone.capacityByKind[kind] ?? 0;
      }
      if (simLot.lot.exitEdgeId !== undefined) this.exitEdge[l] = edgeIndex(simLot.lot.exitEdgeId);
      for (const kind of BAY_KINDS) {
        this.occupied[l * KIND_COUNT + KIND_INDEX[kind]] = simLot.initialOccupancyByKind?.[kind] ?? 0;
      }
      this.maxOccupied[l] = this.totalOccupied(l);
    });
    // Each (lot, kind) gets as many bays as its largest capacity over the day; the initially taken ones come first.
    this.bayStart = new Int32Array(this.count * KIND_COUNT + 1);
    for (let l = 0; l < this.count; l++) {
      for (let k = 0; k < KIND_COUNT; k++) {
        let bays = Math.max(this.baseCapacity[l * KIND_COUNT + k]!, this.occupied[l * KIND_COUNT + k]!);
        for (let w = this.windowStart[l]!; w < this.windowStart[l + 1]!; w++) {
          if (this.windowKind[w] === k) bays = Math.max(bays, this.windowBays[w]!);
        }
        this.bayStart[l * KIND_COUNT + k + 1] = this.bayStart[l * KIND_COUNT + k]! + bays;
      }
    }
    this.bayTaken = new Uint8Array(this.bayStart[this.count * KIND_COUNT]!);
    for (let c = 0; c < this.count * KIND_COUNT; c++)
      this.bayTaken.fill(1, this.bayStart[c]!, this.bayStart[c]! + this.occupied[c]!);
  }

  /** Bays of a kind usable at `timeS` (s after midnight), after the lot's capacity windows. */
  capacity(lot: number, kind: number, timeS: number): number {
    const minute = timeS / 60;
    for (let w = this.windowStart[lot]!, end = this.windowStart[lot + 1]!; w < end; w++) {
      if (this.windowKind[w] === kind && minute >= this.windowFromMin[w]! && minute < this.windowToMin[w]!) {
        return this.windowBays[w]!;
      }
    }
    return this.baseCapacity[lot * KIND_COUNT + kind]!;
  }

  totalCapacity(lot: number, timeS: number): number {
    let total = 0;
    for (let k = 0; k < KIND_COUNT; k++) total += this.capacity(lot, k, timeS);
    return total;
  }

  totalOccupied(lot: number): number {
    let total = 0;
    for (let k = 0; k < KIND_COUNT; k++) total += this.occupied[lot * KIND_COUNT + k]!;
    return total;
  }

  /** Hospital traffic may enter at `timeS`: opened by the policy and inside opening hours. */
  isOpen(lot: number, timeS: number): boolean {
    if (this.isOpenToHospital[lot] === 0 || this.closed[lot] === 1) return false;
    const start = this.openStart[lot]!;
    const end = this.openStart[lot + 1]!;
    if (start === end) return true;
    const minute = timeS / 60;
    for (let w = start; w < end; w++) if (minute >= this.openFromMin[w]! && minute < this.openToMin[w]!) return true;
    return false;
  }

  /** Bays of a kind a driver may take now: reserved bays only for pre-assigned drivers. */
  private usable(lot: number, kind: number, timeS: number, isPreAssigned: boolean): number {
    const capacity = this.capacity(lot, kind, timeS);
    return isPreAssigned ? capacity : capacity - this.reserved[lot * KIND_COUNT + kind]!;
  }

  /** The kind a car would get now, or -1 when no acceptable bay is free. */
  freeKindFor(lot: number, kind: number, isRequired: boolean, timeS: number, isPreAssigned = false): number {
    const { occupied } = this;
    if (occupied[lot * KIND_COUNT + kind]! < this.usable(lot, kind, timeS, isPreAssigned)) return kind;
    if (isRequired) return -1;
    for (const fallback of FALLBACK_KINDS) {
      if (occupied[lot * KIND_COUNT + fallback]! < this.usable(lot, fallback, timeS, isPreAssigned)) return fallback;
    }
    return -1;
  }

  /** Free bays any visitor could take (standard, family, EV, not reserved), ignoring cars on their way. */
  freeGeneralBays(lot: number, timeS: number): number {
    let free = 0;
    for (const kind of FALLBACK_KINDS) {
      free += Math.max(0, this.usable(lot, kind, timeS, false) - this.occupied[lot * KIND_COUNT + kind]!);
    }
    return free;
  }

  /** Parks a car in the lowest free bay of the kind and returns that bay's index (see `bayStart`). */
  park(lot: number, kind: number, isPreAssigned = false): number {
    const cell = lot * KIND_COUNT + kind;
    this.occupied[cell]!++;
    this.parkedTotal[lot]!++;
    if (isPreAssigned && this.reserved[cell]! > 0) this.reserved[cell]!--;
    const total = this.totalOccupied(lot);
    if (total > this.maxOccupied[lot]!) this.maxOccupied[lot] = total;
    for (let bay = this.bayStart[cell]!; bay < this.bayStart[cell + 1]!; bay++) {
      if (this.bayTaken[bay] === 0) {
        this.bayTaken[bay] = 1;
        return bay;
      }
    }
    return -1;
  }

  /** Frees a bay (its index from `park`; -1 frees one of the initially taken bays of the kind). */
  release(lot: number, kind: number, bay = -1): void {
    const cell = lot * KIND_COUNT + kind;
    this.occupied[cell]!--;
    if (bay >= 0) this.bayTaken[bay] = 0;
    else {
      for (let b = this.bayStart[cell]!; b < this.bayStart[cell + 1]!; b++) {
        if (this.bayTaken[b] === 1) {
          this.bayTaken[b] = 0;
          return;
        }
      }
    }
  }
}
