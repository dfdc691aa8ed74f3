import type { GuidanceArea, GuidanceReservation, GuidanceSituation, KindCounts } from './guidance-types.js';

/** The counts behind one line. */
export interface AreaNumbers {
  /** Free bays offered to the public: free ones not held for a reservation (none below zero). */
  publicFree: number;
  free: number;
  occupied: number;
  unknown: number;
  total: number;
  /** The count comes from gate counters that are stale. */
  isStale: boolean;
}

interface Cell extends KindCounts {
  /** Free bays of this zone and kind held for reservations (never more than `free`). */
  held: number;
}

/**
 * Free bays per lot, zone and kind, with reservations withheld once and consistently: a reservation holds a free
 * bay where it can be honoured (its own bay; else a free bay of its kind in its zone; else, for a lot-wide one, the
 * first zone in the lot's order with such a bay) and nothing where none is left. So a zone's public count never
 * goes below what its own reservations need, and a lot's public count is exactly the sum of its zones': a
 * reservation for a zone whose bays are all taken no longer hides another zone's free bays (the `publicFree` bug of
 * issue 16, where the garage line showed FULL while its B2 zone had 152 free bays).
 */
export class PublicCounts {
  /** lot → zone → kind → cell, each map in the order the situation lists them. */
  private readonly cells = new Map<string, Map<string, Map<string, Cell>>>();
  private readonly situation: GuidanceSituation;

  constructor(situation: GuidanceSituation) {
    this.situation = situation;
    for (const zone of situation.zones) {
      let zones = this.cells.get(zone.lotId);
      if (!zones) this.cells.set(zone.lotId, (zones = new Map()));
      let kinds = zones.get(zone.zoneId);
      if (!kinds) zones.set(zone.zoneId, (kinds = new Map()));
      for (const [kind, count] of Object.entries(zone.byKind)) {
        const cell = kinds.get(kind);
        if (cell) {
          cell.free += count.free;
          cell.occupied += count.occupied;
          cell.unknown += count.unknown;
        } else {
          kinds.set(kind, { free: count.free, occupied: count.occupied, unknown: count.unknown, held: 0 });
        }
      }
    }
    // Most constrained first: a named bay, then a zone, then anywhere in the lot.
    const rank = (r: GuidanceReservation) => (r.bay ? 0 : r.zoneId !== undefined ? 1 : 2);
    const ordered = [...situation.reservations].sort((a, b) => rank(a) - rank(b));
    for (const reservation of ordered) this.hold(reservation);
  }

  private hold(reservation: GuidanceReservation): void {
    const zones = this.cells.get(reservation.lotId);
    if (!zones) return;
    if (reservation.bay) {
      if (!reservation.bay.isFree) return;
      const cell = zones.get(reservation.bay.zoneId)?.get(reservation.kind);
      if (cell && cell.held < cell.free) cell.held++;
      return;
    }
    for (const [zoneId, kinds] of zones) {
      if (reservation.zoneId !== undefined && zoneId !== reservation.zoneId) continue;
      const cell = kinds.get(reservation.kind);
      if (cell && cell.held < cell.free) {
        cell.held++;
        return;
      }
    }
  }

  /** The counts behind a line over `area`; zones `isLeftOut` names count for nothing. */
  area(area: GuidanceArea, isLeftOut?: (zoneId: string) => boolean): AreaNumbers {
    const gateLot =
      area.zoneId === undefined ? this.situation.gateLots?.find((g) => g.lotId === area.lotId) : undefined;
    if (gateLot) return this.gateLotArea(area, gateLot);
    const numbers: AreaNumbers = { publicFree: 0, free: 0, occupied: 0, unknown: 0, total: 0, isStale: false };
    const zones = this.cells.get(area.lotId);
    if (!zones) return numbers;
    for (const [zoneId, kinds] of zones) {
      if ((area.zoneId !== undefined && zoneId !== area.zoneId) || isLeftOut?.(zoneId)) continue;
      for (const kind of area.kinds) {
        const cell = kinds.get(kind);
        if (!cell) continue;
        numbers.free += cell.free;
        numbers.occupied += cell.occupied;
        numbers.unknown += cell.unknown;
        numbers.total += cell.free + cell.occupied + cell.unknown;
        numbers.publicFree += cell.free - cell.held;
      }
    }
    return numbers;
  }

  // A gate-counted lot knows no zones or bays: every reservation of the counted kinds in force holds one of its
  // free bays (a named bay only while free).
  private gateLotArea(area: GuidanceArea, gateLot: NonNullable<GuidanceSituation['gateLots']>[number]): AreaNumbers {
    let held = 0;
    for (const r of this.situation.reservations) {
      if (r.lotId !== area.lotId || !area.kinds.includes(r.kind)) continue;
      if (!r.bay || r.bay.isFree) held++;
    }
    return {
      publicFree: Math.max(0, gateLot.free - held),
      free: gateLot.free,
      occupied: gateLot.occupied,
      unknown: gateLot.unknown,
      total: gateLot.total,
      isStale: gateLot.isStale,
    };
  }
}
