/**
 * The site's live state: debounced bay states, counts per lot/zone/kind, gate-counted lots and
 * device health. Pure: readings and times come in, nothing goes out but data.
 */
import type { DeviceHealth, DeviceReading, UnknownReason } from '@citybay/firmware-bridge';
import { BAY_STATE_FREE, BAY_STATE_OCCUPIED, BAY_STATE_UNKNOWN, type BayKind } from '@citybay/proto';
import { GateLot, type GateLotSnapshot, type GateTotals } from './gate-lot.js';
import type { SiteLayout } from './site-layout.js';

export interface SiteStateOptions {
  layout: SiteLayout;
  /** A bay flips between free and occupied only after its reading was stable this long, in ms. */
  debounceMs: number;
  /** A device whose bays were not read successfully for this long has them `unknown`/`stale`, in ms. */
  deviceStaleMs: number;
  /** Per-device overrides of {@link deviceStaleMs} (the shell sets two poll cycles of each device). */
  deviceStaleMsById?: ReadonlyMap<string, number>;
  /** Names of the profile points that carry bays, per device; default: every point of the reading. */
  bayPointsByDevice?: ReadonlyMap<string, readonly string[]>;
}

export interface KindCount {
  kind: BayKind;
  free: number;
  occupied: number;
  unknown: number;
}

/** Counts of one zone (`zoneId` empty: a gate-counted lot as a whole). */
export interface ZoneCount {
  lotId: string;
  zoneId: string;
  kinds: KindCount[];
}

/** Counts behind one sign line. */
export interface AreaCount {
  free: number;
  occupied: number;
  unknown: number;
  total: number;
  /** True when the count comes from gate counters that are stale. */
  isStale: boolean;
}

export interface DeviceStatusView {
  deviceId: string;
  health: DeviceHealth;
  lastReadingMs: number | null;
  /** Clock time (ms) of the last reading with at least one known bay or a fresh counter. */
  lastGoodMs: number | null;
}

const NO_PENDING = 255;

function codeOf(state: 'occupied' | 'free' | 'unknown'): number {
  return state === 'occupied' ? BAY_STATE_OCCUPIED : state === 'free' ? BAY_STATE_FREE : BAY_STATE_UNKNOWN;
}

export class SiteState {
  readonly layout: SiteLayout;
  private readonly shown: Uint8Array;
  private readonly pending: Uint8Array;
  private readonly pendingSinceMs: Float64Array;
  private readonly reasons: (UnknownReason | undefined)[];
  private readonly devices = new Map<string, DeviceStatusView>();
  private readonly gateLots = new Map<string, GateLot>();
  private readonly bayIndexById = new Map<string, number>();
  private countsCache: Map<string, Map<BayKind, KindCount>> | undefined;
  /** Increases whenever anything a sign or a summary shows changes. */
  private changes = 0;

  constructor(private readonly options: SiteStateOptions) {
    this.layout = options.layout;
    const n = this.layout.bays.length;
    this.shown = new Uint8Array(n);
    this.pending = new Uint8Array(n).fill(NO_PENDING);
    this.pendingSinceMs = new Float64Array(n);
    this.reasons = this.layout.bays.map(() => 'not-read-yet' as UnknownReason);
    for (const bay of this.layout.bays) this.bayIndexById.set(bay.id, bay.index);
    for (const deviceId of this.layout.deviceIds) {
      this.devices.set(deviceId, { deviceId, health: 'offline', lastReadingMs: null, lastGoodMs: null });
    }
    for (const gateLot of this.layout.gateLots) this.gateLots.set(gateLot.lotId, new GateLot(gateLot));
  }

  get version(): number {
    return this.changes;
  }

  private setShown(index: number, code: number, reason: UnknownReason | undefined): void {
    this.reasons[index] = reason;
    if (this.shown[index] === code) return;
    this.shown[index] = code;
    this.countsCache = undefined;
    this.changes++;
  }

