export type ScenarioJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** One run of a scenario job: a policy of the scenario with a seed. */
export interface ScenarioRun {
  policy: string;
  seed: number;
}

/** What a new scenario job is stored with. */
export interface NewScenarioJob {
  id: string;
  name: string;
  runs: ScenarioRun[];
  /** The central instance that runs it (and refreshes its heartbeat). */
  ownerId: string;
}

/** A stored scenario job without its results (those are read on their own: they can be megabytes). */
export interface ScenarioJobRecord extends NewScenarioJob {
  status: ScenarioJobStatus;
  completedRuns: number;
  submittedMs: number;
  /** When the job ended; for an abandoned job, its last heartbeat. */
  finishedMs?: number;
  /** Why it failed. */
  error?: string;
  /** The owner's last sign of life (ms since the epoch). */
  heartbeatMs: number;
}

/**
 * When a scenario job is judged, and how long it may go without a heartbeat: a queued or running job whose
 * heartbeat is older than `leaseMs` at `nowMs` is abandoned (see `scenario-job-lease.ts`).
 */
export interface ScenarioJobLease {
  nowMs: number;
  leaseMs: number;
}
