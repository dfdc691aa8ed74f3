import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHATIF_SCENARIOS_KEPT } from '../../src/http/whatif-routes.js';
import { ENGINEER_KEY, makeTestApp, OPERATOR_KEY, type TestApp } from '../helpers/test-app.js';

const report = {
  scenario: 'hospital-district',
  policy: 'combined',
  speed: 30,
  utcOffsetMin: 480,
  simTimeS: 7.5 * 3600,
  fromS: 7 * 3600,
  toS: 11 * 3600,
  isRunning: true,
  approachQueueM: 120,
  queueSeries: [
    { simS: 7 * 3600, queueM: 0 },
    { simS: 7.5 * 3600, queueM: 120 },
  ],
  simOccupancy: { H: { standard: 300 } },
  signs: [
    {
      siteId: 'hospital-north',
      signId: 'G1',
      location: 'Ring Rd',
      message: { lines: [{ label: 'H', arrow: 'left', value: 12, colour: 'green' }] },
    },
  ],
  appointments: {
    status: 'done',
    posted: 1,
    assigned: 1,
    items: [{ id: 'a1', startMs: 0, simStartS: 27_000, kind: 'standard', lotId: 'P1' }],
  },
};
const bundle = {
  id: 'district',
  name: 'District',
  policies: ['baseline', 'signs'],
  scenario: 'name: district',
  files: { 'lots.yaml': 'lots: []' },
};

