import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { followClockFile, simulatedMs } from '../src/clock-file.js';

describe('simulatedMs', () => {
  it('runs `speed` times the wall clock from its anchor, held at its end', () => {
    const content = { anchorRealMs: 1000, anchorSimMs: 50_000, speed: 30, untilSimMs: 80_000 };
    expect(simulatedMs(content, 1000)).toBe(50_000);
    expect(simulatedMs(content, 1500)).toBe(65_000);
    expect(simulatedMs(content, 9000)).toBe(80_000);
    expect(simulatedMs({ ...content, speed: 0 }, 9000)).toBe(50_000);
  });
});

describe('followClockFile', () => {
  it('follows the file as it is written, and the wall clock while it is missing or unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clock-file-'));
    const path = join(dir, 'clock.json');
    const clock = followClockFile(path, 20);
    try {
      expect(clock.isSimulated).toBe(false);
      expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1000);
      writeFileSync(path, JSON.stringify({ anchorRealMs: Date.now(), anchorSimMs: 5e12, speed: 0 }));
      await vi.waitFor(() => expect(clock.nowMs()).toBe(5e12), { timeout: 5000, interval: 20 });
      expect(clock.isSimulated).toBe(true);
      writeFileSync(path, '{"anchorRealMs": "soon"}');
      await vi.waitFor(() => expect(clock.isSimulated).toBe(false), { timeout: 5000, interval: 20 });
    } finally {
      clock.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
