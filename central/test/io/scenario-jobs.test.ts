import { isCitybayError, ManualClock } from '@citybay/common';
import type { ResolvedScenario, RunScenarioTask, ScenarioResult, SimPool } from '@citybay/sim';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SCENARIO_JOB_ABANDONED_ERROR, SCENARIO_JOB_SHUTDOWN_ERROR } from '../../src/core/scenario-job-lease.js';
import { ScenarioJobs, type ScenarioJobsOptions } from '../../src/io/scenario-jobs.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import type { ScenarioRun } from '../../src/store/store.js';
import { T0 } from '../helpers/test-app.js';

/** A sim pool whose runs end when the test says so; destroying it rejects the runs still going, as piscina does. */
class FakeSimPool implements SimPool {
  readonly threads = 1;
  readonly tasks: Array<{ task: RunScenarioTask; resolve(r: ScenarioResult): void; reject(err: Error): void }> = [];
  isDestroyed = false;

  runScenario(task: RunScenarioTask): Promise<ScenarioResult> {
    return new Promise((resolve, reject) => this.tasks.push({ task, resolve, reject }));
  }
  run<T>(): Promise<T> {
    return Promise.reject(new Error('not used by scenario jobs'));
  }
  async destroy(): Promise<void> {
    this.isDestroyed = true;
    for (const t of this.tasks) t.reject(new Error('Terminating worker thread'));
  }
  /** Ends the run of `policy#seed` of the job's `nth` submission (0 = first) with its result. */
  finish(nth: number, run: ScenarioRun): void {
    const { policy, seed } = run;
    const matching = this.tasks.filter((t) => t.task.options.policyName === policy && t.task.options.seed === seed);
    matching[nth]!.resolve(resultOf(run));
  }
}

const scenario = { document: { name: 'district' } } as unknown as ResolvedScenario;
const resultOf = (run: ScenarioRun) =>
  ({ policy: run.policy, seed: run.seed, kpis: { parkTrips: 3 } }) as unknown as ScenarioResult;
const runs: ScenarioRun[] = [
  { policy: 'baseline', seed: 1 },
  { policy: 'signs', seed: 1 },
];

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (err: unknown) => (isCitybayError(err) ? err.code : String(err)),
  );
}

