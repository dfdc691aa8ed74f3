import type { ScenarioJobLease, ScenarioJobRecord, ScenarioJobStatus } from './scenario-job-record.js';

/** The error of a job whose instance stopped cleanly (`ScenarioJobs.close`) before it finished. */
export const SCENARIO_JOB_SHUTDOWN_ERROR = 'central stopped before the job finished';

/** The error of a queued or running job whose heartbeat is older than the lease. */
export const SCENARIO_JOB_ABANDONED_ERROR = 'abandoned: the instance running it stopped';

/** Statuses in which a job still has an owner working on it. */
export const LIVE_SCENARIO_JOB_STATUSES: readonly ScenarioJobStatus[] = ['queued', 'running'];

/** The oldest heartbeat a live job may have under `lease`: anything older is abandoned. */
export function oldestLiveHeartbeatMs(lease: ScenarioJobLease): number {
  return lease.nowMs - lease.leaseMs;
}

/**
 * True when the job is queued or running but its owner has not refreshed the heartbeat within the lease: the
 * instance crashed or lost the database, and nobody else will finish the job.
 */
export function isScenarioJobAbandoned(job: ScenarioJobRecord, lease: ScenarioJobLease): boolean {
  return LIVE_SCENARIO_JOB_STATUSES.includes(job.status) && job.heartbeatMs < oldestLiveHeartbeatMs(lease);
}

/**
 * The job as readers see it: an abandoned job is failed, ended at its last heartbeat (the last moment anyone
 * knew it was running), so every reader gives the same answer whenever it looks.
 */
export function scenarioJobAsSeen(job: ScenarioJobRecord, lease: ScenarioJobLease): ScenarioJobRecord {
  if (!isScenarioJobAbandoned(job, lease)) return job;
  return { ...job, status: 'failed', error: SCENARIO_JOB_ABANDONED_ERROR, finishedMs: job.heartbeatMs };
}
