/**
 * The edge's outbox and sync client against the real central service over real HTTP: seq bounds of
 * the wire contract (no single summary can wedge an edge) and compacted seqs (not missing, no noise).
 */
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  ApiKeyring,
  buildCentralApp,
  generateSecret,
  hashSecret,
  loadConfig,
  type SiteDefinition,
  SqliteStore,
} from '@citybay/central';
import { SqliteOutbox, SyncClient } from '@citybay/edge';
import { messages, SEQ_LIMIT, type SiteSummary, type SyncRequest } from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const SITE = 'hospital-north';
const EDGE = 'edge-01';
const T0 = 1_800_000_000_000;

/** Central's site definition for the lots and zones SampleSite's summaries report. */
function siteDefinition(sample: SampleSite): SiteDefinition {
  const lots = [...new Set(sample.bayLot)];
  const capacity = { standard: 0, accessible: 0, family: 0, ev: 0, staff: 0 };
  return {
    id: SITE,
    name: 'Hospital North',
    location: [-1.55, 53.8],
    configVersion: 'site-v12',
    entrances: [{ id: 'main', name: 'Main entrance', location: [-1.5501, 53.8001] }],
    lots: lots.map((id, i) => ({
      id,
      name: `Car park ${id}`,
      geometry: { type: 'Point' as const, coordinates: [-1.55 + i * 0.001, 53.8] as [number, number] },
      capacity: { ...capacity, standard: sample.bayLot.filter((lot) => lot === id).length },
      zones: ['A', 'B', 'C', 'D'].map((zone) => ({ id: zone })),
      walkTimeSByEntrance: { main: 120 },
    })),
  };
}

interface Central {
  app: FastifyInstance;
  store: SqliteStore;
  url: string;
  logLines: string[];
}

const secret = generateSecret();
let dir: string;
let central: Central;
const sample = new SampleSite({ bayCount: 200, seed: 5, siteId: SITE, edgeId: EDGE });
const closers: (() => Promise<void> | void)[] = [];

async function startCentral(port = 0): Promise<Central> {
  const store = new SqliteStore({ path: join(dir, 'central.db') });
  await store.migrate();
  if ((await store.getEdge(EDGE)) === undefined) {
    await store.putSite(siteDefinition(sample), T0);
    await store.addEdge(SITE, EDGE, hashSecret(secret), T0);
  }
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const app = await buildCentralApp({
    store,
    config: loadConfig({}, { rateLimitPerMin: 1_000_000 }),
    logger: pino({ level: 'info' }, destination),
    keyring: new ApiKeyring(),
  });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address() as AddressInfo;
  return { app, store, url: `http://127.0.0.1:${address.port}`, logLines };
}

async function stopCentral(c: Central): Promise<void> {
  await c.app.close();
  await c.store.close();
}

function edgeClient(outbox: SqliteOutbox, url: string, logLines: string[] = []): SyncClient {
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const client = new SyncClient({
    outbox,
    siteId: SITE,
    edgeId: EDGE,
    url,
    secret,
    syncIntervalMs: 50,
    batchMax: 50,
    backoffInitialMs: 20,
    backoffMaxMs: 200,
    logger,
  });
  closers.push(() => client.stop());
  return client;
}

function summaries(firstSeq: number, count: number): SiteSummary[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = firstSeq + i;
    const s = i % 60 === 0 ? sample.snapshot(seq, T0 + seq * 5000) : sample.changeOnly(seq, T0 + seq * 5000, 3);
    return { ...s, configVersion: 'site-v12' };
  });
}

/** Posts a request as a broken or hostile holder of the edge's secret would: encoded without validation. */
async function postRaw(request: SyncRequest): Promise<{ status: number; body: { code?: string; path?: string } }> {
  const res = await fetch(`${central.url}/v1/sync`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      authorization: `Basic ${Buffer.from(`${EDGE}:${secret}`).toString('base64')}`,
    },
    body: messages.SyncRequest.encode(request).finish(),
  });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {} };
}

/** Syncs until `done` holds, failing after `deadlineMs` (a failed sync is retried: the tests restart central). */
async function syncUntil(client: SyncClient, done: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (done()) return;
      await client.syncOnce().catch(() => undefined);
      if (!done()) throw new Error(`${what}: not within ${deadlineMs} ms`);
    },
    { timeout: deadlineMs, interval: 10 },
  );
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-sync-contract-'));
  central = await startCentral();
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await stopCentral(central);
  rmSync(dir, { recursive: true, force: true });
});

