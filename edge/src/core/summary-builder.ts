/**
 * Builds the seq-numbered `SiteSummary` records the outbox keeps: a snapshot first and at least
 * every `snapshotEvery` summaries, change-only summaries in between. Pure.
 */
import type { DeviceHealth as FieldHealth } from '@citybay/firmware-bridge';
import {
  type DeviceHealth,
  DeviceStatus,
  diffBayStates,
  encodeBayChanges,
  encodeZoneChanges,
  type GateCounts,
  packBayStates,
  type SignFace,
  type SiteSummary,
  type ZoneCounts,
  type ZoneKindChange,
} from '@citybay/proto';
import type { GateTotals } from './gate-lot.js';
import type { ZoneCount } from './site-state.js';

export interface SummaryBuilderOptions {
  siteId: string;
  edgeId: string;
  configVersion: string;
  softwareVersion: string;
  bayCount: number;
  /** A snapshot at least every this many summaries. */
  snapshotEvery: number;
  /** Seq of the first summary this builder makes (the outbox's last seq + 1). */
  nextSeq: number;
}

export interface DeviceSummaryInput {
  deviceId: string;
  health: FieldHealth;
  okCount: number;
  timeoutCount: number;
  crcErrorCount: number;
  exceptionCount: number;
  lastGoodMs: number | null;
}

export interface SummaryInput {
  windowStartMs: number;
  windowEndMs: number;
  bayStates: Uint8Array;
  zones: ZoneCount[];
  gates: GateTotals[];
  devices: DeviceSummaryInput[];
  signs: SignFace[];
}

export function deviceStatusOf(health: FieldHealth): DeviceStatus {
  if (health === 'ok') return DeviceStatus.DEVICE_STATUS_OK;
  if (health === 'degraded') return DeviceStatus.DEVICE_STATUS_DEGRADED;
  return DeviceStatus.DEVICE_STATUS_OFFLINE;
}

function key(value: unknown): string {
  return JSON.stringify(value);
}

export class SummaryBuilder {
  private seq: number;
  private sinceSnapshot = Number.POSITIVE_INFINITY;
  private previousBays: Uint8Array | undefined;
  private readonly previousZones = new Map<string, string>();
  private readonly previousGates = new Map<string, string>();
  private readonly previousDeviceStatus = new Map<string, DeviceStatus>();
  private readonly previousSigns = new Map<string, string>();

  constructor(private readonly options: SummaryBuilderOptions) {
    this.seq = options.nextSeq;
  }

  /** Seq the next summary will get. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Continues numbering from `seq` (after the outbox renumbered); the next summary is a snapshot. */
  continueFrom(seq: number): void {
    this.seq = seq;
    this.sinceSnapshot = Number.POSITIVE_INFINITY;
  }

  /** The next summary: a snapshot when due (or forced), otherwise only what changed since the last one. */
  build(input: SummaryInput, isSnapshotForced = false): SiteSummary {
    const isSnapshot = isSnapshotForced || this.sinceSnapshot + 1 >= this.options.snapshotEvery || !this.previousBays;
    // Zones keep the same order in every snapshot (the site file's), so a change's zone index stays valid.
    const zones: ZoneCounts[] = [];
    const zoneChanges: ZoneKindChange[] = [];
    input.zones.forEach((zone, zoneIndex) => {
      if (isSnapshot) zones.push({ lotId: zone.lotId, zoneId: zone.zoneId, kinds: zone.kinds });
      for (const k of zone.kinds) {
        const id = `${zoneIndex}/${k.kind}`;
        const value = `${k.free}/${k.occupied}/${k.unknown}`;
        if (!isSnapshot && this.previousZones.get(id) !== value) zoneChanges.push({ zoneIndex, ...k });
        this.previousZones.set(id, value);
      }
    });
    const gates: GateCounts[] = [];
    for (const gate of input.gates) {
      const id = `${gate.lotId}/${gate.gateId}`;
      const value = `${gate.entriesTotal}/${gate.exitsTotal}`;
      if (isSnapshot || this.previousGates.get(id) !== value) gates.push({ ...gate });
      this.previousGates.set(id, value);
    }
    // Request counters move on every poll; a change-only summary carries a device only when its
    // status changed, so that a quiet site sends small summaries. Snapshots carry every counter.
    const devices: DeviceHealth[] = [];
    for (const device of input.devices) {
      const status = deviceStatusOf(device.health);
      if (isSnapshot || this.previousDeviceStatus.get(device.deviceId) !== status) {
        devices.push({
          deviceId: device.deviceId,
          status,
          okCount: device.okCount,
          timeoutCount: device.timeoutCount,
          crcErrorCount: device.crcErrorCount,
          exceptionCount: device.exceptionCount,
          lastGoodMs: device.lastGoodMs ?? 0,
        });
      }
      this.previousDeviceStatus.set(device.deviceId, status);
    }
    const signs: SignFace[] = [];
    for (const sign of input.signs) {
      const value = key(sign);
      if (isSnapshot || this.previousSigns.get(sign.signId ?? '') !== value) signs.push(sign);
      this.previousSigns.set(sign.signId ?? '', value);
    }
    const bayCount = this.options.bayCount;
    const bays = isSnapshot
      ? { bayCount, snapshot: packBayStates(input.bayStates) }
      : { bayCount, changes: encodeBayChanges(diffBayStates(this.previousBays!, input.bayStates)) };
    this.previousBays = input.bayStates.slice();
    this.sinceSnapshot = isSnapshot ? 0 : this.sinceSnapshot + 1;
    const summary: SiteSummary = {
      siteId: this.options.siteId,
      edgeId: this.options.edgeId,
      seq: this.seq++,
      windowStartMs: input.windowStartMs,
      windowEndMs: input.windowEndMs,
      isSnapshot,
      zones,
      zoneChanges: encodeZoneChanges(zoneChanges),
      bays,
      gates,
      devices,
      signs,
      softwareVersion: this.options.softwareVersion,
      configVersion: this.options.configVersion,
    };
    return summary;
  }
}
