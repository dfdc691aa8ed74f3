import type { ParkingLot } from '../model/index.js';
import type { AllocationDay } from './allocation-types.js';
import { ALLOCATABLE_KINDS } from './allocation-types.js';

/**
 * The minutes at which bay capacity must be checked: every minute a hold may begin, and every minute capacity
 * changes. A bay's load rises only when a hold begins, so between two such minutes it can only fall: checking
 * at them is exact, to the minute, with no rounding of holds to slots.
 */
export class TimeAxis {
  readonly pointMin: Float64Array;

  constructor(minutes: Iterable<number>) {
    // Sorted, then equal neighbours dropped: the same points as a Set of them sorted (one 0 for 0 and -0, one NaN), but
    // a day's ~16,000 minutes spread into an array and a Set ran as cold code in a fresh process's first call.
    const all = Array.isArray(minutes) ? (minutes as readonly number[]) : [...minutes];
    const sorted = new Float64Array(all.length + 1);
    for (let i = 0; i < all.length; i++) sorted[i + 1] = all[i] as number;
    sorted.sort();
    let kept = 0;
    for (let r = 0; r < sorted.length; r++) {
      const v = sorted[r] as number;
      if (kept > 0) {
        const last = sorted[kept - 1] as number;
        if (v === last || (Number.isNaN(v) && Number.isNaN(last))) continue;
      }
      sorted[kept++] = v === 0 ? 0 : v;
    }
    this.pointMin = sorted.slice(0, kept);
  }

  get pointCount(): number {
    return this.pointMin.length;
  }

  /** Index of the last point at or before `minute` (0 before the first): where a hold starting then is counted. */
  atOrBefore(minute: number): number {
    let lo = 0;
    let hi = this.pointMin.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.pointMin[mid] as number) <= minute) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the first point at or after `minute` (`pointCount` when none): a hold ending then stops counting there. */
  firstAtOrAfter(minute: number): number {
    let lo = 0;
    let hi = this.pointMin.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pointMin[mid] as number) < minute) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Minutes where a lot's capacity changes (capacity windows, occupancy), which the axis must contain. */
export function capacityChangeMinutes(day: AllocationDay): number[] {
  const minutes: number[] = [];
  for (const lot of day.lots) for (const w of lot.capacityWindows) minutes.push(w.fromMin, w.toMin);
  for (const o of day.occupancy ?? []) {
    minutes.push(o.fromMin ?? 0);
    if (o.untilMin !== undefined) minutes.push(o.untilMin);
  }
  return minutes;
}

/**
 * Free bays per chain (lot × kind, then one chain for options that hold no bay) and point: zones' bays, lowered by
 * capacity windows, the reserve and occupancy.
 */
export function chainCapacities(day: AllocationDay, axis: TimeAxis, noBayCap: number): Int32Array {
  const P = axis.pointCount;
  const K = ALLOCATABLE_KINDS.length;
  const cap = new Int32Array((day.lots.length * K + 1) * P);
  const taken = new Float64Array(day.lots.length * K * (P + 1));
  const lotIndex = new Map(day.lots.map((lot, l) => [lot.id, l]));
  for (const o of day.occupancy ?? []) {
    const k = (ALLOCATABLE_KINDS as readonly string[]).indexOf(o.kind);
    const l = lotIndex.get(o.lotId);
    if (k < 0 || l === undefined) continue;
    const base = (l * K + k) * (P + 1);
    const from = base + axis.firstAtOrAfter(o.fromMin ?? 0);
    const until = base + axis.firstAtOrAfter(o.untilMin ?? Number.POSITIVE_INFINITY);
    taken[from] = (taken[from] as number) + o.bays;
    taken[until] = (taken[until] as number) - o.bays;
  }
  day.lots.forEach((lot, l) => {
    ALLOCATABLE_KINDS.forEach((kind, k) => {
      const chain = l * K + k;
      const base = lot.zones.reduce((s, z) => s + (z.capacityByKind[kind] ?? 0), 0);
      const reserve = lot.reserveByKind[kind] ?? 0;
      let occupied = 0;
      for (let p = 0; p < P; p++) {
        occupied += taken[chain * (P + 1) + p] as number;
        const bays = windowCapacity(lot, kind, base, axis.pointMin[p] as number) - reserve - occupied;
        cap[chain * P + p] = Math.max(0, bays);
      }
    });
  });
  cap.fill(noBayCap, day.lots.length * K * P);
  return cap;
}

function windowCapacity(lot: ParkingLot, kind: string, base: number, minute: number): number {
  let bays = base;
  for (let i = 0; i < lot.capacityWindows.length; i++) {
    const w = lot.capacityWindows[i] as ParkingLot['capacityWindows'][number];
    if (w.kind === kind && w.fromMin <= minute && w.toMin > minute) bays = Math.min(bays, w.capacityBays);
  }
  return bays;
}

/** Minutes of `[fromMin, toMin)` the lot admits cars (all of them without opening hours). */
export function openMinutes(lot: ParkingLot, fromMin: number, toMin: number): number {
  if (lot.openingHours.length === 0) return toMin - fromMin;
  let open = 0;
  // Indexed: called per car, lot and window while a day's options are written, in cold code (an iterator a call).
  for (let i = 0; i < lot.openingHours.length; i++) {
    const w = lot.openingHours[i] as ParkingLot['openingHours'][number];
    open += Math.max(0, Math.min(toMin, w.toMin) - Math.max(fromMin, w.fromMin));
  }
  return Math.min(open, toMin - fromMin);
}

/**
 * Plannable passages per gate (lot × slot, then the drop-off kerb's slots): rate × open minutes × utilisation,
 * less the day's promised gate passages.
 */
export function gateCapacities(
  day: AllocationDay,
  slotMin: number,
  slotCount: number,
  utilisation: number,
  kerbVehPerMin: number | undefined,
  unlimited: number,
): Int32Array {
  const S = slotCount;
  const cap = new Int32Array((day.lots.length + 1) * S);
  day.lots.forEach((lot, l) => {
    for (let t = 0; t < S; t++) {
      const open = openMinutes(lot, t * slotMin, (t + 1) * slotMin);
      cap[l * S + t] = Math.floor(lot.gateServiceVehPerMin * open * utilisation + 1e-9);
    }
  });
  const kerb = kerbVehPerMin === undefined ? unlimited : Math.floor(kerbVehPerMin * slotMin * utilisation + 1e-9);
  cap.fill(kerb, day.lots.length * S);
  for (const passage of day.gatePassages ?? []) {
    const t = Math.floor(passage.atMin / slotMin);
    const l = day.lots.findIndex((lot) => lot.id === passage.lotId);
    if (t >= S || l < 0) continue;
    cap[l * S + t] = Math.max(0, (cap[l * S + t] as number) - passage.cars);
  }
  return cap;
}
