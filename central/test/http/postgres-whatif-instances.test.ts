import { ManualClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requirePostgres } from '../helpers/postgres.js';
import { twoAppsOnOnePostgres } from '../helpers/postgres-instances.js';
import { districtWhatIf, engineer, waitForJob } from '../helpers/small-district.js';
import { OPERATOR_KEY, T0 } from '../helpers/test-app.js';

await requirePostgres();

describe('the what-if catalogue on two central instances sharing one PostgreSQL database', () => {
  const apps = twoAppsOnOnePostgres('whatif', new ManualClock(T0));

  const offer = (app: FastifyInstance, bundle: { id: string }) =>
    app.inject({
      method: 'PUT',
      url: `/v1/dashboard/scenarios/${bundle.id}`,
      headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify(bundle),
    });
  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: engineer });

  it('lists and serves a scenario offered through the other instance, field for field, and runs it there', async () => {
    const [taker, other] = [apps[0]!, apps[1]!];
    const bundle = districtWhatIf();
    expect((await offer(taker, bundle)).statusCode).toBe(204);
    expect((await get(other, '/v1/dashboard/scenarios')).json()).toEqual({
      scenarios: [
        { id: bundle.id, name: bundle.name, description: bundle.description, policies: ['baseline', 'signs'] },
      ],
    });
    const one = await get(other, `/v1/dashboard/scenarios/${bundle.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(bundle);
    expect((await get(other, '/v1/dashboard/scenarios/nope')).json()).toMatchObject({
      code: 'CB_HTTP_NOT_FOUND',
      path: 'id',
    });

    // What the what-if page does with it, on the instance that did not take the offer.
    const { scenario, files } = one.json();
    const job = await other.inject({
      method: 'POST',
      url: '/v1/scenarios',
      headers: engineer,
      payload: { scenario, files, sweep: { policies: ['baseline'], seeds: [1] } },
    });
    expect(job.statusCode, job.body).toBe(202);
    expect(await waitForJob(other, job.json().id)).toMatchObject({ status: 'done' });
  }, 60_000);

  it('shows a replacement or a newer offer made through either instance on both, newest last', async () => {
    const [first, second] = [apps[0]!, apps[1]!];
    expect((await offer(second, districtWhatIf('grid', 'Grid'))).statusCode).toBe(204);
    const renamed = districtWhatIf('small-district', 'Small district, v2');
    expect((await offer(second, renamed)).statusCode).toBe(204);
    for (const app of [first, second]) {
      const listed = (await get(app, '/v1/dashboard/scenarios')).json().scenarios;
      expect(listed.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([
        ['grid', 'Grid'],
        ['small-district', 'Small district, v2'],
      ]);
      expect((await get(app, '/v1/dashboard/scenarios/small-district')).json()).toEqual(renamed);
    }
  });
});
