import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ScenarioResult } from '../scenario/run-scenario.js';
import type { RunScenarioTask } from './types.js';

export interface SimPoolOptions {
  /** Worker threads. Default: available parallelism. */
  maxThreads?: number;
}

/**
 * The worker file beside this module: `sim-worker.js` when built; from sources (`.ts`, under vitest or tsx) a small
 * `.mjs` entry that registers tsx inside the thread and dispatches `{ name, task }` to `sim-worker.ts`.
 */
export function resolveWorkerFile(): { filename: string; execArgv: string[]; isSource: boolean } {
  const isSource = import.meta.url.endsWith('.ts');
  const filename = new URL(isSource ? './source-worker.mjs' : './sim-worker.js', import.meta.url).href;
  return { filename, execArgv: isSource ? ['--conditions=@citybay/source'] : [], isSource };
}

export interface SimPool {
  readonly threads: number;
  runScenario(task: RunScenarioTask): Promise<ScenarioResult>;
  /** Runs a named task of the worker file (other helpers add theirs there, e.g. `allocate`). */
  run<T>(name: string, task: unknown): Promise<T>;
  destroy(): Promise<void>;
}

/** One piscina pool over the sim worker file. Release it with `await pool.destroy()`. */
export function createSimPool(options: SimPoolOptions = {}): SimPool {
  const threads = Math.max(1, options.maxThreads ?? availableParallelism());
  const { filename, execArgv, isSource } = resolveWorkerFile();
  const piscina = new Piscina({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  const run = <T>(name: string, task: unknown): Promise<T> =>
    (isSource ? piscina.run({ name, task }, { name: 'dispatch' }) : piscina.run(task, { name })) as Promise<T>;
  return {
    threads,
    runScenario: (task) => run<ScenarioResult>('runScenario', task),
    run,
    destroy: () => piscina.destroy(),
  };
}
