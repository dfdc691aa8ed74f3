import { Writable } from 'node:stream';
import {
  createFakeDigitalIO,
  createPtyPair,
  type PtyPair,
  serveVirtualTextSign,
  type VirtualTextSign,
} from '@citybay/firmware-bridge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkSiteData } from '../../src/config/load-site-config.js';
import type { SiteFile } from '../../src/config/site-config-schema.js';
import { type EdgeRuntime, runEdge } from '../../src/main.js';
import { tempDir } from '../support/temp-dir.js';

const io = createFakeDigitalIO();
let dir: ReturnType<typeof tempDir>;
let pair: PtyPair;
let sign: VirtualTextSign;
let edge: EdgeRuntime;

beforeAll(async () => {
  dir = tempDir();
  pair = await createPtyPair(`${dir.path}/edge-side`, `${dir.path}/sign-side`);
  sign = await serveVirtualTextSign({ path: pair.pathB, sign: { lines: 2, charsPerLine: 16 } });
  const file: SiteFile = {
    site: { id: 'shared-lot' },
    edge: { id: 'edge-03' },
    configVersion: 'multi-1',
    lots: [
      {
        id: 'P3',
        gateCounting: { capacity: 40, gates: [{ id: 'lane', entries: { gpio: 'in' }, exits: { gpio: 'out' } }] },
      },
      {
        id: 'P4',
        defaultStatus: 'closed',
        gateCounting: { capacity: 10, gates: [{ id: 'g', entries: { gpio: 'in4' }, exits: { gpio: 'out4' } }] },
      },
    ],
    signs: [
      {
        id: 'vms-text',
        location: 'Ring Rd',
        driver: { type: 'multi', path: pair.pathA, baudRate: 9600, lines: 2, charsPerLine: 16 },
        lines: [
          { label: 'P3', lot: 'P3', arrow: 'left' },
          { label: 'P4', lot: 'P4', arrow: 'right' },
        ],
      },
    ],
    gpio: {
      inputs: [
        { id: 'in', line: 5, debounceMs: 1 },
        { id: 'out', line: 6, debounceMs: 1 },
        { id: 'in4', line: 7, debounceMs: 1 },
        { id: 'out4', line: 8, debounceMs: 1 },
      ],
    },
    central: { url: 'http://127.0.0.1:9', secret: `cbk_${'A'.repeat(43)}` },
    outbox: { path: `${dir.path}/outbox.db` },
    intervals: { planMs: 20 },
    http: { port: 0 },
    logLevel: 'warn',
  };
  const { config, issues } = checkSiteData(file, `${dir.path}/site.yaml`, { env: {} });
  expect(issues).toEqual([]);
  edge = await runEdge(config!, {
    digitalIO: io,
    shutdownFlushMs: 0,
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
});

afterAll(async () => {
  await edge?.stop();
  await sign?.close();
  await pair?.close();
  dir?.remove();
});

describe('NTCIP 1203 MULTI text sign over a serial line (pseudo-terminal)', () => {
  it('shows the count and a lot closed until central opens it, and changes when a car enters', async () => {
    await vi
      .waitFor(
        () =>
          expect(
            /40/.test(sign.currentMulti) && /CLOSED/.test(sign.currentMulti),
            'the text sign to show 40 and CLOSED',
          ).toBe(true),
        { timeout: 15_000, interval: 10 },
      )
      .catch((err: unknown) => {
        console.log(
          sign.currentMulti,
          sign.refused,
          JSON.stringify(edge.planned()),
          JSON.stringify(edge.state.areaCount('P3', undefined, new Set([1]))),
        );
        throw err;
      });
    const writes = sign.shown.length;
    io.setLevel(5, 1);
    await vi.waitFor(() => expect(/39/.test(sign.currentMulti), 'one entry → 39').toBe(true), {
      timeout: 20_000,
      interval: 10,
    });
    expect(sign.shown.length).toBeGreaterThan(writes);
    expect(sign.shown.at(-1)?.multi).toMatch(/39/);
    expect(sign.refused).toEqual([]);
  });

  it('reports degraded on /healthz while the sign refuses or misses writes, ok again once it answers', async () => {
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${edge.httpPort}/healthz`);
      return { status: res.status, body: (await res.json()) as { status: string; signsFailing: string[] } };
    };
    await vi.waitFor(async () => expect((await health()).status, '/healthz ok').toBe(200), {
      timeout: 20_000,
      interval: 10,
    });
    sign.injectFault({ kind: 'no-ack', count: 1_000_000 });
    io.setLevel(6, 1); // a car leaves: 40 free again, a write the sign never acknowledges
    await vi.waitFor(async () => expect((await health()).status, '/healthz degraded').toBe(503), {
      timeout: 30_000,
      interval: 50,
    });
    expect((await health()).body).toMatchObject({ status: 'degraded', signsFailing: ['vms-text'] });
    sign.clearFaults();
    await vi.waitFor(async () => expect((await health()).status, '/healthz ok again').toBe(200), {
      timeout: 30_000,
      interval: 50,
    });
    expect(sign.currentMulti).toMatch(/40/);
  });

  it('leaves the text sign on its fail-safe text when the edge stops', async () => {
    await edge.stop();
    expect(sign.currentMulti).toContain('--');
    // No count left behind: each line ends in its fallback text.
    const text = sign.currentMulti.replace(/\[[^\]]*\]/g, ' ');
    expect(text).not.toMatch(/39|40|CLOSED/);
    expect(text).toMatch(/P3 < --\s+P4 > --/);
  });
});
