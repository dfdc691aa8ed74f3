/**
 * Framing of the serial text-sign protocol (documented in the README):
 *
 *   STX 0x02 | seq u8 | command u8 | length u16 BE | payload | CRC-16/MODBUS u16 LE | ETX 0x03
 *
 * The CRC covers seq..payload. Commands: 0x01 activate (payload: MULTI, ASCII), 0x02 read back,
 * 0x03 status, 0x04 blank. Replies echo `seq`: 0x06 ACK (payload: read-back MULTI or status
 * bytes), 0x15 NAK (payload: `dmsMultiSyntaxError` code u8, error position u16 BE, reason ASCII;
 * code 0 means the frame itself was bad and may be resent).
 */
import { crc16 } from './crc16.js';
import { concat } from './modbus-pdu.js';

export const STX = 0x02;
export const ETX = 0x03;
export const SIGN_COMMAND = {
  activate: 0x01,
  readBack: 0x02,
  status: 0x03,
  blank: 0x04,
  ack: 0x06,
  nak: 0x15,
} as const;
export const MAX_SIGN_PAYLOAD = 1024;

export interface SignFrame {
  seq: number;
  command: number;
  payload: Uint8Array;
}

export function encodeSignFrame(frame: SignFrame): Uint8Array {
  const body = new Uint8Array(4 + frame.payload.length);
  body[0] = frame.seq & 0xff;
  body[1] = frame.command;
  body[2] = frame.payload.length >>> 8;
  body[3] = frame.payload.length & 0xff;
  body.set(frame.payload, 4);
  const crc = crc16(body);
  return concat(Uint8Array.of(STX), body, Uint8Array.of(crc & 0xff, crc >>> 8, ETX));
}

export type SignFrameEvent = { kind: 'frame'; frame: SignFrame } | { kind: 'bad-frame'; seq: number | undefined };

/** Streaming decoder: resynchronises on STX after garbage; a bad CRC or ETX gives `bad-frame`. */
export class SignFrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Bytes held for an incomplete frame: never more than one frame (a length field past the maximum is dropped). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Drops a partial frame: what arrived before a new request cannot be its reply. */
  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): SignFrameEvent[] {
    this.buffer = concat(this.buffer, chunk);
    const out: SignFrameEvent[] = [];
    for (;;) {
      const start = this.buffer.indexOf(STX);
      if (start === -1) {
        this.buffer = new Uint8Array(0);
        break;
      }
      if (start > 0) this.buffer = this.buffer.slice(start);
      if (this.buffer.length < 5) break;
      const length = (this.buffer[3]! << 8) | this.buffer[4]!;
      if (length > MAX_SIGN_PAYLOAD) {
        out.push({ kind: 'bad-frame', seq: undefined });
        this.buffer = this.buffer.slice(1);
        continue;
      }
      const total = 1 + 4 + length + 3;
      if (this.buffer.length < total) break;
      const frame = this.buffer.slice(0, total);
      this.buffer = this.buffer.slice(total);
      const crc = crc16(frame, 1, 5 + length);
      const isValid =
        frame[5 + length] === (crc & 0xff) && frame[6 + length] === crc >>> 8 && frame[7 + length] === ETX;
      if (!isValid) {
        out.push({ kind: 'bad-frame', seq: frame[1] });
        continue;
      }
      out.push({ kind: 'frame', frame: { seq: frame[1]!, command: frame[2]!, payload: frame.slice(5, 5 + length) } });
    }
    return out;
  }
}

export function encodeNak(code: number, position: number, reason: string): Uint8Array {
  return concat(Uint8Array.of(code, position >>> 8, position & 0xff), new TextEncoder().encode(reason.slice(0, 200)));
}

export function decodeNak(payload: Uint8Array): { code: number; position: number; reason: string } {
  return {
    code: payload[0] ?? 1,
    position: ((payload[1] ?? 0) << 8) | (payload[2] ?? 0),
    reason: new TextDecoder().decode(payload.subarray(3)),
  };
}
