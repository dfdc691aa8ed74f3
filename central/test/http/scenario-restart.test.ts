import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIO_JOB_SHUTDOWN_ERROR } from '../../src/core/scenario-job-lease.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { districtSubmission, engineer, waitForJob } from '../helpers/small-district.js';
import { makeAppOnStore } from '../helpers/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-scenario-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario jobs across a restart of central (SQLite file)', () => {
  it('keeps a finished job with its results, and fails the one that was still running with the shutdown error', async () => {
    const path = join(dir, 'central.db');
    const store = new SqliteStore({ path });
    const app = await makeAppOnStore(store);
    const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/scenarios', headers: engineer, payload });
    const done = (await post(districtSubmission({ policies: ['baseline', 'signs'], seeds: [1] }))).json();
    expect((await waitForJob(app, done.id)).status).toBe('done');
    const kpisBefore = (
      await app.inject({ method: 'GET', url: `/v1/scenarios/${done.id}/kpis`, headers: engineer })
    ).json();
    // 64 runs take seconds on the pool; central stops long before they end.
    const seeds = Array.from({ length: 32 }, (_, i) => i + 1);
    const cut = await post(districtSubmission({ policies: ['baseline', 'signs'], seeds }));
    expect(cut.statusCode, cut.body).toBe(202);
    await app.close();
    await store.close();

    const reopened = new SqliteStore({ path });
    const again = await makeAppOnStore(reopened);
    try {
      const get = (url: string) => again.inject({ method: 'GET', url, headers: engineer });
      expect((await get(`/v1/scenarios/${done.id}`)).json()).toMatchObject({
        status: 'done',
        progress: { completedRuns: 2, totalRuns: 2 },
      });
      expect((await get(`/v1/scenarios/${done.id}/kpis`)).json()).toEqual(kpisBefore);
      expect((await get(`/v1/scenarios/${done.id}/report`)).body).toContain('<svg');
      const stopped = (await get(`/v1/scenarios/${cut.json().id}`)).json();
      expect(stopped).toMatchObject({ status: 'failed', error: SCENARIO_JOB_SHUTDOWN_ERROR });
      expect(stopped.progress.completedRuns).toBeLessThan(64);
      const kpis = await get(`/v1/scenarios/${cut.json().id}/kpis`);
      expect(kpis.statusCode).toBe(422);
      expect(kpis.json().code).toBe('CB_SCENARIO_JOB_FAILED');
      expect((await get('/v1/scenarios')).json().jobs.map((j: { id: string }) => j.id)).toEqual([
        done.id,
        cut.json().id,
      ]);
    } finally {
      await again.close();
      await reopened.close();
    }
  }, 90_000);
});
