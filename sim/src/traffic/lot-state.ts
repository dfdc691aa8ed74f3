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
 * server: one car every `60 / gateServiceVehPerMin` seconds.
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
  private readonly baseCapacity: Int32Array;

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
    this.baseCapacity = new Int32Array(this.count * KIND_COUNT);
    lots.forEach((simLot, l) => {
      this.gateServiceS[l] = 60 / simLot.lot.gateServiceVehPerMin;
      this.entryEdge[l] = edgeIndex(simLot.lot.entryEdgeId);
      for (const zone of simLot.lot.zones) {
        for (const kind of BAY_KINDS)
          this.baseCapacity[l * KIND_COUNT + KIND_INDEX[kind]]! += zone.capacityByKind[kind] ?? 0;
      }
      for (const kind of BAY_KINDS) {
        this.occupied[l * KIND_COUNT + KIND_INDEX[kind]] = simLot.initialOccupancyByKind?.[kind] ?? 0;
      }
      this.maxOccupied[l] = this.totalOccupied(l);
    });
  }

  /** Bays of a kind usable at `timeS` (s after midnight), after the lot's capacity windows. */
  capacity(lot: number, kind: number, timeS: number): number {
    const minute = timeS / 60;
    const kindName = BAY_KINDS[kind];
    for (const window of this.lots[lot]!.lot.capacityWindows) {
      if (window.kind === kindName && minute >= window.fromMin && minute < window.toMin) return window.capacityBays;
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
    const simLot = this.lots[lot]!;
    if (!simLot.isOpenToHospital) return false;
    if (simLot.lot.openingHours.length === 0) return true;
    const minute = timeS / 60;
    return simLot.lot.openingHours.some((window) => minute >= window.fromMin && minute < window.toMin);
  }

  /** The kind a car would get now, or -1 when no acceptable bay is free. */
  freeKindFor(lot: number, kind: number, isRequired: boolean, timeS: number): number {
    if (this.occupied[lot * KIND_COUNT + kind]! < this.capacity(lot, kind, timeS)) return kind;
    if (isRequired) return -1;
    for (const fallback of FALLBACK_KINDS) {
      if (this.occupied[lot * KIND_COUNT + fallback]! < this.capacity(lot, fallback, timeS)) return fallback;
    }
    return -1;
  }

  /** Free bays any visitor could take (standard, family, EV), ignoring cars on their way. */
  freeGeneralBays(lot: number, timeS: number): number {
    let free = 0;
    for (const kind of FALLBACK_KINDS) {
      free += Math.max(0, this.capacity(lot, kind, timeS) - this.occupied[lot * KIND_COUNT + kind]!);
    }
    return free;
  }

  park(lot: number, kind: number): void {
    this.occupied[lot * KIND_COUNT + kind]!++;
    this.parkedTotal[lot]!++;
    const total = this.totalOccupied(lot);
    if (total > this.maxOccupied[lot]!) this.maxOccupied[lot] = total;
  }

  release(lot: number, kind: number): void {
    this.occupied[lot * KIND_COUNT + kind]!--;
  }
}
