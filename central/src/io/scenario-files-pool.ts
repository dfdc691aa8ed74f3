import { createWorkerPool, type ResolvedScenario, type WorkerPool } from '@citybay/sim';
import type * as ScenarioFilesWorker from './scenario-files-worker.js';
import type { ScenarioSubmissionFiles } from './scenario-files-worker.js';

/** Reads scenario submissions off the event loop (see `scenario-files-worker.ts`). */
export interface ScenarioFilesPool {
  /** The scenario and its files, parsed and checked; throws the submission's `CitybayError` (400s) as it is. */
  resolve(submission: ScenarioSubmissionFiles): Promise<ResolvedScenario>;
  destroy(): Promise<void>;
}

/** One thread, started on the first submission (most instances never receive one). */
export function createScenarioFilesPool(): ScenarioFilesPool {
  let pool: WorkerPool<typeof ScenarioFilesWorker> | undefined;
  return {
    resolve: (submission) => {
      pool ??= createWorkerPool<typeof ScenarioFilesWorker>({
        callerUrl: import.meta.url,
        workerName: 'scenario-files-worker',
        threads: 1,
      });
      return pool.run('resolveSubmission', submission);
    },
    destroy: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
