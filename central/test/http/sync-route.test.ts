import type { AddressInfo } from 'node:net';
import { decodeSyncResponse, encodeSyncRequest, messages, type SyncRequest } from '@citybay/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthHeader, generateSecret, hashSecret } from '../../src/io/credentials.js';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, T0, type TestApp } from '../helpers/test-app.js';

const PROTOBUF = 'application/x-protobuf';
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function post(app: TestApp, payload: Uint8Array | string, headers: Record<string, string> = {}) {
  return app.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { 'content-type': PROTOBUF, authorization: app.auth, ...headers },
    payload: typeof payload === 'string' ? payload : Buffer.from(payload),
  });
}

describe('POST /v1/sync', () => {
  it('stores a batch, answers the ack and the site directives in protobuf, and replays change nothing', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    const body = encodeSyncRequest(site.syncRequest(1, 10, 10, T0));
    const res = await post(t, body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(PROTOBUF);
    const answer = decodeSyncResponse(res.rawPayload);
    expect(answer.ackedSeq).toBe(10);
    expect(answer.missingSeqs ?? []).toEqual([]);
    expect(answer.directives).toMatchObject({ siteId: 'hospital-north', configVersion: 'site-v12' });
    const zones = await t.store.listZoneStates('hospital-north');
    expect(zones).toHaveLength(8);

    const replay = await post(t, body);
    expect(replay.statusCode).toBe(200);
    expect(decodeSyncResponse(replay.rawPayload).ackedSeq).toBe(10);
    expect(await t.store.listZoneStates('hospital-north')).toEqual(zones);
    expect(await t.store.listRawBatches('edge-01')).toEqual([[1, 10]]);
  });

  it('leaves the directives out for an edge that already has their version', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    const first = decodeSyncResponse((await post(t, encodeSyncRequest(site.syncRequest(1, 2, 2, T0)))).rawPayload);
    const version = first.directives!.version!;
    const current = { ...site.syncRequest(3, 2, 2, T0 + 10_000), directivesVersion: version };
    const second = decodeSyncResponse((await post(t, encodeSyncRequest(current))).rawPayload);
    expect(second.ackedSeq).toBe(4);
    expect(second.directives).toBeNull();
    const stale = { ...site.syncRequest(5, 1, 2, T0 + 20_000), directivesVersion: version - 1 };
    const third = decodeSyncResponse((await post(t, encodeSyncRequest(stale))).rawPayload);
    expect(third.directives).toMatchObject({ siteId: 'hospital-north', version });
  });

  it('reports gaps as missing seqs and keeps going', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    await post(t, encodeSyncRequest(site.syncRequest(1, 3, 2, T0)));
    const res = await post(t, encodeSyncRequest(site.syncRequest(7, 2, 2, T0 + 30_000)));
    const answer = decodeSyncResponse(res.rawPayload);
    expect(answer).toMatchObject({ ackedSeq: 8, missingSeqs: [4, 5, 6] });
  });

  it.each([
    ['random bytes', Buffer.from('this is not protobuf at all \u0000\u00ff\u00fe')],
    ['a truncated request', encodeSyncRequest(sampleSite().syncRequest(1, 2)).subarray(0, 57)],
    ['an empty body', new Uint8Array(0)],
  ])('refuses %s with 400 and a CB_WIRE code', async (_name, payload) => {
    t = await makeTestApp();
    const res = await post(t, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json().code).toMatch(/^CB_WIRE_INVALID$/);
    expect(await t.store.listRawBatches('edge-01')).toEqual([]);
  });

  it('names the bad field of a request that decodes but is invalid', async () => {
    t = await makeTestApp();
    const request = sampleSite().syncRequest(1, 2);
    const raw = messages.SyncRequest.encode({
      ...request,
      summaries: [{ ...request.summaries![0]!, seq: 0 }],
    }).finish();
    const res = await post(t, raw);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_WIRE_INVALID', path: 'summaries[0].seq' });
  });

  it('refuses a body over the limit with 413', async () => {
    t = await makeTestApp({ bodyLimitBytes: 2048 });
    const res = await post(t, encodeSyncRequest(sampleSite(2000).syncRequest(1, 10)));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('CB_HTTP_TOO_LARGE');
  });

  it('refuses another content type with 415', async () => {
    t = await makeTestApp();
    const res = await post(t, JSON.stringify({ siteId: 'hospital-north' }), { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('CB_HTTP_UNSUPPORTED_MEDIA_TYPE');
    const none = await t.app.inject({ method: 'POST', url: '/v1/sync', headers: { authorization: t.auth } });
    expect(none.statusCode).toBe(415);
  });

  it.each([
    ['no credentials', undefined],
    ['an unknown edge', basicAuthHeader('edge-99', generateSecret())],
    ['a bad secret', basicAuthHeader('edge-01', generateSecret())],
    ['a malformed header', 'Basic !!!'],
  ])('refuses %s with 401', async (_name, authorization) => {
    t = await makeTestApp();
    const headers: Record<string, string> = { 'content-type': PROTOBUF };
    if (authorization) headers.authorization = authorization;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/sync',
      headers,
      payload: Buffer.from(encodeSyncRequest(sampleSite().syncRequest(1, 1))),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CB_SYNC_UNAUTHORIZED');
  });

  it("refuses another site's data and another edge's data with 403", async () => {
    t = await makeTestApp();
    const other = sampleSite(500, 1, 'edge-01', 'other-site');
    const res = await post(t, encodeSyncRequest(other.syncRequest(1, 1)));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CB_SYNC_FORBIDDEN', path: 'siteId' });
    const impostor = sampleSite(500, 1, 'edge-02');
    const res2 = await post(t, encodeSyncRequest(impostor.syncRequest(1, 1)));
    expect(res2.statusCode).toBe(403);
    expect(res2.json()).toMatchObject({ code: 'CB_SYNC_FORBIDDEN', path: 'edgeId' });
    expect(await t.store.listZoneStates('other-site')).toEqual([]);
  });

  it('refuses a summary for an unknown lot or zone with 400 naming it, storing nothing of the batch', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    const request: SyncRequest = site.syncRequest(1, 5);
    const snapshot = request.summaries![0]!;
    snapshot.zones![3] = { ...snapshot.zones![3]!, lotId: 'P9' };
    const res = await post(t, encodeSyncRequest(request));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_SYNC_UNKNOWN_AREA', path: 'summaries[0].zones[3].lotId' });
    expect(res.json().message).toContain('P9');
    snapshot.zones![3] = { ...snapshot.zones![3]!, lotId: 'P1', zoneId: 'Z' };
    const res2 = await post(t, encodeSyncRequest(request));
    expect(res2.json()).toMatchObject({ code: 'CB_SYNC_UNKNOWN_AREA', path: 'summaries[0].zones[3].zoneId' });
    expect(await t.store.listZoneStates('hospital-north')).toEqual([]);
    expect(await t.store.listRawBatches('edge-01')).toEqual([]);
    expect((await t.store.listEdgeStatus('hospital-north'))[0]?.ackedSeq).toBe(0);
  });

  it('refuses a zone change pointing past the last snapshot, storing nothing of the batch', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    await post(t, encodeSyncRequest(site.syncRequest(1, 2)));
    const request = site.syncRequest(3, 3);
    request.summaries![2]!.zoneChanges = [42, 1, 0, 0, 0];
    const res = await post(t, encodeSyncRequest(request));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CB_WIRE_INVALID' });
    expect(res.json().path).toMatch(/^summaries\[2\]\.zoneChanges/);
    expect(await t.store.listRawBatches('edge-01')).toEqual([[1, 2]]);
  });

  it('accepts both secrets during a rotation and only the new one after it', async () => {
    t = await makeTestApp();
    const site = sampleSite();
    const fresh = generateSecret();
    await t.store.addEdgeSecret('edge-01', hashSecret(fresh), T0 + 1);
    const withOld = await post(t, encodeSyncRequest(site.syncRequest(1, 1)));
    const withNew = await post(t, encodeSyncRequest(site.syncRequest(2, 1)), {
      authorization: basicAuthHeader('edge-01', fresh),
    });
    expect([withOld.statusCode, withNew.statusCode]).toEqual([200, 200]);
    await t.store.dropOldEdgeSecrets('edge-01');
    t.clock.advance(10_000);
    const oldAfter = await post(t, encodeSyncRequest(site.syncRequest(3, 1)));
    expect(oldAfter.statusCode).toBe(401);
  });

  it('rate-limits an edge with 429', async () => {
    t = await makeTestApp({ rateLimitPerMin: 3 });
    const body = encodeSyncRequest(sampleSite().syncRequest(1, 1));
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post(t, body)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const res = await post(t, body);
    expect(res.json().code).toBe('CB_HTTP_RATE_LIMITED');
  });

  it('answers 503 with the JSON error shape while shutting down', async () => {
    let status = 0;
    let code = '';
    t = await makeTestApp({}, undefined, [
      (app) => {
        // Runs after central's own preClose hook: a request arriving now must be turned away.
        app.addHook('preClose', async () => {
          const address = app.server.address() as AddressInfo;
          const res = await fetch(`http://127.0.0.1:${address.port}/healthz`);
          status = res.status;
          code = ((await res.json()) as { code: string }).code;
        });
      },
    ]);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    await t.app.close();
    expect([status, code]).toEqual([503, 'CB_HTTP_SHUTTING_DOWN']);
  });
});
