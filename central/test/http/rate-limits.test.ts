import type { AddressInfo } from 'node:net';
import { encodeSyncRequest } from '@citybay/proto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { basicAuthHeader, generateSecret, hashSecret } from '../../src/io/credentials.js';
import { sampleSite } from '../helpers/sample-site.js';
import { makeTestApp, OPERATOR_KEY, T0, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A listening app: these limits are about clients on sockets. */
async function listening(overrides: Record<string, unknown>): Promise<{ t: TestApp; base: string }> {
  const app = await makeTestApp(overrides);
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  return { t: app, base: `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}` };
}

const randomBasic = (i: number) => basicAuthHeader(`edge-${i}-${Math.random().toString(36).slice(2)}`, 'x');

async function statuses(requests: Array<() => Promise<Response>>, concurrency = 16): Promise<number[]> {
  const out: number[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const i = next++;
        const res = await requests[i]!();
        await res.body?.cancel();
        out[i] = res.status;
      }
    }),
  );
  return out;
}

const count = (list: number[], status: number) => list.filter((s) => s === status).length;

describe('rate limits keyed by verified identity', () => {
  it('counts requests with made-up Basic user names against their address, not against each name', async () => {
    const app = await listening({ rateLimitPerMin: 20 });
    t = app.t;
    const got = await statuses(
      Array.from(
        { length: 60 },
        (_, i) => () => fetch(`${app.base}/v1/sites`, { headers: { authorization: randomBasic(i) } }),
      ),
    );
    expect(count(got, 200)).toBe(20);
    expect(count(got, 429)).toBe(40);
    // A verified key has its own budget: the address being over its limit does not stop it.
    const operator = await fetch(`${app.base}/v1/sites/hospital-north/appointments?date=2026-11-20`, {
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
    });
    expect(operator.status).toBe(200);
  });

  it('gives each verified edge its own budget, even behind one address', async () => {
    const app = await listening({ rateLimitPerMin: 5 });
    t = app.t;
    const secret2 = generateSecret();
    await t.store.addEdge('hospital-north', 'edge-02', hashSecret(secret2), T0);
    const body = encodeSyncRequest(sampleSite().syncRequest(1, 1, 1, T0));
    const sync = (auth: string) => () =>
      fetch(`${app.base}/v1/sync`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-protobuf' },
        body,
      });
    const one = await statuses(
      Array.from({ length: 7 }, () => sync(t!.auth)),
      1,
    );
    const two = await statuses(
      Array.from({ length: 7 }, () => sync(basicAuthHeader('edge-02', secret2))),
      1,
    );
    // 200 for edge-01; edge-02's batch claims to be edge-01's, so 403 — after authentication and the limit.
    expect(count(one, 200)).toBe(5);
    expect(count(one, 429)).toBe(2);
    expect(count(two, 403)).toBe(5);
    expect(count(two, 429)).toBe(2);
  });
});

describe('failed logins', () => {
  it(
    'refuses an address 429 without a store lookup once it used up its failed logins, on /v1/sync too',
    { timeout: 120_000 },
    async () => {
      const app = await listening({ failedLoginsPerMin: 10 });
      t = app.t;
      // edge-01 signs in once, so its record is known good.
      const syncAs = (auth: string) =>
        fetch(`${app.base}/v1/sync`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-protobuf' },
          body: encodeSyncRequest(sampleSite().syncRequest(1, 1, 1, T0)),
        });
      expect((await syncAs(t.auth)).status).toBe(200);
      const lookups = vi.spyOn(t.store, 'getEdge');
      const got = await statuses(Array.from({ length: 1_000 }, (_, i) => () => syncAs(randomBasic(i))));
      expect(count(got, 401)).toBe(10);
      expect(count(got, 429)).toBe(990);
      expect(lookups).toHaveBeenCalledTimes(10);
      // Bad API keys count against the same budget.
      const badKey = await fetch(`${app.base}/v1/sites/hospital-north/lot-overrides`, {
        method: 'PUT',
        headers: { authorization: 'Bearer cbk_guessed', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(badKey.status).toBe(429);
      expect(badKey.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await badKey.json()) as { code: string }).code).toBe('CB_HTTP_RATE_LIMITED');
      // A credential already known good still gets through; valid keys too.
      expect((await syncAs(t.auth)).status).toBe(200);
      const operator = await fetch(`${app.base}/v1/sites/hospital-north/appointments?date=2026-11-20`, {
        headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      });
      expect(operator.status).toBe(200);
      // A minute later the address may try again.
      t.clock.advance(60_000);
      expect((await syncAs(randomBasic(0))).status).toBe(401);
    },
  );
});
