import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCitybayError } from '@citybay/common';
import type PgBoss from 'pg-boss';
import type { SimPool } from '../pool/sim-pool.js';
import type { ResolvedScenario } from '../scenario/run-scenario.js';
import { encodeRunResult } from './result-codec.js';
import { RUN_RETRY_LIMIT, type SimQueue } from './sim-queue.js';
import { endSweep, finishRun, loadSweepInput, startRun } from './sweep-store.js';
import { DEAD_RUN_QUEUE, RUN_QUEUE } from './sweep-tables.js';
import { reapVanishedRuns } from './reap-runs.js';
import { WorkerLiveness } from './worker-liveness.js';
import type { RunJobData, SweepRunOptions } from './sweep-types.js';

export interface QueueWorkerOptions {
  queue: SimQueue;
  /** The warm pool runs execute on; the worker takes one run more at a time than it has threads. */
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
}

/** How long a worker keeps retrying a database write after the connection broke (PostgreSQL restarting), in ms. */
const STORE_RETRY_MS = 60_000;
// Sweeps whose scenario this worker holds decoded (a worker usually serves one sweep at a time).
const SCENARIO_CACHE = 4;

/**
 * The code of a scenario's own error from a run that threw (the pool carries a `CitybayError` across threads whole).
 * Such an error is the scenario's: running it again would throw again. Anything else (a thread that died) is not.
 */
function scenarioErrorCode(err: unknown): string | undefined {
  return isCitybayError(err) ? err.code : undefined;
}

/**
 * Takes runs from the queue onto a warm sim pool until stopped: per run, it marks the run taken, runs it, and
 * stores its result (KPI columns, gzipped result) and completes the pg-boss job in one transaction. A run that
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
    // One run more than threads: while a thread runs one, the spare slot takes the next and stores the last, so the
    // queue's round trips (~13 ms a run, bench/queue-sweep.ts) overlap the simulation instead of idling the thread.
    // The cost is at most one run waiting on a busy worker at a sweep's end.
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

  private async takeRuns(): Promise<void> {
    while (!this.isStopping) {
      // pg-boss's fetch answers "no job" when the database is unreachable, so an outage is an idle spell.
      const [job] = await this.options.queue.boss.fetch<RunJobData>(RUN_QUEUE, { batchSize: 1 });
      if (job === undefined) {
        await this.idle();
        continue;
      }
      this.active.set(job.id, job);
      try {
        await this.runJob(job);
      } catch (err) {
        const message = (err as Error).message;
        this.log(`run ${job.data.index} of sweep ${job.data.sweepId}: ${message}; handing it back`);
        // Failed, pg-boss retries it; if even that cannot be written, it is retried after its timeout.
        await this.retrying(() => this.options.queue.boss.fail(RUN_QUEUE, job.id, { message })).catch(() => undefined);
      } finally {
        this.active.delete(job.id);
      }
    }
  }

  private async runJob(job: PgBoss.Job<RunJobData>): Promise<void> {
    const { queue, pool } = this.options;
    const { sweepId, index } = job.data;
    const run = await this.retrying(() => startRun(queue, job.data, this.workerId));
    if (run === undefined) {
      // Its sweep failed or was cancelled after the job was taken.
      await this.retrying(() => queue.boss.cancel(RUN_QUEUE, job.id));
      return;
    }
    const input = await this.input(sweepId);
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
        await this.retrying(() => endSweep(queue, sweepId, { state: 'failed', error, failedIndex: index }));
        return;
      }
      this.log(`${label} failed, to be retried: ${message}`);
      await this.retrying(() => queue.boss.fail(RUN_QUEUE, job.id, { message }));
      return;
    }
    await this.retrying(() =>
      queue.transaction(async (sql, db) => {
        await finishRun(sql, queue.schema, job.data, encoded);
        await queue.boss.complete(RUN_QUEUE, job.id, {}, { db });
      }),
    );
    this.runsDone += 1;
    this.log(`${label} done in ${((performance.now() - startedMs) / 1000).toFixed(2)} s`);
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
