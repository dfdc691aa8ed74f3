import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_JOB_ABANDONED_ERROR } from '../../src/core/scenario-job-lease.js';
import { districtSubmission, engineer, LOTS, NETWORK, SCENARIO, waitForJob } from '../helpers/small-district.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('scenario API', () => {
  it('needs an engineer key and names a missing file', async () => {
    const payload = { scenario: SCENARIO, files: { 'network.yaml': NETWORK, 'lots.yaml': LOTS } };
    expect((await t.app.inject({ method: 'POST', url: '/v1/scenarios', payload })).statusCode).toBe(401);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: { scenario: SCENARIO, files: { 'network.yaml': NETWORK } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'body.files.lots.yaml' });
    const badPolicy = await t.app.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: { ...payload, sweep: { policies: ['teleport'] } },
    });
    expect(badPolicy.json()).toMatchObject({ statusCode: 400, path: 'body.sweep.policies[0]' });
  });

  it('runs a sweep on the worker pool and serves progress, KPIs, series and the HTML report', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: {
        scenario: SCENARIO,
        files: { 'network.yaml': NETWORK, 'lots.yaml': LOTS },
        sweep: { policies: ['baseline', 'signs'], seeds: [1, 2] },
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { id, runs } = res.json();
    expect(runs).toHaveLength(4);
    const early = await t.app.inject({ method: 'GET', url: `/v1/scenarios/${id}/kpis`, headers: engineer });
    expect([200, 409]).toContain(early.statusCode);
    const job = await waitForJob(t.app, id);
    expect(job.status).toBe('done');
    expect(job.progress.completedRuns).toBe(4);
    const kpis = (await t.app.inject({ method: 'GET', url: `/v1/scenarios/${id}/kpis`, headers: engineer })).json();
    expect(kpis.runs.map((r: { policy: string; seed: number }) => `${r.policy}#${r.seed}`)).toEqual([
      'baseline#1',
      'baseline#2',
      'signs#1',
      'signs#2',
    ]);
    expect(kpis.runs[0].kpis.parkTrips).toBeGreaterThan(0);
    expect(kpis.runs[0].series).toBeUndefined();
    const series = (await t.app.inject({ method: 'GET', url: `/v1/scenarios/${id}/series`, headers: engineer })).json();
    expect(series.runs[0].series.timesS.length).toBeGreaterThan(0);
    const report = await t.app.inject({ method: 'GET', url: `/v1/scenarios/${id}/report`, headers: engineer });
    expect(report.headers['content-type']).toMatch(/text\/html/);
    expect(report.body).toContain('<svg');
    expect((await t.app.inject({ method: 'GET', url: '/v1/scenarios/nope', headers: engineer })).json().code).toBe(
      'CB_SCENARIO_JOB_UNKNOWN',
    );
  }, 90_000);

  const resultRoutes = ['kpis', 'series', 'report'];
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: engineer });

  it('answers 404 CB_SCENARIO_JOB_UNKNOWN for a job nobody stored, on every route', async () => {
    for (const suffix of ['', ...resultRoutes.map((r) => `/${r}`)]) {
      const res = await get(`/v1/scenarios/no-such-job${suffix}`);
      expect(res.statusCode, suffix).toBe(404);
      expect(res.json(), suffix).toMatchObject({ code: 'CB_SCENARIO_JOB_UNKNOWN', path: 'id' });
    }
  });

  it('answers 409 CB_SCENARIO_JOB_NOT_READY for a running job, 422 CB_SCENARIO_JOB_FAILED once it failed', async () => {
    // As another instance on the same store would have left it.
    const lease = { nowMs: t.clock.nowMs(), leaseMs: t.config.scenarioJobLeaseMs };
    const runs = [{ policy: 'baseline', seed: 1 }];
    const job = { id: 'elsewhere-1', name: 'district', runs, ownerId: 'other-instance' };
    await t.store.createScenarioJob(job, lease.nowMs);
    await t.store.recordScenarioJobProgress('elsewhere-1', 0, lease);
    expect((await get('/v1/scenarios/elsewhere-1')).json()).toMatchObject({
      status: 'running',
      progress: { completedRuns: 0, totalRuns: 1 },
    });
    for (const route of resultRoutes) {
      const res = await get(`/v1/scenarios/elsewhere-1/${route}`);
      expect(res.statusCode, route).toBe(409);
      expect(res.json().code, route).toBe('CB_SCENARIO_JOB_NOT_READY');
    }
    await t.store.failScenarioJob('elsewhere-1', 'worker thread exited', lease);
    const failed = (await get('/v1/scenarios/elsewhere-1')).json();
    expect(failed).toMatchObject({ status: 'failed', error: 'worker thread exited' });
    expect(failed.finishedAt).toBe(new Date(lease.nowMs).toISOString());
    for (const route of resultRoutes) {
      const res = await get(`/v1/scenarios/elsewhere-1/${route}`);
      expect(res.statusCode, route).toBe(422);
      expect(res.json().code, route).toBe('CB_SCENARIO_JOB_FAILED');
    }
    expect((await get('/v1/scenarios')).json().jobs.map((j: { id: string }) => j.id)).toContain('elsewhere-1');
  });

  it('refuses a scenario that names what is not there, before any run, naming the field', async () => {
    const jobsBefore = (await get('/v1/scenarios')).json().jobs.length;
    const badLots = LOTS.replace('entryEdgeId: p_gate', 'entryEdgeId: nowhere');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: districtSubmission(undefined, badLots),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_SCENARIO_INVALID', path: 'lots[1].entryEdgeId' });
    expect(res.json().message).toMatch(/nowhere/);
    const badSign = { ...SCENARIO, signs: [{ id: 'S1', edgeId: 'gone' }] };
    const payload = { scenario: badSign, files: { 'network.yaml': NETWORK, 'lots.yaml': LOTS } };
    const sign = await t.app.inject({ method: 'POST', url: '/v1/scenarios', headers: engineer, payload });
    expect(sign.json()).toMatchObject({ statusCode: 400, code: 'CB_SCENARIO_INVALID', path: 'signs[0].edgeId' });
    expect((await get('/v1/scenarios')).json().jobs).toHaveLength(jobsBefore);
  });

  it('takes a job whose instance stopped heartbeating as failed once the lease has run out', async () => {
    const startMs = t.clock.nowMs();
    const runs = [{ policy: 'baseline', seed: 1 }];
    await t.store.createScenarioJob({ id: 'crashed-1', name: 'district', runs, ownerId: 'gone' }, startMs);
    try {
      t.clock.advance(t.config.scenarioJobLeaseMs);
      expect((await get('/v1/scenarios/crashed-1')).json().status).toBe('queued');
      t.clock.advance(1);
      const job = (await get('/v1/scenarios/crashed-1')).json();
      expect(job).toMatchObject({ status: 'failed', error: SCENARIO_JOB_ABANDONED_ERROR });
      expect(job.finishedAt).toBe(new Date(startMs).toISOString());
      expect((await get('/v1/scenarios/crashed-1/report')).json().code).toBe('CB_SCENARIO_JOB_FAILED');
    } finally {
      t.clock.set(startMs);
    }
  });
});
