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

/** A piscina pool whose named tasks are the worker module's exports. */
export interface WorkerPool {
  readonly threads: number;
  run<T>(name: string, task: unknown): Promise<T>;
  destroy(): Promise<void>;
}

/**
 * One piscina pool over a worker module, from built code or from TypeScript sources alike. Built code loads the
 * `.js` module directly. From sources (vitest, `node --import tsx`) Node does not carry tsx's loader into worker
 * threads, so the pool starts `source-worker.mjs`, which registers tsx in the thread, loads the `.ts` module and
 * dispatches `{ name, task }` to its named export.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
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
    run: <T>(name: string, task: unknown) =>
      (isSource ? piscina.run({ name, task }, { name: 'dispatch' }) : piscina.run(task, { name })) as Promise<T>,
    destroy: () => piscina.destroy(),
  };
}
