import { availableParallelism } from 'node:os';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import type { RunScenarioTask } from './types.js';
import { createWorkerPool } from './worker-pool.js';

export interface SimPoolOptions {
  /** Worker threads. Default: available parallelism. */
  maxThreads?: number;
}

export interface SimPool {
  readonly threads: number;
  runScenario(task: RunScenarioTask): Promise<ScenarioResult>;
  /** Runs a named task of the worker file (other helpers add theirs there, e.g. `allocate`). */
  run<T>(name: string, task: unknown): Promise<T>;
  destroy(): Promise<void>;
}

/** One piscina pool over the sim worker file (`sim-worker`). Release it with `await pool.destroy()`. */
export function createSimPool(options: SimPoolOptions = {}): SimPool {
  const threads = Math.max(1, options.maxThreads ?? availableParallelism());
  const pool = createWorkerPool({ callerUrl: import.meta.url, workerName: 'sim-worker', threads });
  return {
    threads,
    runScenario: (task) => pool.run<ScenarioResult>('runScenario', task),
    run: pool.run,
    destroy: () => pool.destroy(),
  };
}
