import { randomUUID } from 'node:crypto';
import {
  createSimPool,
  renderHtmlReport,
  type ResolvedScenario,
  type ScenarioResult,
  type SimPool,
} from '@citybay/sim';
import type { Logger } from 'pino';
import { SCENARIO_JOB_SHUTDOWN_ERROR } from '../core/scenario-job-lease.js';
import { errors } from '../errors.js';
import type { CentralStore, ScenarioJobLease, ScenarioJobRecord, ScenarioRun } from '../store/store.js';

export type { ScenarioJobStatus, ScenarioRun } from '../store/store.js';
/** A scenario job as every instance sharing the store sees it (results are read on their own). */
export type ScenarioJob = ScenarioJobRecord;

/** Default of {@link ScenarioJobsOptions.keepFinishedJobs}. */
export const DEFAULT_SCENARIO_JOBS_KEPT = 100;
/** Default of {@link ScenarioJobsOptions.leaseMs}: 5 minutes. */
export const DEFAULT_SCENARIO_JOB_LEASE_MS = 5 * 60_000;

export interface ScenarioJobsOptions {
  /** Where jobs, their progress and their results live, shared with every other instance on it. */
  store: CentralStore;
  nowMs: () => number;
  /** Worker threads of the simulator pool. Default: the sim pool's default (available parallelism). */
  threads?: number;
  /** Finished (done or failed) jobs kept in the store, newest first; older finished ones are deleted. Default 100. */
  keepFinishedJobs?: number;
  /**
   * How long a queued or running job may go without a heartbeat before readers take it as failed, abandoned by
   * its instance (ms). Default 5 minutes.
   */
  leaseMs?: number;
  /**
   * How often this instance refreshes the heartbeat of each job it runs, besides on every finished run (ms).
   * Must be below `leaseMs`. Default a fifth of `leaseMs`.
   */
  heartbeatIntervalMs?: number;
  /** Makes the simulator pool on the first submission. Default: `createSimPool` with `threads`. */
  createPool?: () => SimPool;
  /** Told about store writes in the background that failed. Default: not told. */
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/** What this instance knows of a job it runs; the store has the rest. */
interface OwnedJob {
  completedRuns: number;
}

/**
 * Runs engineers' scenarios and sweeps on this instance's simulator pool, and keeps the jobs in the store, so that
 * any instance sharing it answers for them: submitted `queued`, `running` with progress and a heartbeat (on every
 * finished run and on a timer), then `done` with the results or `failed` with the error.
 */
export class ScenarioJobs {
  /** This instance, as the owner of the jobs it runs. */
  readonly ownerId = randomUUID();
  private pool: SimPool | undefined;
  private readonly owned = new Map<string, OwnedJob>();
  // Jobs' run chains and store writes not yet settled: close() waits for them before failing what is left.
  private readonly pending = new Set<Promise<unknown>>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private isClosing = false;
  private readonly keepFinishedJobs: number;
  private readonly leaseMs: number;
  private readonly heartbeatIntervalMs: number;

  constructor(private readonly options: ScenarioJobsOptions) {
    this.keepFinishedJobs = options.keepFinishedJobs ?? DEFAULT_SCENARIO_JOBS_KEPT;
    this.leaseMs = options.leaseMs ?? DEFAULT_SCENARIO_JOB_LEASE_MS;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.floor(this.leaseMs / 5);
    if (!Number.isInteger(this.keepFinishedJobs) || this.keepFinishedJobs < 1) {
      throw errors.CB_CENTRAL_CONFIG_INVALID(
        `scenario jobs: keepFinishedJobs: expected a whole number ≥ 1, got ${this.keepFinishedJobs}`,
        { path: 'keepFinishedJobs' },
      );
    }
    if (!(this.heartbeatIntervalMs > 0 && this.heartbeatIntervalMs < this.leaseMs)) {
      throw errors.CB_CENTRAL_CONFIG_INVALID(
        `scenario jobs: heartbeatIntervalMs: expected more than 0 and less than leaseMs (${this.leaseMs}), ` +
          `got ${this.heartbeatIntervalMs}`,
        { path: 'heartbeatIntervalMs' },
      );
    }
  }

  /** Stores the job (so any instance can read it once this returns), then starts its runs on the pool. */
  async submit(scenario: ResolvedScenario, runs: ScenarioRun[]): Promise<ScenarioJob> {
    const { store } = this.options;
    if (this.isClosing) throw errors.CB_HTTP_SHUTTING_DOWN('central is shutting down; submit the scenario again');
    const job = await store.createScenarioJob(
      { id: randomUUID(), name: scenario.document.name, runs, ownerId: this.ownerId },
      this.options.nowMs(),
    );
    if (this.isClosing) {
      // close() began while the job was being stored: its pool is gone, so the job cannot run here.
      await store.failScenarioJob(job.id, SCENARIO_JOB_SHUTDOWN_ERROR, this.lease());
      throw errors.CB_HTTP_SHUTTING_DOWN('central is shutting down; submit the scenario again');
    }
    this.pool ??=
      this.options.createPool?.() ?? createSimPool(this.options.threads ? { maxThreads: this.options.threads } : {});
    const owned: OwnedJob = { completedRuns: 0 };
    this.owned.set(job.id, owned);
    this.startHeartbeat();
    this.track(this.progress(job.id, owned));
    this.track(this.prune());
    this.track(this.run(job.id, scenario, runs, this.pool, owned));
    return job;
  }