describe('seq bounds, edge ↔ central over HTTP', () => {
  it('refuses the summaries that used to wedge an edge, naming the field; the edge syncs on as if nothing happened', async () => {
    const outbox = new SqliteOutbox({ path: join(dir, 'outbox.db') });
    closers.push(() => outbox.close());
    for (const s of summaries(1, 5)) outbox.append(s);
    const client = edgeClient(outbox, central.url);
    await client.syncOnce();
    expect(outbox.ackedSeq()).toBe(5);

    const rogue = (seq: number): SyncRequest => ({
      siteId: SITE,
      edgeId: EDGE,
      summaries: [{ ...summaries(6, 1)[0]!, seq }],
    });
    for (const seq of [Number.MAX_SAFE_INTEGER, SEQ_LIMIT]) {
      expect(await postRaw(rogue(seq))).toMatchObject({
        status: 400,
        body: { code: 'CB_WIRE_INVALID', path: 'summaries[0].seq' },
      });
    }
    // Below the bound but further than any edge could have gone: taking it would leave no seqs to go on with.
    expect(await postRaw(rogue(SEQ_LIMIT - 1))).toMatchObject({
      status: 409,
      body: { code: 'CB_SYNC_SEQ_JUMP', path: 'summaries[0].seq' },
    });
    expect(await central.store.listRawBatches(EDGE)).toEqual([[1, 5]]);

    for (const s of summaries(6, 20)) outbox.append(s);
    await syncUntil(client, () => outbox.stats().depth === 0, 'the outbox to drain');
    expect(outbox.stats()).toMatchObject({ lastSeq: 25, ackedSeq: 25 });
    expect((await central.store.listRawBatches(EDGE)).at(-1)![1]).toBe(25);
  });

  it('a plausible jump from someone else: the edge renumbers after it, within the bound, and every summary arrives', async () => {
    const outbox = new SqliteOutbox({ path: join(dir, 'outbox.db') });
    closers.push(() => outbox.close());
    for (const s of summaries(1, 3)) outbox.append(s);
    const client = edgeClient(outbox, central.url);
    await client.syncOnce();
    const jumpTo = 3 + 2 ** 32;
    expect(
      (await postRaw({ siteId: SITE, edgeId: EDGE, summaries: [{ ...summaries(4, 1)[0]!, seq: jumpTo }] })).status,
    ).toBe(200);
    for (const s of summaries(4, 10)) outbox.append(s);
    await syncUntil(client, () => outbox.stats().depth === 0, 'the outbox to drain');
    expect(outbox.lastSeq()).toBe(jumpTo + 10);
    expect(outbox.lastSeq()).toBeLessThan(SEQ_LIMIT);
    expect((await central.store.listRawBatches(EDGE)).at(-1)![1]).toBe(jumpTo + 10);
  });
});

describe('compacted seqs, edge ↔ central over HTTP', () => {
  it('seqs merged while central was down are not missing, and central warns once per real gap only', async () => {
    const port = new URL(central.url).port;
    await stopCentral(central);
    const outbox = new SqliteOutbox({ path: join(dir, 'outbox.db'), maxSummaries: 100, compactFactor: 10 });
    closers.push(() => outbox.close());
    let compactions = 0;
    for (const s of summaries(1, 400)) if (outbox.append(s)) compactions++;
    expect(compactions).toBeGreaterThan(0);

    central = await startCentral(Number(port));
    const edgeLog: string[] = [];
    const client = edgeClient(outbox, central.url, edgeLog);
    await syncUntil(client, () => outbox.stats().depth === 0, 'the outbox to drain');
    for (let i = 0; i < 5; i++) await client.syncOnce();
    const gapWarnings = () => central.logLines.filter((l) => l.includes('edge has a gap')).length;
    expect(gapWarnings()).toBe(0);
    expect(edgeLog.filter((l) => l.includes('central reports missing seqs'))).toEqual([]);
    expect(outbox.ackedSeq()).toBe(400);

    // A real gap (seqs 406..419 never sent: another writer skipped ahead): one warning, however many syncs follow.
    for (const s of summaries(401, 5)) outbox.append(s);
    await client.syncOnce();
    expect((await postRaw({ siteId: SITE, edgeId: EDGE, summaries: summaries(420, 1) })).status).toBe(200);
    for (let i = 0; i < 10; i++) await client.syncOnce();
    expect(gapWarnings()).toBe(1);
    expect(edgeLog.filter((l) => l.includes('central reports missing seqs'))).toHaveLength(1);
  });
});
