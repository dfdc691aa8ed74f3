/**
 * Modbus TCP framing (MBAP): a 7-byte header — transaction id, protocol id (0 for Modbus), the length of what
 * follows it (unit id + PDU), unit id — then the PDU. Shared by the TCP master (`modbus/mbap-client.ts`) and the
 * TCP emulator; each decides for itself what to do with a frame that is not Modbus.
 */
export const MBAP_HEADER_BYTES = 7;

export interface MbapHeader {
  transactionId: number;
  protocolId: number;
  /** Bytes after the length field: the unit id and the PDU. */
  length: number;
  unitId: number;
}

export function encodeMbapFrame(transactionId: number, unitId: number, pdu: Uint8Array): Uint8Array {
  const frame = new Uint8Array(MBAP_HEADER_BYTES + pdu.length);
  const view = new DataView(frame.buffer);
  view.setUint16(0, transactionId);
  view.setUint16(2, 0);
  view.setUint16(4, pdu.length + 1);
  frame[6] = unitId;
  frame.set(pdu, MBAP_HEADER_BYTES);
  return frame;
}

/** The header at the start of `buffer`, or `undefined` until all of it has arrived. */
export function readMbapHeader(buffer: Uint8Array): MbapHeader | undefined {
  if (buffer.length < MBAP_HEADER_BYTES) return undefined;
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    transactionId: view.getUint16(0),
    protocolId: view.getUint16(2),
    length: view.getUint16(4),
    unitId: buffer[6]!,
  };
}

/** Bytes of the whole frame that `header` starts. */
export function mbapFrameBytes(header: MbapHeader): number {
  return 6 + header.length;
}