describe('ScenarioJobs', () => {
  let store: SqliteStore;
  let clock: ManualClock;
  let pool: FakeSimPool;
  const open: ScenarioJobs[] = [];
  const makeJobs = (options: Partial<ScenarioJobsOptions> = {}) => {
    const nowMs = () => clock.nowMs();
    const jobs = new ScenarioJobs({ store, nowMs, createPool: () => pool, leaseMs: 60_000, ...options });
    open.push(jobs);
    return jobs;
  };

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    clock = new ManualClock(T0);
    pool = new FakeSimPool();
  });
  afterEach(async () => {
    for (const jobs of open.splice(0)) await jobs.close();
    await store.close();
  });

  it('stores the job before answering, then running with progress and heartbeat, then done with results', async () => {
    const jobs = makeJobs();
    const job = await jobs.submit(scenario, runs);
    expect(job).toMatchObject({ status: 'queued', runs, completedRuns: 0, submittedMs: T0, ownerId: jobs.ownerId });
    await vi.waitFor(async () => expect((await jobs.get(job.id)).status).toBe('running'), {
      timeout: 5_000,
      interval: 5,
    });
    expect(await codeOf(jobs.results(job.id))).toBe('CB_SCENARIO_JOB_NOT_READY');

    clock.advance(5_000);
    pool.finish(0, runs[1]!);
    await vi.waitFor(async () => expect((await jobs.get(job.id)).completedRuns).toBe(1), {
      timeout: 5_000,
      interval: 5,
    });
    expect((await jobs.get(job.id)).heartbeatMs).toBe(T0 + 5_000);

    clock.advance(5_000);
    pool.finish(0, runs[0]!);
    await vi.waitFor(async () => expect((await jobs.get(job.id)).status).toBe('done'), { timeout: 5_000, interval: 5 });
    expect(await jobs.get(job.id)).toMatchObject({ completedRuns: 2, finishedMs: T0 + 10_000 });
    expect((await jobs.results(job.id)).map((r) => r.policy)).toEqual(['baseline', 'signs']);
    // Another instance on the same store answers for it.
    const other = makeJobs();
    expect((await other.results(job.id)).map((r) => r.policy)).toEqual(['baseline', 'signs']);
    expect((await other.list()).map((j) => j.id)).toEqual([job.id]);
  });

  it('fails the job with the error of a failed run, and names unknown jobs', async () => {
    const jobs = makeJobs();
    const job = await jobs.submit(scenario, runs);
    pool.tasks[0]!.reject(new Error('CB_SCENARIO_INVALID: lots.yaml: lots[0].entryEdgeId: no edge "nowhere"'));
    await vi.waitFor(async () => expect((await jobs.get(job.id)).status).toBe('failed'), {
      timeout: 5_000,
      interval: 5,
    });
    expect((await jobs.get(job.id)).error).toMatch(/entryEdgeId/);
    expect(await codeOf(jobs.results(job.id))).toBe('CB_SCENARIO_JOB_FAILED');
    expect(await codeOf(jobs.report(job.id))).toBe('CB_SCENARIO_JOB_FAILED');
    // The other run finishing later changes nothing.
    pool.finish(0, runs[1]!);
    expect(await codeOf(jobs.get('nope'))).toBe('CB_SCENARIO_JOB_UNKNOWN');
    expect(await codeOf(jobs.results('nope'))).toBe('CB_SCENARIO_JOB_UNKNOWN');
  });

  it('refreshes the heartbeat on a timer, so a long run outlives the lease', async () => {
    const jobs = makeJobs({ heartbeatIntervalMs: 10 });
    const reader = makeJobs();
    const job = await jobs.submit(scenario, runs);
    for (let i = 1; i <= 3; i++) {
      clock.advance(40_000);
      await vi.waitFor(async () => expect((await reader.get(job.id)).heartbeatMs).toBe(T0 + i * 40_000), {
        timeout: 5_000,
        interval: 5,
      });
      expect((await reader.get(job.id)).status).toBe('running');
    }
  });

  it('takes a job whose instance went silent as abandoned, and does not let that instance revive it', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_obj: unknown, message: string) => warnings.push(message), error: vi.fn() };
    const silent = makeJobs({ logger: logger as unknown as ScenarioJobsOptions['logger'] });
    const reader = makeJobs();
    const job = await silent.submit(scenario, runs);
    await vi.waitFor(async () => expect((await reader.get(job.id)).status).toBe('running'), {
      timeout: 5_000,
      interval: 5,
    });
    clock.advance(60_001);
    const abandoned = { status: 'failed', error: SCENARIO_JOB_ABANDONED_ERROR, finishedMs: T0 };
    expect(await reader.get(job.id)).toMatchObject(abandoned);
    expect(await codeOf(reader.results(job.id))).toBe('CB_SCENARIO_JOB_FAILED');
    pool.finish(0, runs[0]!);
    pool.finish(0, runs[1]!);
    await vi.waitFor(
      async () => expect(warnings.includes('scenario job was no longer live when it ended')).toBe(true),
      { timeout: 5_000, interval: 5 },
    );
    expect(await reader.get(job.id)).toMatchObject(abandoned);
  });

  it('on close, stores jobs whose runs all finished and fails the others with the shutdown error', async () => {
    const jobs = makeJobs();
    const finished = await jobs.submit(scenario, [runs[0]!]);
    const unfinished = await jobs.submit(scenario, runs);
    const elsewhere = await makeJobs({ createPool: () => new FakeSimPool() }).submit(scenario, [runs[1]!]);
    pool.finish(0, runs[0]!);
    pool.finish(1, runs[0]!);
    clock.advance(1_000);
    await jobs.close();
    expect(pool.isDestroyed).toBe(true);
    expect((await jobs.get(finished.id)).status).toBe('done');
    expect(await jobs.get(unfinished.id)).toMatchObject({
      status: 'failed',
      error: SCENARIO_JOB_SHUTDOWN_ERROR,
      finishedMs: T0 + 1_000,
      completedRuns: 1,
    });
    // Another instance's job is its own business.
    expect((await jobs.get(elsewhere.id)).status).not.toBe('failed');
    expect(await codeOf(jobs.submit(scenario, runs))).toBe('CB_HTTP_SHUTTING_DOWN');
  });

  it('keeps the newest finished jobs in the store, whichever instance finished them', async () => {
    const first = makeJobs({ keepFinishedJobs: 2 });
    const second = makeJobs({ keepFinishedJobs: 2 });
    const ids: string[] = [];
    for (const [i, jobs] of [first, second, first, second].entries()) {
      const job = await jobs.submit(scenario, [runs[0]!]);
      ids.push(job.id);
      pool.finish(i, runs[0]!);
      await vi.waitFor(async () => expect((await jobs.get(job.id)).status).toBe('done'), {
        timeout: 5_000,
        interval: 5,
      });
    }
    await vi.waitFor(async () => expect((await first.list()).length).toBe(2), { timeout: 5_000, interval: 5 });
    expect((await second.list()).map((j) => j.id)).toEqual(ids.slice(2));
    expect(await codeOf(first.get(ids[0]!))).toBe('CB_SCENARIO_JOB_UNKNOWN');
  });

  it('refuses options that would let a running job be taken as abandoned, or keep no result', () => {
    const codeAndPath = (options: Partial<ScenarioJobsOptions>) => {
      try {
        new ScenarioJobs({ store, nowMs: () => clock.nowMs(), ...options });
      } catch (err) {
        return { code: (err as { code?: string }).code, path: (err as { path?: string }).path };
      }
      return undefined;
    };
    expect(codeAndPath({ leaseMs: 1_000, heartbeatIntervalMs: 1_000 })).toEqual({
      code: 'CB_CENTRAL_CONFIG_INVALID',
      path: 'heartbeatIntervalMs',
    });
    expect(codeAndPath({ keepFinishedJobs: 0 })).toEqual({
      code: 'CB_CENTRAL_CONFIG_INVALID',
      path: 'keepFinishedJobs',
    });
    expect(codeAndPath({})).toBeUndefined();
  });
});
