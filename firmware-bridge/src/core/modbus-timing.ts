/**
 * Modbus serial-line timing (Modbus over Serial Line v1.02, 2.5.1.1): frames are separated by at
 * least 3.5 character times; above 19200 baud the spec fixes that silence at 1.75 ms.
 */

/** Bits per character on the wire: start + 8 data + parity (or a second stop bit) + stop. */
export const RTU_BITS_PER_CHAR = 11;

/** Time one character takes on the wire, in ms. */
export function charTimeMs(baudRate: number, bitsPerChar = RTU_BITS_PER_CHAR): number {
  return (bitsPerChar * 1000) / baudRate;
}

/** The inter-frame silence (t3.5), in ms. */
export function interFrameSilenceMs(baudRate: number, bitsPerChar = RTU_BITS_PER_CHAR): number {
  return baudRate > 19200 ? 1.75 : 3.5 * charTimeMs(baudRate, bitsPerChar);
}

/** Time a frame of `bytes` bytes takes on the wire, in ms (without silences). */
export function frameTimeMs(bytes: number, baudRate: number, bitsPerChar = RTU_BITS_PER_CHAR): number {
  return bytes * charTimeMs(baudRate, bitsPerChar);
}

/**
 * Wire time of one request/reply exchange, in ms: request, silence, reply, silence. This is the
 * physical lower bound of one poll on a serial bus.
 */
export function exchangeTimeMs(requestBytes: number, replyBytes: number, baudRate: number): number {
  return frameTimeMs(requestBytes + replyBytes, baudRate) + 2 * interFrameSilenceMs(baudRate);
}

/** RTU sizes of a read request (always 8 bytes) and its reply, for a read of `count` items of a table. */
export function readFrameSizes(kind: 'bits' | 'words', count: number): { requestBytes: number; replyBytes: number } {
  const dataBytes = kind === 'bits' ? Math.ceil(count / 8) : count * 2;
  return { requestBytes: 8, replyBytes: 5 + dataBytes };
}
