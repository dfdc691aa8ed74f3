import { spawnSync } from 'node:child_process';
import { encodeSyncRequest } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, T0, type TestApp } from '../helpers/test-app.js';

/** Prometheus' own linter on an exposition: '' when it has nothing to say. */
function promtool(exposition: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.trim();
}

let t: TestApp;
let metrics: string;

beforeAll(async () => {
  t = await makeTestApp();
  const site = sampleSite();
  const sync = (payload: Uint8Array, authorization: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/sync',
      headers: { 'content-type': 'application/x-protobuf', authorization },
      payload: Buffer.from(payload),
    });
  // Samples for every metric: stored, replayed and refused summaries, and timed requests.
  expect((await sync(encodeSyncRequest(site.syncRequest(1, 5, 10, T0)), t.auth)).statusCode).toBe(200);
  expect((await sync(encodeSyncRequest(site.syncRequest(1, 5, 10, T0)), t.auth)).statusCode).toBe(200);
  expect((await sync(encodeSyncRequest(site.syncRequest(6, 5, 10, T0)), 'Basic eDp5')).statusCode).toBe(401);
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  metrics = await res.text();
});
afterAll(() => t.close());

describe("central's /metrics", () => {
  it('passes promtool check metrics', () => {
    expect(metrics).toMatch(/^citybay_central_summaries_stored_total [1-9]/m);
    expect(metrics).toMatch(/^citybay_central_summaries_duplicate_total [1-9]/m);
    expect(metrics).toMatch(/^citybay_central_http_request_duration_seconds_bucket\{/m);
    expect(promtool(metrics)).toBe('');
  });

  it('has _total only on counters', () => {
    const types = [...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(types.length).toBeGreaterThan(20);
    for (const [name, type] of types) expect(name.endsWith('_total'), `${name} (${type})`).toBe(type === 'counter');
  });

  it("serves Node.js's standard process metrics under their standard names", () => {
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(metrics).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(metrics).not.toMatch(/^citybay_central_(process|nodejs)_/m);
  });
});
