import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCitybayError } from '@citybay/common';
import type PgBoss from 'pg-boss';
import type { SimPool } from '../pool/sim-pool.js';
import type { ResolvedScenario } from '../scenario/run-scenario.js';
import { encodeRunResult } from './result-codec.js';
import { RUN_RETRY_LIMIT, type SimQueue } from './sim-queue.js';
import {
  endSweep,
  type FinishedRun,
  finishRuns,
  loadSweepInput,
  runningSweepIds,
  startRuns,
  type TakenRun,
} from './sweep-store.js';
import { DEAD_RUN_QUEUE, RUN_QUEUE } from './sweep-tables.js';
import { reapVanishedRuns } from './reap-runs.js';
import { WorkerLiveness } from './worker-liveness.js';
import type { RunJobData, SweepRunOptions } from './sweep-types.js';

export interface QueueWorkerOptions {
  queue: SimQueue;
  /** The warm pool runs execute on; the worker takes one batch more at a time than it has threads. */
  pool: SimPool;
  /** Names this worker in `sweep_run.worker` and its liveness session (ASCII). Default `host:pid:random`. */
  workerId?: string;
  /** How long an idle worker waits before asking the queue again (ms). Default 250. */
  idlePollMs?: number;
  /** One line per finished or failed run, and per error the worker recovers from. Default: quiet. */
  log?: (line: string) => void;
  /**
   * How long this worker's own liveness session must have been up before it hands back the runs of workers without
   * one (ms): after a PostgreSQL restart every worker needs a moment to reconnect. Default 10,000.
   */
  reapAfterConnectedMs?: number;
  /** Most runs taken at once (see `batchSize`). Default 50; 1 takes one run at a time (bench/queue-sweep-10k.ts). */
  maxBatchRuns?: number;
}

/** Jobs fetched in one transaction, by sweep, with their runs marked taken (runs not to be run are left out). */
type TakenBatches = Map<string, { jobs: PgBoss.Job<RunJobData>[]; runs: Map<number, TakenRun> }>;

/** How long a worker keeps retrying a database write after the connection broke (PostgreSQL restarting), in ms. */
const STORE_RETRY_MS = 60_000;
// Sweeps whose scenario this worker holds decoded (a worker usually serves one sweep at a time).
const SCENARIO_CACHE = 4;
/** A batch of runs should keep a slot busy about this long (ms), so the queue's round trips are a few % of it. */
const BATCH_TARGET_MS = 100;
/** Default of `maxBatchRuns`: at most this many runs taken at once, however short. */
const MAX_BATCH = 50;

/**
 * The code of a scenario's own error from a run that threw (the pool carries a `CitybayError` across threads whole).
 * Such an error is the scenario's: running it again would throw again. Anything else (a thread that died) is not.
 */
function scenarioErrorCode(err: unknown): string | undefined {
  return isCitybayError(err) ? err.code : undefined;
}

/**
 * Takes runs from the queue onto a warm sim pool until stopped: per batch of runs (one, unless runs are short), it
 * marks them taken, runs them, and stores their results (KPI columns, gzipped results) and completes their pg-boss
 * jobs in one transaction. A run that
 * throws a scenario error fails its sweep and cancels the sweep's other runs; any other failure (a worker thread
 * died) fails the job for pg-boss to retry, and runs out of retries into the dead letter queue, which fails the
 * sweep. Database errors (PostgreSQL restarting) are waited out.
 */
export class QueueWorker {
  readonly workerId: string;
  /** Runs this worker finished. */
  runsDone = 0;
  private readonly active = new Map<string, PgBoss.Job<RunJobData>>();
  private readonly inputs = new Map<string, Promise<{ scenario: ResolvedScenario; options: SweepRunOptions }>>();
  private readonly wake = new AbortController();
  private isStopping = false;
  /** Recent run time on this worker (ms, smoothed) by running sweep, sizing its batches. */
  private readonly runMsBySweep = new Map<string, number>();
  private loops: Promise<void>[] = [];

