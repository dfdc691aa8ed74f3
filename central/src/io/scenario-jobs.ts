import { randomUUID } from 'node:crypto';
import { createSimPool, renderHtmlReport, type ResolvedScenario, type ScenarioResult, type SimPool } from '@citybay/sim';
import { errors } from '../errors.js';

/** Jobs kept in memory per instance; the oldest finished ones are forgotten first. */
export const MAX_SCENARIO_JOBS = 100;

export type ScenarioJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ScenarioRun {
  policy: string;
  seed: number;
}

export interface ScenarioJob {
  id: string;
  name: string;
  status: ScenarioJobStatus;
  runs: ScenarioRun[];
  completedRuns: number;
  submittedMs: number;
  finishedMs?: number;
  error?: string;
  /** One per run, in `runs` order, once done. */
  results?: ScenarioResult[];
}

export interface ScenarioJobsOptions {
  /** Worker threads of the simulator pool. Default: the sim pool's default (available parallelism). */
  threads?: number;
  nowMs: () => number;
}

/** Runs engineers' scenarios and sweeps on the simulator's worker pool and keeps their results. */
export class ScenarioJobs {
  private pool: SimPool | undefined;
  private readonly jobs = new Map<string, ScenarioJob>();

  constructor(private readonly options: ScenarioJobsOptions) {}

  submit(scenario: ResolvedScenario, runs: ScenarioRun[]): ScenarioJob {
    this.pool ??= createSimPool(this.options.threads ? { maxThreads: this.options.threads } : {});
    const pool = this.pool;
    const job: ScenarioJob = {
      id: randomUUID(),
      name: scenario.document.name,
      status: 'queued',
      runs,
      completedRuns: 0,
      submittedMs: this.options.nowMs(),
    };
    this.jobs.set(job.id, job);
    this.evict();
    const results = runs.map(async (run) => {
      job.status = 'running';
      const result = await pool.runScenario({ scenario, options: { policyName: run.policy, seed: run.seed } });
      job.completedRuns += 1;
      return result;
    });
    Promise.all(results).then(
      (done) => {
        job.results = done;
        job.status = 'done';
        job.finishedMs = this.options.nowMs();
      },
      (err: unknown) => {
        job.status = 'failed';
        job.error = err instanceof Error ? err.message : String(err);
        job.finishedMs = this.options.nowMs();
      },
    );
    return job;
  }

  get(id: string): ScenarioJob {
    const job = this.jobs.get(id);
    if (!job) throw errors.CB_SCENARIO_JOB_UNKNOWN(`no scenario job "${id}"`, { path: 'id' });
    return job;
  }

  list(): ScenarioJob[] {
    return [...this.jobs.values()];
  }

  /** The finished results or `CB_SCENARIO_JOB_NOT_READY` / `CB_SCENARIO_JOB_FAILED`. */
  results(id: string): ScenarioResult[] {
    const job = this.get(id);
    if (job.status === 'failed') throw errors.CB_SCENARIO_JOB_FAILED(`scenario job ${id} failed: ${job.error}`);
    if (job.status !== 'done' || !job.results) {
      throw errors.CB_SCENARIO_JOB_NOT_READY(`scenario job ${id} is ${job.status} (${job.completedRuns}/${job.runs.length} runs)`);
    }
    return job.results;
  }

  report(id: string): string {
    const job = this.get(id);
    return renderHtmlReport(this.results(id), job.name);
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }

  private evict(): void {
    if (this.jobs.size <= MAX_SCENARIO_JOBS) return;
    for (const [id, job] of this.jobs) {
      if (job.status === 'done' || job.status === 'failed') {
        this.jobs.delete(id);
        if (this.jobs.size <= MAX_SCENARIO_JOBS) return;
      }
    }
  }
}
