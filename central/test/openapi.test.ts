import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSyncRequest } from '@citybay/proto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../src/store/store-sqlite.js';
import { sampleSite } from './helpers/sample-site.js';
import { districtSubmission, districtWhatIf } from './helpers/small-district.js';
import { fhirAppointment } from './helpers/fhir-appointment.js';
import { ENGINEER_KEY, HOSPITAL_KEY, makeTestApp, OPERATOR_KEY, T0, type TestApp } from './helpers/test-app.js';

// The OpenAPI document checked by an OpenAPI validator, then real answers of every registered route over HTTP,
// success and errors, checked against it: the status is documented, the content type is documented for it, and the
// body matches the schema of that status and content type. Fastify serialises JSON with the same schemas, which
// silently drops fields a schema does not name: every JSON answer is also compared with what its handler returned.

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Registered routes the document leaves out on purpose: static files, a redirect alias and the docs themselves. */
const UNDOCUMENTED = new Set([
  'GET /dashboard',
  'GET /dashboard/*',
  'GET /favicon.ico',
  'GET /docs',
  'GET /docs/',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/*',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
]);

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema: object }> };
  responses?: Record<string, { content?: Record<string, { schema: object }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components?: object } & Record<string, unknown>;

const S = 'hospital-north';
const DAY = '2026-11-19';
const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
const engineer = { authorization: `Bearer ${ENGINEER_KEY}` };
const hospital = { authorization: `Bearer ${HOSPITAL_KEY}` };

let t: TestApp;
let dir: string;
let base: string;
let doc: Doc;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const validators = new Map<string, ValidateFunction>();
/** What each handler returned, as JSON, by request id (recorded before serialisation). */
const returned = new Map<string, string>();
/** Where the serialised answer differs from what the handler returned. */
const dropped: string[] = [];
/** Statuses seen per route (`GET /v1/sites/:siteId`). */
const seen = new Map<string, Set<number>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'citybay-openapi-'));
  const store = new SqliteStore({ path: join(dir, 'central.db') });
  t = await makeTestApp({}, store, [
    (app: FastifyInstance) => {
      app.addHook('preSerialization', async (request: FastifyRequest, _reply, payload) => {
        returned.set(request.id, JSON.stringify(payload));
        return payload;
      });
      app.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
        const before = returned.get(request.id);
        if (before !== undefined && typeof payload === 'string') {
          returned.delete(request.id);
          try {
            expect(JSON.parse(payload)).toEqual(JSON.parse(before));
          } catch {
            dropped.push(`${request.method} ${request.url} ${reply.statusCode}: sent ${payload.slice(0, 400)}`);
          }
        }
        return payload;
      });
    },
  ]);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  doc = (await (await fetch(`${base}/docs/json`)).json()) as Doc;
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A validator of a schema of the document, its `$ref`s resolved in the document's components. */
const compile = (schema: object): ValidateFunction => ajv.compile({ components: doc.components, allOf: [schema] });

/** The OpenAPI path of a fastify route (`/v1/sites/:siteId` → `/v1/sites/{siteId}`). */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const documented = () =>
  t.app.routeAccess.filter((r) => r.method !== 'HEAD' && !UNDOCUMENTED.has(`${r.method} ${r.url}`));

interface Call {
  headers?: Record<string, string>;
  /** JSON (objects), or raw bytes / text with a content type in `headers`. */
  body?: unknown;
  /** Read this many bytes of a stream that never ends, then stop. */
  isStream?: boolean;
}

/**
 * Calls `route` (`METHOD /pattern`) at `url`, expects `status`, and checks the answer against the document.
 * Returns the parsed JSON body (or the text).
 */
