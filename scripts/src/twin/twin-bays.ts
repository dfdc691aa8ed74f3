import type { BayKind } from '@citybay/sim';
import { BAY_KINDS, type BayKindName } from '@citybay/common';
import type { TwinLot } from '../district/twin-layout.js';

// Which bay a twin car takes when none of its own kind is free, most alike first; keyed by every kind, so a kind
// added to the list without a rank here fails to compile.
const FALLBACK_RANK: Record<BayKindName, number> = { standard: 0, family: 1, ev: 2, accessible: 3, staff: 4 };
const FALLBACK_ORDER = [...BAY_KINDS].sort((a, b) => FALLBACK_RANK[a] - FALLBACK_RANK[b]);

/** One emulated bay: the controller (emulator key and unit) and its bay index. */
export interface BaySlot {
  lotId: string;
  zoneId: string;
  kind: BayKind;
  emulator: string;
  unitId: number;
  bay: number;
}

/**
 * Which emulated bay each simulated car occupies. A car gets a free bay of its kind, else any free bay of the lot
 * (the simulation counts per lot; the emulated lot has its zones' real proportions). Lowest bay first, so the
 * same run always lights the same bays.
 */
export class TwinBays {
  private readonly free = new Map<string, Map<BayKind, BaySlot[]>>();
  private readonly taken = new Map<string, BaySlot>();

  constructor(lots: readonly TwinLot[]) {
    for (const lot of lots) {
      const byKind = new Map<BayKind, BaySlot[]>();
      for (const range of lot.ranges) {
        const list = byKind.get(range.kind) ?? [];
        for (let i = range.count - 1; i >= 0; i--) {
          list.push({
            lotId: lot.lotId,
            zoneId: range.zoneId,
            kind: range.kind,
            emulator: range.emulator,
            unitId: range.unitId,
            bay: range.firstBay + i,
          });
        }
        byKind.set(range.kind, list);
      }
      // Stacks: pop() gives the lowest bay, zone by zone.
      for (const list of byKind.values())
        list.sort((a, b) => b.zoneId.localeCompare(a.zoneId) || b.unitId - a.unitId || b.bay - a.bay);
      this.free.set(lot.lotId, byKind);
    }
  }

  /** True when the lot has per-bay sensors in the twin. */
  hasLot(lotId: string): boolean {
    return (this.free.get(lotId)?.size ?? 0) > 0;
  }

  /** Gives car `carId` a bay in `lotId`; undefined when the emulated lot is full (or has no bays). */
  take(lotId: string, kind: BayKind, carId: string): BaySlot | undefined {
    const byKind = this.free.get(lotId);
    if (byKind === undefined) return undefined;
    let slot = byKind.get(kind)?.pop();
    if (slot === undefined) {
      for (const fallback of FALLBACK_ORDER) {
        slot = byKind.get(fallback)?.pop();
        if (slot !== undefined) break;
      }
    }
    if (slot !== undefined) this.taken.set(carId, slot);
    return slot;
  }

  /** Frees the bay of car `carId`; undefined when it had none. */
  release(carId: string): BaySlot | undefined {
    const slot = this.taken.get(carId);
    if (slot === undefined) return undefined;
    this.taken.delete(carId);
    const list = this.free.get(slot.lotId)?.get(slot.kind);
    if (list !== undefined) {
      // Keep the stack ordered so the next car takes the lowest free bay.
      const at = list.findIndex(
        (s) =>
          s.zoneId < slot.zoneId ||
          (s.zoneId === slot.zoneId && (s.unitId < slot.unitId || (s.unitId === slot.unitId && s.bay < slot.bay))),
      );
      list.splice(at < 0 ? list.length : at, 0, slot);
    }
    return slot;
  }

  /** Bays taken per lot. */
  takenCount(lotId: string): number {
    let n = 0;
    for (const slot of this.taken.values()) if (slot.lotId === lotId) n++;
    return n;
  }
}
