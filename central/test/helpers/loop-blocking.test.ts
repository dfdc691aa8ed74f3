import { describe, expect, it } from 'vitest';
import { watchLoopBlocking } from './loop-blocking.js';

/** Computes (never sleeps) until this thread has used `ms` of CPU. */
function spin(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 15));

describe('the event-loop watch the fuzz suites assert with', () => {
  it('sees a 200 ms computation that never lets the loop turn', async () => {
    const loop = watchLoopBlocking();
    await turn();
    spin(200);
    await turn();
    // The spin counts the process's CPU (V8's helper threads too), the watch only this thread's.
    expect(loop.finish().maxBlockedMs).toBeGreaterThanOrEqual(150);
  });

  it('does not add up short computations between which the loop turns, nor work set aside', async () => {
    const loop = watchLoopBlocking();
    for (let k = 0; k < 10; k++) {
      spin(20);
      await turn();
    }
    await loop.aside(async () => spin(150));
    await turn();
    expect(loop.finish().maxBlockedMs).toBeLessThan(100);
  });
});
