import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINEER_KEY, makeTestApp, type TestApp } from '../helpers/test-app.js';

// A small district (1.5 km street, a hospital lot and an overflow lot), light demand so the runs are quick.
const NETWORK = `nodes:
  - { id: w, x: -1500, y: 0 }
  - { id: m, x: -750, y: 0 }
  - { id: h, x: 0, y: 0 }
  - { id: e, x: 400, y: 0 }
  - { id: f, x: 1000, y: 0 }
  - { id: hl, x: 0, y: 200 }
  - { id: pl, x: 400, y: 150 }
edges:
  - { id: in_w1, from: w, to: m, speedKmh: 50 }
  - { id: in_w2, from: m, to: h, speedKmh: 50 }
  - { id: h_e, from: h, to: e, speedKmh: 50 }
  - { id: e_f, from: e, to: f, speedKmh: 50 }
  - { id: f_e, from: f, to: e, speedKmh: 50 }
  - { id: e_h, from: e, to: h, speedKmh: 50 }
  - { id: h_m, from: h, to: m, speedKmh: 50 }
  - { id: m_w, from: m, to: w, speedKmh: 50 }
  - { id: h_gate, from: h, to: hl, speedKmh: 20 }
  - { id: p_gate, from: e, to: pl, speedKmh: 20 }
`;
const LOTS = `lots:
  - { id: H, entryEdgeId: h_gate, gateServiceVehPerMin: 8, capacityByKind: { standard: 60, accessible: 4 }, walkTimeSByEntrance: { main: 60 } }
  - { id: P, entryEdgeId: p_gate, gateServiceVehPerMin: 6, capacityByKind: { standard: 120 }, walkTimeSByEntrance: { main: 240 } }
`;
const SCENARIO = {
  name: 'small-district',
  network: 'network.yaml',
  lots: 'lots.yaml',
  lotRoles: { H: 'hospital', P: 'overflow' },
  date: '2026-03-02T00:00:00+01:00',
  period: { from: '07:00', to: '08:30' },
  seed: 7,
  demand: {
    appointments: {
      generate: {
        visitsPerDay: 150,
        hourlyWeights: [0, 0, 0, 0, 0, 0, 0, 3, 4, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        durationMin: { mean: 40, sd: 15, min: 10 },
        entranceWeights: { main: 1 },
        accessibleShare: 0.03,
        familyShare: 0,
        evShare: 0,
      },
    },
    carShare: 0.7,
    noShowShare: 0.05,
    dropOffShare: 0.1,
    dropOffEdgeIds: ['h_e', 'h_m'],
    arrivalBeforeMin: { mean: 20, sd: 8, min: 0, max: 60 },
    extraStayMin: { mean: 90, sd: 20, min: 20 },
    origins: [
      { edgeId: 'in_w1', share: 0.7 },
      { edgeId: 'f_e', share: 0.3 },
    ],
    drivers: { searchShare: 0.2, knowsSharedLotsShare: 0.3, signCompliance: 0.8 },
  },
  signs: [{ id: 'S1', edgeId: 'in_w1' }],
  approach: [
    ['h_gate', 'in_w2', 'in_w1'],
    ['h_gate', 'e_h', 'f_e'],
  ],
  policies: [{ name: 'baseline' }, { name: 'signs', guidance: 'signs' }],
};

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const engineer = { authorization: `Bearer ${ENGINEER_KEY}` };

async function waitForJob(id: string, deadlineMs = 60_000): Promise<{ status: string; progress: { completedRuns: number } }> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const job = (await t.app.inject({ method: 'GET', url: `/v1/scenarios/${id}`, headers: engineer })).json();
    if (job.status === 'done' || job.status === 'failed' || Date.now() > until) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
    const job = await waitForJob(id);
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
});
