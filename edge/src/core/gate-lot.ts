/**
 * Occupancy of a lot counted at its gates: entries minus exits against the lot's capacity, with
 * recalibration from bay sensors or an operator's count. Pure: every time is passed in.
 */
import type { LayoutGateLot } from './site-layout.js';

interface CounterTrack {
  lastRaw: number | undefined;
  total: number;
  lastGoodMs: number | undefined;
  isStale: boolean;
}

export interface GateTotals {
  lotId: string;
  gateId: string;
  entriesTotal: number;
  exitsTotal: number;
}

/** What a restarted edge needs to resume the count: persisted by the shell, restored at start. */
export interface GateLotSnapshot {
  lotId: string;
  occupied: number;
  calibratedAtMs: number | null;
}

// A 16-bit counter that drops from near the top to near zero has wrapped; any other drop is a reset.
function counterDelta(previous: number, current: number): number {
  if (current >= previous) return current - previous;
  if (previous <= 0xffff && previous > 0xf000 && current < 0x1000) return current + 0x10000 - previous;
  if (previous > 0xf0000000 && current < 0x10000000) return current + 0x100000000 - previous;
  return current;
}

export class GateLot {
  readonly lotId: string;
  readonly capacity: number;
  private occupiedBays = 0;
  /** Clock time (ms) of the last recalibration or operator count, `null` if never calibrated. */
  calibratedAtMs: number | null = null;
  private readonly counters = new Map<string, CounterTrack>();
  private readonly gateIds: string[];

  constructor(readonly layout: LayoutGateLot) {
    this.lotId = layout.lotId;
    this.capacity = layout.capacity;
    this.gateIds = layout.gates.map((g) => g.gateId);
    for (const gate of layout.gates) {
      for (const which of ['entries', 'exits'] as const) {
        this.counters.set(`${gate.gateId}/${which}`, {
          lastRaw: undefined,
          total: 0,
          lastGoodMs: undefined,
          isStale: true,
        });
      }
    }
  }

  get occupied(): number {
    return this.occupiedBays;
  }

  get free(): number {
    return this.capacity - this.occupiedBays;
  }

  /** True when any counter behind the lot is stale or was never read: the count cannot be trusted. */
  get isStale(): boolean {
    for (const track of this.counters.values()) if (track.isStale) return true;
    return false;
  }

  /**
   * A counter value (a running total from a device, or a GPIO rising-edge count). Returns true when
   * the occupancy changed.
   */
  applyCount(gateId: string, which: 'entries' | 'exits', raw: number, atMs: number): boolean {
    const track = this.counters.get(`${gateId}/${which}`);
    if (!track) return false;
    track.isStale = false;
    track.lastGoodMs = atMs;
    if (track.lastRaw === undefined) {
      track.lastRaw = raw;
      track.total = raw;
      return false;
    }
    const delta = counterDelta(track.lastRaw, raw);
    track.lastRaw = raw;
    if (delta === 0) return false;
    track.total += delta;
    const before = this.occupiedBays;
    const next = this.occupiedBays + (which === 'entries' ? delta : -delta);
    this.occupiedBays = Math.max(0, Math.min(this.capacity, next));
    return this.occupiedBays !== before;
  }

  /** Marks a counter stale (its device stopped answering). */
  markStale(gateId: string, which: 'entries' | 'exits'): boolean {
    const track = this.counters.get(`${gateId}/${which}`);
    if (!track || track.isStale) return false;
    track.isStale = true;
    return true;
  }

  /** Sets the count (an operator counted the lot, or bay sensors say so). Returns true when it changed. */
  setOccupied(occupied: number, atMs: number): boolean {
    const before = this.occupiedBays;
    this.occupiedBays = Math.max(0, Math.min(this.capacity, Math.round(occupied)));
    this.calibratedAtMs = atMs;
    return before !== this.occupiedBays;
  }

  /** True when a recalibration from bay sensors is due. */
  isRecalibrationDue(nowMs: number): boolean {
    return this.calibratedAtMs === null || nowMs - this.calibratedAtMs >= this.layout.recalibrateEveryMs;
  }

  totals(): GateTotals[] {
    return this.gateIds.map((gateId) => ({
      lotId: this.lotId,
      gateId,
      entriesTotal: this.counters.get(`${gateId}/entries`)!.total,
      exitsTotal: this.counters.get(`${gateId}/exits`)!.total,
    }));
  }

  snapshot(): GateLotSnapshot {
    return { lotId: this.lotId, occupied: this.occupiedBays, calibratedAtMs: this.calibratedAtMs };
  }

  restore(snapshot: GateLotSnapshot): void {
    this.occupiedBays = Math.max(0, Math.min(this.capacity, snapshot.occupied));
    this.calibratedAtMs = snapshot.calibratedAtMs;
  }
}
