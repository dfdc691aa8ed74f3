import { describe, expect, it } from 'vitest';
import { encodeMbapFrame, mbapFrameBytes, readMbapHeader } from '../../src/core/mbap-frame.js';

describe('MBAP framing', () => {
  // Read 2 holding registers at 0x006B from unit 0x11, transaction 1 (the Modbus TCP spec's layout).
  const pdu = Uint8Array.of(0x03, 0x00, 0x6b, 0x00, 0x02);
  const bytes = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x11, ...pdu];

  it('writes transaction id, protocol 0, the length of unit id + PDU, and the unit id before the PDU', () => {
    expect([...encodeMbapFrame(1, 0x11, pdu)]).toEqual(bytes);
  });

  it('reads the header once all 7 bytes are there, and knows where the frame ends', () => {
    expect(readMbapHeader(Uint8Array.from(bytes.slice(0, 6)))).toBeUndefined();
    const header = readMbapHeader(Uint8Array.from([...bytes, 0xff]).subarray(0));
    expect(header).toEqual({ transactionId: 1, protocolId: 0, length: 6, unitId: 0x11 });
    expect(mbapFrameBytes(header!)).toBe(bytes.length);
  });

  it('reads a header that starts inside a larger buffer', () => {
    const buffer = Uint8Array.from([0xaa, 0xbb, ...bytes]).subarray(2);
    expect(readMbapHeader(buffer)).toMatchObject({ transactionId: 1, unitId: 0x11 });
  });
});