  private applyBay(index: number, code: number, reason: UnknownReason | undefined, atMs: number): void {
    const shown = this.shown[index]!;
    // Going unknown is never delayed (a bay must not stay "free" on a dead sensor), and a bay
    // coming back from unknown is shown at once: only free ↔ occupied flips are debounced.
    if (code === BAY_STATE_UNKNOWN || shown === BAY_STATE_UNKNOWN || this.options.debounceMs === 0) {
      this.pending[index] = NO_PENDING;
      this.setShown(index, code, code === BAY_STATE_UNKNOWN ? (reason ?? 'bad-value') : undefined);
      return;
    }
    if (code === shown) {
      this.pending[index] = NO_PENDING;
      return;
    }
    if (this.pending[index] !== code) {
      this.pending[index] = code;
      this.pendingSinceMs[index] = atMs;
    }
  }

  /** Takes a device reading (from the poller). Debounced flips are promoted by {@link tick}. */
  applyReading(reading: DeviceReading, nowMs: number): void {
    const device = this.devices.get(reading.deviceId);
    if (device) {
      if (device.health !== reading.health) this.changes++;
      device.health = reading.health;
      device.lastReadingMs = nowMs;
      const names = this.options.bayPointsByDevice?.get(reading.deviceId) ?? Object.keys(reading.points);
      for (const name of names) {
        const good = reading.points[name]?.lastGoodMs ?? null;
        if (good !== null && (device.lastGoodMs === null || good > device.lastGoodMs)) device.lastGoodMs = good;
      }
    }
    const byBay = this.layout.bayByDevice.get(reading.deviceId);
    // The poller keeps reporting the last good values for a while after a unit goes silent; the
    // edge stops trusting them after its own, shorter limit (see tick).
    if (byBay && device && this.isDeviceStale(device, nowMs)) {
      this.tick(nowMs);
      return;
    }
    if (byBay) {
      for (const bay of reading.bays) {
        const index = byBay.get(bay.bay);
        if (index !== undefined) this.applyBay(index, codeOf(bay.state), bay.reason, reading.atMs);
      }
    }
    for (const gateLot of this.layout.gateLots) {
      const lot = this.gateLots.get(gateLot.lotId)!;
      for (const gate of gateLot.gates) {
        for (const which of ['entries', 'exits'] as const) {
          const source = gate[which];
          if (!('device' in source) || source.device !== reading.deviceId) continue;
          const counter = reading.counters[source.counter];
          if (counter && counter.value !== null && !counter.isStale) {
            if (lot.applyCount(gate.gateId, which, counter.value, reading.atMs)) this.changes++;
          } else if (lot.markStale(gate.gateId, which)) {
            this.changes++;
          }
        }
      }
    }
    this.tick(nowMs);
  }

  /** A GPIO loop count (rising edges since the input was opened). */
  applyGpioCount(inputId: string, risingEdges: number, nowMs: number): void {
    for (const gateLot of this.layout.gateLots) {
      for (const gate of gateLot.gates) {
        for (const which of ['entries', 'exits'] as const) {
          const source = gate[which];
          if ('gpio' in source && source.gpio === inputId) {
            if (this.gateLots.get(gateLot.lotId)!.applyCount(gate.gateId, which, risingEdges, nowMs)) this.changes++;
          }
        }
      }
    }
  }

  /** An operator's count of a gate-counted lot. Returns false when the lot is not gate-counted. */
  setLotOccupancy(lotId: string, occupied: number, nowMs: number): boolean {
    const lot = this.gateLots.get(lotId);
    if (!lot) return false;
    if (lot.setOccupied(occupied, nowMs)) this.changes++;
    return true;
  }

