import { Piscina } from 'piscina';
import { rebuildError, type TaskOutcome } from './carried-error.js';

export interface WorkerPoolOptions {
  /** `import.meta.url` of the module that owns the worker: the worker module sits beside it. */
  callerUrl: string;
  /** The worker module's name without extension: `sim-worker` is `sim-worker.js` when built, `.ts` in sources. */
  workerName: string;
  /** Worker threads (minimum and maximum). */
  threads: number;
  /** How long an idle thread lives, in ms. Default 60,000. */
  idleTimeoutMs?: number;
  /** Each worker's V8 young generation (MB); default V8's. */
  youngGenerationMb?: number;
}

/**
 * The task names of a worker module `M` (`typeof import('./x-worker.js')`): its exported functions. The worker module
 * is the one place a task is declared; the pool's `run` takes its name, message and result types from there.
 */
export type TaskName<M> = {
  [K in keyof M]: M[K] extends (...args: never[]) => unknown ? K : never;
}[keyof M] &
  string;
/** What task `K` of worker module `M` takes: its one message, or nothing. */
export type TaskArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A : never;
/** What task `K` of worker module `M` answers. */
export type TaskResult<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

/** A piscina pool whose named tasks are the worker module's exports, typed by that module (`M`). */
export interface WorkerPool<M> {
  readonly threads: number;
  run<K extends TaskName<M>>(name: K, ...task: TaskArgs<M, K>): Promise<TaskResult<M, K>>;
  destroy(): Promise<void>;
}

/**
 * One piscina pool over a worker module, from built code or from TypeScript sources alike. Every thread runs
 * `task-worker`, which loads the worker module and dispatches `{ name, task }` to its named export, answering a
 * task's error as data so that its code (`CitybayError`'s code, path and status) reaches the caller. From sources
 * (vitest, `node --import tsx`) Node does not carry tsx's loader into worker threads, so the pool starts
 * `source-worker.mjs`, which registers tsx in the thread first.
 *
 * `M` is the worker module's type, `typeof import('./x-worker.js')` (a type-only import: nothing of the worker loads
 * in the caller's thread).
 */
export function createWorkerPool<M>(options: WorkerPoolOptions): WorkerPool<M> {
  const isSource = options.callerUrl.endsWith('.ts');
  const moduleUrl = new URL(`./${options.workerName}.${isSource ? 'ts' : 'js'}`, options.callerUrl).href;
  const piscina = new Piscina({
    filename: new URL(isSource ? './source-worker.mjs' : './task-worker.js', import.meta.url).href,
    workerData: { moduleUrl },
    execArgv: isSource ? ['--conditions=@citybay/source'] : [],
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs ?? 60_000,
    resourceLimits:
      options.youngGenerationMb === undefined ? undefined : { maxYoungGenerationSizeMb: options.youngGenerationMb },
  });
  return {
    threads: options.threads,
    run: async <K extends TaskName<M>>(name: K, ...args: TaskArgs<M, K>) => {
      const outcome = (await piscina.run({ name, task: args[0] }, { name: 'dispatch' })) as TaskOutcome<
        TaskResult<M, K>
      >;
      if ('error' in outcome) throw rebuildError(outcome.error);
      return outcome.value;
    },
    destroy: () => piscina.destroy(),
  };
}
