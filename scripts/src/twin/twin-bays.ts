import type { KindCounts, ZoneCounts } from '@citybay/guidance';
import type { BayKind } from '@citybay/sim';
import type { TwinLot } from '../district/twin-layout.js';

/** One emulated bay: the controller (emulator key and unit) and its bay index. */
export interface BaySlot {
  lotId: string;
  zoneId: string;
  kind: BayKind;
  emulator: string;
  unitId: number;
  bay: number;
}

/** A bay to set on an emulated controller. */
export interface BayChange {
  slot: BaySlot;
  isOccupied: boolean;
}

/**
 * Where the simulation's bays are on the emulated controllers. The simulation keeps bay-level occupancy per lot and
 * kind (a parked car takes the lowest free bay of its kind); bay `i` of a lot's kind is the `i`-th emulated bay of that
 * kind, zone by zone, controller by controller, so the same run always lights the same bays. Bays the emulated lot
 * does not have (a scaled-down district) are not shown.
 */
export class TwinBays {
  private readonly slots = new Map<string, Map<string, BaySlot[]>>();
  private readonly shown = new Map<string, Uint8Array>();

  constructor(lots: readonly TwinLot[]) {
    for (const lot of lots) {
      const byKind = new Map<string, BaySlot[]>();
      for (const range of lot.ranges) {
        const list = byKind.get(range.kind) ?? [];
        for (let i = 0; i < range.count; i++) {
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
      for (const list of byKind.values())
        list.sort((a, b) => a.zoneId.localeCompare(b.zoneId) || a.unitId - b.unitId || a.bay - b.bay);
      this.slots.set(lot.lotId, byKind);
    }
  }

  /** True when the lot has per-bay sensors in the twin. */
  hasLot(lotId: string): boolean {
    return (this.slots.get(lotId)?.size ?? 0) > 0;
  }

  /** The emulated bay showing bay `index` of a lot's kind, if the emulated lot has one. */
  slot(lotId: string, kind: string, index: number): BaySlot | undefined {
    return this.slots.get(lotId)?.get(kind)?.[index];
  }

  /**
   * The emulated bays to change so they show `taken` (the simulation's bay-level occupancy of one lot and kind):
   * those whose state differs from what they were last set to.
   */
  update(lotId: string, kind: string, taken: Uint8Array): BayChange[] {
    const key = `${lotId}\u0000${kind}`;
    const before = this.shown.get(key) ?? new Uint8Array(taken.length);
    const changes: BayChange[] = [];
    for (let i = 0; i < taken.length; i++) {
      if (taken[i] === (before[i] ?? 0)) continue;
      const slot = this.slot(lotId, kind, i);
      if (slot !== undefined) changes.push({ slot, isOccupied: taken[i] === 1 });
    }
    this.shown.set(key, taken.slice());
    return changes;
  }

  /** Free and occupied emulated bays per lot, zone and kind, as last set: the truth a sign is checked against. */
  zoneCounts(): ZoneCounts[] {
    const zones = new Map<string, { lotId: string; zoneId: string; byKind: Record<string, KindCounts> }>();
    for (const [lotId, byKind] of this.slots) {
      for (const [kind, list] of byKind) {
        const taken = this.shown.get(`${lotId}\u0000${kind}`);
        list.forEach((slot, i) => {
          const key = `${lotId}/${slot.zoneId}`;
          let zone = zones.get(key);
          if (zone === undefined) zones.set(key, (zone = { lotId, zoneId: slot.zoneId, byKind: {} }));
          const counts = (zone.byKind[kind] ??= { free: 0, occupied: 0, unknown: 0 });
          if (taken?.[i] === 1) counts.occupied++;
          else counts.free++;
        });
      }
    }
    return [...zones.values()];
  }
}