  /** Promotes debounced flips, expires silent devices, recalibrates gate-counted lots. */
  tick(nowMs: number): void {
    const debounceMs = this.options.debounceMs;
    for (let i = 0; i < this.pending.length; i++) {
      const code = this.pending[i]!;
      if (code !== NO_PENDING && nowMs - this.pendingSinceMs[i]! >= debounceMs) {
        this.pending[i] = NO_PENDING;
        this.setShown(i, code, undefined);
      }
    }
    for (const device of this.devices.values()) {
      if (!this.isDeviceStale(device, nowMs)) continue;
      // Never read, or silent too long: whatever we last saw can no longer be shown as fact.
      const isQuarantined = device.health === 'offline' || device.health === 'quarantined';
      const reason: UnknownReason =
        device.lastReadingMs === null ? 'not-read-yet' : isQuarantined ? 'device-offline' : 'stale';
      if (
        device.lastReadingMs !== null &&
        nowMs - device.lastReadingMs >= this.staleLimitMs(device.deviceId) &&
        !isQuarantined
      ) {
        // No reading at all (not even a failed poll): the poller itself is stuck.
        device.health = 'offline';
        this.changes++;
      }
      for (const index of this.layout.bayByDevice.get(device.deviceId)?.values() ?? []) {
        if (this.shown[index] !== BAY_STATE_UNKNOWN) {
          this.pending[index] = NO_PENDING;
          this.setShown(index, BAY_STATE_UNKNOWN, reason);
        }
      }
      this.markCountersStale(device.deviceId);
    }
    for (const lot of this.gateLots.values()) this.recalibrate(lot, nowMs);
  }

  private staleLimitMs(deviceId: string): number {
    return this.options.deviceStaleMsById?.get(deviceId) ?? this.options.deviceStaleMs;
  }

  // At the limit, not after it: the shell ticks exactly at `nextStaleAtMs`, and that tick must flip the bays.
  private isDeviceStale(device: DeviceStatusView, nowMs: number): boolean {
    return device.lastGoodMs === null || nowMs - device.lastGoodMs >= this.staleLimitMs(device.deviceId);
  }

  /**
   * When the next device goes stale if no good reading comes first (its last good read plus its limit),
   * or null when none can: the shell ticks then, so a silent device's bays turn unknown on time rather
   * than at the next guidance tick.
   */
  nextStaleAtMs(nowMs: number): number | null {
    let next: number | null = null;
    for (const device of this.devices.values()) {
      if (this.isDeviceStale(device, nowMs)) continue;
      const atMs = device.lastGoodMs! + this.staleLimitMs(device.deviceId);
      if (next === null || atMs < next) next = atMs;
    }
    return next;
  }

  private markCountersStale(deviceId: string): void {
    for (const gateLot of this.layout.gateLots) {
      for (const gate of gateLot.gates) {
        for (const which of ['entries', 'exits'] as const) {
          const source = gate[which];
          if ('device' in source && source.device === deviceId) {
            if (this.gateLots.get(gateLot.lotId)!.markStale(gate.gateId, which)) this.changes++;
          }
        }
      }
    }
  }

  private recalibrate(lot: GateLot, nowMs: number): void {
    if (!lot.isRecalibrationDue(nowMs)) return;
    let known = 0;
    let occupied = 0;
    for (const bay of this.layout.bays) {
      if (bay.lotId !== lot.lotId || bay.deviceId === undefined) continue;
      const code = this.shown[bay.index];
      if (code === BAY_STATE_UNKNOWN) continue;
      known++;
      if (code === BAY_STATE_OCCUPIED) occupied++;
    }
    // Sensors must see at least half of the lot for their share to stand for the whole.
    if (known === 0 || known * 2 < lot.capacity) return;
    if (lot.setOccupied((occupied * lot.capacity) / known, nowMs)) this.changes++;
  }

  /** Bay state codes by site bay index (0 unknown, 1 free, 2 occupied). A view: do not modify. */
  bayStates(): Uint8Array {
    return this.shown;
  }

