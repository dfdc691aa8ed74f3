import { Piscina } from 'piscina';
import type { AllocatorTask, AllocatorTaskResult } from './allocator-worker.js';

/** Runs the online allocator off the event loop, on one worker thread that keeps each day's state. */
export interface AllocatorPool {
  allocateDay(task: AllocatorTask): Promise<AllocatorTaskResult>;
  forgetDaysBefore(beforeMs: number): Promise<number>;
  destroy(): Promise<void>;
}

export function createAllocatorPool(): AllocatorPool {
  const isSource = import.meta.url.endsWith('.ts');
  const filename = new URL(isSource ? './allocator-source-worker.mjs' : './allocator-worker.js', import.meta.url).href;
  // One thread on purpose: a day's allocator state lives in that thread between requests.
  const piscina = new Piscina({
    filename,
    execArgv: isSource ? ['--conditions=@citybay/source'] : [],
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  const run = <T>(name: string, task: unknown): Promise<T> =>
    (isSource ? piscina.run({ name, task }, { name: 'dispatch' }) : piscina.run(task, { name })) as Promise<T>;
  return {
    allocateDay: (task) => run<AllocatorTaskResult>('allocateDay', task),
    forgetDaysBefore: (beforeMs) => run<number>('forgetDaysBefore', { beforeMs }),
    destroy: () => piscina.destroy(),
  };
}
