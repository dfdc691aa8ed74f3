/**
 * The poller: reads every configured device's profile points through one bus scheduler, each poll
 * group at its own interval, with contiguous reads coalesced, and keeps a {@link BayDetector} per device.
 */
import type { Clock, Logger } from '@citybay/common';
import type { BayDetector, DeviceReading } from '../detectors/bay-detector.js';
import type { BusScheduler } from '../modbus/bus-scheduler-types.js';
import type { DeviceProfile } from '../profiles/device-profile.js';

export interface PollerDevice {
  /** Caller's name for the device, echoed in readings. */
  id: string;
  /** Modbus unit id: 1–247 on RTU, 0–255 on TCP. */
  unitId: number;
  profile: DeviceProfile;
  /** Interval overrides by poll group name, in ms. */
  pollIntervalsMs?: Record<string, number>;
  /** Override of the profile's stale limit, in ms. */
  staleAfterMs?: number;
}

export interface PollerOptions {
  scheduler: BusScheduler;
  devices: PollerDevice[];
  /** Default `systemClock`. */
  clock?: Clock;
  logger?: Logger;
  /**
   * Two reads of the same table on the same unit are merged when at most this many unused
   * registers/bits lie between them (still within 125 registers / 2000 bits). Default 0: only
   * contiguous or overlapping reads.
   */
  coalesceGap?: number;
}

export interface Poller {
  /** Starts polling every group of every device at its interval. */
  start(): void;
  /** Stops polling; resolves when requests in flight settle. Does not close the scheduler. */
  stop(): Promise<void>;
  /** Polls every device once, all groups, and resolves with the readings (also emitted). */
  pollAll(): Promise<DeviceReading[]>;
  detector(deviceId: string): BayDetector;
  detectors(): BayDetector[];
  /** Called after every completed poll of a device's group; returns an unsubscribe function. */
  onReading(listener: (reading: DeviceReading) => void): () => void;
}
