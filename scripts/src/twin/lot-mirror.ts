import type { GateLotCounts, ZoneCounts } from '@citybay/guidance';
import type { LotStatus, SimLot } from '@citybay/sim';
import type { TwinLayout } from '../district/twin-layout.js';
import { TwinBays } from './twin-bays.js';
import type { TwinEmulators } from './twin-emulators.js';

const sum = (values: Record<string, number | undefined>): number =>
  Object.values(values).reduce<number>((a, b) => a + (b ?? 0), 0);

/**
 * The simulation's lots on the emulated devices: bay-level occupancy on the bay sensors (see {@link TwinBays}), and a
 * gate-counted lot's entries and exits on its counter (entries: the bays taken when the day began plus the cars that
 * passed the gate; exits: entries less the cars parked now). Also the truth the sign check compares signs with.
 */
export class LotMirror {
  private readonly bays: TwinBays;
  private readonly gateOf: Map<string, { emulator: string; unitId: number }>;
  private readonly initialOf: Map<string, number>;

  constructor(
    layout: TwinLayout,
    lots: readonly SimLot[],
    private readonly emulators: TwinEmulators,
    /** Bays of a lot were set (real ms): the start of a sensor-to-sign latency. */
    private readonly onBaysChanged: (lotId: string, atMs: number) => void,
  ) {
    this.bays = new TwinBays(layout.lots);
    this.gateOf = new Map(layout.lots.filter((l) => l.gate !== undefined).map((l) => [l.lotId, l.gate!]));
    this.initialOf = new Map(lots.map((l) => [l.lot.id, sum(l.initialOccupancyByKind ?? {})]));
  }

  /** Sets the emulated devices to the lots as the simulation has them now. */
  mirror(statuses: readonly LotStatus[]): void {
    const nowMs = Date.now();
    for (const lot of statuses) {
      const gate = this.gateOf.get(lot.lotId);
      if (gate !== undefined) {
        const entries = (this.initialOf.get(lot.lotId) ?? 0) + lot.enteredTotal;
        const emulator = this.emulators.of(gate.emulator);
        emulator.setValue(gate.unitId, 'entries', entries);
        emulator.setValue(gate.unitId, 'exits', entries - sum(lot.occupiedByKind));
        continue;
      }
      for (const [kind, taken] of Object.entries(lot.baysTaken)) {
        const changes = this.bays.update(lot.lotId, kind, taken);
        for (const { slot, isOccupied } of changes)
          this.emulators.of(slot.emulator).setBay(slot.unitId, slot.bay, isOccupied);
        if (changes.length > 0) this.onBaysChanged(lot.lotId, nowMs);
      }
    }
  }

  /** The lots as an edge with every sensor working would count them: zones of sensed lots, gate-counted lots. */
  truth(statuses: readonly LotStatus[]): { zones: ZoneCounts[]; gateLots: GateLotCounts[] } {
    const gateLots = statuses.flatMap((lot) => {
      if (!this.gateOf.has(lot.lotId)) return [];
      const occupied = sum(lot.occupiedByKind);
      const total = sum(lot.capacityByKind);
      return [{ lotId: lot.lotId, free: Math.max(0, total - occupied), occupied, unknown: 0, total, isStale: false }];
    });
    return { zones: this.bays.zoneCounts(), gateLots };
  }
}
