import { describe, expect, it } from 'vitest';
import { decodeBays, decodeNumber, decodeStatus, encodeNumber } from '../../src/core/point-decoder.js';

describe('decodeNumber', () => {
  it('reads 32-bit counters in both word orders and byte orders', () => {
    const value = 0x12345678;
    expect(decodeNumber({ width: 32 }, [0x1234, 0x5678])).toBe(value);
    expect(decodeNumber({ width: 32, wordOrder: 'low-first' }, [0x5678, 0x1234])).toBe(value);
    expect(decodeNumber({ width: 32, byteOrder: 'little' }, [0x3412, 0x7856])).toBe(value);
    expect(decodeNumber({ width: 32, wordOrder: 'low-first' }, [0xffff, 0xffff])).toBe(0xffffffff);
  });

  it('applies sign, mask, shift, scale and offset', () => {
    expect(decodeNumber({ isSigned: true, scale: 0.1 }, [0xff9c])).toBeCloseTo(-10);
    expect(decodeNumber({ mask: 0x0f, shift: 4 }, [0x0ab0])).toBe(0x0b);
    expect(decodeNumber({ scale: 2, offset: -5 }, [10])).toBe(15);
    expect(decodeNumber({ width: 32, isSigned: true }, [0xffff, 0xfffe])).toBe(-2);
  });

  it('is inverted by encodeNumber', () => {
    for (const format of [
      { width: 32 as const, wordOrder: 'low-first' as const },
      { width: 16 as const, isSigned: true, scale: 0.1 },
    ]) {
      for (const value of [0, 7, 1234.5, -3]) {
        if (value < 0 && !('isSigned' in format)) continue;
        const expected = 'scale' in format ? Math.round(value * 10) / 10 : Math.round(value);
        expect(decodeNumber(format, encodeNumber(format, value))).toBeCloseTo(expected);
      }
    }
  });
});

describe('decodeBays', () => {
  it('maps bits with occupiedWhen', () => {
    expect(
      decodeBays({ type: 'bit-per-bay', firstBay: 4, occupiedWhen: 0 }, [true, false]).map((b) => [b.bay, b.meaning]),
    ).toEqual([
      [4, 'free'],
      [5, 'occupied'],
    ]);
  });

  it('maps registers through mask and value map; unknown values have no meaning', () => {
    const decoded = decodeBays(
      {
        type: 'register-per-bay',
        mask: 0xff,
        values: { '0': 'free', '1': 'occupied', '2': 'fault', '3': 'sensor-dirty' },
      },
      [0x0100, 0x0001, 2, 3, 9],
    );
    expect(decoded.map((b) => b.meaning)).toEqual(['free', 'occupied', 'fault', 'sensor-dirty', undefined]);
  });

  it('unpacks several bays per register, lowest bits first', () => {
    const decoded = decodeBays(
      { type: 'packed', bitsPerBay: 4, bays: 5, values: { '0': 'free', '1': 'occupied', '15': 'fault' } },
      [0xf010, 0x0001],
    );
    expect(decoded.map((b) => b.meaning)).toEqual(['free', 'occupied', 'free', 'fault', 'occupied']);
  });
});

describe('decodeStatus', () => {
  it('reads flags with activeWhen', () => {
    const flags = decodeStatus(
      {
        type: 'status',
        flags: [
          { name: 'a', bit: 0, severity: 'fault' },
          { name: 'b', bit: 3, severity: 'info', activeWhen: 0 },
        ],
      },
      0b0001,
    );
    expect(flags).toEqual({ a: { isSet: true, severity: 'fault' }, b: { isSet: true, severity: 'info' } });
  });
});
