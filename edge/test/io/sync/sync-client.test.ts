import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AreaStatus, type Directives, SEQ_LIMIT } from '@citybay/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSiteLayout } from '../../../src/core/site-layout.js';
import { SiteState } from '../../../src/core/site-state.js';
import { SummaryBuilder } from '../../../src/core/summary-builder.js';
import { SqliteOutbox } from '../../../src/io/outbox/outbox-sqlite.js';
import { loadPersistedDirectives, SyncClient } from '../../../src/io/sync/sync-client.js';
import { CentralPeer, TEST_SECRET } from '../../../src/testing/index.js';
import { sampleSummaries } from '../../support/sample-summaries.js';
import { logger } from '../../support/silent-logger.js';
import { reading, smallSite } from '../../support/site-fixtures.js';
import { tempDir } from '../../support/temp-dir.js';

let dir: ReturnType<typeof tempDir>;
let peer: CentralPeer;
const clients: SyncClient[] = [];

beforeEach(async () => {
  dir = tempDir();
  peer = new CentralPeer('hospital-north', 'edge-01', TEST_SECRET);
  await peer.up();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await peer.down();
  dir.remove();
});

function client(
  outbox: SqliteOutbox,
  overrides: Partial<ConstructorParameters<typeof SyncClient>[0]> = {},
): SyncClient {
  const c = new SyncClient({
    outbox,
    siteId: 'hospital-north',
    edgeId: 'edge-01',
    url: peer.url,
    secret: TEST_SECRET,
    syncIntervalMs: 50,
    batchMax: 500,
    backoffInitialMs: 20,
    backoffMaxMs: 200,
    logger,
    ...overrides,
  });
  clients.push(c);
  return c;
}

const directives: Directives = {
  siteId: 'hospital-north',
  version: 7,
  issuedMs: 1_800_000_000_000,
  lotOverrides: [
    { lotId: 'P1', status: AreaStatus.AREA_STATUS_CLOSED, validFromMs: 1, validUntilMs: 0, reason: 'event' },
  ],
};

