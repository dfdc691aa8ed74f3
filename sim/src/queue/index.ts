// The sweep queue (`@citybay/sim/queue`): sweeps' runs as pg-boss jobs in PostgreSQL, taken by `citybay-sim worker`
// processes on any host. A subpath of its own, so that importing `@citybay/sim` never loads pg or pg-boss.
export { followSweep, type FollowSweepOptions } from './follow-sweep.js';
export { isConnectionError, QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
export { KPI_COLUMNS, type KpiField, type RunSummary } from './result-codec.js';
export { RUN_RETRY_LIMIT, SimQueue, type SimQueueOptions } from './sim-queue.js';
export {
  DEFAULT_RUN_TIMEOUT_S,
  endSweep,
  getSweep,
  listSweeps,
  pruneSweeps,
  readSweepKpis,
  readSweepResults,
  readSweepRuns,
  readSweepSummaries,
  submitSweep,
} from './sweep-store.js';
export { DEAD_RUN_QUEUE, DEFAULT_QUEUE_SCHEMA, RUN_QUEUE } from './sweep-tables.js';
export type {
  RunJobData,
  RunKpis,
  SweepRun,
  SweepRunOptions,
  SweepState,
  SweepStatus,
  SweepSubmission,
} from './sweep-types.js';
