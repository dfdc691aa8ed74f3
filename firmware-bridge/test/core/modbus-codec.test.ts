import { describe, expect, it } from 'vitest';
import { crc16 } from '../../src/core/crc16.js';
import { fromReference, toReference } from '../../src/core/modbus-address.js';
import {
  decodeRequest,
  encodeBitsReply,
  encodeExceptionReply,
  encodeRegistersReply,
  encodeRequest,
  encodeWriteReply,
  type PduRequest,
  packBits,
  unpackBits,
} from '../../src/core/modbus-pdu.js';
import { exchangeTimeMs, interFrameSilenceMs, readFrameSizes } from '../../src/core/modbus-timing.js';
import { encodeRtuFrame, hasValidCrc, RtuRequestSplitter } from '../../src/core/rtu-frame.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('CRC-16/MODBUS', () => {
  it('matches the standard check value and a known frame', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x4b37);
    // 01 03 00 00 00 0A → CRC C5 CD on the wire (from the Modbus serial-line guide).
    expect(hex(encodeRtuFrame(1, Uint8Array.of(3, 0, 0, 0, 10)))).toBe('01030000000ac5cd');
  });

  it('detects a corrupted frame', () => {
    const frame = encodeRtuFrame(7, Uint8Array.of(4, 0, 1, 0, 2));
    expect(hasValidCrc(frame)).toBe(true);
    frame[3]! ^= 0x01;
    expect(hasValidCrc(frame)).toBe(false);
  });
});

describe('PDUs', () => {
  const requests: PduRequest[] = [
    { fc: 1, address: 0, count: 2000 },
    { fc: 2, address: 10, count: 64 },
    { fc: 3, address: 40000, count: 125 },
    { fc: 4, address: 1, count: 1 },
    { fc: 5, address: 3, value: true },
    { fc: 6, address: 4, value: 0xbeef },
    { fc: 15, address: 5, values: [true, false, true, true, false, false, false, false, true] },
    { fc: 16, address: 6, values: [1, 2, 0xffff] },
  ];
  it.each(requests)('round-trips fc $fc', (request) => {
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
  });

  it('refuses counts outside the protocol limits with exception 3 and unknown functions with 1', () => {
    expect(decodeRequest(Uint8Array.of(3, 0, 0, 0, 126))).toEqual({ fc: 3, exceptionCode: 3 });
    expect(decodeRequest(Uint8Array.of(1, 0, 0, 0x07, 0xd1))).toEqual({ fc: 1, exceptionCode: 3 });
    expect(decodeRequest(Uint8Array.of(5, 0, 0, 0x12, 0x34))).toEqual({ fc: 5, exceptionCode: 3 });
    expect(decodeRequest(Uint8Array.of(43, 14, 1, 0))).toEqual({ fc: 43, exceptionCode: 1 });
    expect(decodeRequest(Uint8Array.of(16, 0, 0, 0, 2, 3, 0, 0, 0))).toEqual({ fc: 16, exceptionCode: 3 });
  });

  it('encodes replies as on the wire', () => {
    expect(hex(encodeBitsReply(2, [true, false, true, false, false, false, false, false, true]))).toBe('02020501');
    expect(hex(encodeRegistersReply(3, [0x1234, 1]))).toBe('030412340001');
    expect(hex(encodeWriteReply({ fc: 16, address: 6, values: [1, 2, 3] }))).toBe('1000060003');
    expect(hex(encodeExceptionReply(3, 2))).toBe('8302');
  });

  it('packs bits LSB first', () => {
    const bits = [true, false, false, false, false, false, false, true, true];
    expect(Array.from(packBits(bits))).toEqual([0x81, 0x01]);
    expect(unpackBits(packBits(bits), 9)).toEqual(bits);
  });
});

describe('RtuRequestSplitter', () => {
  it('cuts a byte stream into frames whatever the chunking', () => {
    const a = encodeRtuFrame(1, encodeRequest({ fc: 2, address: 0, count: 64 }));
    const b = encodeRtuFrame(2, encodeRequest({ fc: 16, address: 0, values: [1, 2] }));
    const stream = new Uint8Array([...a, ...b]);
    const splitter = new RtuRequestSplitter();
    const out = [
      ...splitter.push(stream.subarray(0, 3)),
      ...splitter.push(stream.subarray(3, 12)),
      ...splitter.push(stream.subarray(12)),
    ];
    expect(out.map((piece) => (piece.kind === 'frame' ? piece.unitId : piece.kind))).toEqual([1, 2]);
  });

  it('drops a frame with a bad CRC and garbage with an unknown function', () => {
    const frame = encodeRtuFrame(1, encodeRequest({ fc: 3, address: 0, count: 1 }));
    frame[7]! ^= 0xff;
    const splitter = new RtuRequestSplitter();
    expect(splitter.push(frame).map((p) => p.kind)).toEqual(['bad-crc']);
    expect(splitter.push(Uint8Array.of(1, 99, 0, 0)).map((p) => p.kind)).toEqual(['garbage']);
    expect(splitter.pendingBytes).toBe(0);
  });
});

describe('serial-line timing', () => {
  it('uses 3.5 characters up to 19200 baud and 1.75 ms above', () => {
    expect(interFrameSilenceMs(9600)).toBeCloseTo((3.5 * 11 * 1000) / 9600, 6);
    expect(interFrameSilenceMs(19200)).toBeCloseTo(2.005, 3);
    expect(interFrameSilenceMs(115200)).toBe(1.75);
  });

  it('reproduces the architecture figures for one 64-bit poll and a 64-register read', () => {
    const bits = readFrameSizes('bits', 64);
    expect(bits).toEqual({ requestBytes: 8, replyBytes: 13 });
    expect(exchangeTimeMs(bits.requestBytes, bits.replyBytes, 19200)).toBeCloseTo(16.0, 1);
    expect(exchangeTimeMs(bits.requestBytes, bits.replyBytes, 115200)).toBeCloseTo(5.5, 1);
    const words = readFrameSizes('words', 64);
    expect(exchangeTimeMs(words.requestBytes, words.replyBytes, 19200)).toBeCloseTo(84.8, 1);
  });
});

describe('reference numbers', () => {
  it('maps 40001-style references to 0-based wire addresses and back', () => {
    expect(fromReference('40001')).toEqual({ kind: 'holding', address: 0 });
    expect(fromReference(30010)).toEqual({ kind: 'input', address: 9 });
    expect(fromReference('10064')).toEqual({ kind: 'discrete', address: 63 });
    expect(fromReference('00001')).toEqual({ kind: 'coil', address: 0 });
    expect(fromReference('465536')).toEqual({ kind: 'holding', address: 65535 });
    expect(fromReference('40000')).toBeUndefined();
    expect(fromReference('20001')).toBeUndefined();
    expect(toReference('holding', 0)).toBe('40001');
    expect(toReference('input', 9)).toBe('30010');
    expect(toReference('holding', 9999)).toBe('410000');
  });
});
