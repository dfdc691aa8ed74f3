import { ManualClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/store-postgres.js';
import { twoAppsOnOnePostgres } from '../helpers/postgres-instances.js';
import { requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { districtSubmission, engineer, waitForJob } from '../helpers/small-district.js';
import { makeAppOnStore, T0 } from '../helpers/test-app.js';

await requirePostgres();

async function sql(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('scenario jobs on the sweep queue: two central instances on one PostgreSQL database', () => {
  const queueSchema = uniqueSchema('scenq_queue');
  // Registered before the apps' own cleanup, so it runs after it (after-hooks run last-registered first): the
  // queue's schema goes once no instance's workers use it.
  afterAll(async () => sql(`DROP SCHEMA IF EXISTS ${queueSchema} CASCADE`));
  const clock = new ManualClock(T0);
  const apps = twoAppsOnOnePostgres('scenq', clock, {
    databaseUrl: TEST_DATABASE_URL,
    scenarioQueueSchema: queueSchema,
    scenarioWorkerThreads: 1,
  });

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: engineer });
  const submit = (app: FastifyInstance, payload: object) =>
    app.inject({ method: 'POST', url: '/v1/scenarios', headers: engineer, payload });

  it('runs a sweep on the queue; /kpis reads the stored summaries, never the compressed results', async () => {
    const [taker, other] = [apps[0]!, apps[1]!];
    const res = await submit(taker, districtSubmission({ policies: ['baseline', 'signs'], seeds: [1, 2] }));
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json();
    expect((await get(other, `/v1/scenarios/${id}`)).statusCode).toBe(200);
    const job = await waitForJob(other, id);
    expect(job).toMatchObject({ status: 'done', progress: { completedRuns: 4, totalRuns: 4 } });
    expect((await get(other, '/v1/scenarios')).json().jobs.map((j: { id: string }) => j.id)).toContain(id);

    const kpis = (await get(other, `/v1/scenarios/${id}/kpis`)).json();
    expect(kpis.runs.map((r: { policy: string; seed: number }) => `${r.policy}#${r.seed}`)).toEqual([
      'baseline#1',
      'baseline#2',
      'signs#1',
      'signs#2',
    ]);
    expect(kpis.runs[0].kpis.parkTrips).toBeGreaterThan(0);
    expect(Object.keys(kpis.runs[0])).not.toContain('series');
    expect(kpis).toEqual((await get(taker, `/v1/scenarios/${id}/kpis`)).json());
    // The scalar KPIs are columns.
    const columns = await sql(
      `SELECT approach_queue_max_m, park_trips FROM ${queueSchema}.sweep_run WHERE sweep_id = $1 ORDER BY run_index`,
      [id],
    );
    expect(columns.map((c) => [c.approach_queue_max_m, c.park_trips])).toEqual(
      kpis.runs.map((r: { kpis: { approachQueueMaxM: number; parkTrips: number } }) => [
        r.kpis.approachQueueMaxM,
        r.kpis.parkTrips,
      ]),
    );
    const series = (await get(other, `/v1/scenarios/${id}/series`)).json();
    expect(series.runs[0].series.timesS.length).toBeGreaterThan(0);
    expect((await get(other, `/v1/scenarios/${id}/report`)).body).toContain('<svg');

    // Break every stored result: /kpis answers the same, what needs the full results cannot.
    await sql(`UPDATE ${queueSchema}.sweep_run SET result = '\\x00'::bytea WHERE sweep_id = $1`, [id]);
    expect((await get(other, `/v1/scenarios/${id}/kpis`)).json()).toEqual(kpis);
    expect((await get(other, `/v1/scenarios/${id}/series`)).statusCode).toBe(500);
    expect((await get(other, '/v1/scenarios/no-such-job')).json().code).toBe('CB_SCENARIO_JOB_UNKNOWN');
  }, 120_000);

  it('a job reads queued until a worker takes its first run (an instance without workers of its own)', async () => {
    // A queue of its own that no worker serves: the job must stay queued, not show running from the start.
    const idleSchema = uniqueSchema('scenq_idle');
    const store = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema: uniqueSchema('scenq_idle_store') });
    const idle = await makeAppOnStore(store, clock, {
      databaseUrl: TEST_DATABASE_URL,
      scenarioQueueSchema: idleSchema,
      scenarioWorkerThreads: 0,
    });
    try {
      const res = await submit(idle, districtSubmission({ policies: ['baseline'], seeds: [1] }));
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ status: 'queued', progress: { completedRuns: 0, totalRuns: 1 } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await get(idle, `/v1/scenarios/${res.json().id}`)).json().status).toBe('queued');
    } finally {
      await idle.close();
      await store.dropSchema();
      await store.close();
      await sql(`DROP SCHEMA IF EXISTS ${idleSchema} CASCADE`);
    }
  }, 60_000);

  it('a job whose instance stops is finished by the other instance (its runs are handed back)', async () => {
    const [stopping, other] = [apps[0]!, apps[1]!];
    const seeds = Array.from({ length: 8 }, (_, i) => i + 1);
    const res = await submit(stopping, districtSubmission({ policies: ['baseline', 'signs'], seeds }));
    expect(res.statusCode, res.body).toBe(202);
    await stopping.close();
    const job = await waitForJob(other, res.json().id, 120_000);
    expect(job).toMatchObject({ status: 'done', progress: { completedRuns: 16, totalRuns: 16 } });
  }, 180_000);
});