  private readonly liveness: WorkerLiveness;

  constructor(private readonly options: QueueWorkerOptions) {
    // The pid alone is not unique across hosts (containers all run as pid 1).
    this.workerId =
      options.workerId ??
      `${hostname().replace(/[^\x21-\x7e]/g, '_')}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.liveness = new WorkerLiveness(options.queue.databaseUrl, this.workerId, (err) =>
      this.log(`liveness session: ${err.message}`),
    );
  }

  start(): void {
    this.liveness.start();
    // One slot more than threads: while a thread runs one, the spare slot takes the next and stores the last, so the
    // queue's round trips (~9 ms a batch, bench/queue-sweep.ts) overlap the simulation instead of idling the thread.
    // The cost is at most one batch (one run, when runs are long) waiting on a busy worker at a sweep's end.
    const slots = Array.from({ length: this.options.pool.threads + 1 }, () => this.takeRuns());
    this.loops = [...slots, this.maintain()];
  }

  /**
   * Stops taking runs and waits up to `timeoutMs` for the runs under way; those still running then are released
   * (failed for pg-boss to give to another worker). Returns how many were released.
   */
  async stop(timeoutMs: number): Promise<number> {
    this.isStopping = true;
    this.wake.abort();
    const finished = Promise.all(this.loops);
    const timedOut = Symbol('timeout');
    const outcome = await Promise.race([finished, sleep(timeoutMs, timedOut, { ref: false })]);
    if (outcome !== timedOut) {
      await this.liveness.stop();
      return 0;
    }
    const released = [...this.active.keys()];
    const message = `worker ${this.workerId} stopped`;
    await Promise.all(released.map((id) => this.options.queue.boss.fail(RUN_QUEUE, id, { message }))).catch(
      (err: Error) => this.log(`releasing runs failed (they are retried after their timeout): ${err.message}`),
    );
    await this.liveness.stop();
    return released.length;
  }

  private log(line: string): void {
    this.options.log?.(`worker ${this.workerId}: ${line}`);
  }

  private async idle(): Promise<void> {
    await sleep(this.options.idlePollMs ?? 250, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }

  /**
   * How many runs to take at once: a run's queue round trips (fetch, mark taken, store and complete: ~9 ms,
   * bench/queue-sweep.ts) are paid once per batch, so runs of a few milliseconds are taken by the dozen (1.4 ms a
   * tiny run instead of 6.4, bench/queue-sweep-10k.ts), while runs of 50 ms or more are taken one at a time (other
   * workers share them, and a worker that dies loses one). Sized from this worker's recent run times of each sweep
   * that is running: one at a time while any of them has runs this worker has not timed, so a slow sweep's runs are
   * never taken by the dozen on the strength of a fast sweep's (they would hold one slot for minutes while other
   * workers idle, and outlive their run timeout).
   */
  private async batchSize(): Promise<number> {
    const most = this.options.maxBatchRuns ?? MAX_BATCH;
    if (most <= 1 || this.runMsBySweep.size === 0) return 1;
    let running: string[];
    try {
      running = await runningSweepIds(this.options.queue);
    } catch {
      // The database is unreachable: the fetch will find nothing either.
      return 1;
    }
    for (const id of this.runMsBySweep.keys()) if (!running.includes(id)) this.runMsBySweep.delete(id);
    let size = most;
    for (const id of running) {
      const runMs = this.runMsBySweep.get(id);
      if (runMs === undefined) return 1;
      size = Math.min(size, Math.floor(BATCH_TARGET_MS / Math.max(runMs, 0.1)));
    }
    return Math.max(1, size);
  }

  private observeRunMs(sweepId: string, ms: number): void {
    const runMs = this.runMsBySweep.get(sweepId);
    this.runMsBySweep.set(sweepId, runMs === undefined ? ms : 0.7 * runMs + 0.3 * ms);
  }

  private async takeRuns(): Promise<void> {
    while (!this.isStopping) {
      let batches: TakenBatches;
      try {
        batches = await this.take(await this.batchSize());
      } catch {
        // The database is unreachable (PostgreSQL restarting): nothing was taken, so an outage is an idle spell.
        await this.idle();
        continue;
      }
      const jobs = [...batches.values()].flatMap((batch) => batch.jobs);
      if (jobs.length === 0) {
        await this.idle();
        continue;
      }
      for (const job of jobs) this.active.set(job.id, job);
      try {
        for (const [sweepId, batch] of batches) await this.runBatch(sweepId, batch.jobs, batch.runs);
      } catch (err) {
        const message = (err as Error).message;
        // Failed, pg-boss retries them; if even that cannot be written, they are retried after their timeout.
        for (const job of jobs.filter((j) => this.active.has(j.id))) {
          this.log(`run ${job.data.index} of sweep ${job.data.sweepId}: ${message}; handing it back`);
          await this.retrying(() => this.options.queue.boss.fail(RUN_QUEUE, job.id, { message })).catch(
            () => undefined,
          );
        }
      } finally {
        for (const job of jobs) this.active.delete(job.id);
      }
    }
  }

  /**
   * Fetches up to `batchSize` jobs and marks their runs taken by this worker, in one transaction: a job is never
   * active in pg-boss without its run naming a live worker. Fetched and marked in two steps, a worker killed between
   * them held a job that no reaper could hand back (its run still `queued`, no worker to find gone) until pg-boss
   * expired it at the run timeout (300 s by default): with a slot more than threads fetching beside the running one,
   * a SIGKILL soon after a worker's first run started did that now and then (queue-faults test, 7 Dec 2026).
   */
  private take(batchSize: number): Promise<TakenBatches> {
    const { queue } = this.options;
    return queue.transaction(async (sql, db) => {
      const jobsBySweep = new Map<string, PgBoss.Job<RunJobData>[]>();
      for (const job of await queue.boss.fetch<RunJobData>(RUN_QUEUE, { batchSize, db })) {
        const jobs = jobsBySweep.get(job.data.sweepId) ?? [];
        jobs.push(job);
        jobsBySweep.set(job.data.sweepId, jobs);
      }
      const batches: TakenBatches = new Map();
      for (const [sweepId, jobs] of jobsBySweep) {
        const indexes = jobs.map((job) => job.data.index);
        batches.set(sweepId, { jobs, runs: await startRuns(sql, queue.schema, sweepId, indexes, this.workerId) });
      }
      return batches;
    });
  }

  /** Runs a batch of one sweep's runs one after another on the pool and stores their results in one transaction. */
  private async runBatch(
    sweepId: string,
    jobs: PgBoss.Job<RunJobData>[],
    runs: ReadonlyMap<number, TakenRun>,
  ): Promise<void> {
    const { queue, pool } = this.options;
    const dropped = jobs.filter((job) => !runs.has(job.data.index)).map((job) => job.id);
    if (dropped.length > 0) {
      // Their sweep failed or was cancelled after the jobs were taken.
      await this.retrying(() => queue.boss.cancel(RUN_QUEUE, dropped));
      for (const id of dropped) this.active.delete(id);
    }
    const live = jobs.filter((job) => runs.has(job.data.index));
    if (live.length === 0) return;
    const input = await this.input(sweepId);
    const finished: { job: PgBoss.Job<RunJobData>; run: FinishedRun; line: string }[] = [];
    for (const job of live) {
      const { index } = job.data;
      const run = runs.get(index)!;
      const label = `run ${index} (${run.policyName}, seed ${run.seed}) of sweep ${sweepId}`;
      const startedMs = performance.now();
      let encoded;
      try {
        const result = await pool.runScenario({ scenario: input.scenario, options: { ...input.options, ...run } });
        encoded = await encodeRunResult(result);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const code = scenarioErrorCode(err);
        if (code !== undefined) {
          this.log(`${label} failed: ${code}: ${message}`);
          const error = `run ${index} (${run.policyName}, seed ${run.seed}): ${code}: ${message}`;
          // Cancels the jobs of the sweep's other runs, this batch's included.
          await this.retrying(() => endSweep(queue, sweepId, { state: 'failed', error, failedIndex: index }));
          for (const other of jobs) this.active.delete(other.id);
          return;
        }
        this.log(`${label} failed, to be retried: ${message}`);
        await this.retrying(() => queue.boss.fail(RUN_QUEUE, job.id, { message }));
        this.active.delete(job.id);
        continue;
      }
      const ms = performance.now() - startedMs;
      this.observeRunMs(sweepId, ms);
      finished.push({ job, run: { index, encoded }, line: `${label} done in ${(ms / 1000).toFixed(2)} s` });
    }
    if (finished.length === 0) return;
    await this.retrying(() =>
      queue.transaction(async (sql, db) => {
        await finishRuns(
          sql,
          queue.schema,
          sweepId,
          finished.map((f) => f.run),
        );
        await queue.completeRunJobs(
          finished.map((f) => f.job.id),
          db,
        );
      }),
    );
    for (const f of finished) {
      this.active.delete(f.job.id);
      this.log(f.line);
    }
    this.runsDone += finished.length;
  }

  /**
   * Every few idle periods: fails the sweeps of runs whose retries ran out (pg-boss's dead letter queue), and hands
   * back the runs of workers whose liveness session ended (see `WorkerLiveness`).
   */
  private async maintain(): Promise<void> {
    const { queue } = this.options;
    const reapAfterMs = this.options.reapAfterConnectedMs ?? 10_000;
    while (!this.isStopping) {
      try {
        const jobs = await queue.boss.fetch<RunJobData>(DEAD_RUN_QUEUE, { batchSize: 10, includeMetadata: true });
        for (const job of jobs) {
          const { sweepId, index } = job.data;
          const last = (job.output as { message?: unknown } | null)?.message;
          const error = `run ${index}: failed ${RUN_RETRY_LIMIT + 1} times (a worker thread or process died)${
            typeof last === 'string' ? `; last: ${last}` : ''
          }`;
          await this.retrying(() => endSweep(queue, sweepId, { state: 'failed', error, failedIndex: index }));
          await this.retrying(() => queue.boss.complete(DEAD_RUN_QUEUE, job.id));
        }
        if (this.liveness.connectedForMs() >= reapAfterMs) {
          for (const run of await reapVanishedRuns(queue)) {
            this.log(`run ${run.index} of sweep ${run.sweepId}: worker ${run.worker} vanished; handed back`);
          }
        }
      } catch (err) {
        this.log(`maintenance: ${(err as Error).message}`);
      }
      await sleep(4 * (this.options.idlePollMs ?? 250), undefined, { signal: this.wake.signal }).catch(() => undefined);
    }
  }

  private input(sweepId: string): Promise<{ scenario: ResolvedScenario; options: SweepRunOptions }> {
    let input = this.inputs.get(sweepId);
    if (input === undefined) {
      input = this.retrying(() => loadSweepInput(this.options.queue, sweepId));
      input.catch(() => this.inputs.delete(sweepId));
      this.inputs.set(sweepId, input);
      if (this.inputs.size > SCENARIO_CACHE) this.inputs.delete(this.inputs.keys().next().value!);
    }
    return input;
  }

  /** Retries a database step through a broken connection (PostgreSQL restarting) for up to a minute. */
  private async retrying<T>(step: () => Promise<T>): Promise<T> {
    const startedMs = performance.now();
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        return await step();
      } catch (err) {
        if (!isConnectionError(err) || performance.now() - startedMs > STORE_RETRY_MS) throw err;
        this.log(`database unreachable (${(err as Error).message}); retrying`);
        await sleep(delayMs);
      }
    }
  }
}

/** Errors of a connection that broke or could not be made, as opposed to a statement PostgreSQL refused. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now).
    if (code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  return (
    err instanceof Error &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable/i.test(err.message)
  );
}
