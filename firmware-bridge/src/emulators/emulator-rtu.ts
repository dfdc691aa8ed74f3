/**
 * Serves a {@link ModbusEmulator} as a Modbus RTU slave on a serial device (in tests: one end of a
 * socat pty pair). In paced mode each reply is sent when it would have finished arriving on a real
 * line: request + 3.5-character silence + reply at the configured baud (11 bits per character; the
 * silence fixed at 1.75 ms above 19200 baud). The master keeps the silence after the reply.
 */
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { frameTimeMs, interFrameSilenceMs } from '../core/modbus-timing.js';
import { encodeRtuFrame, RtuRequestSplitter } from '../core/rtu-frame.js';
import { nowPreciseMs, waitUntilPrecise } from '../io/precise-timer.js';
import type { ModbusEmulator } from './modbus-emulator.js';

export interface EmulatorRtuOptions {
  /** Serial device to serve on (a tty; e.g. the emulator end of a pty pair). */
  path: string;
  /** Line speed for paced mode, in bit/s. Default 19200. */
  baudRate?: number;
  /** Delay each reply by the real wire time. Default false (reply at once). */
  isPaced?: boolean;
  /** Bytes of a partial frame are dropped after this much silence, in ms. Default 20. */
  partialFrameTimeoutMs?: number;
}

export interface EmulatorRtuPort {
  readonly path: string;
  /** Request frames dropped for a bad CRC or unknown framing. */
  readonly droppedFrames: number;
  /** Reply frames written so far. */
  readonly repliesSent: number;
  close(): Promise<void>;
}

export async function serveRtu(emulator: ModbusEmulator, options: EmulatorRtuOptions): Promise<EmulatorRtuPort> {
  const fd = openSync(options.path, 'r+');
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.setRawMode(true);
  const baudRate = options.baudRate ?? 19200;
  const splitter = new RtuRequestSplitter();
  let dropped = 0;
  let sent = 0;
  let partialTimer: NodeJS.Timeout | undefined;
  // Replies go out one at a time in arrival order, as from one half-duplex line.
  let queue: Promise<void> = Promise.resolve();
  let isClosed = false;
  let lineFreeMs = Number.NEGATIVE_INFINITY;

  input.on('data', (chunk: Buffer) => {
    const receivedMs = nowPreciseMs();
    clearTimeout(partialTimer);
    for (const piece of splitter.push(chunk)) {
      if (piece.kind !== 'frame') {
        dropped += 1;
        continue;
      }
      const decision = emulator.handle(piece.unitId, piece.pdu, Date.now());
      const reply = decision.reply;
      if (reply === undefined) continue;
      const fullFrame = encodeRtuFrame(piece.unitId, reply);
      if (decision.corruptCrc) fullFrame[fullFrame.length - 1]! ^= 0xff;
      const frame = decision.isTruncated ? fullFrame.subarray(0, Math.ceil(fullFrame.length / 2)) : fullFrame;
      const silenceMs = interFrameSilenceMs(baudRate);
      const wireMs = options.isPaced
        ? frameTimeMs(piece.frame.length, baudRate) + silenceMs + frameTimeMs(frame.length, baudRate)
        : 0;
      // A request cannot have started on the line before the previous reply ended plus a silence,
      // even from a master that does not keep the silence itself.
      const startMs = options.isPaced ? Math.max(receivedMs, lineFreeMs) : receivedMs;
      const dueMs = startMs + wireMs + decision.extraDelayMs;
      if (options.isPaced) lineFreeMs = dueMs + silenceMs;
      queue = queue.then(async () => {
        await waitUntilPrecise(dueMs);
        if (isClosed) return;
        output.write(frame);
        sent += 1;
      });
    }
    if (splitter.pendingBytes > 0) {
      partialTimer = setTimeout(() => {
        dropped += splitter.flush().length;
      }, options.partialFrameTimeoutMs ?? 20);
    }
  });
  input.on('error', () => {});
  output.on('error', () => {});

  const port: EmulatorRtuPort = {
    path: options.path,
    get droppedFrames() {
      return dropped;
    },
    get repliesSent() {
      return sent;
    },
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      clearTimeout(partialTimer);
      await queue;
      input.destroy();
      output.destroy();
    },
  };
  emulator.onClose(port.close);
  return port;
}
