import { availableParallelism } from 'node:os';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import type * as SimWorker from './sim-worker.js';
import type { RunScenarioTask } from './types.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

/** The sim worker's task map: its module's exports (`sim-worker.ts`), one typed task each. */
export type SimTasks = typeof SimWorker;

export interface SimPoolOptions {
  /** Worker threads. Default: available parallelism. */
  maxThreads?: number;
}

export interface SimPool {
  readonly threads: number;
  runScenario(task: RunScenarioTask): Promise<ScenarioResult>;
  /** Runs a named task of the worker file, typed by it (other helpers add theirs there, e.g. `allocate`). */
  run: WorkerPool<SimTasks>['run'];
  destroy(): Promise<void>;
}

// A district run allocates about 14 MB, most of it dead by the run's end. With V8's default young generation a worker
// scavenged about once a run, copying that run's live demand each time, and the scavenges' parallel helper threads took
// turns from the other worker on a 2-core machine; a young generation that holds several runs scavenges a few times
// less (measured in `bench/traffic-sweep.ts`). Memory grows only as far as a worker uses it.
const SIM_YOUNG_GENERATION_MB = 96;

/** One piscina pool over the sim worker file (`sim-worker`). Release it with `await pool.destroy()`. */
export function createSimPool(options: SimPoolOptions = {}): SimPool {
  const threads = Math.max(1, options.maxThreads ?? availableParallelism());
  const pool = createWorkerPool<SimTasks>({
    callerUrl: import.meta.url,
    workerName: 'sim-worker',
    threads,
    youngGenerationMb: SIM_YOUNG_GENERATION_MB,
  });
  return {
    threads,
    runScenario: (task): Promise<ScenarioResult> => pool.run('runScenario', task),
    run: pool.run,
    destroy: () => pool.destroy(),
  };
}
