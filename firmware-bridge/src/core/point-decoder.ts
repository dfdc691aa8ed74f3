/**
 * Decodes the raw bits/registers of one profile point into bay meanings, numbers or status flags.
 * Pure; the profile has already been validated, so counts match the decode type.
 */
import type { StatusFlagReading } from '../detectors/bay-detector.js';
import type { BayMeaning, PointDecode } from '../profiles/device-profile.js';

export interface DecodedBay {
  bay: number;
  /** `undefined` when the value is not in the profile's value map. */
  meaning: BayMeaning | undefined;
  raw: number;
}

type NumberFormat = Extract<PointDecode, { type: 'counter' | 'value' }>;

export function decodeBays(decode: PointDecode, raw: readonly boolean[] | readonly number[]): DecodedBay[] {
  const out: DecodedBay[] = [];
  switch (decode.type) {
    case 'bit-per-bay': {
      const first = decode.firstBay ?? 0;
      const occupiedWhen = decode.occupiedWhen ?? 1;
      raw.forEach((value, i) => {
        const bit = value === true || value === 1 ? 1 : 0;
        out.push({ bay: first + i, meaning: bit === occupiedWhen ? 'occupied' : 'free', raw: bit });
      });
      return out;
    }
    case 'register-per-bay': {
      const first = decode.firstBay ?? 0;
      raw.forEach((value, i) => {
        const word = ((Number(value) >>> (decode.shift ?? 0)) & (decode.mask ?? 0xffff)) >>> 0;
        out.push({ bay: first + i, meaning: decode.values[String(word)], raw: word });
      });
      return out;
    }
    case 'packed': {
      const first = decode.firstBay ?? 0;
      const perWord = 16 / decode.bitsPerBay;
      const mask = (1 << decode.bitsPerBay) - 1;
      for (let i = 0; i < decode.bays; i++) {
        const word = Number(raw[Math.floor(i / perWord)] ?? 0);
        const value = (word >>> ((i % perWord) * decode.bitsPerBay)) & mask;
        out.push({ bay: first + i, meaning: decode.values[String(value)], raw: value });
      }
      return out;
    }
    default:
      return out;
  }
}

/** Decodes a 16/32-bit value with byte order, word order, sign, mask, shift, scale and offset. */
export function decodeNumber(format: Omit<NumberFormat, 'type'>, words: readonly number[]): number {
  const swap = (w: number) => (format.byteOrder === 'little' ? ((w & 0xff) << 8) | (w >>> 8) : w) & 0xffff;
  let raw: number;
  let bits: number;
  if ((format.width ?? 16) === 32) {
    const [a = 0, b = 0] = words.map(swap);
    const [high, low] = format.wordOrder === 'low-first' ? [b, a] : [a, b];
    raw = high * 0x10000 + low;
    bits = 32;
  } else {
    raw = swap(words[0] ?? 0);
    bits = 16;
  }
  if (format.isSigned && raw >= 2 ** (bits - 1)) raw -= 2 ** bits;
  if (format.shift !== undefined || format.mask !== undefined) {
    // Unsigned arithmetic: >>> and & on 32-bit values would otherwise turn the top bit into a sign.
    raw = Math.floor(raw / 2 ** (format.shift ?? 0));
    if (format.mask !== undefined) raw = Number(BigInt(Math.trunc(raw)) & BigInt(format.mask));
  }
  return raw * (format.scale ?? 1) + (format.offset ?? 0);
}

/** Inverse of {@link decodeNumber} for emulators: value → register words. */
export function encodeNumber(format: Omit<NumberFormat, 'type'>, value: number): number[] {
  const bits = (format.width ?? 16) === 32 ? 32 : 16;
  let raw = Math.round((value - (format.offset ?? 0)) / (format.scale ?? 1));
  raw = raw * 2 ** (format.shift ?? 0);
  if (raw < 0) raw += 2 ** bits;
  raw = ((raw % 2 ** bits) + 2 ** bits) % 2 ** bits;
  const swap = (w: number) => (format.byteOrder === 'little' ? ((w & 0xff) << 8) | (w >>> 8) : w) & 0xffff;
  if (bits === 16) return [swap(raw)];
  const high = Math.floor(raw / 0x10000);
  const low = raw % 0x10000;
  const words = format.wordOrder === 'low-first' ? [low, high] : [high, low];
  return words.map(swap);
}

export function decodeStatus(
  decode: Extract<PointDecode, { type: 'status' }>,
  word: number,
): Record<string, StatusFlagReading> {
  const out: Record<string, StatusFlagReading> = {};
  for (const flag of decode.flags) {
    const bit = (word >>> flag.bit) & 1;
    out[flag.name] = { isSet: bit === (flag.activeWhen ?? 1), severity: flag.severity };
  }
  return out;
}
