/**
 * RTU framing: unit id + PDU + CRC-16 (little-endian). `RtuRequestSplitter` cuts a slave's input
 * stream into request frames by function-code length, since a pseudo-terminal carries no silences.
 */
import { crc16 } from './crc16.js';
import { concat, requestPduLength } from './modbus-pdu.js';

export function encodeRtuFrame(unitId: number, pdu: Uint8Array): Uint8Array {
  const body = concat(Uint8Array.of(unitId), pdu);
  const crc = crc16(body);
  return concat(body, Uint8Array.of(crc & 0xff, crc >>> 8));
}

export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = crc16(frame, 0, frame.length - 2);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}

export type SplitResult =
  | { kind: 'frame'; unitId: number; pdu: Uint8Array; frame: Uint8Array }
  | { kind: 'bad-crc'; frame: Uint8Array }
  | { kind: 'garbage'; bytes: Uint8Array };

/** Splits a stream of request bytes into frames. A real slave drops bad frames silently; so do callers. */
export class RtuRequestSplitter {
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): SplitResult[] {
    this.buffer = concat(this.buffer, chunk);
    const out: SplitResult[] = [];
    for (;;) {
      if (this.buffer.length < 2) break;
      const pduLength = requestPduLength(this.buffer.subarray(1));
      if (pduLength === undefined) break;
      if (pduLength === 'unknown-function') {
        // Without a length we cannot find the next frame start: drop what we have, as a slave
        // would after the silence that follows the garbage.
        out.push({ kind: 'garbage', bytes: this.buffer });
        this.buffer = new Uint8Array(0);
        break;
      }
      const frameLength = 1 + pduLength + 2;
      if (this.buffer.length < frameLength) break;
      const frame = this.buffer.slice(0, frameLength);
      this.buffer = this.buffer.slice(frameLength);
      if (hasValidCrc(frame)) out.push({ kind: 'frame', unitId: frame[0]!, pdu: frame.subarray(1, -2), frame });
      else {
        out.push({ kind: 'bad-crc', frame });
        out.push(...this.flush());
      }
    }
    return out;
  }

  /** Drops a partial frame (called after an inter-frame silence); returns it as garbage if any. */
  flush(): SplitResult[] {
    if (this.buffer.length === 0) return [];
    const bytes = this.buffer;
    this.buffer = new Uint8Array(0);
    return [{ kind: 'garbage', bytes }];
  }

  get pendingBytes(): number {
    return this.buffer.length;
  }
}
