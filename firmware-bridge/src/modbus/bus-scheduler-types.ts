/**
 * The bus scheduler: the only thing that talks to a {@link ModbusLink}. One per bus. On a serial
 * bus exactly one request is in flight and the Modbus serial-line inter-frame silence is kept
 * between frames; a unit that stops answering is quarantined and only probed, with back-off, so
 * the other units on the same bus keep their poll rate.
 */
import type { Clock, Logger } from '@citybay/common';
import type { DeviceCounters } from '../detectors/bay-detector.js';
import type { BitKind, ModbusLink, WordKind } from './modbus-link.js';

export interface QuarantineOptions {
  /** Consecutive failed requests (after retries) before a unit is quarantined. Default 2. */
  afterFailures?: number;
  /** First wait before a probe, in ms; doubles after every failed probe. Default 1000. */
  initialBackoffMs?: number;
  /** Longest wait between probes, in ms. Default 30000. */
  maxBackoffMs?: number;
}

export interface BusSchedulerOptions {
  link: ModbusLink;
  /** Default `systemClock`. */
  clock?: Clock;
  /** Default: silent. */
  logger?: Logger;
  /**
   * Silence kept between the end of one frame and the start of the next, in ms. Default for RTU:
   * 3.5 character times at the link's baud rate (11 bits per character), fixed 1.75 ms above
   * 19200 baud, as the Modbus serial-line spec says; 0 for TCP.
   */
  interFrameDelayMs?: number;
  /** Extra configurable gap between requests, in ms (slow devices that need more than the silence). Default 0. */
  gapMs?: number;
  /** Per-request timeout, in ms. Default 300 for RTU, 1000 for TCP. */
  timeoutMs?: number;
  /** Retries of a failed request (timeout or CRC; never of an exception reply). Default 1. */
  retries?: number;
  quarantine?: QuarantineOptions;
}

/** `high` goes before `normal` (sign writes should not wait behind a full poll cycle). */
export type RequestPriority = 'high' | 'normal';

export interface SubmitOptions {
  priority?: RequestPriority;
  /** Override of the scheduler's per-request timeout, in ms. */
  timeoutMs?: number;
}

export interface UnitHealth {
  unitId: number;
  state: 'ok' | 'degraded' | 'quarantined';
  consecutiveFailures: number;
  /** Clock time (ms) of the next probe while quarantined. */
  nextProbeMs: number | null;
  /** Current back-off between probes, in ms. */
  backoffMs: number;
}

export interface BusScheduler {
  readonly link: ModbusLink;
  /** The inter-frame silence actually applied, in ms. */
  readonly interFrameDelayMs: number;
  readBits(unitId: number, kind: BitKind, address: number, count: number, options?: SubmitOptions): Promise<boolean[]>;
  readWords(unitId: number, kind: WordKind, address: number, count: number, options?: SubmitOptions): Promise<number[]>;
  writeRegisters(unitId: number, address: number, values: readonly number[], options?: SubmitOptions): Promise<void>;
  writeCoils(unitId: number, address: number, values: readonly boolean[], options?: SubmitOptions): Promise<void>;
  unitHealth(unitId: number): UnitHealth;
  counters(unitId: number): DeviceCounters;
  /** Requests waiting (not counting the one in flight). */
  readonly queueLength: number;
  /** Rejects every queued request with `CB_BUS_CLOSED` and closes the link. */
  close(): Promise<void>;
}
