import { request as httpRequest } from 'node:http';
import { createGunzip } from 'node:zlib';
import { FUZZ_RUNS } from '@citybay/common/testing';
import { encodeSyncRequest } from '@citybay/proto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJsonDelta, jsonDelta } from '../../src/http/dashboard-delta.js';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, OPERATOR_KEY, T0, type TestApp } from '../helpers/test-app.js';

describe('jsonDelta', () => {
  it('turns any JSON value into any other', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, json, (prev, next) => {
        expect(applyJsonDelta(prev, jsonDelta(prev, next))).toEqual(next);
        expect(jsonDelta(next, next)).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('sends a grown series as its new tail and a changed field as itself', () => {
    const prev = { twin: { series: [1, 2], at: 5 }, sites: [{ free: 3, name: 'N' }] };
    const next = { twin: { series: [1, 2, 3], at: 6 }, sites: [{ free: 4, name: 'N' }] };
    expect(jsonDelta(prev, next)).toEqual([
      ['a', ['twin', 'series'], [3]],
      ['s', ['twin', 'at'], 6],
      ['s', ['sites', 0, 'free'], 4],
    ]);
  });
});

// The live feed as a browser receives it: measured in bytes on the wire, and checked to rebuild the same snapshot.
describe('the dashboard live feed', () => {
  let t: TestApp;
  let url: string;
  const report = (second: number) => ({
    scenario: 'hospital-district',
    policy: 'combined',
    speed: 30,
    simTimeS: 7 * 3600 + second * 30,
    fromS: 6 * 3600,
    toS: 13 * 3600,
    isRunning: true,
    approachQueueM: (second * 13) % 200,
    queueSeries: Array.from({ length: 120 + second }, (_, i) => ({ simS: 6 * 3600 + i * 30, queueM: (i * 7) % 150 })),
    simOccupancy: { P1: { standard: 300 + second } },
    signs: Array.from({ length: 6 }, (_, i) => ({
      siteId: 'hospital-north',
      signId: `G${i}`,
      location: `approach ${i}`,
      message: { lines: [{ label: 'P1', arrow: 'left', value: 40 - ((second + i) % 9), colour: 'green' }] },
    })),
    appointments: {
      status: 'done',
      posted: 200,
      assigned: 200,
      items: Array.from({ length: 200 }, (_, i) => ({
        id: `a${i}`,
        startMs: T0 + i * 60_000,
        simStartS: 7 * 3600 + i * 60,
        kind: 'standard',
        lotId: 'P1',
      })),
    },
  });
  const postTwin = async (second: number) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/dashboard/twin',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      payload: report(second),
    });
    expect(response.statusCode).toBe(204);
  };

  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.inject({
      method: 'POST',
      url: '/v1/sync',
      headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
      payload: Buffer.from(encodeSyncRequest(sampleSite().syncRequest(1, 10, 10, T0))),
    });
    await postTwin(0);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t.close());

  it('sends a snapshot then deltas, gzip-compressed, at a fraction of the bytes of whole snapshots', async () => {
    const SECONDS = 6;
    let wireBytes = 0;
    let text = '';
    const events: Array<{ event: string; id: number; data: unknown }> = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${url}/v1/dashboard/events`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        res.on('data', (chunk: Buffer) => {
          wireBytes += chunk.length;
        });
        const gunzip = createGunzip();
        res.pipe(gunzip);
        gunzip.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const event = /^event: (\w+)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data)
              events.push({ event, id: Number(/^id: (\d+)$/m.exec(block)?.[1]), data: JSON.parse(data) });
            if (events.length >= SECONDS + 1) {
              req.destroy();
              resolve();
            }
          }
        });
        gunzip.on('error', reject);
      });
      req.on('error', (err) => (events.length >= SECONDS + 1 ? resolve() : reject(err)));
      req.end();
    });
    // What the old feed sent each second: the whole snapshot, uncompressed.
    let wholeBytes = 0;
    const snapshots: unknown[] = [];
    for (let second = 1; events.length < SECONDS + 1; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await postTwin(second);
      const state = (await t.app.inject({ method: 'GET', url: '/v1/dashboard/state' })).body;
      snapshots.push(JSON.parse(state));
      wholeBytes += `data: ${state}\n\n`.length;
      if (second > SECONDS * 4) throw new Error('the feed stopped sending');
    }
    await done;
    expect(events[0]!.event).toBe('snapshot');
    expect(events.slice(1).every((e) => e.event === 'delta')).toBe(true);
    // Applying the deltas in order rebuilds exactly what central serves as the state.
    let state = events[0]!.data;
    for (const e of events.slice(1)) {
      const { base, ops } = e.data as { base: number; ops: Parameters<typeof applyJsonDelta>[1] };
      expect(base).toBe(e.id - 1);
      state = applyJsonDelta(state, ops);
    }
    expect(snapshots).toContainEqual(state);
    const perSecondBefore = wholeBytes / snapshots.length;
    const perSecondAfter = wireBytes / SECONDS;
    console.log(
      `dashboard feed: ${Math.round(perSecondBefore)} B/s as whole snapshots, ${Math.round(perSecondAfter)} B/s as ` +
        `gzip deltas (snapshot included), ×${(perSecondBefore / perSecondAfter).toFixed(1)}`,
    );
    expect(perSecondAfter).toBeLessThan(perSecondBefore / 10);
  }, 60_000);
});
