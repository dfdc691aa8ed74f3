// The RTU emulator's paced mode: replies can never come faster than the wire would carry them.
// Only lower bounds are asserted (a loaded machine can only make things slower).
import { existsSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream, WriteStream } from 'node:tty';
import { describe, expect, it, vi } from 'vitest';
import { encodeRequest } from '../../src/core/modbus-pdu.js';
import { exchangeTimeMs, interFrameSilenceMs } from '../../src/core/modbus-timing.js';
import { encodeRtuFrame } from '../../src/core/rtu-frame.js';
import { serveRtu } from '../../src/emulators/emulator-rtu.js';
import { ModbusEmulator } from '../../src/emulators/modbus-emulator.js';
import { createPtyPair } from '../../src/emulators/pty-pair.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { requireTool } from '../helpers/require-tool.js';

requireTool(existsSync('/usr/bin/socat'), 'socat');

describe('RTU emulator, paced mode', () => {
  it('spaces back-to-back requests by the wire time of each exchange plus the silences', async () => {
    const emulator = new ModbusEmulator({ profile: await loadProfile('bit-per-bay-64'), unitIds: [1] });
    const dir = mkdtempSync(join(tmpdir(), 'cb-paced-'));
    const pair = await createPtyPair(join(dir, 'm'), join(dir, 'e'));
    const baudRate = 9600;
    const port = await serveRtu(emulator, { path: pair.pathB, baudRate, isPaced: true });
    const fd = openSync(pair.pathA, 'r+');
    const input = new ReadStream(fd);
    const output = new WriteStream(fd);
    input.setRawMode(true);
    let received = 0;
    input.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    try {
      const request = encodeRtuFrame(1, encodeRequest({ fc: 2, address: 0, count: 8 }));
      const replyBytes = 6;
      const count = 5;
      const startMs = performance.now();
      // A master that ignores the inter-frame silence: five requests in one write.
      output.write(Buffer.concat(Array.from({ length: count }, () => Buffer.from(request))));
      await vi.waitFor(() => expect(received, 'five replies').toBe(count * replyBytes), {
        timeout: 10_000,
        interval: 10,
      });
      const elapsedMs = performance.now() - startMs;
      const minimumMs = count * exchangeTimeMs(request.length, replyBytes, baudRate) - interFrameSilenceMs(baudRate);
      expect(elapsedMs).toBeGreaterThanOrEqual(minimumMs - 1);
      expect(port.repliesSent).toBe(count);
    } finally {
      input.destroy();
      output.destroy();
      await emulator.close();
      await pair.close();
    }
  });
});
