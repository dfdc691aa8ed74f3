import type { AddressInfo } from 'node:net';
import { ManualClock } from '@citybay/common';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildCentralApp } from '../../src/http/app.js';
import type { RegisteredRoute } from '../../src/http/auth.js';
import type { ApiRole } from '../../src/io/api-keys.js';
import { ApiKeyring } from '../../src/io/api-keys.js';
import { basicAuthHeader, generateSecret, hashSecret } from '../../src/io/credentials.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';
import { T0 } from '../helpers/test-app.js';

/** The site every request acts on (s1); the scoped keys are limited to S2. */
const S1 = 'hospital-north';
const S2 = 'other-site';

/**
 * Who may call each route: `public`, `edge`, or roles (`hospital|operator`) with `@site` when a key limited to other
 * sites must be refused. One row per registered route: a route added without a row fails the first test.
 */
const MATRIX: Record<string, string> = {
  'GET /healthz': 'public',
  'GET /metrics': 'public',
  'POST /v1/sync': 'edge',
  'GET /v1/sites': 'public',
  'GET /v1/sites/:siteId': 'public',
  'GET /v1/sites/:siteId/lots': 'public',
  'GET /v1/sites/:siteId/lots/:lotId': 'public',
  'GET /v1/sites/:siteId/zones': 'public',
  'GET /v1/sites/:siteId/history': 'public',
  'GET /v1/sites/:siteId/devices': 'public',
  'GET /v1/sites/:siteId/signs': 'public',
  'GET /v1/sites/:siteId/gates': 'public',
  'GET /v1/sites/:siteId/edges': 'public',
  'GET /v1/sites/:siteId/directives': 'public',
  'GET /v1/sites/:siteId/directives/log': 'public',
  'GET /v1/datex/parking-status': 'public',
  'GET /v1/sites/:siteId/datex/parking-status': 'public',
  'GET /v1/datex/parking-table': 'public',
  'GET /v1/sites/:siteId/datex/parking-table': 'public',
  'GET /v1/geojson/lots': 'public',
  'GET /v1/sites/:siteId/lots.geojson': 'public',
  'PUT /v1/sites/:siteId/lot-overrides': 'operator@site',
  'DELETE /v1/sites/:siteId/lot-overrides/:lotId': 'operator@site',
  'PUT /v1/sites/:siteId/sign-overrides': 'operator@site',
  'DELETE /v1/sites/:siteId/sign-overrides/:signId': 'operator@site',
  'POST /v1/appointments': 'hospital@site',
  'GET /metadata': 'public',
  'GET /v1/sites/:siteId/appointments': 'hospital|operator@site',
  'POST /v1/sites/:siteId/appointments/reoptimise': 'operator@site',
  'GET /v1/driver/:token': 'public',
  'GET /d/:token': 'public',
  'GET /d/:token/qr.svg': 'public',
  'GET /driver-assets/:file': 'public',
  'POST /v1/scenarios': 'engineer',
  'GET /v1/scenarios': 'engineer',
  'GET /v1/scenarios/:id': 'engineer',
  'GET /v1/scenarios/:id/kpis': 'engineer',
  'GET /v1/scenarios/:id/series': 'engineer',
  'GET /v1/scenarios/:id/report': 'engineer',
  'GET /': 'public',
  'GET /dashboard': 'public',
  'GET /dashboard/*': 'public',
  'GET /v1/dashboard/state': 'public',
  'GET /v1/dashboard/events': 'public',
  'POST /v1/dashboard/twin': 'operator',
  'PUT /v1/dashboard/map': 'operator',
  'GET /favicon.ico': 'public',
  'PUT /v1/dashboard/scenarios/:id': 'operator',
  'GET /v1/dashboard/scenarios': 'engineer',
  'GET /v1/dashboard/scenarios/:id': 'engineer',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  'GET /docs/static/*': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',
};