  bayIndex(bayId: string): number | undefined {
    return this.bayIndexById.get(bayId);
  }

  unknownReason(index: number): UnknownReason | undefined {
    return this.shown[index] === BAY_STATE_UNKNOWN ? this.reasons[index] : undefined;
  }

  private counts(): Map<string, Map<BayKind, KindCount>> {
    if (this.countsCache) return this.countsCache;
    const counts = new Map<string, Map<BayKind, KindCount>>();
    for (const zone of this.layout.zones) counts.set(`${zone.lotId}/${zone.zoneId}`, new Map());
    for (const bay of this.layout.bays) {
      const byKind = counts.get(`${bay.lotId}/${bay.zoneId}`)!;
      let count = byKind.get(bay.kind);
      if (!count) {
        count = { kind: bay.kind, free: 0, occupied: 0, unknown: 0 };
        byKind.set(bay.kind, count);
      }
      const code = this.shown[bay.index];
      if (code === BAY_STATE_FREE) count.free++;
      else if (code === BAY_STATE_OCCUPIED) count.occupied++;
      else count.unknown++;
    }
    this.countsCache = counts;
    return counts;
  }

  /** Counts of every zone, then of every gate-counted lot as a whole (zone id empty). */
  zoneCounts(): ZoneCount[] {
    const counts = this.counts();
    const out: ZoneCount[] = this.layout.zones.map((zone) => ({
      lotId: zone.lotId,
      zoneId: zone.zoneId,
      kinds: [...counts.get(`${zone.lotId}/${zone.zoneId}`)!.values()].map((k) => ({ ...k })),
    }));
    for (const lot of this.gateLots.values()) {
      const isStale = lot.isStale;
      out.push({
        lotId: lot.lotId,
        zoneId: '',
        kinds: [
          {
            kind: lot.layout.kind,
            free: isStale ? 0 : lot.free,
            occupied: isStale ? 0 : lot.occupied,
            unknown: isStale ? lot.capacity : 0,
          },
        ],
      });
    }
    return out;
  }

  /**
   * Counts behind a sign line: one zone, or the whole lot (a gate-counted lot counts at its gates),
   * for the given bay kinds.
   */
  areaCount(lotId: string, zoneId: string | undefined, kinds: ReadonlySet<BayKind>): AreaCount {
    const gateLot = zoneId === undefined ? this.gateLots.get(lotId) : undefined;
    if (gateLot) {
      const isStale = gateLot.isStale;
      return {
        free: isStale ? 0 : gateLot.free,
        occupied: isStale ? 0 : gateLot.occupied,
        unknown: isStale ? gateLot.capacity : 0,
        total: gateLot.capacity,
        isStale,
      };
    }
    const area: AreaCount = { free: 0, occupied: 0, unknown: 0, total: 0, isStale: false };
    for (const [key, byKind] of this.counts()) {
      const slash = key.indexOf('/');
      if (key.slice(0, slash) !== lotId || (zoneId !== undefined && key.slice(slash + 1) !== zoneId)) continue;
      for (const count of byKind.values()) {
        if (!kinds.has(count.kind)) continue;
        area.free += count.free;
        area.occupied += count.occupied;
        area.unknown += count.unknown;
        area.total += count.free + count.occupied + count.unknown;
      }
    }
    return area;
  }

  deviceStatuses(): DeviceStatusView[] {
    return [...this.devices.values()].map((d) => ({ ...d }));
  }

  gateTotals(): GateTotals[] {
    return [...this.gateLots.values()].flatMap((lot) => lot.totals());
  }

  gateLotSnapshots(): GateLotSnapshot[] {
    return [...this.gateLots.values()].map((lot) => lot.snapshot());
  }

  restoreGateLots(snapshots: readonly GateLotSnapshot[]): void {
    for (const snapshot of snapshots) this.gateLots.get(snapshot.lotId)?.restore(snapshot);
    this.changes++;
  }
}
