import type { ScenarioResult } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { SCENARIO_JOB_ABANDONED_ERROR, SCENARIO_JOB_SHUTDOWN_ERROR } from '../../src/core/scenario-job-lease.js';
import type { ScenarioJobLease, ScenarioRun } from '../../src/store/store.js';
import { freshStore, T0, type StoreFactory } from './store-fixture.js';

/** A run's result of about 30 KB, its lots in an order that is not sorted (the store must keep it). */
function runResult(run: ScenarioRun): ScenarioResult {
  // `+ 0` because JSON has no -0: a stored result could not equal one that held it.
  const steps = Array.from({ length: 1_300 }, (_, i) => Math.round(Math.sin(i + run.seed) * 1e4) / 100 + 0);
  return {
    scenario: 'district',
    policy: run.policy,
    seed: run.seed,
    kpis: { parkTrips: 100 + run.seed },
    series: { timesS: steps, lotOccupancy: { P10: steps, H: steps }, gateQueueVeh: { P10: steps } },
  } as unknown as ScenarioResult;
}

/** Scenario jobs: progress, results, the owner's lease, shutdown and eviction. */
export function scenarioJobsContract(name: string, factory: StoreFactory): void {
  describe(`scenario jobs: ${name}`, () => {
    const current = freshStore(factory);
    const runs: ScenarioRun[] = [
      { policy: 'baseline', seed: 1 },
      { policy: 'signs', seed: 1 },
    ];
    const at = (nowMs: number, leaseMs = 60_000): ScenarioJobLease => ({ nowMs, leaseMs });
    const newJob = (id: string, ownerId = 'instance-a', jobRuns = runs) => ({
      id,
      name: `job ${id}`,
      runs: jobRuns,
      ownerId,
    });

    it('creates, records progress, finishes and fails jobs, and lists them without results', async () => {
      const store = current();
      // The largest sweep a submission may ask for, each run's result about 30 KB.
      const seeds = Array.from({ length: 32 }, (_, seed) => seed);
      const sweep = ['baseline', 'signs'].flatMap((policy) => seeds.map((seed) => ({ policy, seed })));
      const created = await store.createScenarioJob(newJob('life-1', 'instance-a', sweep), T0);
      const queued = { status: 'queued', completedRuns: 0, submittedMs: T0, heartbeatMs: T0 };
      expect(created).toEqual({ ...newJob('life-1', 'instance-a', sweep), ...queued });
      expect(await store.getScenarioJob('life-1', at(T0))).toEqual(created);
      expect(await store.recordScenarioJobProgress('life-1', 0, at(T0 + 1_000))).toBe(true);
      expect(await store.getScenarioJob('life-1', at(T0 + 1_000))).toMatchObject({
        status: 'running',
        heartbeatMs: T0 + 1_000,
      });
      // Writes of one job may land out of order: the count and the heartbeat never go back.
      expect(await store.recordScenarioJobProgress('life-1', 2, at(T0 + 3_000))).toBe(true);
      expect(await store.recordScenarioJobProgress('life-1', 1, at(T0 + 2_000))).toBe(true);
      expect(await store.getScenarioJob('life-1', at(T0 + 3_000))).toMatchObject({
        completedRuns: 2,
        heartbeatMs: T0 + 3_000,
      });
      expect(await store.getScenarioJobResults('life-1')).toBeUndefined();

      const results = sweep.map(runResult);
      expect(JSON.stringify(results).length).toBeGreaterThan(64 * 25_000);
      expect(await store.finishScenarioJob('life-1', results, at(T0 + 4_000))).toBe(true);
      const done = await store.getScenarioJob('life-1', at(T0 + 4_000));
      // Done means every run completed, whatever progress write is still on its way.
      expect(done).toMatchObject({ status: 'done', completedRuns: 64, finishedMs: T0 + 4_000 });
      expect(done).not.toHaveProperty('error');
      const stored = await store.getScenarioJobResults('life-1');
      expect(stored).toEqual(results);
      expect(Object.keys(stored![0]!.series.lotOccupancy)).toEqual(['P10', 'H']);
      // A finished job is final: no more progress, no second ending.
      expect(await store.recordScenarioJobProgress('life-1', 2, at(T0 + 5_000))).toBe(false);
      expect(await store.failScenarioJob('life-1', 'late', at(T0 + 5_000))).toBe(false);
      expect((await store.getScenarioJob('life-1', at(T0 + 5_000)))?.status).toBe('done');

      await store.createScenarioJob(newJob('life-2'), T0 + 6_000);
      expect(await store.failScenarioJob('life-2', 'worker crashed', at(T0 + 7_000))).toBe(true);
      expect(await store.getScenarioJob('life-2', at(T0 + 7_000))).toMatchObject({
        status: 'failed',
        error: 'worker crashed',
        finishedMs: T0 + 7_000,
      });
      expect(await store.finishScenarioJob('life-2', results, at(T0 + 8_000))).toBe(false);
      expect(await store.getScenarioJobResults('life-2')).toBeUndefined();

      const listed = (await store.listScenarioJobs(at(T0 + 8_000))).filter((j) => j.id.startsWith('life-'));
      expect(listed.map((j) => [j.id, j.status])).toEqual([
        ['life-1', 'done'],
        ['life-2', 'failed'],
      ]);
      expect(listed[0]).not.toHaveProperty('results');
      expect(listed[0]!.runs).toEqual(sweep);
      expect(listed[1]!.runs).toEqual(runs);
      expect(await store.getScenarioJob('nope', at(T0))).toBeUndefined();
      expect(await store.recordScenarioJobProgress('nope', 1, at(T0))).toBe(false);
    });

    it('takes a live job whose heartbeat is older than the lease as failed (abandoned), for good', async () => {
      const store = current();
      await store.createScenarioJob(newJob('lease-1'), T0);
      await store.recordScenarioJobProgress('lease-1', 1, at(T0 + 10_000));
      await store.createScenarioJob(newJob('lease-queued'), T0);
      expect(await store.getScenarioJob('lease-1', at(T0 + 70_000))).toMatchObject({ status: 'running' });
      const abandoned = { status: 'failed', error: SCENARIO_JOB_ABANDONED_ERROR, finishedMs: T0 + 10_000 };
      expect(await store.getScenarioJob('lease-1', at(T0 + 70_001))).toMatchObject(abandoned);
      expect(await store.getScenarioJob('lease-queued', at(T0 + 70_001))).toMatchObject({
        status: 'failed',
        error: SCENARIO_JOB_ABANDONED_ERROR,
        finishedMs: T0,
      });
      const listed = (await store.listScenarioJobs(at(T0 + 70_001))).filter((j) => j.id.startsWith('lease-'));
      expect(listed.map((j) => j.status)).toEqual(['failed', 'failed']);
      // The owner coming back late changes nothing: a reader may already have seen the job failed.
      expect(await store.recordScenarioJobProgress('lease-1', 2, at(T0 + 70_001))).toBe(false);
      expect(await store.finishScenarioJob('lease-1', [runResult(runs[0]!)], at(T0 + 70_001))).toBe(false);
      expect(await store.getScenarioJobResults('lease-1')).toBeUndefined();
      // Pruning stores the verdict, so it holds for a reader with a shorter view of time too.
      await store.pruneScenarioJobs(1_000, at(T0 + 70_001));
      expect(await store.getScenarioJob('lease-1', at(T0 + 10_000))).toMatchObject(abandoned);
    });

    it('fails the live jobs of an instance that stops, and only those', async () => {
      const store = current();
      await store.createScenarioJob(newJob('stop-a1'), T0);
      await store.createScenarioJob(newJob('stop-a2'), T0);
      await store.createScenarioJob(newJob('stop-b1', 'instance-b'), T0);
      await store.recordScenarioJobProgress('stop-a2', 1, at(T0 + 1_000));
      await store.finishScenarioJob('stop-a1', [runResult(runs[0]!)], at(T0 + 2_000));
      expect(await store.failOwnedScenarioJobs('instance-a', SCENARIO_JOB_SHUTDOWN_ERROR, T0 + 3_000)).toBe(1);
      expect(await store.getScenarioJob('stop-a2', at(T0 + 3_000))).toMatchObject({
        status: 'failed',
        error: SCENARIO_JOB_SHUTDOWN_ERROR,
        finishedMs: T0 + 3_000,
      });
      expect((await store.getScenarioJob('stop-a1', at(T0 + 3_000)))?.status).toBe('done');
      expect((await store.getScenarioJob('stop-b1', at(T0 + 3_000)))?.status).toBe('queued');
      await store.failScenarioJob('stop-b1', 'done with it', at(T0 + 3_000));
    });

    it('keeps the newest finished jobs, deleting older finished ones but never a live one', async () => {
      const store = current();
      const lease = at(T0 + 100_000, 3_600_000);
      await store.pruneScenarioJobs(0, lease);
      const evictIds = async () =>
        (await store.listScenarioJobs(lease)).filter((j) => j.id.startsWith('evict-')).map((j) => [j.id, j.status]);
      const finished = (await store.listScenarioJobs(lease)).filter((j) => ['done', 'failed'].includes(j.status));
      expect(finished).toEqual([]);
      for (const id of ['evict-1', 'evict-2', 'evict-3', 'evict-4', 'evict-5']) {
        await store.createScenarioJob(newJob(id), T0 + 50_000);
      }
      await store.finishScenarioJob('evict-1', [runResult(runs[0]!)], lease);
      await store.failScenarioJob('evict-2', 'bad seed', lease);
      await store.recordScenarioJobProgress('evict-3', 1, lease);
      await store.finishScenarioJob('evict-5', [runResult(runs[0]!)], lease);
      await store.finishScenarioJob('evict-4', [runResult(runs[0]!)], lease);
      expect(await store.pruneScenarioJobs(2, lease)).toBe(2);
      expect(await evictIds()).toEqual([
        ['evict-3', 'running'],
        ['evict-4', 'done'],
        ['evict-5', 'done'],
      ]);
      expect(await store.getScenarioJobResults('evict-1')).toBeUndefined();
      expect(await store.pruneScenarioJobs(2, lease)).toBe(0);
      // Abandoned, the oldest job is finished too (failed), and older than the newest two.
      expect(await store.pruneScenarioJobs(2, at(T0 + 100_000 + 3_600_001, 3_600_000))).toBe(1);
      expect(await evictIds()).toEqual([
        ['evict-4', 'done'],
        ['evict-5', 'done'],
      ]);
    });
  });
}