  private async run(id: string, scenario: ResolvedScenario, runs: ScenarioRun[], pool: SimPool, owned: OwnedJob) {
    const results = runs.map(async (run) => {
      const result = await pool.runScenario({ scenario, options: { policyName: run.policy, seed: run.seed } });
      owned.completedRuns += 1;
      this.track(this.progress(id, owned));
      return result;
    });
    let done: ScenarioResult[];
    try {
      done = await Promise.all(results);
    } catch (err) {
      // Stopping destroys the pool under the runs; close() gives those jobs the shutdown error instead.
      if (this.isClosing) return;
      const message = err instanceof Error ? err.message : String(err);
      await this.end(id, (lease) => this.options.store.failScenarioJob(id, message, lease));
      return;
    }
    await this.end(id, (lease) => this.options.store.finishScenarioJob(id, done, lease));
  }

  private async end(id: string, write: (lease: ScenarioJobLease) => Promise<boolean>): Promise<void> {
    // No more heartbeats from here: if the write below fails, readers see the job abandoned once the lease runs out
    // instead of running for ever.
    this.owned.delete(id);
    try {
      const isStored = await write(this.lease());
      if (!isStored) this.options.logger?.warn({ job: id }, 'scenario job was no longer live when it ended');
    } catch (err) {
      this.options.logger?.error({ err, job: id }, 'scenario job: storing its end failed');
      return;
    }
    await this.prune();
  }

  /** Stores the job's progress and refreshes its heartbeat; forgets a job the store no longer takes as live. */
  private async progress(id: string, owned: OwnedJob): Promise<void> {
    try {
      const isLive = await this.options.store.recordScenarioJobProgress(id, owned.completedRuns, this.lease());
      if (!isLive && this.owned.delete(id)) {
        this.options.logger?.warn({ job: id }, 'scenario job no longer live (abandoned or deleted)');
      }
    } catch (err) {
      this.options.logger?.warn({ err, job: id }, 'scenario job: storing progress failed');
    }
  }

  private async prune(): Promise<void> {
    try {
      await this.options.store.pruneScenarioJobs(this.keepFinishedJobs, this.lease());
    } catch (err) {
      this.options.logger?.warn({ err }, 'scenario jobs: deleting old finished jobs failed');
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => {
      for (const [id, owned] of this.owned) this.track(this.progress(id, owned));
    }, this.heartbeatIntervalMs);
    // Jobs do not keep the process alive: close() or a crash ends them either way.
    this.heartbeatTimer.unref();
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private lease(): ScenarioJobLease {
    return { nowMs: this.options.nowMs(), leaseMs: this.leaseMs };
  }

  /** The job as stored, with the lease rule applied, or `CB_SCENARIO_JOB_UNKNOWN`. */
  async get(id: string): Promise<ScenarioJob> {
    const job = await this.options.store.getScenarioJob(id, this.lease());
    if (!job) throw errors.CB_SCENARIO_JOB_UNKNOWN(`no scenario job "${id}"`, { path: 'id' });
    return job;
  }

  /** Every stored job, oldest first, from every instance sharing the store. */
  list(): Promise<ScenarioJob[]> {
    return this.options.store.listScenarioJobs(this.lease());
  }

  /** The finished results or `CB_SCENARIO_JOB_NOT_READY` / `CB_SCENARIO_JOB_FAILED`. */
  async results(id: string): Promise<ScenarioResult[]> {
    return (await this.finished(id)).results;
  }

  /** Each run's result without its series (what `/kpis` answers). */
  async kpis(id: string): Promise<Omit<ScenarioResult, 'series'>[]> {
    return (await this.results(id)).map(({ series: _series, ...result }) => result);
  }

  async report(id: string): Promise<string> {
    const { job, results } = await this.finished(id);
    return renderHtmlReport(results, job.name);
  }

  private async finished(id: string): Promise<{ job: ScenarioJob; results: ScenarioResult[] }> {
    const job = await this.get(id);
    if (job.status === 'failed') throw errors.CB_SCENARIO_JOB_FAILED(`scenario job ${id} failed: ${job.error}`);
    if (job.status !== 'done') {
      throw errors.CB_SCENARIO_JOB_NOT_READY(
        `scenario job ${id} is ${job.status} (${job.completedRuns}/${job.runs.length} runs)`,
      );
    }
    const results = await this.options.store.getScenarioJobResults(id);
    // Deleted (a newer job finished on some instance) between the two reads.
    if (!results) throw errors.CB_SCENARIO_JOB_UNKNOWN(`no scenario job "${id}"`, { path: 'id' });
    return { job, results };
  }

  /**
   * Stops the pool and marks this instance's unfinished jobs failed ("central stopped before the job finished");
   * jobs whose runs had all finished are stored done first. Call before the store is closed.
   */
  async close(): Promise<void> {
    this.isClosing = true;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    await this.pool?.destroy();
    this.pool = undefined;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.owned.size === 0) return;
    try {
      await this.options.store.failOwnedScenarioJobs(this.ownerId, SCENARIO_JOB_SHUTDOWN_ERROR, this.options.nowMs());
      this.owned.clear();
    } catch (err) {
      this.options.logger?.warn({ err }, 'scenario jobs: marking unfinished jobs failed on shutdown failed');
    }
  }
}