describe('dashboard routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(async () => t.close());

  it('serves the pages without any CDN', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/dashboard/');
    for (const page of ['/dashboard/', '/dashboard/whatif.html']) {
      const response = await t.app.inject({ method: 'GET', url: page });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).not.toMatch(/https?:\/\//);
    }
    const script = await t.app.inject({ method: 'GET', url: '/dashboard/dashboard.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('EventSource');
  });

  it('takes the twin report only with an operator key and a valid body, and shows it in the snapshot', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/v1/dashboard/twin', payload: report });
    expect(anonymous.statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/dashboard/twin',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      payload: { ...report, simTimeS: 'noon' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: '/simTimeS' });
    // The replay mode is gone: a report that says it replays is refused, naming the field.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/v1/dashboard/twin',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      payload: { ...report, mode: 'replay' },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: '/mode' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/dashboard/twin',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      payload: report,
    });
    expect(ok.statusCode).toBe(204);
    const state = (await t.app.inject({ method: 'GET', url: '/v1/dashboard/state' })).json();
    expect(state.twin.approachQueueM).toBe(120);
    expect(state.sites.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['hospital-north', 'other-site']),
    );
    const site = state.sites.find((s: { id: string }) => s.id === 'hospital-north');
    expect(site.directives).toMatchObject({ reservationCount: 0, heldNowByLot: {} });
    expect(site.edges.map((e: { edgeId: string }) => e.edgeId)).toEqual(['edge-01']);
  });

  it('keeps a what-if catalogue: operators offer scenarios, engineers read them', async () => {
    const put = (body: unknown, key = OPERATOR_KEY, id = 'district') =>
      t.app.inject({
        method: 'PUT',
        url: `/v1/dashboard/scenarios/${id}`,
        headers: { authorization: `Bearer ${key}` },
        payload: body as object,
      });
    expect((await put(bundle, ENGINEER_KEY)).statusCode).toBe(401);
    expect((await put(bundle, OPERATOR_KEY, 'elsewhere')).json()).toMatchObject({
      code: 'CB_HTTP_BAD_REQUEST',
      path: 'id',
    });
    expect((await put({ ...bundle, policies: [] })).statusCode).toBe(400);
    expect((await put(bundle)).statusCode).toBe(204);
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/dashboard/scenarios',
      headers: { authorization: `Bearer ${ENGINEER_KEY}` },
    });
    expect(list.json()).toEqual({ scenarios: [{ id: 'district', name: 'District', policies: ['baseline', 'signs'] }] });
    const one = await t.app.inject({
      method: 'GET',
      url: '/v1/dashboard/scenarios/district',
      headers: { authorization: `Bearer ${ENGINEER_KEY}` },
    });
    expect(one.json().files).toEqual(bundle.files);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/v1/dashboard/scenarios/nope',
      headers: { authorization: `Bearer ${ENGINEER_KEY}` },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses bad offers and reads, naming the field, and stores nothing of a refused offer', async () => {
    const put = (
      body: unknown,
      headers: Record<string, string> = { authorization: `Bearer ${OPERATOR_KEY}` },
      id = 'refused',
    ) => t.app.inject({ method: 'PUT', url: `/v1/dashboard/scenarios/${id}`, headers, payload: body as object });
    const get = (url: string, headers: Record<string, string> = { authorization: `Bearer ${ENGINEER_KEY}` }) =>
      t.app.inject({ method: 'GET', url, headers });
    const refused = { ...bundle, id: 'refused' };
    expect((await put(refused, {})).statusCode).toBe(401);
    expect((await put(refused, { authorization: `Bearer ${ENGINEER_KEY}` })).json()).toMatchObject({
      code: 'CB_HTTP_UNAUTHORIZED',
    });
    expect((await put({ ...refused, files: { 'lots.yaml': 3 } })).json()).toMatchObject({
      code: 'CB_HTTP_BAD_REQUEST',
      path: '/files/lots.yaml',
    });
    expect((await put({ ...refused, colour: 'red' })).json()).toMatchObject({
      code: 'CB_HTTP_BAD_REQUEST',
      path: '/colour',
    });
    expect((await put({ ...refused, id: 'bad id' }, undefined, 'bad id')).json()).toMatchObject({
      code: 'CB_HTTP_BAD_REQUEST',
      path: '/id',
    });
    const mismatch = await put(refused, undefined, 'other');
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'id' });
    expect((await get('/v1/dashboard/scenarios/refused')).json()).toMatchObject({
      code: 'CB_HTTP_NOT_FOUND',
      path: 'id',
    });
    expect((await get('/v1/dashboard/scenarios/other')).statusCode).toBe(404);
    expect((await get('/v1/dashboard/scenarios')).json().scenarios.map((s: { id: string }) => s.id)).not.toContain(
      'refused',
    );
    expect((await get('/v1/dashboard/scenarios', {})).statusCode).toBe(401);
    expect(
      (await get('/v1/dashboard/scenarios/district', { authorization: 'Bearer cbk_nobody' })).json(),
    ).toMatchObject({
      code: 'CB_HTTP_UNAUTHORIZED',
    });
  });

  it('serves a scenario byte for byte as offered, and keeps the newest 20', async () => {
    const headers = { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' };
    const offer = (body: { id: string }) =>
      t.app.inject({
        method: 'PUT',
        url: `/v1/dashboard/scenarios/${body.id}`,
        headers,
        payload: JSON.stringify(body),
      });
    const read = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ENGINEER_KEY}` } });
    const exact = {
      ...bundle,
      id: 'exact',
      description: 'Zufahrt Süd — 入口',
      files: { 'z.yaml': 'z: 1\n', 'a.csv': 'a,b\n', 'm.json': '{"b":1,"a":2}' },
    };
    expect((await offer(exact)).statusCode).toBe(204);
    expect((await read('/v1/dashboard/scenarios/exact')).body).toBe(JSON.stringify(exact));
    expect(WHATIF_SCENARIOS_KEPT).toBe(20);
    const ids = Array.from({ length: WHATIF_SCENARIOS_KEPT }, (_, i) => `kept-${String(i).padStart(2, '0')}`);
    for (const id of ids) expect((await offer({ ...bundle, id })).statusCode).toBe(204);
    const listed = (await read('/v1/dashboard/scenarios')).json().scenarios;
    expect(listed.map((s: { id: string }) => s.id)).toEqual(ids);
    expect(listed[0]).toEqual({ id: 'kept-00', name: 'District', policies: ['baseline', 'signs'] });
    expect((await read('/v1/dashboard/scenarios/exact')).statusCode).toBe(404);
  });

  it('pushes snapshots as server-sent events, and ends the feed when central closes', async () => {
    const feed = await makeTestApp();
    const url = await feed.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${url}/v1/dashboard/events`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!/event: snapshot\nid: \d+\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const event = JSON.parse(/event: snapshot\nid: \d+\ndata: (.*)\n\n/.exec(text)![1]!);
    expect(event.sites.length).toBe(2);
    await feed.close();
    const end = await reader.read();
    expect(end.done).toBe(true);
  });
});
