/**
 * `BayDetector`: what one bay-sensing device (a Modbus unit) reports, already decoded by its device
 * profile. Types only: the real implementation is the poller (`createPoller`), which keeps one
 * detector per configured device. Bays are numbered by index (0-based) within the device; what a bay
 * means for a site is edge's business, not this package's.
 */

export type BayState = 'occupied' | 'free' | 'unknown';

/**
 * Why a bay is `unknown`:
 * - `fault` — the sensor reported a fault value;
 * - `sensor-dirty` — the sensor reported that it needs cleaning/recalibration;
 * - `disabled` — the controller reports the bay as not installed or switched off;
 * - `bad-value` — a value the profile's value map does not know;
 * - `device-fault` — the device's status register reports a fault that invalidates every bay;
 * - `stale` — the last good value is older than the device's stale limit;
 * - `device-offline` — the unit does not answer (timeouts, quarantine) or the bus is down;
 * - `not-read-yet` — no successful read since start.
 */
export type UnknownReason =
  'fault' | 'sensor-dirty' | 'disabled' | 'bad-value' | 'device-fault' | 'stale' | 'device-offline' | 'not-read-yet';

export interface BayReading {
  /** 0-based bay index within the device. */
  bay: number;
  state: BayState;
  /** Present exactly when `state` is `unknown`. */
  reason?: UnknownReason;
  /** The raw decoded value (bit 0/1 or register value) behind the state, when one was read. */
  raw?: number;
}

/** Quality of one decoded point (a bay block, a counter, a status register). */
export interface PointQuality {
  /**
   * Last good value, `null` before the first good read: the decoded number of a counter or value
   * point, the raw word of a status point, the number of occupied bays of a bay block.
   */
  value: number | boolean | null;
  /** Clock time (ms) of the last good read, `null` before the first. */
  lastGoodMs: number | null;
  /** True when the last good read is older than the stale limit, or the point was never read. */
  isStale: boolean;
  /** Code of the last failure (`CB_MODBUS_TIMEOUT`, …) since the last good read, if any. */
  lastErrorCode?: string;
}

/** A gate counter (entries, exits…), from a 16- or 32-bit register pair. */
export interface CounterReading extends PointQuality {
  value: number | null;
}

/** One named flag of a status register. */
export interface StatusFlagReading {
  isSet: boolean;
  /** `fault`: invalidates the device's bays; `warning`/`info`: reported only. */
  severity: 'fault' | 'warning' | 'info';
}

/** Latency histogram: `counts[i]` requests took ≤ `boundsMs[i]`; the last count is for slower ones. */
export interface LatencyHistogram {
  boundsMs: readonly number[];
  counts: number[];
}

/** Per-device request counters kept by the bus scheduler. */
export interface DeviceCounters {
  requests: number;
  responses: number;
  timeouts: number;
  crcErrors: number;
  /** Malformed replies (wrong length, unit or function code). */
  badReplies: number;
  exceptions: number;
  retries: number;
  /** Requests refused without touching the bus because the unit was quarantined. */
  skippedQuarantined: number;
  /** How many times the unit entered quarantine. */
  quarantines: number;
  latency: LatencyHistogram;
}

/** `quarantined`: the unit stopped answering and is only probed, with back-off. */
export type DeviceHealth = 'ok' | 'degraded' | 'quarantined' | 'offline';

/** Everything known about one device after a poll. */
export interface DeviceReading {
  deviceId: string;
  unitId: number;
  /** Clock time (ms) of this reading. */
  atMs: number;
  health: DeviceHealth;
  /** One entry per bay index, `bays[i].bay === i`. Empty for counter-only devices. */
  bays: BayReading[];
  /** Counter values by point name (`entries`, `exits`…). */
  counters: Record<string, CounterReading>;
  /** Status flags by `<point>.<flag>` name. */
  status: Record<string, StatusFlagReading>;
  /** Quality of every profile point by name (bay blocks, counters, status, values). */
  points: Record<string, PointQuality>;
}

export interface BayDetector {
  readonly deviceId: string;
  readonly unitId: number;
  readonly bayCount: number;
  /** The reading built from the latest polls (never does I/O). */
  current(): DeviceReading;
  /** Polls every point of the device now (through the bus scheduler) and returns the new reading. */
  refresh(): Promise<DeviceReading>;
  /** A copy of the request counters of this device's unit. */
  counters(): DeviceCounters;
}