interface Credential {
  name: string;
  headers: Record<string, string>;
  role?: ApiRole | 'edge';
  /** The sites the key is limited to; absent = all. */
  sites?: string[];
}

const keyOf = (name: string) => `cbk_${name}-matrix-key-for-tests-0000000000000000`;
const KEYS: Array<{ id: string; role: ApiRole; sites?: string[] }> = [
  { id: 'hospital-all', role: 'hospital' },
  { id: 'hospital-s2', role: 'hospital', sites: [S2] },
  { id: 'operator-all', role: 'operator' },
  { id: 'operator-s2', role: 'operator', sites: [S2] },
  { id: 'engineer-all', role: 'engineer' },
  { id: 'engineer-s2', role: 'engineer', sites: [S2] },
];

let app: FastifyInstance;
let store: SqliteStore;
let base: string;
let credentials: Credential[];

beforeAll(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
  const definition = siteDefinitionFor(sampleSite());
  await store.putSite(definition, T0);
  await store.putSite({ ...definition, id: S2, name: 'Other site' }, T0);
  const secret = generateSecret();
  await store.addEdge(S1, 'edge-01', hashSecret(secret), T0);
  const keyring = new ApiKeyring({
    keys: KEYS.map((k) => ({ ...k, sha256: hashSecret(keyOf(k.id)) })),
  });
  app = await buildCentralApp({
    store,
    config: loadConfig({}, { rateLimitPerMin: 1_000_000, failedLoginsPerMin: 1_000_000 }),
    logger: pino({ level: 'silent' }),
    clock: new ManualClock(T0 + 60_000),
    keyring,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  credentials = [
    { name: 'no credentials', headers: {} },
    { name: 'a key nobody holds', headers: { authorization: `Bearer ${keyOf('nobody')}` } },
    { name: 'edge-01', headers: { authorization: basicAuthHeader('edge-01', secret) }, role: 'edge' },
    ...KEYS.map((k) => ({
      name: k.id,
      headers: { authorization: `Bearer ${keyOf(k.id)}` },
      role: k.role,
      ...(k.sites ? { sites: k.sites } : {}),
    })),
  ];
});

afterAll(async () => {
  await app.close();
  await store.close();
});

/** Every route the app registered, with its declared access (`auth.ts` collects them). */
const routes = (): readonly RegisteredRoute[] => app.routeAccess;

/** A concrete URL for a route pattern, acting on S1. */
function urlOf(pattern: string): string {
  let url = pattern
    .replace(':siteId', S1)
    .replace(':lotId', 'P1')
    .replace(':signId', 'vms-north')
    .replace(':token', 'A'.repeat(22))
    .replace(':file', 'driver.css')
    .replace(':id', 'no-such-id')
    .replace('*', 'index.html');
  if (url === '/v1/appointments') return `${url}?siteId=${S1}`;
  if (url.endsWith('/appointments') || url.endsWith('/reoptimise')) url += '?date=2026-11-20';
  return url;
}

function isAllowed(rule: string, credential: Credential): boolean {
  if (rule === 'public') return true;
  if (rule === 'edge') return credential.role === 'edge';
  const [roles = '', scope] = rule.split('@');
  if (!credential.role || !roles.split('|').includes(credential.role)) return false;
  return scope !== 'site' || credential.sites === undefined || credential.sites.includes(S1);
}

async function call(method: string, url: string, headers: Record<string, string>): Promise<number> {
  const hasBody = method === 'POST' || method === 'PUT';
  const contentType = url === '/v1/sync' ? 'application/x-protobuf' : 'application/json';
  const res = await fetch(base + url, {
    method,
    headers: { ...headers, ...(hasBody ? { 'content-type': contentType } : {}) },
    ...(hasBody ? { body: contentType === 'application/json' ? '{}' : new Uint8Array(0) } : {}),
    signal: AbortSignal.timeout(10_000),
  }).catch((err: unknown) => {
    throw new Error(`${method} ${url}: ${String(err)}`);
  });
  // The live feed never ends by itself: its status is all this needs.
  await res.body?.cancel();
  return res.status;
}

describe('authorization matrix: every route × role × site scope', () => {
  it('has one row for every registered route, and no row for a route that is not', () => {
    // A HEAD route is its GET route's twin (fastify adds one to each GET) and follows the GET row.
    const registered = [...new Set(routes().map((r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`))];
    expect(registered.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('declares in each route the access its row says', () => {
    for (const route of routes().filter((r) => r.method !== 'HEAD')) {
      const rule = MATRIX[`${route.method} ${route.url}`]!;
      const declared =
        route.access.kind === 'key'
          ? `${route.access.roles.join('|')}${route.access.site ? '@site' : ''}`
          : route.access.kind;
      expect(declared, `${route.method} ${route.url}`).toBe(rule);
    }
  });

  // About 900 real requests: minutes on a loaded 2-core machine, not the default 20 s.
  it(
    'lets in exactly whom the row allows (allowed: not 401/403; denied: 401/403), HEAD as its GET',
    { timeout: 300_000 },
    async () => {
      const outcomes: string[] = [];
      for (const route of routes()) {
        const rule = MATRIX[`${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`]!;
        const url = urlOf(route.url);
        for (const credential of credentials) {
          const status = await call(route.method, url, credential.headers);
          const isDenied = status === 401 || status === 403;
          if (isDenied === isAllowed(rule, credential)) {
            outcomes.push(`${route.method} ${url} with ${credential.name}: ${status} (rule ${rule})`);
          }
        }
      }
      expect(outcomes).toEqual([]);
    },
  );
});

describe('site scope', () => {
  it('refuses an operator key limited to another site its appointments with 403 CB_HTTP_FORBIDDEN', async () => {
    const res = await fetch(`${base}/v1/sites/${S1}/appointments?date=2026-11-20`, {
      headers: { authorization: `Bearer ${keyOf('operator-s2')}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'CB_HTTP_FORBIDDEN', path: 'siteId' });
    const own = await fetch(`${base}/v1/sites/${S2}/appointments?date=2026-11-20`, {
      headers: { authorization: `Bearer ${keyOf('operator-s2')}` },
    });
    expect(own.status).toBe(200);
  });

  it('refuses a hospital key limited to another site appointments for this one, naming querystring.siteId', async () => {
    const res = await fetch(`${base}/v1/appointments?siteId=${S1}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyOf('hospital-s2')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'CB_HTTP_FORBIDDEN', path: 'querystring.siteId' });
  });
});

describe('authentication comes before the body', () => {
  it.each([
    ['malformed JSON', 'PUT', `/v1/sites/${S1}/lot-overrides`, 'application/json', '{"lotId":'],
    ['a body the schema refuses', 'PUT', `/v1/sites/${S1}/lot-overrides`, 'application/json', '{"x":1}'],
    ['an unsupported content type', 'POST', '/v1/scenarios', 'text/csv', 'a,b'],
    ['malformed FHIR JSON', 'POST', `/v1/appointments?siteId=${S1}`, 'application/fhir+json', '{'],
  ])('answers 401 (not 400/415) to %s without a key', async (_name, method, url, contentType, body) => {
    const res = await fetch(base + url, { method, headers: { 'content-type': contentType }, body });
    expect(res.status).toBe(401);
    const answer = (await res.json()) as { resourceType?: string; code?: string };
    // FHIR clients get the error as an OperationOutcome.
    if (contentType === 'application/fhir+json') expect(answer.resourceType).toBe('OperationOutcome');
    else expect(answer.code).toBe('CB_HTTP_UNAUTHORIZED');
  });

  it('answers 401 (not 413) to a body over the limit without a key, before reading it', async () => {
    const res = await fetch(`${base}/v1/scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(8 * 1024 * 1024),
    });
    expect(res.status).toBe(401);
  });
});
