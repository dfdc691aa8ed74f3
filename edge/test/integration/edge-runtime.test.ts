import { Writable } from 'node:stream';
import { AreaStatus } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSiteData } from '../../src/config/load-site-config.js';
import { type EdgeRuntime, runEdge } from '../../src/main.js';
import { type EmulatedSite, signValues, startEmulatedSite } from '../support/emulated-site.js';
import { tempDir } from '../support/temp-dir.js';

const POLL_MS = 300;
let dir: ReturnType<typeof tempDir>;
let site: EmulatedSite;
let edge: EdgeRuntime;
const logLines: string[] = [];

beforeAll(async () => {
  dir = tempDir();
  site = await startEmulatedSite({ dir: dir.path, pollIntervalMs: POLL_MS });
  const { config, issues } = checkSiteData(site.file, `${dir.path}/site.yaml`, { env: {} });
  expect(issues).toEqual([]);
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  edge = await runEdge(config!, { logDestination, shutdownFlushMs: 3000 });
});

afterAll(async () => {
  await edge?.stop();
  await site?.close();
  dir?.remove();
});

describe('edge runtime on emulators over TCP', () => {
  it('shows free counts on the emulated sign; a bay set occupied in the emulator changes the count', async () => {
    await vi.waitFor(
      () => expect(JSON.stringify(signValues(site.sign)), 'the sign to show 16 and 16').toBe('[16,16]'),
      { timeout: 20_000, interval: 10 },
    );
    site.sensors.setBay(1, 3, true);
    site.sensors.setBay(1, 4, true);
    await vi.waitFor(() => expect(signValues(site.sign)[0], 'line A to show 14').toBe(14), {
      timeout: 20_000,
      interval: 10,
    });
    expect(signValues(site.sign)[1]).toBe(16);
    expect(site.sign.signMessage(10)?.lines[0]).toMatchObject({ arrow: 'left', colour: 'green' });
  });

  it('a silent device: its bays unknown within two poll cycles, sign falls back, others keep full rate; then it recovers', async () => {
    const bBays = Array.from({ length: 16 }, (_, i) => 16 + i);
    await vi.waitFor(
      () =>
        expect(
          bBays.every((i) => edge.state.bayStates()[i] !== 0),
          'zone B known',
        ).toBe(true),
      { timeout: 20_000, interval: 10 },
    );
    site.sensors.injectFault(2, { kind: 'offline' });
    const silentAt = Date.now();
    await vi.waitFor(
      () =>
        expect(
          bBays.every((i) => edge.state.bayStates()[i] === 0),
          'zone B unknown',
        ).toBe(true),
      { timeout: 10_000, interval: 5 },
    );
    const unknownAfterMs = Date.now() - silentAt;
    // Two poll cycles, plus one guidance tick and scheduling slack on a shared machine.
    expect(unknownAfterMs).toBeLessThanOrEqual(2 * POLL_MS + 250);
    await vi.waitFor(() => expect(signValues(site.sign)[1], 'line B on its fail-safe (FULL)').toBe('FULL'), {
      timeout: 20_000,
      interval: 10,
    });
    expect(site.sign.signMessage(10)?.lines[1]?.colour).toBe('amber');
    expect(edge.planned()[0]!.isFallback).toBe(true);
    // Unit 1 keeps its rate while unit 2 is silent.
    const from = Date.now();
    const before = site.sensors.recorded.filter((r) => r.unitId === 1 && r.fc === 2).length;
    await new Promise((resolve) => setTimeout(resolve, 6 * POLL_MS)); // a measuring window, not a wait for a state
    const polls = site.sensors.recorded.filter((r) => r.unitId === 1 && r.fc === 2).length - before;
    const expected = (Date.now() - from) / POLL_MS;
    expect(polls).toBeGreaterThanOrEqual(Math.floor(expected * 0.7));
    expect(signValues(site.sign)[0]).toBe(14);
    site.sensors.clearFaults(2);
    site.sensors.setBay(2, 0, true);
    await vi.waitFor(() => expect(signValues(site.sign)[1], 'line B back to a count (15)').toBe(15), {
      timeout: 30_000,
      interval: 10,
    });
    expect(site.sign.signMessage(10)?.lines[1]?.colour).toBe('green');
  });

  it('sends summaries to central and applies the directives it answers with (CLOSED override)', async () => {
    await site.peer.waitFor(() => site.peer.ackedSeq >= 3);
    const first = site.peer.stored.get(1)!;
    expect(first.isSnapshot).toBe(true);
    expect(first.bays?.bayCount).toBe(32);
    expect(first.signs?.[0]?.signId).toBe('vms-1');
    site.peer.directives = {
      siteId: 'hospital-north',
      version: 5,
      lotOverrides: [
        { lotId: 'P1', zoneId: 'A', status: AreaStatus.AREA_STATUS_CLOSED, validFromMs: 1, validUntilMs: 0 },
      ],
    };
    await vi.waitFor(() => expect(signValues(site.sign)[0], 'line A CLOSED by central').toBe('CLOSED'), {
      timeout: 20_000,
      interval: 10,
    });
    expect(edge.sync.stats.directivesVersion).toBe(5);
    // What reached the field, as the local endpoint tells it (the demo's twin reads reservations there).
    const held = (await (await fetch(`http://127.0.0.1:${edge.httpPort}/directives`)).json()) as Record<
      string,
      unknown
    >;
    expect(held).toMatchObject({ siteId: 'hospital-north', version: 5, lotOverrides: [{ lotId: 'P1', zoneId: 'A' }] });
  });

  it('serves /healthz and Prometheus /metrics, and takes an operator count only for gate-counted lots', async () => {
    const base = `http://127.0.0.1:${edge.httpPort}`;
    const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', devicesOffline: [] });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('citybay_edge_outbox_summaries');
    expect(metrics).toMatch(/citybay_edge_poll_requests_total\{device="ctrl-1"\} [1-9]/);
    expect(metrics).toMatch(/citybay_edge_sign_writes_total\{sign="vms-1",result="ok",reason="change"\} [1-9]/);
    const refused = await fetch(`${base}/lots/P1/occupancy`, { method: 'POST', body: JSON.stringify({ occupied: 3 }) });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'CB_LOCAL_LOT_NOT_GATE_COUNTED', path: 'lotId' });
    const bad = await fetch(`${base}/lots/P1/occupancy`, { method: 'POST', body: '{"occupied":-1}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'CB_LOCAL_BAD_REQUEST', path: 'occupied' });
    const notJson = await fetch(`${base}/lots/P1/occupancy`, { method: 'POST', body: '{occupied' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'CB_LOCAL_BAD_REQUEST', path: '' });
    const nowhere = await fetch(`${base}/nowhere`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ code: 'CB_LOCAL_NOT_FOUND' });
  });

  it('stops gracefully: last summary flushed to central, signs left on their fail-safe message', async () => {
    await edge.stop();
    const lastSeq = edge.outbox.lastSeq();
    expect(site.peer.ackedSeq).toBe(lastSeq);
    expect(signValues(site.sign)).toEqual(['FULL', 'FULL']);
  });
});
