import { Piscina } from 'piscina';

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
 * One piscina pool over a worker module, from built code or from TypeScript sources alike. Built code loads the
 * `.js` module directly. From sources (vitest, `node --import tsx`) Node does not carry tsx's loader into worker
 * threads, so the pool starts `source-worker.mjs`, which registers tsx in the thread, loads the `.ts` module and
 * dispatches `{ name, task }` to its named export.
 *
 * `M` is the worker module's type, `typeof import('./x-worker.js')` (a type-only import: nothing of the worker loads
 * in the caller's thread).
 */
export function createWorkerPool<M>(options: WorkerPoolOptions): WorkerPool<M> {
  const isSource = options.callerUrl.endsWith('.ts');
  const moduleUrl = new URL(`./${options.workerName}.${isSource ? 'ts' : 'js'}`, options.callerUrl).href;
  const piscina = new Piscina({
    filename: isSource ? new URL('./source-worker.mjs', import.meta.url).href : moduleUrl,
    workerData: isSource ? { moduleUrl } : undefined,
    execArgv: isSource ? ['--conditions=@citybay/source'] : [],
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs ?? 60_000,
    resourceLimits:
      options.youngGenerationMb === undefined ? undefined : { maxYoungGenerationSizeMb: options.youngGenerationMb },
  });
  return {
    threads: options.threads,
    run: <K extends TaskName<M>>(name: K, ...args: TaskArgs<M, K>) => {
      const task: unknown = args[0];
      return (isSource ? piscina.run({ name, task }, { name: 'dispatch' }) : piscina.run(task, { name })) as Promise<
        TaskResult<M, K>
      >;
    },
    destroy: () => piscina.destroy(),
  };
}
