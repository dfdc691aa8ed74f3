/**
 * Waits with sub-millisecond precision. `setTimeout` fires up to ~1 ms late, which at 115200 baud is
 * a fifth of a whole poll: sleep with a timer until close to the deadline, then yield with
 * `setImmediate` (I/O still runs) until `performance.now()` reaches it.
 */
import { performance } from 'node:perf_hooks';

/** How early the coarse timer wakes before the deadline, in ms. */
const SPIN_WINDOW_MS = 1.5;

export function nowPreciseMs(): number {
  return performance.now();
}

/** Resolves once `performance.now()` ≥ `deadlineMs`. */
export function waitUntilPrecise(deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const spin = () => {
      if (performance.now() >= deadlineMs) resolve();
      else setImmediate(spin);
    };
    const coarseMs = deadlineMs - performance.now() - SPIN_WINDOW_MS;
    if (coarseMs > 0) setTimeout(spin, coarseMs);
    else spin();
  });
}
