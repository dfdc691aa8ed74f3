import { isCitybayError } from '@citybay/common';
import {
  createSimPool,
  renderHtmlReport,
  type ResolvedScenario,
  type ScenarioResult,
  type SimPool,
} from '@citybay/sim';
import {
  getSweep,
  listSweeps,
  pruneSweeps,
  QueueWorker,
  readSweepResults,
  readSweepRuns,
  readSweepSummaries,
  type RunSummary,
  SimQueue,
  submitSweep,
  type SweepStatus,
} from '@citybay/sim/queue';
import type { Logger } from 'pino';
import { errors } from '../errors.js';
import type { ScenarioJobRecord, ScenarioRun } from '../store/store.js';

export interface QueuedScenarioJobsOptions {
  /** The PostgreSQL database of the sweep queue (central's own, `DATABASE_URL`). */
  databaseUrl: string;
  /** The queue's schema; default sim's (`citybay_sim_queue`), shared with `citybay-sim worker` processes. */
  schema?: string;
  /** Runs this instance takes at a time on its own pool; 0: none (dedicated `citybay-sim worker`s run them). */
  workerThreads: number;
  /** Finished jobs kept, newest first; older finished ones are deleted on each submission. */
  keepFinishedJobs: number;
  /** Makes this instance's simulator pool. Default `createSimPool` with `workerThreads`. */
  createPool?: () => SimPool;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

interface Opened {
  queue: SimQueue;
  worker?: QueueWorker;
  pool?: SimPool;
}

function recordOf(sweep: SweepStatus, runs: ScenarioRun[]): ScenarioJobRecord {
  return {
    id: sweep.id,
    name: sweep.name,
    runs,
    // No instance owns a queued job: any worker on the queue runs its runs.
    ownerId: 'queue',
    // A sweep cancelled from the command line is a failed job to the API.
    status: sweep.state === 'cancelled' ? 'failed' : sweep.state,
    completedRuns: sweep.doneCount,
    submittedMs: sweep.createdAt.getTime(),
    ...(sweep.finishedAt === null ? {} : { finishedMs: sweep.finishedAt.getTime() }),
    ...(sweep.error === null ? {} : { error: sweep.error }),
    heartbeatMs: (sweep.finishedAt ?? sweep.createdAt).getTime(),
  };
}

/**
 * Scenario jobs on sim's sweep queue, for PostgreSQL deployments: a job is a sweep (one pg-boss job per run) that any
 * `citybay-sim worker` and this instance's own pool (`workerThreads`) take runs of. Every central instance on the
 * database answers for every job; a run failing for a bad scenario fails its job and cancels its other runs; results
 * are stored per run, compressed, and `/kpis` reads each run's summary without its series.
 */
export class QueuedScenarioJobs {
  // Opened in the background from the constructor (routes are registered synchronously); every call waits for it.
  private readonly opened: Promise<Opened>;

  constructor(private readonly options: QueuedScenarioJobsOptions) {
    this.opened = this.open();
    // Each call reports a failed open itself; this only keeps it from being an unhandled rejection meanwhile.
    this.opened.catch((err: unknown) => options.logger?.error({ err }, 'scenario queue: cannot open'));
  }

  private async open(): Promise<Opened> {
    const { options } = this;
    const queue = await SimQueue.open({
      databaseUrl: options.databaseUrl,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      onError: (err) => options.logger?.warn({ err }, 'scenario queue: connection error (recovering)'),
    });
    if (options.workerThreads === 0) return { queue };
    const pool = options.createPool?.() ?? createSimPool({ maxThreads: options.workerThreads });
    const worker = new QueueWorker({ queue, pool, log: (line) => options.logger?.info(line) });
    worker.start();
    return { queue, worker, pool };
  }

  private async runsOf(queue: SimQueue, ids: string[]): Promise<Map<string, ScenarioRun[]>> {
    const byId = await readSweepRuns(queue, ids);
    return new Map([...byId].map(([id, runs]) => [id, runs.map((r) => ({ policy: r.policyName, seed: r.seed }))]));
  }

  /** Queues the job's runs (any instance can read it once this returns). */
  async submit(scenario: ResolvedScenario, runs: ScenarioRun[]): Promise<ScenarioJobRecord> {
    const { queue } = await this.opened;
    const id = await submitSweep(queue, {
      scenario,
      runs: runs.map((run) => ({ policyName: run.policy, seed: run.seed })),
    });
    await pruneSweeps(queue, this.options.keepFinishedJobs).catch((err: unknown) =>
      this.options.logger?.warn({ err }, 'scenario queue: deleting old finished jobs failed'),
    );
    return this.get(id);
  }

  /** The job or `CB_SCENARIO_JOB_UNKNOWN`. */
  async get(id: string): Promise<ScenarioJobRecord> {
    const { queue } = await this.opened;
    let sweep: SweepStatus;
    try {
      sweep = await getSweep(queue, id);
    } catch (err) {
      if (isCitybayError(err, 'CB_SWEEP_UNKNOWN')) {
        throw errors.CB_SCENARIO_JOB_UNKNOWN(`no scenario job "${id}"`, { path: 'id' });
      }
      throw err;
    }
    return recordOf(sweep, (await this.runsOf(queue, [id])).get(id) ?? []);
  }

  /** Every job, oldest first. */
  async list(): Promise<ScenarioJobRecord[]> {
    const { queue } = await this.opened;
    const sweeps = await listSweeps(queue);
    const runs = await this.runsOf(
      queue,
      sweeps.map((s) => s.id),
    );
    return sweeps.map((sweep) => recordOf(sweep, runs.get(sweep.id) ?? []));
  }

  private async finished(id: string): Promise<{ queue: SimQueue; job: ScenarioJobRecord }> {
    const { queue } = await this.opened;
    const job = await this.get(id);
    if (job.status === 'failed') throw errors.CB_SCENARIO_JOB_FAILED(`scenario job ${id} failed: ${job.error}`);
    if (job.status !== 'done') {
      throw errors.CB_SCENARIO_JOB_NOT_READY(
        `scenario job ${id} is ${job.status} (${job.completedRuns}/${job.runs.length} runs)`,
      );
    }
    return { queue, job };
  }

  /** The finished results or `CB_SCENARIO_JOB_NOT_READY` / `CB_SCENARIO_JOB_FAILED`. */
  async results(id: string): Promise<ScenarioResult[]> {
    const { queue } = await this.finished(id);
    return readSweepResults(queue, id);
  }

  /** Each run's result without its series (and cars), from the stored summaries: no result is decompressed. */
  async kpis(id: string): Promise<RunSummary[]> {
    const { queue } = await this.finished(id);
    return readSweepSummaries(queue, id);
  }

  async report(id: string): Promise<string> {
    const { queue, job } = await this.finished(id);
    return renderHtmlReport(await readSweepResults(queue, id), job.name);
  }

  /** Takes no more runs (those under way finish for up to 10 s, then go back to the queue) and disconnects. */
  async close(): Promise<void> {
    let opened: Opened;
    try {
      opened = await this.opened;
    } catch {
      return;
    }
    const released = (await opened.worker?.stop(10_000)) ?? 0;
    if (released > 0) this.options.logger?.info(`scenario queue: ${released} runs handed back on shutdown`);
    await opened.pool?.destroy();
    await opened.queue.close();
  }
}