async function check(route: string, url: string, status: number, call: Call = {}): Promise<unknown> {
  const [method, pattern] = route.split(' ') as [string, string];
  const isRaw = call.body instanceof Uint8Array || typeof call.body === 'string';
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  if (call.body !== undefined && !isRaw) headers['content-type'] ??= 'application/json';
  const res = await fetch(base + url, {
    method,
    headers,
    redirect: 'manual',
    ...(call.body === undefined ? {} : { body: isRaw ? (call.body as string) : JSON.stringify(call.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  let text = '';
  if (call.isStream) {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    while (!/event: snapshot\nid: \d+\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
  } else {
    text = await res.text();
  }
  const where = `${route} (${url}) → ${res.status}`;
  expect(res.status, `${where}: ${text.slice(0, 300)}`).toBe(status);
  seen.set(route, (seen.get(route) ?? new Set()).add(res.status));

  const operation = doc.paths[openapiPath(pattern)]?.[method.toLowerCase()];
  expect(operation, `${route} is not in the document`).toBeDefined();
  // A body the route took matches what the document says it takes.
  const requestType = (headers['content-type'] ?? '').split(';')[0]!.trim();
  const requestSchema = operation!.requestBody?.content?.[requestType]?.schema;
  if (res.status < 400 && call.body !== undefined && !isRaw) {
    expect(requestSchema, `${route}: ${requestType} body not documented`).toBeDefined();
    const validateRequest = compile(requestSchema!);
    expect(validateRequest(call.body) ? [] : validateRequest.errors, `${route}: request body`).toEqual([]);
  }
  const response = operation!.responses?.[String(res.status)];
  expect(response, `${where}: status not documented`).toBeDefined();
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (response!.content === undefined) {
    expect(text, `${where}: documented without a body`).toBe('');
    return text;
  }
  const media = response!.content[type];
  expect(
    media,
    `${where}: ${type || 'no content type'} not documented (${Object.keys(response!.content)})`,
  ).toBeDefined();
  const isJson = type === 'application/json' || type.endsWith('+json');
  const body: unknown = isJson ? JSON.parse(text) : text;
  const key = `${method} ${pattern} ${res.status} ${type}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = compile(media!.schema);
    validators.set(key, validate);
  }
  expect(validate(body) ? [] : validate.errors, `${where} (${type}) against its schema`).toEqual([]);
  return body;
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every registered route (and nothing else) with a unique camelCase operationId, tags and answers', () => {
    const routes = documented();
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(inDoc)).toEqual(new Set(routes.map((r) => `${r.method} ${openapiPath(r.url)}`)));
    const ids = new Set<string>();
    for (const route of routes) {
      const op = doc.paths[openapiPath(route.url)]![route.method.toLowerCase()]!;
      const name = `${route.method} ${route.url}`;
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId!), `${name}: operationId ${op.operationId} used twice`).toBe(false);
      ids.add(op.operationId!);
      expect(op.tags?.length, name).toBeGreaterThan(0);
      const statuses = Object.keys(op.responses ?? {}).map(Number);
      expect(
        statuses.filter((s) => s < 400),
        `${name}: no success documented`,
      ).not.toEqual([]);
      expect(statuses, name).toEqual(expect.arrayContaining([500, 503]));
      if (route.access.kind !== 'public') {
        expect(statuses, `${name}: needs credentials`).toContain(401);
        expect(op.security, name).toBeDefined();
      }
      // What a route takes: every route with a body documents it (re-optimising takes none).
      if (['POST', 'PUT'].includes(route.method) && !route.url.endsWith('/reoptimise')) {
        expect(Object.keys(op.requestBody?.content ?? {}), `${name}: body not documented`).not.toEqual([]);
      }
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const hasBody = response.content !== undefined && Object.keys(response.content).length > 0;
        expect(hasBody || status === '204' || status === '302', `${name} ${status}: no content documented`).toBe(true);
      }
    }
  });
});

describe('real answers of every route match the document', () => {
  const site = sampleSite();
  let driverToken = '';
  let jobId = '';

  it('sync, health and metrics (a scenario job first: it runs on the pool meanwhile)', async () => {
    const job = await check('POST /v1/scenarios', '/v1/scenarios', 202, {
      headers: engineer,
      body: districtSubmission(),
    });
    jobId = (job as { id: string }).id;
    const sync = (body: Uint8Array | string, headers: Record<string, string>) => ({
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body,
    });
    const auth = { authorization: t.auth };
    await check('POST /v1/sync', '/v1/sync', 200, sync(encodeSyncRequest(site.syncRequest(1, 10, 10, T0)), auth));
    await check('POST /v1/sync', '/v1/sync', 401, sync(new Uint8Array(0), {}));
    await check('POST /v1/sync', '/v1/sync', 400, sync(new Uint8Array([0xff, 0xff, 0xff]), auth));
    const other = sampleSite(500, 1, 'edge-02');
    await check('POST /v1/sync', '/v1/sync', 403, sync(encodeSyncRequest(other.syncRequest(1, 2, 2, T0)), auth));
    await check('POST /v1/sync', '/v1/sync', 415, { headers: { ...auth, 'content-type': 'text/plain' }, body: 'x' });
    await check('GET /healthz', '/healthz', 200);
    await check('GET /metrics', '/metrics', 200);
  });

  it('operator directives', async () => {
    const lot = { lotId: 'P1', status: 'closed', reason: 'works' };
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 200, {
      headers: operator,
      body: lot,
    });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 401, { body: lot });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 400, {
      headers: operator,
      body: { ...lot, lotId: 'P9' },
    });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/nowhere/lot-overrides`, 404, {
      headers: operator,
      body: lot,
    });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 413, {
      headers: operator,
      body: { ...lot, reason: 'x'.repeat(20_000) },
    });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 415, {
      headers: { ...operator, 'content-type': 'text/csv' },
      body: 'a,b',
    });
    const sign = {
      signId: 'vms-north',
      lines: [{ arrow: 'left', mode: 'text', colour: 'amber', text: 'EVENT' }],
      expiresMs: T0 + 3_600_000,
    };
    const signs = `/v1/sites/${S}/sign-overrides`;
    await check('PUT /v1/sites/:siteId/sign-overrides', signs, 200, { headers: operator, body: sign });
    await check('PUT /v1/sites/:siteId/sign-overrides', signs, 400, {
      headers: operator,
      body: { ...sign, expiresMs: 1 },
    });
    await check('PUT /v1/sites/:siteId/lot-overrides', `/v1/sites/${S}/lot-overrides`, 200, {
      headers: operator,
      body: { lotId: 'P2', zoneId: 'A', status: 'full' },
    });
    await check('DELETE /v1/sites/:siteId/lot-overrides/:lotId', `/v1/sites/${S}/lot-overrides/P2?zoneId=A`, 200, {
      headers: operator,
    });
    await check('DELETE /v1/sites/:siteId/lot-overrides/:lotId', `/v1/sites/nowhere/lot-overrides/P2`, 404, {
      headers: operator,
    });
    await check('DELETE /v1/sites/:siteId/lot-overrides/:lotId', `/v1/sites/${S}/lot-overrides/P2`, 401);
    await check('DELETE /v1/sites/:siteId/sign-overrides/:signId', `/v1/sites/${S}/sign-overrides/other`, 200, {
      headers: operator,
    });
    await check('DELETE /v1/sites/:siteId/sign-overrides/:signId', `/v1/sites/nowhere/sign-overrides/x`, 404, {
      headers: operator,
    });
  });

  it('appointments, plain JSON and FHIR', async () => {
    const appointment = (id: string, start: string) => fhirAppointment(id, start, { comment: 'kept as sent' });
    const url = `/v1/appointments?siteId=${S}`;
    const route = 'POST /v1/appointments';
    const fhir = { ...hospital, 'content-type': 'application/fhir+json' };
    const bundle = (type: string, ...entries: object[]) => ({
      resourceType: 'Bundle',
      type,
      entry: entries.map((resource) => ({ resource })),
    });
    const plain = await check(route, url, 200, {
      headers: hospital,
      body: bundle('collection', appointment('a1', `${DAY}T09:00:00Z`)),
    });
    const link = (plain as { appointments: Array<{ driverLink: { url: string } }> }).appointments[0]!.driverLink;
    driverToken = new URL(link.url).pathname.split('/').pop()!;
    const created = await check(route, url, 201, { headers: fhir, body: appointment('a2', `${DAY}T09:30:00Z`) });
    expect(created).toMatchObject({ comment: 'kept as sent' });
    await check(route, url, 200, {
      headers: fhir,
      body: bundle('batch', appointment('a3', `${DAY}T10:00:00Z`), appointment('bad', 'soon'), {
        resourceType: 'Patient',
      }),
    });
    await check(route, url, 200, {
      headers: { ...fhir, prefer: 'return=OperationOutcome' },
      body: bundle('transaction', appointment('a4', `${DAY}T10:30:00Z`)),
    });
    await check(route, url, 400, { headers: hospital, body: bundle('collection', appointment('x', 'soon')) });
    await check(route, url, 400, { headers: fhir, body: appointment('x', 'soon') });
    await check(route, url, 422, { headers: fhir, body: appointment('old', '2013-12-10T09:00:00Z') });
    await check(route, url, 401, { body: appointment('x', `${DAY}T09:00:00Z`) });
    await check(route, url, 401, { headers: { 'content-type': 'application/fhir+json' }, body: '{' });
    await check(route, `/v1/appointments?siteId=other-site`, 403, { headers: hospital, body: {} });
    await check(route, url, 415, {
      headers: { ...hospital, 'content-type': 'application/fhir+json; fhirVersion=3.0' },
      body: '{}',
    });
    await check('GET /metadata', '/metadata', 200);

    const day = `/v1/sites/${S}/appointments?date=${DAY}`;
    await check('GET /v1/sites/:siteId/appointments', day, 200, { headers: operator });
    await check('GET /v1/sites/:siteId/appointments', `/v1/sites/${S}/appointments?date=soon`, 400, {
      headers: operator,
    });
    await check('GET /v1/sites/:siteId/appointments', `/v1/sites/nowhere/appointments?date=${DAY}`, 404, {
      headers: operator,
    });
    await check('GET /v1/sites/:siteId/appointments', day, 401);
    const reoptimise = 'POST /v1/sites/:siteId/appointments/reoptimise';
    await check(reoptimise, `/v1/sites/${S}/appointments/reoptimise?date=${DAY}`, 200, { headers: operator });
    await check(reoptimise, `/v1/sites/${S}/appointments/reoptimise?date=2026-12-24`, 404, { headers: operator });
  });

  it('driver pages', async () => {
    const unknown = 'A'.repeat(22);
    for (const [route, suffix] of [
      ['GET /v1/driver/:token', (token: string) => `/v1/driver/${token}`],
      ['GET /d/:token', (token: string) => `/d/${token}`],
      ['GET /d/:token/qr.svg', (token: string) => `/d/${token}/qr.svg`],
    ] as const) {
      await check(route, suffix(driverToken), 200);
      await check(route, suffix(unknown), 404);
      await check(route, suffix('short'), 400);
    }
    await check('GET /driver-assets/:file', '/driver-assets/driver.js', 200);
    await check('GET /driver-assets/:file', '/driver-assets/driver.css', 200);
    await check('GET /driver-assets/:file', '/driver-assets/other.js', 400);
  });

  it('scenario jobs and the what-if catalogue', async () => {
    const missing = { scenario: districtSubmission().scenario, files: {} };
    await check('POST /v1/scenarios', '/v1/scenarios', 400, { headers: engineer, body: missing });
    await check('POST /v1/scenarios', '/v1/scenarios', 401, { body: missing });
    await check('PUT /v1/dashboard/scenarios/:id', '/v1/dashboard/scenarios/small-district', 204, {
      headers: operator,
      body: districtWhatIf(),
    });
    await check('PUT /v1/dashboard/scenarios/:id', '/v1/dashboard/scenarios/other', 400, {
      headers: operator,
      body: districtWhatIf(),
    });
    await check('GET /v1/dashboard/scenarios', '/v1/dashboard/scenarios', 200, { headers: engineer });
    await check('GET /v1/dashboard/scenarios', '/v1/dashboard/scenarios', 401);
    await check('GET /v1/dashboard/scenarios/:id', '/v1/dashboard/scenarios/small-district', 200, {
      headers: engineer,
    });
    await check('GET /v1/dashboard/scenarios/:id', '/v1/dashboard/scenarios/none', 404, { headers: engineer });

    await vi.waitFor(
      async () => {
        const res = await fetch(`${base}/v1/scenarios/${jobId}`, { headers: engineer });
        expect(((await res.json()) as { status: string }).status).toBe('done');
      },
      { timeout: 30_000, interval: 100 },
    );
    for (const suffix of ['', '/kpis', '/series', '/report']) {
      const route = `GET /v1/scenarios/:id${suffix}`;
      await check(route, `/v1/scenarios/${jobId}${suffix}`, 200, { headers: engineer });
      await check(route, `/v1/scenarios/no-such-job${suffix}`, 404, { headers: engineer });
    }
    await check('GET /v1/scenarios', '/v1/scenarios', 200, { headers: engineer });
    await check('GET /v1/scenarios', '/v1/scenarios', 401);
  });

  it('dashboard', async () => {
    const twin = {
      scenario: 'district',
      policy: 'combined',
      speed: 30,
      simTimeS: 27_000,
      fromS: 25_200,
      toS: 39_600,
      isRunning: true,
      approachQueueM: 120,
      linkQueuesM: { in_w1: 45 },
      queueSeries: [{ simS: 25_200, queueM: 0 }],
      simOccupancy: { H: { standard: 300 } },
      signs: [
        {
          siteId: S,
          signId: 'G1',
          location: 'Ring Rd',
          message: { lines: [{ label: 'H', arrow: 'left', value: 12, colour: 'green' }] },
        },
      ],
      appointments: { status: 'done', posted: 1, assigned: 1, items: [{ id: 'a1', startMs: 0, kind: 'standard' }] },
    };
    await check('POST /v1/dashboard/twin', '/v1/dashboard/twin', 204, { headers: operator, body: twin });
    await check('POST /v1/dashboard/twin', '/v1/dashboard/twin', 400, {
      headers: operator,
      body: { ...twin, speed: 0 },
    });
    await check('POST /v1/dashboard/twin', '/v1/dashboard/twin', 401, { body: twin });
    const map = {
      nodes: [
        { id: 'a', xM: 0, yM: 0 },
        { id: 'b', xM: 100, yM: 0 },
      ],
      links: [{ id: 'ab', fromNodeId: 'a', toNodeId: 'b', laneCount: 1 }],
      lots: [{ siteId: S, lotId: 'P1', edgeId: 'ab' }],
      signs: [],
    };
    await check('PUT /v1/dashboard/map', '/v1/dashboard/map', 204, { headers: operator, body: map });
    await check('PUT /v1/dashboard/map', '/v1/dashboard/map', 400, { headers: operator, body: { ...map, nodes: [] } });
    await check('GET /', '/', 302);
    const state = await check('GET /v1/dashboard/state', '/v1/dashboard/state', 200);
    expect(state).toMatchObject({ twin: { linkQueuesM: { in_w1: 45 } } });
    expect(state).toMatchObject({ sites: [{ directives: { reservationCount: expect.any(Number) } }, {}] });
    const events = await check('GET /v1/dashboard/events', '/v1/dashboard/events', 200, { isStream: true });
    // The feed's first snapshot is the state the state route answers, with its schema.
    const snapshot = JSON.parse(/event: snapshot\nid: \d+\ndata: (.*)\n\n/.exec(events as string)![1]!) as object;
    const stateSchema = doc.paths['/v1/dashboard/state']!.get!.responses!['200']!.content!['application/json']!.schema;
    const validate = compile(stateSchema);
    expect(validate(snapshot) ? [] : validate.errors).toEqual([]);
  });

  it('read API and exports', async () => {
    const siteRoutes: Array<[string, string]> = [
      ['GET /v1/sites/:siteId', ''],
      ['GET /v1/sites/:siteId/lots', '/lots'],
      ['GET /v1/sites/:siteId/zones', '/zones'],
      ['GET /v1/sites/:siteId/history', '/history'],
      ['GET /v1/sites/:siteId/devices', '/devices'],
      ['GET /v1/sites/:siteId/signs', '/signs'],
      ['GET /v1/sites/:siteId/gates', '/gates'],
      ['GET /v1/sites/:siteId/edges', '/edges'],
      ['GET /v1/sites/:siteId/directives', '/directives'],
      ['GET /v1/sites/:siteId/directives/log', '/directives/log'],
      ['GET /v1/sites/:siteId/datex/parking-status', '/datex/parking-status'],
      ['GET /v1/sites/:siteId/datex/parking-table', '/datex/parking-table'],
      ['GET /v1/sites/:siteId/lots.geojson', '/lots.geojson'],
    ];
    for (const [route, suffix] of siteRoutes) {
      await check(route, `/v1/sites/${S}${suffix}`, 200);
      await check(route, `/v1/sites/nowhere${suffix}`, 404);
    }
    await check('GET /v1/sites/:siteId/lots/:lotId', `/v1/sites/${S}/lots/P1`, 200);
    await check('GET /v1/sites/:siteId/lots/:lotId', `/v1/sites/${S}/lots/P9`, 404);
    await check('GET /v1/sites/:siteId/history', `/v1/sites/${S}/history?fromMs=${T0}&lotId=P1&limit=5`, 200);
    await check('GET /v1/sites/:siteId/history', `/v1/sites/${S}/history?fromMs=soon`, 400);
    await check('GET /v1/sites/:siteId/directives/log', `/v1/sites/${S}/directives/log?limit=0`, 400);
    await check('GET /v1/sites', '/v1/sites', 200);
    await check('GET /v1/geojson/lots', '/v1/geojson/lots', 200);
    for (const route of ['GET /v1/datex/parking-status', 'GET /v1/datex/parking-table']) {
      const url = route.split(' ')[1]!;
      await check(route, url, 200);
      await check(route, url, 200, { headers: { accept: 'application/xml' } });
    }
  });

  it('exercised every documented route, with a success and (where it has one) its own error, losing no field', () => {
    // Every route may answer 429, 500 and 503; the others are the route's own.
    const common = new Set(['429', '500', '503']);
    const missing = documented()
      .map((r) => `${r.method} ${r.url}`)
      .filter((route) => {
        const [method, url] = route.split(' ') as [string, string];
        const op = doc.paths[openapiPath(url)]![method.toLowerCase()]!;
        const hasOwnErrors = Object.keys(op.responses ?? {}).some((s) => Number(s) >= 400 && !common.has(s));
        const statuses = [...(seen.get(route) ?? [])];
        return !statuses.some((s) => s < 400) || (hasOwnErrors && !statuses.some((s) => s >= 400));
      });
    expect(missing).toEqual([]);
    expect(dropped).toEqual([]);
  });
});
