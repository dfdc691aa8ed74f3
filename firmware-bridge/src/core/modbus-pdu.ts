/**
 * Modbus application PDUs for function codes 1, 2, 3, 4, 5, 6, 15 and 16: requests decoded and
 * replies encoded on the slave side (the emulators), requests encoded on the master side (tests).
 * Pure: bytes in, bytes out.
 */

export const FC = {
  READ_COILS: 1,
  READ_DISCRETE_INPUTS: 2,
  READ_HOLDING_REGISTERS: 3,
  READ_INPUT_REGISTERS: 4,
  WRITE_SINGLE_COIL: 5,
  WRITE_SINGLE_REGISTER: 6,
  WRITE_MULTIPLE_COILS: 15,
  WRITE_MULTIPLE_REGISTERS: 16,
} as const;

export type PduRequest =
  | { fc: 1 | 2 | 3 | 4; address: number; count: number }
  | { fc: 5; address: number; value: boolean }
  | { fc: 6; address: number; value: number }
  | { fc: 15; address: number; values: boolean[] }
  | { fc: 16; address: number; values: number[] };

/** A request that cannot be decoded: the exception code a slave answers with. */
export interface PduDecodeError {
  fc: number;
  exceptionCode: number;
}

/** Limits of the Modbus application protocol (section 6). */
export const MAX_READ_BITS = 2000;
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_BITS = 1968;
export const MAX_WRITE_REGISTERS = 123;

/** Length of a request PDU (without unit id and CRC) given its first bytes, or undefined if more bytes are needed. */
export function requestPduLength(pdu: Uint8Array): number | undefined | 'unknown-function' {
  if (pdu.length < 1) return undefined;
  const fc = pdu[0]!;
  if (fc >= 1 && fc <= 6) return 5;
  if (fc === 15 || fc === 16) return pdu.length < 6 ? undefined : 6 + pdu[5]!;
  return 'unknown-function';
}

export function decodeRequest(pdu: Uint8Array): PduRequest | PduDecodeError {
  const fc = pdu[0] ?? 0;
  const view = new DataView(pdu.buffer, pdu.byteOffset, pdu.byteLength);
  const u16 = (offset: number) => view.getUint16(offset);
  if (fc < 1 || (fc > 6 && fc !== 15 && fc !== 16)) return { fc, exceptionCode: 1 };
  if (pdu.length < 5) return { fc, exceptionCode: 3 };
  const address = u16(1);
  if (fc <= 4) {
    const count = u16(3);
    const max = fc <= 2 ? MAX_READ_BITS : MAX_READ_REGISTERS;
    if (count < 1 || count > max) return { fc, exceptionCode: 3 };
    return { fc: fc as 1 | 2 | 3 | 4, address, count };
  }
  if (fc === 5) {
    const raw = u16(3);
    if (raw !== 0xff00 && raw !== 0) return { fc, exceptionCode: 3 };
    return { fc: 5, address, value: raw === 0xff00 };
  }
  if (fc === 6) return { fc: 6, address, value: u16(3) };
  if (pdu.length < 6) return { fc, exceptionCode: 3 };
  const count = u16(3);
  const byteCount = pdu[5]!;
  if (fc === 15) {
    if (count < 1 || count > MAX_WRITE_BITS || byteCount !== Math.ceil(count / 8) || pdu.length < 6 + byteCount) {
      return { fc, exceptionCode: 3 };
    }
    return { fc: 15, address, values: unpackBits(pdu.subarray(6, 6 + byteCount), count) };
  }
  if (count < 1 || count > MAX_WRITE_REGISTERS || byteCount !== count * 2 || pdu.length < 6 + byteCount) {
    return { fc, exceptionCode: 3 };
  }
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(u16(6 + 2 * i));
  return { fc: 16, address, values };
}

export function isDecodeError(value: PduRequest | PduDecodeError): value is PduDecodeError {
  return 'exceptionCode' in value;
}

export function encodeRequest(request: PduRequest): Uint8Array {
  switch (request.fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      return words(request.fc, [request.address, request.count]);
    case 5:
      return words(5, [request.address, request.value ? 0xff00 : 0]);
    case 6:
      return words(6, [request.address, request.value]);
    case 15: {
      const packed = packBits(request.values);
      return concat(words(15, [request.address, request.values.length]), Uint8Array.of(packed.length), packed);
    }
    case 16: {
      const data = words(16, [request.address, request.values.length, ...request.values]);
      return concat(data.subarray(0, 5), Uint8Array.of(request.values.length * 2), data.subarray(5));
    }
  }
}

/** Reply PDU to a read of bits (FC 1, 2). */
export function encodeBitsReply(fc: 1 | 2, bits: readonly boolean[]): Uint8Array {
  const packed = packBits(bits);
  return concat(Uint8Array.of(fc, packed.length), packed);
}

/** Reply PDU to a read of registers (FC 3, 4). */
export function encodeRegistersReply(fc: 3 | 4, registers: readonly number[]): Uint8Array {
  const out = new Uint8Array(2 + registers.length * 2);
  out[0] = fc;
  out[1] = registers.length * 2;
  const view = new DataView(out.buffer);
  registers.forEach((value, i) => {
    view.setUint16(2 + 2 * i, value & 0xffff);
  });
  return out;
}

/** Reply PDU to a write (FC 5, 6 echo the request; 15, 16 echo address and count). */
export function encodeWriteReply(request: Extract<PduRequest, { fc: 5 | 6 | 15 | 16 }>): Uint8Array {
  if (request.fc === 5 || request.fc === 6) return encodeRequest(request);
  return words(request.fc, [request.address, request.values.length]);
}

export function encodeExceptionReply(fc: number, exceptionCode: number): Uint8Array {
  return Uint8Array.of((fc | 0x80) & 0xff, exceptionCode);
}

/** LSB of the first byte is the first bit, as on the wire. */
export function packBits(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    if (bit) out[i >> 3]! |= 1 << (i & 7);
  });
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < count; i++) out.push(((bytes[i >> 3] ?? 0) >> (i & 7)) % 2 === 1);
  return out;
}

function words(fc: number, values: readonly number[]): Uint8Array {
  const out = new Uint8Array(1 + values.length * 2);
  out[0] = fc;
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    view.setUint16(1 + 2 * i, value & 0xffff);
  });
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
