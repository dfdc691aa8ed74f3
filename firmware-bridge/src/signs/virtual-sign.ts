/**
 * A sign with no hardware (driver `virtual`): keeps what it was told, for demos, bench sites and
 * the edge's local `/signs` endpoint. It accepts any message that fits its lines.
 */
import { type Clock, systemClock } from '@citybay/common';
import { errors } from '../errors.js';
import { type GuidanceSign, SIGN_ARROWS, type SignMessage } from './guidance-sign.js';

export interface VirtualSignOptions {
  id: string;
  /** Lines the sign has; a message with more is refused with CB_SIGN_REJECTED. */
  lines: number;
  /** Time source for `shown[].atMs` and `health().lastOkMs`. Default `systemClock`. */
  clock?: Clock;
}

export interface VirtualSign extends GuidanceSign {
  /** Every message shown, oldest first, with the clock time (the last 10,000). */
  readonly shown: { atMs: number; message: SignMessage | null }[];
}

/** How many shown messages a virtual sign keeps: bounded, so a long demo does not grow without limit. */
const MAX_SHOWN = 10_000;

export function createVirtualSign(options: VirtualSignOptions): VirtualSign {
  const { id, lines } = options;
  const clock = options.clock ?? systemClock;
  const shown: VirtualSign['shown'] = [];
  let lastOkMs: number | null = null;
  return {
    id,
    shown,
    capabilities: {
      lines,
      charsPerLine: 32,
      colours: ['amber', 'green', 'red', 'white', 'yellow'],
      arrows: SIGN_ARROWS,
    },
    async show(message) {
      if (message.lines.length > lines) {
        throw errors.CB_SIGN_REJECTED(`${id}: ${message.lines.length} lines, the sign has ${lines}`);
      }
      lastOkMs = clock.nowMs();
      shown.push({ atMs: lastOkMs, message: structuredClone(message) });
      if (shown.length > MAX_SHOWN) shown.splice(0, shown.length - MAX_SHOWN);
    },
    async blank() {
      lastOkMs = clock.nowMs();
      shown.push({ atMs: lastOkMs, message: null });
    },
    async readBack() {
      const message = shown.at(-1)?.message ?? null;
      return { message, raw: JSON.stringify(message) };
    },
    async health() {
      return { isOnline: true, lastOkMs, faults: [] };
    },
    async close() {},
  };
}
