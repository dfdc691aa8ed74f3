import { ManualClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { SCENARIO_JOB_SHUTDOWN_ERROR } from '../../src/core/scenario-job-lease.js';
import { requirePostgres } from '../helpers/postgres.js';
import { twoAppsOnOnePostgres } from '../helpers/postgres-instances.js';
import { districtSubmission, engineer, waitForJob } from '../helpers/small-district.js';
import { T0 } from '../helpers/test-app.js';

await requirePostgres();

describe('scenario jobs on two central instances sharing one PostgreSQL database', () => {
  const apps = twoAppsOnOnePostgres('scenarios', new ManualClock(T0));

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: engineer });
  const submit = (app: FastifyInstance, payload: object) =>
    app.inject({ method: 'POST', url: '/v1/scenarios', headers: engineer, payload });

  it('serves status, KPIs, series and report on the instance that did not take the submission', async () => {
    const [taker, other] = [apps[0]!, apps[1]!];
    const res = await submit(taker, districtSubmission({ policies: ['baseline', 'signs'], seeds: [1, 2] }));
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json();
    // Readable elsewhere at once, before any run has finished.
    const early = await get(other, `/v1/scenarios/${id}`);
    expect(early.statusCode).toBe(200);
    expect(['queued', 'running', 'done']).toContain(early.json().status);
    expect([200, 409]).toContain((await get(other, `/v1/scenarios/${id}/kpis`)).statusCode);

    const job = await waitForJob(other, id);
    expect(job).toMatchObject({ status: 'done', progress: { completedRuns: 4, totalRuns: 4 } });
    const kpis = (await get(other, `/v1/scenarios/${id}/kpis`)).json();
    expect(kpis.runs.map((r: { policy: string; seed: number }) => `${r.policy}#${r.seed}`)).toEqual([
      'baseline#1',
      'baseline#2',
      'signs#1',
      'signs#2',
    ]);
    expect(kpis.runs[0].kpis.parkTrips).toBeGreaterThan(0);
    expect(kpis).toEqual((await get(taker, `/v1/scenarios/${id}/kpis`)).json());
    const series = (await get(other, `/v1/scenarios/${id}/series`)).json();
    expect(series.runs[0].series.timesS.length).toBeGreaterThan(0);
    const report = await get(other, `/v1/scenarios/${id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/text\/html/);
    expect(report.body).toContain('<svg');
    expect((await get(other, '/v1/scenarios')).json().jobs.map((j: { id: string }) => j.id)).toContain(id);
    expect((await get(other, '/v1/scenarios/no-such-job')).json().code).toBe('CB_SCENARIO_JOB_UNKNOWN');
  }, 90_000);

  it('shows a job failed with the shutdown error on the other instance once its own instance stopped', async () => {
    const [stopping, other] = [apps[0]!, apps[1]!];
    const seeds = Array.from({ length: 32 }, (_, i) => i + 1);
    const res = await submit(stopping, districtSubmission({ policies: ['baseline', 'signs'], seeds }));
    expect(res.statusCode, res.body).toBe(202);
    await stopping.close();
    const job = (await get(other, `/v1/scenarios/${res.json().id}`)).json();
    expect(job).toMatchObject({ status: 'failed', error: SCENARIO_JOB_SHUTDOWN_ERROR });
    expect((await get(other, `/v1/scenarios/${res.json().id}/report`)).json().code).toBe('CB_SCENARIO_JOB_FAILED');
  }, 60_000);
});
