/**
 * What is known about one device: the last good raw data of each profile point and when it was
 * read, turned on demand into a {@link DeviceReading}. Pure: times come from the caller.
 */
import type {
  BayReading,
  CounterReading,
  DeviceHealth,
  DeviceReading,
  PointQuality,
  StatusFlagReading,
} from '../detectors/bay-detector.js';
import type { DeviceProfile, ProfilePoint } from '../profiles/device-profile.js';
import { decodeBays, decodeNumber, decodeStatus } from './point-decoder.js';

interface PointRecord {
  raw: readonly boolean[] | readonly number[] | undefined;
  lastGoodMs: number | null;
  lastErrorCode: string | undefined;
}

export interface DeviceStateOptions {
  deviceId: string;
  unitId: number;
  profile: DeviceProfile;
  /** Intervals actually used, by poll group, in ms (for the default stale limit). */
  pollIntervalsMs: Record<string, number>;
  /** Points older than this are stale, in ms. Default: the profile's, else 3 × the slowest interval. */
  staleAfterMs?: number;
}

export class DeviceState {
  readonly staleAfterMs: number;
  private readonly records = new Map<string, PointRecord>();

  constructor(private readonly options: DeviceStateOptions) {
    const slowest = Math.max(1, ...Object.values(options.pollIntervalsMs));
    this.staleAfterMs = options.staleAfterMs ?? options.profile.staleAfterMs ?? 3 * slowest;
    for (const point of options.profile.points) {
      this.records.set(point.name, { raw: undefined, lastGoodMs: null, lastErrorCode: undefined });
    }
  }

  recordGood(point: ProfilePoint, raw: readonly boolean[] | readonly number[], atMs: number): void {
    this.records.set(point.name, { raw, lastGoodMs: atMs, lastErrorCode: undefined });
  }

  recordFailure(point: ProfilePoint, code: string): void {
    const record = this.records.get(point.name);
    if (record !== undefined) record.lastErrorCode = code;
  }

  reading(nowMs: number, health: DeviceHealth): DeviceReading {
    const { profile, deviceId, unitId } = this.options;
    const isOffline = health === 'quarantined' || health === 'offline';
    const bays: BayReading[] = Array.from({ length: profile.bayCount }, (_, bay) => ({
      bay,
      state: 'unknown',
      reason: isOffline ? 'device-offline' : 'not-read-yet',
    }));
    const counters: Record<string, CounterReading> = {};
    const status: Record<string, StatusFlagReading> = {};
    const points: Record<string, PointQuality> = {};
    let hasDeviceFault = false;

    for (const point of profile.points) {
      const record = this.records.get(point.name)!;
      const isFresh = record.lastGoodMs !== null && nowMs - record.lastGoodMs <= this.staleAfterMs;
      const quality: PointQuality = { value: null, lastGoodMs: record.lastGoodMs, isStale: !isFresh };
      if (record.lastErrorCode !== undefined) quality.lastErrorCode = record.lastErrorCode;
      const raw = record.raw;
      const decode = point.decode;
      if (raw !== undefined) {
        if (decode.type === 'counter' || decode.type === 'value') {
          quality.value = decodeNumber(decode, raw as number[]);
          if (decode.type === 'counter') counters[point.name] = { ...quality, value: quality.value };
        } else if (decode.type === 'status') {
          const word = Number(raw[0] ?? 0);
          quality.value = word;
          for (const [name, flag] of Object.entries(decodeStatus(decode, word))) {
            status[`${point.name}.${name}`] = flag;
            if (isFresh && flag.isSet && flag.severity === 'fault') hasDeviceFault = true;
          }
        } else {
          const decoded = decodeBays(decode, raw);
          quality.value = decoded.filter((d) => d.meaning === 'occupied').length;
          for (const { bay, meaning, raw: value } of decoded) {
            const target = bays[bay];
            if (target === undefined) continue;
            target.raw = value;
            if (isOffline) continue;
            if (!isFresh) target.reason = 'stale';
            else if (meaning === 'free' || meaning === 'occupied') {
              target.state = meaning;
              delete target.reason;
            } else target.reason = meaning ?? 'bad-value';
          }
        }
      } else if (decode.type === 'counter') counters[point.name] = { ...quality, value: null };
      points[point.name] = quality;
    }
    if (hasDeviceFault && !isOffline) {
      for (const bay of bays) {
        bay.state = 'unknown';
        bay.reason = 'device-fault';
      }
    }
    return { deviceId, unitId, atMs: nowMs, health, bays, counters, status, points };
  }
}
