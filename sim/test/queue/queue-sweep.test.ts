import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-loader.js';
import { createSimPool, type SimPool } from '../../src/pool/sim-pool.js';
import { runScenario } from '../../src/scenario/run-scenario.js';
import {
  endSweep,
  followSweep,
  getSweep,
  KPI_COLUMNS,
  QueueWorker,
  readSweepKpis,
  readSweepRuns,
  readSweepSummaries,
  RUN_QUEUE,
  RUN_RETRY_LIMIT,
  SimQueue,
  submitSweep,
} from '../../src/queue/index.js';
import { decodeDocument, encodeDocument } from '../../src/queue/result-codec.js';
import { dropSchema, TEST_DATABASE_URL, testSql, uniqueQueueSchema } from './queue-postgres.js';

const SCENARIO = new URL('../fixtures/small-district/scenario.yaml', import.meta.url).pathname;
const TINY = new URL('../fixtures/tiny/scenario.yaml', import.meta.url).pathname;

describe('sweep queue (pg-boss on PostgreSQL)', () => {
  const schema = uniqueQueueSchema();
  let queue: SimQueue;
  let pool: SimPool;
  let worker: QueueWorker;

  beforeAll(async () => {
    await testSql('SELECT 1');
    queue = await SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema });
    pool = createSimPool({ maxThreads: 1 });
    worker = new QueueWorker({ queue, pool, idlePollMs: 50, workerId: 'in-process' });
    worker.start();
  });

  afterAll(async () => {
    await worker?.stop(10_000);
    await pool?.destroy();
    await queue?.close();
    await dropSchema(schema);
  });

  it('gives the results of a local sweep bit for bit, KPIs in columns and results compressed', async () => {
    const scenario = loadScenario(SCENARIO);
    const runs = ['baseline', 'signs'].flatMap((policyName) => [7, 8].map((seed) => ({ policyName, seed })));
    const options = { keepCars: true, queueWindow: { fromS: 7.5 * 3600, toS: 9 * 3600 } };
    const seen: number[] = [];
    const id = await submitSweep(queue, { scenario, runs, options });
    const queued = await followSweep(queue, id, { pollMs: 50, onProgress: (f) => seen.push(f) });
    const local = await Promise.all(runs.map((run) => pool.runScenario({ scenario, options: { ...options, ...run } })));
    expect(queued).toStrictEqual(local);
    expect(JSON.stringify(queued)).toBe(JSON.stringify(local));
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const kpis = await readSweepKpis(queue, id);
    expect(kpis.map((k) => [k.policy, k.seed])).toEqual(runs.map((r) => [r.policyName, r.seed]));
    expect(kpis.map((k) => k.kpis)).toEqual(local.map((r) => r.kpis));
    const summaries = await readSweepSummaries(queue, id);
    expect(JSON.stringify(summaries)).toBe(
      JSON.stringify(local.map(({ series: _series, cars: _cars, ...summary }) => summary)),
    );
    expect((await readSweepRuns(queue, [id, 'not-a-uuid'])).get(id)).toEqual(runs);
    const [sizes] = await testSql(
      `SELECT sum(octet_length(result))::float8 AS stored, sum(result_json_length)::float8 AS json,
         count(*) FILTER (WHERE worker = 'in-process')::int AS by_worker
       FROM ${schema}.sweep_run WHERE sweep_id = $1`,
      [id],
    );
    expect(sizes!.by_worker).toBe(4);
    expect(Number(sizes!.stored)).toBeLessThan(Number(sizes!.json) / 3);
    expect(Object.keys(KPI_COLUMNS).sort()).toEqual(Object.keys(local[0]!.kpis).sort());
    expect((await getSweep(queue, id)).state).toBe('done');
  }, 120_000);

  it('a sweep is queued until a worker takes its first run, then running with progress, then done', async () => {
    // A schema of its own: the suite's worker would take the runs at once.
    const idleSchema = uniqueQueueSchema();
    const idleQueue = await SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema: idleSchema });
    const idlePool = createSimPool({ maxThreads: 1 });
    const late = new QueueWorker({ queue: idleQueue, pool: idlePool, idlePollMs: 20 });
    try {
      const runs = [1, 2, 3].map((seed) => ({ policyName: 'baseline', seed }));
      const id = await submitSweep(idleQueue, { scenario: loadScenario(SCENARIO), runs });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const queued = await getSweep(idleQueue, id);
      expect(queued).toMatchObject({ state: 'queued', doneCount: 0, startedAt: null });
      late.start();
      const seen: string[] = [];
      for (let sweep = queued; sweep.state !== 'done'; sweep = await getSweep(idleQueue, id)) {
        const step = `${sweep.state} ${sweep.doneCount}`;
        if (seen.at(-1) !== step) seen.push(step);
        expect(sweep.state).toMatch(/^(queued|running)$/);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const done = await getSweep(idleQueue, id);
      expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(done.createdAt.getTime());
      expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
      // Queued, then running as the runs finish (steps may pass between two reads on a loaded machine).
      expect(seen[0]).toBe('queued 0');
      expect(seen.slice(1).every((step) => step.startsWith('running '))).toBe(true);
      expect(seen.filter((step) => step.startsWith('running ')).length).toBeGreaterThanOrEqual(1);
    } finally {
      await late.stop(10_000);
      await idlePool.destroy();
      await idleQueue.close();
      await dropSchema(idleSchema);
    }
  }, 60_000);

  it('a run failing for a bad scenario fails the sweep and cancels its remaining runs', async () => {
    const scenario = loadScenario(SCENARIO);
    // Run 0 names a policy the scenario does not have: the worker's run throws CB_SCENARIO_INVALID.
    const runs = [
      { policyName: 'no-such-policy', seed: 1 },
      ...[1, 2, 3, 4, 5, 6].map((seed) => ({ policyName: 'baseline', seed })),
    ];
    const id = await submitSweep(queue, { scenario, runs });
    await expect(followSweep(queue, id, { pollMs: 50 })).rejects.toThrow(
      /CB_SCENARIO_INVALID.*run 0 \(no-such-policy, seed 1\)|run 0 \(no-such-policy, seed 1\): CB_SCENARIO_INVALID/,
    );
    const sweep = await getSweep(queue, id);
    expect(sweep.state).toBe('failed');
    expect(sweep.error).toContain('no policy "no-such-policy"');
    const states = await testSql(
      `SELECT r.state AS run_state, j.state::text AS job_state, count(*)::int AS n
       FROM ${schema}.sweep_run r JOIN ${schema}.job j ON j.id = r.job_id
       WHERE r.sweep_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [id],
    );
    // The bad run comes first (runs go in submission order): every other run is cancelled, the one the worker's
    // spare slot may have taken meanwhile included (its result, if stored after the failure, is not). On a loaded
    // machine runs taken that way can finish before the bad run's failure is stored: they then stay done, their
    // jobs completed.
    const done = states.find((row) => row.run_state === 'done');
    // Failed once in CI (7 Dec 2026, a done run whose job was not completed); the rows say which state it was in.
    expect(done?.job_state ?? 'completed', JSON.stringify(states)).toBe('completed');
    expect(
      states.filter((row) => row !== done),
      JSON.stringify(states),
    ).toEqual([
      { run_state: 'cancelled', job_state: 'cancelled', n: 6 - Number(done?.n ?? 0) },
      { run_state: 'failed', job_state: 'cancelled', n: 1 },
    ]);
    expect(await endSweep(queue, id, { state: 'cancelled', error: 'again' })).toBe(false);
  }, 60_000);

  it('a cancelled sweep stops its runs', async () => {
    const scenario = loadScenario(SCENARIO);
    const runs = Array.from({ length: 40 }, (_, i) => ({ policyName: 'baseline', seed: i + 1 }));
    const id = await submitSweep(queue, { scenario, runs });
    expect(await endSweep(queue, id, { state: 'cancelled', error: 'changed my mind' })).toBe(true);
    await expect(followSweep(queue, id, { pollMs: 50 })).rejects.toThrow(/cancelled: changed my mind/);
    const [open] = await testSql(
      `SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND data->>'sweepId' = $2
       AND state IN ('created', 'retry', 'active')`,
      [RUN_QUEUE, id],
    );
    expect(open!.n).toBe(0);
  }, 60_000);

  it('a run that keeps failing for another reason (its thread died) is retried, then fails the sweep', async () => {
    const dyingSchema = uniqueQueueSchema();
    const dyingQueue = await SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema: dyingSchema });
    let attempts = 0;
    const dyingPool: SimPool = {
      threads: 1,
      runScenario: () => {
        attempts += 1;
        return Promise.reject(new Error('Terminating worker thread'));
      },
      run: () => Promise.reject(new Error('not used')),
      destroy: () => Promise.resolve(),
    };
    const dying = new QueueWorker({ queue: dyingQueue, pool: dyingPool, idlePollMs: 50 });
    dying.start();
    try {
      const id = await submitSweep(dyingQueue, {
        scenario: loadScenario(SCENARIO),
        runs: [{ policyName: 'baseline', seed: 1 }],
      });
      await expect(followSweep(dyingQueue, id, { pollMs: 100 })).rejects.toThrow(
        /run 0: failed 4 times \(a worker thread or process died\); last: Terminating worker thread/,
      );
      expect(attempts).toBe(RUN_RETRY_LIMIT + 1);
    } finally {
      await dying.stop(5_000);
      await dyingQueue.close();
      await dropSchema(dyingSchema);
    }
  }, 120_000);

  it('takes short runs in batches, and a new sweep one run at a time until it has timed its runs', async () => {
    const batchSchema = uniqueQueueSchema();
    const batchQueue = await SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema: batchSchema });
    const tiny = loadScenario(TINY);
    const canned = runScenario(tiny, { policyName: 'p0', seed: 1 });
    // Policy p0's runs answer at once, p1's take 150 ms: two sweeps of very different runs on one queue.
    const timedPool: SimPool = {
      threads: 1,
      runScenario: async (task) => {
        if (task.options.policyName === 'p1') await new Promise((resolve) => setTimeout(resolve, 150));
        return canned;
      },
      run: () => Promise.reject(new Error('not used')),
      destroy: () => Promise.resolve(),
    };
    const batching = new QueueWorker({ queue: batchQueue, pool: timedPool, idlePollMs: 20 });
    batching.start();
    // Runs taken in one batch are marked taken by one statement: they share their started_at.
    const largestBatch = async (id: string) => {
      const [row] = await testSql(
        `SELECT max(n)::int AS n FROM (SELECT count(*) AS n FROM ${batchSchema}.sweep_run
         WHERE sweep_id = $1 GROUP BY started_at) b`,
        [id],
      );
      return row!.n as number;
    };
    try {
      const fast = await submitSweep(batchQueue, {
        scenario: tiny,
        runs: Array.from({ length: 300 }, (_, i) => ({ policyName: 'p0', seed: i + 1 })),
      });
      await followSweep(batchQueue, fast, { pollMs: 20 });
      // Batches of up to 50 instant runs; fewer when a loaded machine makes a run (its gzip) take longer.
      expect(await largestBatch(fast)).toBeGreaterThan(1);
      const slow = await submitSweep(batchQueue, {
        scenario: tiny,
        runs: Array.from({ length: 6 }, (_, i) => ({ policyName: 'p1', seed: i + 1 })),
      });
      await followSweep(batchQueue, slow, { pollMs: 20 });
      expect(await largestBatch(slow)).toBe(1);
    } finally {
      await batching.stop(5_000);
      await batchQueue.close();
      await dropSchema(batchSchema);
    }
  }, 60_000);

  it('keeps NaN, ±Infinity and -0 through the result encoding', async () => {
    const value = { a: Number.NaN, b: [Infinity, -Infinity, -0, 0, 1.1e-300, 2 ** 53 + 2], c: 'x', d: { e: null } };
    const decoded = await decodeDocument<typeof value>((await encodeDocument(value)).bytes);
    expect(decoded).toStrictEqual(value);
    expect(Object.is(decoded.b[2], -0)).toBe(true);
  });

  it('refuses a bad schema, a bad URL, a bad run timeout and an empty sweep, naming the field', async () => {
    await expect(SimQueue.open({ databaseUrl: TEST_DATABASE_URL, schema: 'x; drop' })).rejects.toMatchObject({
      code: 'CB_QUEUE_CONFIG_INVALID',
      path: 'schema',
    });
    await expect(SimQueue.open({ databaseUrl: 'mysql://x' })).rejects.toMatchObject({ path: 'databaseUrl' });
    const scenario = loadScenario(SCENARIO);
    const runs = [{ policyName: 'baseline', seed: 1 }];
    await expect(submitSweep(queue, { scenario, runs, runTimeoutS: 0 })).rejects.toMatchObject({
      path: 'runTimeoutS',
    });
    await expect(submitSweep(queue, { scenario, runs: [] })).rejects.toMatchObject({ path: 'runs' });
    await expect(getSweep(queue, 'not-a-uuid')).rejects.toMatchObject({ code: 'CB_SWEEP_UNKNOWN' });
  });
});
