import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '../errors.js';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import { isConnectionError } from './queue-worker.js';
import type { SimQueue } from './sim-queue.js';
import { getSweep, readSweepResults } from './sweep-store.js';

export interface FollowSweepOptions {
  /** Called with the fraction of runs done whenever it changes. */
  onProgress?: (fraction: number) => void;
  /** How often the sweep's progress is read (ms). Default 200. */
  pollMs?: number;
  /** How long PostgreSQL may stay unreachable before following gives up (ms). Default 120,000. */
  outageLimitMs?: number;
  /** Told when a read fails for a broken connection (and is retried). */
  onOutage?: (err: Error) => void;
}

/**
 * Waits for a queued sweep to end, reporting progress, and returns its results in run order; throws
 * `CB_SWEEP_FAILED` with the sweep's error when it failed or was cancelled. A database outage (PostgreSQL
 * restarting) is waited out up to `outageLimitMs`.
 */
export async function followSweep(
  queue: SimQueue,
  id: string,
  options: FollowSweepOptions = {},
): Promise<ScenarioResult[]> {
  const pollMs = options.pollMs ?? 200;
  const outageLimitMs = options.outageLimitMs ?? 120_000;
  let outageSinceMs: number | undefined;
  let lastDone = -1;
  const read = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await step();
      outageSinceMs = undefined;
      return value;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      outageSinceMs ??= performance.now();
      if (performance.now() - outageSinceMs > outageLimitMs) throw err;
      options.onOutage?.(err as Error);
      return undefined;
    }
  };
  for (;;) {
    const sweep = await read(() => getSweep(queue, id));
    if (sweep !== undefined) {
      if (sweep.doneCount !== lastDone) {
        lastDone = sweep.doneCount;
        options.onProgress?.(Math.min(1, sweep.doneCount / sweep.runCount));
      }
      if (sweep.state === 'failed' || sweep.state === 'cancelled') {
        throw errors.CB_SWEEP_FAILED(`sweep ${id} ${sweep.state}: ${sweep.error ?? 'no reason stored'}`);
      }
      if (sweep.state === 'done') {
        const results = await read(() => readSweepResults(queue, id));
        if (results !== undefined) return results;
      }
    }
    await sleep(pollMs);
  }
}
