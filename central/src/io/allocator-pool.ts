import { createWorkerPool } from '@citybay/sim';
import type * as AllocatorWorker from './allocator-worker.js';
import type { AllocatorBatch, AllocatorTaskResult } from './allocator-worker.js';

/** Runs the online allocator off the event loop, on one worker thread that keeps each day's state. */
export interface AllocatorPool {
  /** Plans the days of one request in order; on an error, answers only that one and holds none of them. */
  allocateDays(batch: AllocatorBatch): Promise<AllocatorTaskResult[]>;
  /** Drops one day (`siteId/dayStartMs`) from the thread; its next task re-plans it. */
  forgetDay(key: string): Promise<boolean>;
  forgetDaysBefore(beforeMs: number): Promise<number>;
  /** How many days the thread holds now. */
  heldDayCount(): Promise<number>;
  destroy(): Promise<void>;
}

export function createAllocatorPool(): AllocatorPool {
  // One thread on purpose: a day's allocator state lives in that thread between requests.
  const pool = createWorkerPool<typeof AllocatorWorker>({
    callerUrl: import.meta.url,
    workerName: 'allocator-worker',
    threads: 1,
    idleTimeoutMs: Number.POSITIVE_INFINITY,
  });
  return {
    allocateDays: (batch) => pool.run('allocateDays', batch),
    forgetDay: (key) => pool.run('forgetDay', { key }),
    forgetDaysBefore: (beforeMs) => pool.run('forgetDaysBefore', { beforeMs }),
    heldDayCount: () => pool.run('heldDayCount'),
    destroy: () => pool.destroy(),
  };
}
