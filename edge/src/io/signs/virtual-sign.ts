/**
 * A sign with no hardware (driver `virtual`): keeps what it was told, for demos, bench sites and
 * the local `/signs` endpoint. It accepts any message that fits its lines.
 */
import { type GuidanceSign, type SignMessage, errors as bridgeErrors } from '@citybay/firmware-bridge';

export interface VirtualSign extends GuidanceSign {
  /** Every message shown, oldest first, with the clock time. */
  readonly shown: { atMs: number; message: SignMessage | null }[];
}

export function createVirtualSign(id: string, lines: number, nowMs: () => number = Date.now): VirtualSign {
  const shown: VirtualSign['shown'] = [];
  let lastOkMs: number | null = null;
  return {
    id,
    shown,
    capabilities: {
      lines,
      charsPerLine: 32,
      colours: ['amber', 'green', 'red', 'white', 'yellow'],
      arrows: [
        'none',
        'left',
        'right',
        'ahead',
        'ahead-left',
        'ahead-right',
        'down',
        'down-left',
        'down-right',
        'back',
      ],
    },
    async show(message) {
      if (message.lines.length > lines) {
        throw bridgeErrors.CB_SIGN_REJECTED(`${id}: ${message.lines.length} lines, the sign has ${lines}`);
      }
      lastOkMs = nowMs();
      shown.push({ atMs: lastOkMs, message: structuredClone(message) });
      if (shown.length > 10_000) shown.splice(0, shown.length - 10_000);
    },
    async blank() {
      lastOkMs = nowMs();
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
