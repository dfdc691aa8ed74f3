import { monitorEventLoopDelay } from 'node:perf_hooks';
import { threadCpuMs } from '@citybay/common/testing';

const TICK_MS = 10;

export interface LoopBlocking {
  /** Runs `work` unwatched (the test's own set-up, such as starting a fresh app). */
  aside<T>(work: () => Promise<T>): Promise<T>;
  /** Stops watching and answers what was seen. */
  finish(): {
    /** Longest the loop computed without turning: the CPU this thread used between two ticks due 10 ms apart. */
    maxBlockedMs: number;
    /** `monitorEventLoopDelay`'s wall-clock view: the same blocks, plus every moment the machine ran others. */
    wallP99Ms: number;
    wallMaxMs: number;
  };
}

/**
 * Watches the event loop for blocks. `monitorEventLoopDelay` measures how late the loop turns in wall-clock time,
 * which on a machine shared with other jobs also counts the time the process waited for a core; so beside it a
 * timer due every 10 ms reads this thread's CPU clock, and the CPU spent between two ticks is what the process's
 * own work kept the loop from turning — what a 100 ms budget is about, and the same on a quiet or a busy machine.
 */
export function watchLoopBlocking(): LoopBlocking {
  const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
  histogram.enable();
  let lastCpuMs = threadCpuMs();
  let maxBlockedMs = 0;
  let isAside = false;
  const timer = setInterval(() => {
    const cpuMs = threadCpuMs();
    if (!isAside) maxBlockedMs = Math.max(maxBlockedMs, cpuMs - lastCpuMs);
    lastCpuMs = cpuMs;
  }, TICK_MS);
  return {
    async aside(work) {
      isAside = true;
      try {
        return await work();
      } finally {
        isAside = false;
        lastCpuMs = threadCpuMs();
      }
    },
    finish() {
      clearInterval(timer);
      histogram.disable();
      maxBlockedMs = Math.max(maxBlockedMs, threadCpuMs() - lastCpuMs);
      return { maxBlockedMs, wallP99Ms: histogram.percentile(99) / 1e6, wallMaxMs: histogram.max / 1e6 };
    },
  };
}