describe('SyncClient', () => {
  it('sends batches, deletes what central acknowledged, and persists the directives it answers with', async () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 1200)) outbox.append(s);
    peer.directives = directives;
    const received: Directives[] = [];
    const c = client(outbox, { onDirectives: (d) => received.push(d) });
    c.start();
    await peer.waitFor(() => peer.ackedSeq === 1200);
    await vi.waitFor(() => expect(outbox.stats().depth, 'the outbox to drain').toBe(0), {
      timeout: 20_000,
      interval: 10,
    });
    await c.stop();
    expect(peer.received).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect(outbox.stats().depth).toBe(0);
    expect(outbox.ackedSeq()).toBe(1200);
    expect(received.map((d) => d.version)).toEqual([7]);
    expect(loadPersistedDirectives(outbox)).toMatchObject({ version: 7, lotOverrides: [{ lotId: 'P1' }] });
    outbox.close();
  });

  it('keeps a refused batch (400/401/503) and delivers it once central accepts; halves the batch on 413', async () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 40)) outbox.append(s);
    peer.script(
      { statusCode: 400, code: 'CB_SYNC_UNKNOWN_AREA', message: 'unknown zone', path: 'summaries[0].zones[0].lotId' },
      { statusCode: 503, code: 'CB_HTTP_SHUTTING_DOWN', message: 'bye', retryAfterS: 0 },
      { statusCode: 413, code: 'CB_WIRE_TOO_LARGE', message: 'too large' },
    );
    const c = client(outbox, { batchMax: 40 });
    c.start();
    await peer.waitFor(() => peer.ackedSeq === 40);
    await c.stop();
    expect(peer.received).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(c.stats.failures).toBe(3);
    expect(peer.requests).toBeGreaterThanOrEqual(5);
    outbox.close();
  });

  it('never deletes anything when the secret is wrong', async () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 5)) outbox.append(s);
    const c = client(outbox, { secret: `cbk_${'B'.repeat(43)}` });
    c.start();
    await peer.waitFor(() => peer.authFailures >= 2);
    await c.stop();
    expect(c.stats.lastErrorCode).toBe('CB_SYNC_REJECTED');
    expect(outbox.stats().depth).toBe(5);
    outbox.close();
  });

  it('resumes after a restart from the last acknowledged seq', async () => {
    const path = join(dir.path, 'o.db');
    const first = new SqliteOutbox({ path });
    for (const s of sampleSummaries(1, 30)) first.append(s);
    const c1 = client(first, { batchMax: 10 });
    await c1.syncOnce();
    await c1.stop();
    first.close();
    const second = new SqliteOutbox({ path });
    expect(second.peek(1)[0]!.seq).toBe(11);
    const c2 = client(second, { batchMax: 10 });
    c2.start();
    await peer.waitFor(() => peer.ackedSeq === 30);
    await c2.stop();
    expect(peer.received).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    second.close();
  });

  it('talks HTTPS to central, verifying its certificate against the configured CA only', async () => {
    const tls = (name: string) => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8');
    const secure = new CentralPeer('hospital-north', 'edge-01', TEST_SECRET, {
      cert: tls('central.pem'),
      key: tls('central.key'),
    });
    await secure.up();
    try {
      const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
      for (const s of sampleSummaries(1, 5)) outbox.append(s);
      const untrusting = client(outbox, { url: secure.url });
      await expect(untrusting.syncOnce()).rejects.toMatchObject({ code: 'CB_SYNC_UNREACHABLE' });
      expect(secure.requests).toBe(0);
      const trusting = client(outbox, { url: secure.url, caPem: tls('ca.pem') });
      expect(await trusting.syncOnce()).toBe(5);
      expect(secure.ackedSeq).toBe(5);
      expect(outbox.stats().depth).toBe(0);
      outbox.close();
    } finally {
      await secure.down();
    }
  });

  it("renumbers the outbox after central's seqs when the outbox was lost, so that nothing is taken for a replay", async () => {
    const lost = new SqliteOutbox({ path: join(dir.path, 'lost.db') });
    for (const s of sampleSummaries(1, 50)) lost.append(s);
    const c1 = client(lost, { batchMax: 100 });
    await c1.syncOnce();
    lost.close();
    // A fresh outbox (new SD card) starts again at seq 1.
    const fresh = new SqliteOutbox({ path: join(dir.path, 'fresh.db') });
    const summaries = sampleSummaries(1, 10);
    for (const s of summaries) fresh.append(s);
    const renumbered: number[] = [];
    const c2 = client(fresh, { onRenumbered: (last) => renumbered.push(last) });
    c2.start();
    await peer.waitFor(() => peer.ackedSeq === 60);
    await vi.waitFor(() => expect(fresh.stats().depth, 'the fresh outbox to drain').toBe(0), {
      timeout: 20_000,
      interval: 10,
    });
    expect(renumbered).toEqual([60]);
    expect(fresh.lastSeq()).toBe(60);
    expect(peer.received.slice(-10)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(peer.stored.get(51)?.bays).toEqual(expect.objectContaining({ bayCount: summaries[0]!.bays!.bayCount }));
    expect(peer.stored.get(51)?.isSnapshot).toBe(true);
    fresh.close();
  });

  it('never renumbers past the wire bound 2^48, whatever central acknowledges; keeps every summary', async () => {
    const outbox = new SqliteOutbox({ path: join(dir.path, 'o.db') });
    for (const s of sampleSummaries(1, 10)) outbox.append(s);
    const c = client(outbox);
    // A central that acknowledges a seq from which ten more would pass the bound.
    peer.forcedAckedSeq = SEQ_LIMIT - 5;
    await expect(c.syncOnce()).rejects.toMatchObject({ code: 'CB_OUTBOX_SEQ_LIMIT' });
    // One that breaks the contract outright (the seq that used to wedge an edge).
    peer.forcedAckedSeq = Number.MAX_SAFE_INTEGER;
    await expect(c.syncOnce()).rejects.toMatchObject({ code: 'CB_SYNC_BAD_RESPONSE' });
    expect(outbox.stats()).toMatchObject({ depth: 10, lastSeq: 10, ackedSeq: 0 });
    // Central fixed: the same summaries go out and are acknowledged as if nothing had happened.
    peer.forcedAckedSeq = undefined;
    await c.syncOnce();
    expect(outbox.stats()).toMatchObject({ depth: 0, lastSeq: 10, ackedSeq: 10 });
    outbox.close();
  });

  it('central unreachable for 10,000 summaries, then back: every summary arrives once, in order', async () => {
    // Protocol test, not a durability one (the kill -9 test covers that): keep the fsyncs in memory.
    const base = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/citybay-edge-') : dir.path;
    try {
      const outbox = new SqliteOutbox({ path: join(base, 'o.db') });
      const file = smallSite();
      const layout = buildSiteLayout(file);
      const state = new SiteState({ layout, debounceMs: 0, deviceStaleMs: 1e12 });
      const builder = new SummaryBuilder({
        siteId: 'hospital-north',
        edgeId: 'edge-01',
        configVersion: 'v1',
        softwareVersion: 'test',
        bayCount: layout.bays.length,
        snapshotEvery: 60,
        nextSeq: outbox.lastSeq() + 1,
      });
      await peer.down();
      const c = client(outbox, { batchMax: 1000 });
      c.start();
      const startMs = 1_800_000_000_000;
      // A fast clock: one 10 ms summary window per step.
      for (let i = 0; i < 10_000; i++) {
        const nowMs = startMs + i * 10;
        state.applyReading(
          reading('ctrl-1', 64, nowMs, (b) => (b + i) % 5 === 0),
          nowMs,
        );
        outbox.append(
          builder.build({
            windowStartMs: nowMs,
            windowEndMs: nowMs + 10,
            bayStates: state.bayStates(),
            zones: state.zoneCounts(),
            gates: state.gateTotals(),
            devices: [],
            signs: [],
          }),
        );
        c.notify();
        if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
      }
      expect(outbox.stats().depth).toBe(10_000);
      expect(c.stats.failures).toBeGreaterThan(0);
      await peer.up();
      await peer.waitFor(() => peer.ackedSeq === 10_000, 60_000);
      await vi.waitFor(() => expect(outbox.stats().depth, 'the outbox to drain').toBe(0), {
        timeout: 20_000,
        interval: 10,
      });
      await c.stop();
      expect(peer.received.length).toBe(10_000);
      expect(peer.received).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
      expect(outbox.stats().depth).toBe(0);
      outbox.close();
    } finally {
      if (base !== dir.path) rmSync(base, { recursive: true, force: true });
    }
  }, 90_000);
});
