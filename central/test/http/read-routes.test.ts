import { encodeSyncRequest } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, OPERATOR_KEY, T0, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const site = sampleSite();

beforeAll(async () => {
  t = await makeTestApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
    payload: Buffer.from(encodeSyncRequest(site.syncRequest(1, 10, 10, T0))),
  });
  expect(res.statusCode).toBe(200);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const operator = { authorization: `Bearer ${OPERATOR_KEY}` };

describe('read API', () => {
  it('lists sites with totals and lots with counts per kind, vacancy and status', async () => {
    const sites = (await get('/v1/sites')).json();
    expect(sites.sites.map((s: { siteId: string }) => s.siteId)).toEqual(['hospital-north', 'other-site']);
    const lots = (await get('/v1/sites/hospital-north/lots')).json().lots;
    expect(lots).toHaveLength(2);
    const expectedFree = site.states.reduce((n, s) => n + (s === 1 ? 1 : 0), 0);
    expect(lots[0].free + lots[1].free).toBe(expectedFree);
    expect(lots[0]).toMatchObject({ lotId: 'P1', capacity: 250, status: expect.any(String) });
    expect(lots[0].kinds.standard.free + lots[0].kinds.standard.occupied).toBeGreaterThan(0);
    const lot = (await get('/v1/sites/hospital-north/lots/P2')).json();
    expect(lot.zones).toHaveLength(4);
  });

  it('answers unknown sites and lots with 404 and a code', async () => {
    const res = await get('/v1/sites/nowhere/lots');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: 'CB_SITE_UNKNOWN' });
    expect((await get('/v1/sites/hospital-north/lots/P7')).json().code).toBe('CB_LOT_UNKNOWN');
    expect((await get('/v1/nothing-here')).json()).toMatchObject({ statusCode: 404, code: 'CB_HTTP_NOT_FOUND' });
  });

  it('serves zones, history, devices, signs, gates, edges and the directives log', async () => {
    expect((await get('/v1/sites/hospital-north/zones')).json().zones).toHaveLength(8);
    const history = (await get(`/v1/sites/hospital-north/history?lotId=P1&fromMs=${T0}&toMs=${T0 + 3_600_000}`)).json();
    expect(history.points.length).toBeGreaterThan(0);
    expect(history.points.every((p: { lotId: string }) => p.lotId === 'P1')).toBe(true);
    const bad = await get('/v1/sites/hospital-north/history?fromMs=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'CB_HTTP_BAD_REQUEST', path: 'querystring.fromMs' });
    expect((await get('/v1/sites/hospital-north/devices')).json().devices).toHaveLength(8);
    expect((await get('/v1/sites/hospital-north/signs')).json().signs[0].signId).toBe('vms-north');
    expect((await get('/v1/sites/hospital-north/gates')).json().gates).toHaveLength(1);
    expect((await get('/v1/sites/hospital-north/edges')).json().edges[0]).toMatchObject({
      edgeId: 'edge-01',
      ackedSeq: 10,
    });
    expect((await get('/v1/sites/hospital-north/directives/log')).json().log).toHaveLength(1);
  });

  it('publishes DATEX II parking status, with 0 vacant for a closed lot, in JSON and XML', async () => {
    const before = (await get('/v1/datex/parking-status')).json();
    const records = before.parkingStatusPublication.parkingRecordStatus;
    const p1 = records.find(
      (r: { parkingRecordReference: { id: string } }) => r.parkingRecordReference.id === 'hospital-north/P1',
    );
    expect(p1.parkingSiteStatus).toMatch(/spacesAvailable|almostFull|full/);
    expect(p1.parkingOccupancy.parkingNumberOfVacantSpaces).toBeGreaterThan(0);
    expect(p1.parkingStatusOriginTime).toMatch(/^2026-/);

    const denied = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/hospital-north/lot-overrides',
      payload: { lotId: 'P1', status: 'closed' },
    });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().code).toBe('CB_HTTP_UNAUTHORIZED');
    const badLot = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/hospital-north/lot-overrides',
      headers: operator,
      payload: { lotId: 'P9', status: 'closed' },
    });
    expect(badLot.json()).toMatchObject({ statusCode: 400, path: 'body.lotId' });
    const badStatus = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/hospital-north/lot-overrides',
      headers: operator,
      payload: { lotId: 'P1', status: 'shut' },
    });
    expect(badStatus.json()).toMatchObject({ statusCode: 400, code: 'CB_HTTP_BAD_REQUEST' });
    const closed = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/hospital-north/lot-overrides',
      headers: operator,
      payload: { lotId: 'P1', status: 'closed', reason: 'resurfacing' },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().lotOverrides).toHaveLength(1);

    const after = (await get('/v1/sites/hospital-north/datex/parking-status')).json();
    const closedP1 = after.parkingStatusPublication.parkingRecordStatus.find(
      (r: { parkingRecordReference: { id: string } }) => r.parkingRecordReference.id === 'hospital-north/P1',
    );
    // DATEX II says "closed" with the opening status (its site-status values have no "closed").
    expect(closedP1).toMatchObject({
      parkingSiteOpeningStatus: 'closed',
      parkingOccupancy: { parkingNumberOfVacantSpaces: 0 },
    });
    expect(closedP1).not.toHaveProperty('parkingSiteStatus');
    const xml = await get('/v1/datex/parking-status', { accept: 'application/xml' });
    expect(xml.headers['content-type']).toMatch(/application\/xml/);
    expect(xml.body).toContain('xsi:type="par:ParkingStatusPublication"');
    expect(xml.body).toContain('<par:parkingSiteOpeningStatus>closed</par:parkingSiteOpeningStatus>');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/v1/sites/hospital-north/lot-overrides/P1',
      headers: operator,
    });
    expect(removed.json().lotOverrides).toEqual([]);
  });

  it('marks counts older than the staleness limit as unknown', async () => {
    t.clock.advance(t.config.staleAfterMs + 60_000);
    const lots = (await get('/v1/sites/hospital-north/lots')).json().lots;
    expect(lots.map((l: { status: string }) => l.status)).toEqual(['unknown', 'unknown']);
    t.clock.advance(-(t.config.staleAfterMs + 60_000));
  });

  it('serves GeoJSON of lots with live counts', async () => {
    const res = await get('/v1/sites/hospital-north/lots.geojson');
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const geo = res.json();
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(2);
    expect(geo.features[0]).toMatchObject({
      type: 'Feature',
      id: 'hospital-north/P1',
      geometry: { type: 'Point' },
      properties: { lotId: 'P1', capacity: 250 },
    });
    expect((await get('/v1/geojson/lots')).json().features).toHaveLength(4);
  });

  it('puts and removes sign overrides for operators', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/hospital-north/sign-overrides',
      headers: operator,
      payload: {
        signId: 'vms-north',
        lines: [{ label: 'P2', arrow: 'right', mode: 'text', text: 'HOSPITAL', colour: 'amber' }],
        expiresMs: T0 + 3_600_000,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().signOverrides[0].lines[0]).toMatchObject({ arrow: 3, mode: 4, colour: 2 });
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/v1/sites/hospital-north/sign-overrides/vms-north',
      headers: operator,
    });
    expect(del.json().signOverrides).toEqual([]);
  });

  it('serves health, Prometheus metrics, the OpenAPI document and docs UI, with security headers', async () => {
    const health = await get('/healthz');
    expect(health.json()).toMatchObject({ status: 'ok', store: 'sqlite' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toBeDefined();
    const metrics = await get('/metrics');
    expect(metrics.body).toContain('citybay_central_summaries_stored_total 10');
    expect(metrics.body).toContain('citybay_central_http_request_duration_seconds_bucket');
    const openapi = (await get('/docs/json')).json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/sync', '/v1/datex/parking-status']));
    const docs = await get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
